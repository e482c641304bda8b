import { hasRole, type Principal } from '../../access/access.schema.js';
import { forbidden, invalidInput } from '../../errors.js';
import { MAX_ITEMS, type AgendaItem } from '../meetings.schema.js';
import {
  deadlineOf,
  elementIdFor,
  isCoordinator,
  occurrenceOf,
  requireOpen,
} from '../series/rules.js';
import {
  auditOf,
  headerWrite,
  readSeries,
  transact,
  windowFor,
  type MeetingDeps,
  type OccurrenceRef,
  type Outcome,
} from '../series/unit-of-work.js';
import { itemFromForm, type ItemFormValues } from './item-form.js';

/**
 * Adds an agenda item: samordnare and the organisations' representatives (and coaches). After
 * the deadline a representative's item waits for the samordnare's approval. The card's request
 * id (with who clicked) makes it idempotent: a double click or a re-delivered invoke finds the
 * item and writes nothing.
 */
export async function addItem(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  requestId: string,
  form: ItemFormValues,
): Promise<Outcome<{ item: AgendaItem; created: boolean }>> {
  if (!hasRole(actor, 'samordnare', 'admin', 'representant', 'coach')) {
    throw forbidden('Bara samordnare och organisationernas representanter kan lägga till punkter.');
  }
  const input = itemFromForm(form);
  const id = elementIdFor(actor.userId, requestId);
  return transact(
    deps,
    () => readSeries(deps, ref, windowFor(ref.date, deps.now())),
    `add|${id}`,
    (state) => {
      const now = state.now;
      const occurrence = occurrenceOf(state, ref.date);
      const existing = occurrence.items.find((item) => item.id === id);
      if (existing) return { result: { item: existing, created: false } };
      requireOpen(occurrence, now);
      if (occurrence.items.length >= MAX_ITEMS) {
        throw invalidInput(`Dagordningen är full (högst ${MAX_ITEMS} punkter).`);
      }
      const late = now > deadlineOf(state, occurrence);
      const item: AgendaItem = {
        id,
        date: ref.date,
        ...input,
        ...(actor.organisationId ? { organisationId: actor.organisationId } : {}),
        authorId: actor.userId,
        authorName: actor.displayName ?? '',
        createdAt: now.toISOString(),
        late,
        status: late && !isCoordinator(actor) ? 'pendingApproval' : 'active',
        order: occurrence.header.nextOrder,
        handled: false,
      };
      return {
        writes: [
          headerWrite(
            state,
            {
              ...occurrence.header,
              nextOrder: occurrence.header.nextOrder + 1,
              itemCount: occurrence.items.length + 1,
            },
            now,
          ),
          { op: 'create', row: 'element', value: { row: 'item', ...item } },
        ],
        audit: [
          auditOf(actor, now, 'meetings.item.add', ref.meetingId, { date: ref.date, itemId: id }),
        ],
        result: { item, created: true },
      };
    },
  );
}
