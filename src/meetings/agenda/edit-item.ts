import type { Principal } from '../../access/access.schema.js';
import {
  deadlineOf,
  isOpenItem,
  itemOf,
  occurrenceOf,
  requireItemEditor,
  requireNotClosed,
} from '../series/rules.js';
import type { SeriesState } from '../series/series-state.js';
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
import { invalidInput } from '../../errors.js';
import type { AgendaItem } from '../meetings.schema.js';
import { itemFromForm, type ItemFormValues } from './item-form.js';

const FIELDS = ['title', 'description', 'category', 'presenter', 'minutes'] as const;

/** The item as its editor sees it; refuses people who may not change it (no write). */
export async function itemForEdit(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  itemId: string,
): Promise<{ state: SeriesState; item: AgendaItem }> {
  const state = await readSeries(deps, ref, windowFor(ref.date, deps.now()));
  return { state, item: editable(state, actor, ref.date, itemId) };
}

function editable(state: SeriesState, actor: Principal, date: string, itemId: string) {
  const occurrence = occurrenceOf(state, date);
  requireNotClosed(occurrence);
  const item = itemOf(occurrence, itemId);
  requireItemEditor(actor, item, state.now > deadlineOf(state, occurrence), 'ändra');
  if (!isOpenItem(item)) {
    throw invalidInput('Punkten är tillbakadragen eller flyttad och kan inte ändras här.');
  }
  return item;
}

/**
 * Changes an item's text, category, presenter or minutes: its author until the deadline, a
 * samordnare always. Saving the same values again writes nothing.
 */
export async function editItem(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  itemId: string,
  requestKey: string,
  form: ItemFormValues,
): Promise<Outcome<{ item: AgendaItem; changed: boolean }>> {
  const input = itemFromForm(form);
  return transact(
    deps,
    () => readSeries(deps, ref, windowFor(ref.date, deps.now())),
    `edit|${itemId}|${requestKey}`,
    (state) => {
      const item = editable(state, actor, ref.date, itemId);
      const edited: AgendaItem = { ...item, ...input };
      if (FIELDS.every((field) => edited[field] === item[field])) {
        return { result: { item, changed: false } };
      }
      const occurrence = occurrenceOf(state, ref.date);
      const stored = state.itemRows(ref.date).find((row) => row.value.id === itemId);
      return {
        writes: [
          headerWrite(state, occurrence.header, state.now),
          elementWrite(stored, { row: 'item', ...edited }),
        ],
        audit: [
          auditOf(actor, state.now, 'meetings.item.edit', ref.meetingId, {
            date: ref.date,
            itemId,
          }),
        ],
        result: { item: edited, changed: true },
      };
    },
  );
}
