import { z } from 'zod';
import type { Principal } from '../../access/access.schema.js';
import { notFound } from '../../errors.js';
import { formInvalid as invalidInput, refusePersonalNumberIn } from '../series/form-error.js';
import { toLocal } from '../../schedule/local-time.js';
import { localDateSchema } from '../../schedule/schedule.schema.js';
import type { MeetingWrite } from '../meetings.repository.js';
import { LIMITS, type ActionItem, type Decision } from '../meetings.schema.js';
import {
  clean,
  elementIdFor,
  occurrenceOf,
  requireCoordinator,
  requireNotClosed,
} from '../series/rules.js';
import {
  auditOf,
  elementWrite,
  headerWrite,
  readSeries,
  transact,
  windowFor,
  type MeetingDeps,
  type OccurrenceRef,
  type Outcome,
} from '../series/unit-of-work.js';

/** The record form as it arrives. */
export const recordFormFields = {
  notes: z.string().max(8000).optional(),
  decision: z.string().max(8000).optional(),
  actionWhat: z.string().max(4000).optional(),
  actionOwner: z.string().max(200).optional(),
  actionDue: z.string().max(40).optional(),
};
export type RecordForm = z.infer<z.ZodObject<typeof recordFormFields>>;

/** Someone work can be given to: a member of the förbund. */
export interface Assignee {
  readonly id: string;
  readonly name: string;
}

/**
 * Records what happened under one item (samordnare): notes, a decision and an action item, in
 * one transaction. The decision and the action item are keyed by the form's request id, so a
 * repeated click adds nothing. The action item's reminder is planned after the commit.
 */
export function recordItem(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  itemId: string,
  requestId: string,
  form: RecordForm,
  ownerOf: (id: string) => Assignee | undefined,
): Promise<Outcome<{ action?: ActionItem; changed: boolean }>> {
  requireCoordinator(actor);
  const notes = clean(form.notes ?? '');
  const decision = clean(form.decision ?? '');
  const what = clean(form.actionWhat ?? '');
  const ownerId = clean(form.actionOwner ?? '');
  const due = clean(form.actionDue ?? '');
  if (notes.length > LIMITS.notes) {
    throw invalidInput(`Anteckningarna är för långa (högst ${LIMITS.notes} tecken).`, 'notes');
  }
  if (decision.length > LIMITS.decision) {
    throw invalidInput(`Beslutet är för långt (högst ${LIMITS.decision} tecken).`, 'decision');
  }
  if (what.length > LIMITS.actionWhat) {
    throw invalidInput(`Uppgiften är för lång (högst ${LIMITS.actionWhat} tecken).`, 'actionWhat');
  }
  const owner = ownerId === '' ? undefined : ownerOf(ownerId);
  if (ownerId !== '' && !owner) throw invalidInput('Välj en ansvarig i listan.', 'actionOwner');
  if (due !== '' && !localDateSchema.safeParse(due).success) {
    throw invalidInput('Datumet för uppgiften ska skrivas ÅÅÅÅ-MM-DD.', 'actionDue');
  }
  if (what !== '' && (!owner || due === '')) {
    throw invalidInput('En uppgift behöver både ansvarig och ett datum då den ska vara klar.');
  }
  if (what !== '' && due < toLocal(deps.now()).date) {
    throw invalidInput('Datumet för uppgiften har redan passerat.', 'actionDue');
  }
  refusePersonalNumberIn('notes', 'Anteckningarna', notes);
  refusePersonalNumberIn('decision', 'Beslutet', decision);
  refusePersonalNumberIn('actionWhat', 'Uppgiften', what);
  const key = elementIdFor(actor.userId, requestId);
  return transact(
    deps,
    () => readSeries(deps, ref, windowFor(ref.date, deps.now())),
    `record|${key}`,
    (state) => {
      const occurrence = occurrenceOf(state, ref.date);
      requireNotClosed(occurrence);
      const item = occurrence.items.find((i) => i.id === itemId && i.status === 'active');
      if (!item) throw notFound('Punkten finns inte på dagordningen.');
      const at = state.now.toISOString();
      const writes: MeetingWrite[] = [];
      if (decision !== '' && !occurrence.decisions.some((d) => d.id === key)) {
        const value: Decision = {
          id: key,
          date: ref.date,
          itemId,
          itemTitle: item.title,
          text: decision,
          decidedBy: actor.userId,
          decidedByName: actor.displayName ?? '',
          at,
        };
        writes.push({ op: 'create', row: 'element', value: { row: 'decision', ...value } });
      }
      let action: ActionItem | undefined;
      if (what !== '' && owner && !occurrence.actions.some((a) => a.id === key)) {
        action = {
          id: key,
          meetingId: ref.meetingId,
          date: ref.date,
          conversationId: ref.conversationId,
          itemId,
          itemTitle: item.title,
          what,
          ownerId: owner.id,
          ownerName: owner.name,
          dueDate: due,
          done: false,
          createdBy: actor.userId,
          createdAt: at,
        };
        writes.push({ op: 'create', row: 'element', value: { row: 'action', ...action } });
      }
      if (!item.handled || (notes !== '' && item.notes !== notes)) {
        const stored = state.itemRows(ref.date).find((row) => row.value.id === itemId);
        writes.push(
          elementWrite(stored, {
            row: 'item',
            ...item,
            handled: true,
            ...(notes !== '' ? { notes } : {}),
          }),
        );
      }
      if (writes.length === 0) return { result: { changed: false } };
      return {
        writes: [headerWrite(state, occurrence.header, state.now), ...writes],
        audit: [
          auditOf(actor, state.now, 'meetings.item.record', ref.meetingId, {
            date: ref.date,
            itemId,
            decision: decision !== '' ? 1 : 0,
            action: action ? 1 : 0,
          }),
        ],
        result: { ...(action ? { action } : {}), changed: true },
      };
    },
  );
}
