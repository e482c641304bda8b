import type {
  ParticipantRepository,
  ParticipantRetentionStore,
} from '../participants/participants.repository.js';
import { PARTICIPANT_CODE_PATTERN } from '../participants/participants.schema.js';
import { toLocal } from '../schedule/local-time.js';
import type { RegisterSource, RetentionSource } from './retention.schema.js';

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

/** Registerutdrag and erasure for participant codes (`D-2026-0001`). */
export function participantRegister(
  participants: Pick<ParticipantRepository, 'get' | 'history'>,
  store: ParticipantRetentionStore,
): RegisterSource {
  return {
    subjectType: 'participant',
    owns: (code) => PARTICIPANT_CODE_PATTERN.test(code),
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
