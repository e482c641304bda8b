import { odata } from '@azure/data-tables';
import { z } from 'zod';
import { retryOnConflict } from '../concurrency.js';
import { isAppError } from '../errors.js';
import type {
  ParticipantRepository,
  ParticipantRetentionStore,
} from '../participants/participants.repository.js';
import {
  participantEventSchema,
  participantSchema,
  type Participant,
  type ParticipantEvent,
} from '../participants/participants.schema.js';
import { outcomeSteps } from '../reports/lagesrapport.js';
import type { ReportSource } from '../reports/report.repository.js';
import { EntityTable } from './entity-table.js';
import { encodeKey } from './keys.js';
import type { TableStore } from './table-store.js';

const counterSchema = z.object({ next: z.number().int().min(1) });
const codeIndexSchema = z.object({ lansdelId: z.string().min(1).max(40) });
const requestSchema = z.object({ code: z.string().min(1).max(20) });

const COUNTER = 'counter';
const CODE = 'code';
const REQUEST = 'request';

/**
 * Participants: one partition per länsdel, so the lägesrapport is one partition read.
 * History: one partition per participant (the code), row key the event id, so a timeline is one
 * small partition read, appends never contend with other participants', and a repeated card
 * click (same event id) cannot append twice.
 * Keys: the yearly code counters, the code → länsdel index and enrolment request → code.
 */
export function participantTables(
  store: TableStore,
): ParticipantRepository & ParticipantRetentionStore & ReportSource {
  const participants = new EntityTable(store.client('participants'), participantSchema, ['steps']);
  const events = new EntityTable(store.client('participantEvents'), participantEventSchema);
  const keys = store.client('participantKeys');
  const counters = new EntityTable(keys, counterSchema);
  const codes = new EntityTable(keys, codeIndexSchema);
  const requests = new EntityTable(keys, requestSchema);

  const eventsOf = (code: string) => odata`PartitionKey eq ${code}`;

  // A participant never changes länsdel, so code → länsdel is remembered once read (bounded).
  const knownLansdel = new Map<string, string>();
  const lansdelOf = async (code: string) => {
    const known = knownLansdel.get(code);
    if (known) return known;
    const lansdelId = (await codes.get(CODE, code))?.value.lansdelId;
    if (lansdelId) {
      if (knownLansdel.size >= 50_000) knownLansdel.clear();
      knownLansdel.set(code, lansdelId);
    }
    return lansdelId;
  };

  const collect = async (filter: string): Promise<Participant[]> => {
    const rows: Participant[] = [];
    for await (const row of participants.all(filter)) rows.push(row.value);
    return rows;
  };

  const ignoreExisting = async (write: () => Promise<unknown>) => {
    try {
      await write();
      return true;
    } catch (error) {
      if (isAppError(error, 'already-exists')) return false;
      throw error;
    }
  };

  return {
    nextNumber: (year) =>
      retryOnConflict(async () => {
        const stored = await counters.get(COUNTER, String(year));
        if (!stored) {
          await counters.create(COUNTER, String(year), { next: 2 });
          return 1;
        }
        await counters.replace(
          COUNTER,
          String(year),
          { next: stored.value.next + 1 },
          stored.version,
        );
        return stored.value.next;
      }, 20),

    async claimRequest(requestId, code) {
      const created = await ignoreExisting(() =>
        requests.create(REQUEST, encodeKey(requestId), { code }),
      );
      if (created) return code;
      return (await requests.get(REQUEST, encodeKey(requestId)))!.value.code;
    },

    codeOfRequest: async (requestId) =>
      (await requests.get(REQUEST, encodeKey(requestId)))?.value.code,

    async get(code) {
      const lansdelId = await lansdelOf(code);
      return lansdelId ? participants.get(lansdelId, code) : undefined;
    },

    async create(participant) {
      await ignoreExisting(() =>
        codes.create(CODE, participant.code, { lansdelId: participant.lansdelId }),
      );
      return participants.create(participant.lansdelId, participant.code, participant);
    },

    replace: (participant, version) =>
      participants.replace(participant.lansdelId, participant.code, participant, version),

    appendEvent: (participant, event) =>
      ignoreExisting(() => events.create(participant.code, event.id, event)),

    async events(participant) {
      const rows: ParticipantEvent[] = [];
      for await (const row of events.all(eventsOf(participant.code))) rows.push(row.value);
      return rows;
    },

    async listForCoach(coachIds) {
      const lists = await Promise.all(
        [...new Set(coachIds)].map((id) => collect(odata`coachId eq ${id}`)),
      );
      return lists.flat();
    },

    listLansdel: (lansdelId) => collect(odata`PartitionKey eq ${lansdelId}`),

    reportRows: async (lansdelId) =>
      (await collect(odata`PartitionKey eq ${lansdelId}`)).map((p) => ({
        gender: p.gender,
        consent: p.consent,
        ageGroup: p.ageGroup,
        kommun: p.kommun,
        enrolledOn: p.enrolledOn,
        outcomes: outcomeSteps(p.steps),
      })),

    listEndedBefore: (cutoff) => collect(odata`endedOn lt ${cutoff}`),

    async remove(code) {
      const lansdelId = await lansdelOf(code);
      if (!lansdelId) return;
      for await (const row of events.all(eventsOf(code))) {
        await events.remove(code, row.value.id, row.version);
      }
      const stored = await participants.get(lansdelId, code);
      if (stored) {
        const request = await requests.get(REQUEST, encodeKey(stored.value.enrolRequestId));
        if (request)
          await requests.remove(REQUEST, encodeKey(stored.value.enrolRequestId), request.version);
        await participants.remove(lansdelId, code, stored.version);
      }
      const index = await codes.get(CODE, code);
      if (index) await codes.remove(CODE, code, index.version);
      knownLansdel.delete(code);
    },
  };
}
