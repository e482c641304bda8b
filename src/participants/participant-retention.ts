import type {
  ParticipantRepository,
  ParticipantRetentionStore,
} from './participants.repository.js';
import { PARTICIPANT_CODE_PATTERN, participantCodeSchema } from './participants.schema.js';
import { toLocal } from '../schedule/local-time.js';
import type { RegisterSource, RetentionSource } from '../retention/retention.schema.js';

/** Participants who ended (avbrott, avslutad) longer ago than the period are removed. */
export function endedParticipantRetention(store: ParticipantRetentionStore): RetentionSource {
  const due = (cutoff: Date) => store.listEndedBefore(toLocal(cutoff).date);
  return {
    kind: 'endedParticipants',
    label: 'Avslutade deltagare',
    async preview(cutoff) {
      return { removed: (await due(cutoff)).length, anonymised: 0 };
    },
    async purge(cutoff) {
      let removed = 0;
      for (const participant of await due(cutoff)) {
        await store.remove(participant.code);
        removed++;
      }
      return { removed, anonymised: 0 };
    },
  };
}

/**
 * How long the request markers beside participants are kept. They only recognise a re-delivered
 * click or message (Teams repeats within seconds, a person clicks an old card within days), so a
 * month is plenty; they say nothing the audit entries do not.
 */
export const PARTICIPANT_MARKER_DAYS = 30;

/**
 * The audit entries written with participant changes (kept beside the participants, one
 * transaction with each change) are removed after the audit period, as the audit table's are.
 */
export function participantAuditRetention(store: ParticipantRetentionStore): RetentionSource {
  return {
    kind: 'participantAudit',
    label: 'Granskningslogg för deltagare',
    preview: async (cutoff) => ({
      removed: await store.oldAuditRows(cutoff, false),
      anonymised: 0,
    }),
    purge: async (cutoff) => ({ removed: await store.oldAuditRows(cutoff, true), anonymised: 0 }),
  };
}

/** Request markers beside participants older than {@link PARTICIPANT_MARKER_DAYS}. */
export function participantMarkerRetention(store: ParticipantRetentionStore): RetentionSource {
  return {
    kind: 'participantMarkers',
    label: 'Spärrar mot dubbelregistrering av deltagaruppgifter',
    preview: async (cutoff) => ({ removed: await store.oldMarkers(cutoff, false), anonymised: 0 }),
    purge: async (cutoff) => ({ removed: await store.oldMarkers(cutoff, true), anonymised: 0 }),
  };
}

/** Registerutdrag and erasure for participant codes (`D-2026-0001`). */
export function participantRegister(
  participants: Pick<ParticipantRepository, 'get' | 'history'>,
  store: ParticipantRetentionStore,
): RegisterSource {
  return {
    subjectType: 'participant',
    owns: (code) => PARTICIPANT_CODE_PATTERN.test(code),
    readCode: (word) => {
      const read = participantCodeSchema.safeParse(word);
      return read.success ? read.data : undefined;
    },
    async extract(code) {
      const stored = await participants.get(code);
      if (!stored) return undefined;
      const [history, log] = await Promise.all([
        participants.history(stored.value),
        store.auditOf(stored.value),
      ]);
      return { ...stored.value, history, changes: log };
    },
    async erase(code) {
      if (!(await participants.get(code))) {
        return { erased: false, refused: `Det finns ingen deltagare med koden ${code}.` };
      }
      await store.remove(code);
      return { erased: true };
    },
  };
}
