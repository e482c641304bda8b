import type { Principal } from '../../access/access.schema.js';
import { invalidInput, notFound } from '../../errors.js';
import { formInvalid, refusePersonalNumberIn } from '../series/form-error.js';
import { LIMITS, type Decision } from '../meetings.schema.js';
import { clean, elementIdFor, occurrenceOf, requireCoordinator } from '../series/rules.js';
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

/**
 * Decisions are never changed: a correction is a new decision that points at the one it
 * corrects (samordnare), also after the meeting is closed.
 */
export function correctDecision(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  decisionId: string,
  requestId: string,
  rawText: string,
): Promise<Outcome<{ changed: boolean }>> {
  requireCoordinator(actor);
  const text = clean(rawText);
  if (text === '') throw formInvalid('Skriv det rättade beslutet.', 'correction');
  if (text.length > LIMITS.decision) {
    throw formInvalid(`Beslutet är för långt (högst ${LIMITS.decision} tecken).`, 'correction');
  }
  refusePersonalNumberIn('correction', 'Det rättade beslutet', text);
  const key = elementIdFor(actor.userId, requestId);
  return transact(
    deps,
    () => readSeries(deps, ref, windowFor(ref.date, deps.now())),
    `correct|${key}`,
    (state) => {
      const occurrence = occurrenceOf(state, ref.date);
      const original = occurrence.decisions.find((d) => d.id === decisionId);
      if (!original) throw notFound('Beslutet finns inte.');
      if (occurrence.decisions.some((d) => d.id === key)) return { result: { changed: false } };
      if (occurrence.decisions.some((d) => d.corrects === decisionId)) {
        throw invalidInput('Beslutet är redan rättat. Rätta den senaste rättelsen i stället.');
      }
      const correction: Decision = {
        ...original,
        id: key,
        text,
        corrects: original.id,
        decidedBy: actor.userId,
        decidedByName: actor.displayName ?? '',
        at: state.now.toISOString(),
      };
      return {
        writes: [
          headerWrite(state, occurrence.header, state.now),
          { op: 'create', row: 'element', value: { row: 'decision', ...correction } },
        ],
        audit: [
          auditOf(actor, state.now, 'meetings.decision.correct', ref.meetingId, {
            date: ref.date,
            decisionId,
          }),
        ],
        result: { changed: true },
      };
    },
  );
}
