import { TableClient } from '@azure/data-tables';
import { inject } from 'vitest';
import type { Principal } from '../../src/access/access.schema.js';
import { caseUseCases } from '../../src/cases/case-use-cases.js';
import type { CaseMeetings, MeetingSlot } from '../../src/cases/case-ports.js';
import { caseTables } from '../../src/storage/case-tables.js';
import {
  createTableStore,
  type TableName,
  type TableStore,
} from '../../src/storage/table-store.js';
import { uniquePrefix } from './test-bot.js';

export const samordnare: Principal = {
  userId: '29:anna',
  tenantId: 't',
  roles: ['samordnare'],
  configuredAdmin: false,
  organisationId: 'forbundskansliet',
  displayName: 'Anna Samordnare',
};
export const fk: Principal = {
  userId: '29:erik',
  tenantId: 't',
  roles: ['representant'],
  configuredAdmin: false,
  organisationId: 'fk',
};
export const admin: Principal = { ...samordnare, roles: ['admin'] };

/** A settable clock for one test. */
export function testClock(start: string) {
  let now = new Date(start);
  return {
    now: () => now,
    set(iso: string) {
      now = new Date(iso);
    },
  };
}

/** A meeting slot of a series on `date` at 09:00 Stockholm (08:00 UTC in winter), one hour. */
export function slot(
  date: string,
  series: { id: string; name: string; samrad?: boolean } = {
    id: 'psykiatri-test',
    name: 'Psykiatri-avstämning',
  },
): MeetingSlot {
  const startsAt = new Date(`${date}T08:00:00Z`);
  return {
    meetingId: series.id,
    meetingName: series.name,
    takesSlots: series.samrad ?? false,
    key: date,
    date,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 3_600_000),
    cancelled: false,
  };
}

/** The meetings port over a fixed list of slots, hiding those that have ended. */
export function meetingsOf(
  slots: readonly MeetingSlot[],
  now: () => Date,
  attendance?: readonly string[],
): CaseMeetings {
  return {
    upcoming: async () => slots.filter((s) => s.endsAt > now()),
    occurrence: async ({ meetingId, date }) => {
      const found = slots.find((s) => s.meetingId === meetingId && s.key === date);
      if (!found) return undefined;
      return {
        endsAt: found.endsAt,
        started: false,
        ...(attendance ? { attendance } : {}),
      };
    },
  };
}

/**
 * A table store on the run's Azurite (or another connection string) whose clients count the
 * requests they send: one per table operation, a transaction counting once.
 */
export function countingStore(
  connectionString: string = inject('tableConnectionString'),
  prefix: string = uniquePrefix(),
): { store: TableStore; prefix: string; requests: () => number } {
  const inner = createTableStore({ kind: 'connectionString', connectionString }, prefix);
  let requests = 0;
  const clients = new Map<TableName, TableClient>();
  const store: TableStore = {
    ensureTables: () => inner.ensureTables(),
    ping: (timeoutMs) => inner.ping(timeoutMs),
    client(name) {
      let client = clients.get(name);
      if (!client) {
        const physical = inner.client(name).tableName;
        client = TableClient.fromConnectionString(connectionString, physical, {
          allowInsecureConnection: true,
          retryOptions: { maxRetries: 2, retryDelayInMs: 50, maxRetryDelayInMs: 200 },
          additionalPolicies: [
            {
              position: 'perRetry',
              policy: {
                name: 'countRequests',
                sendRequest: (request, next) => {
                  requests++;
                  request.timeout = 4_000;
                  return next(request);
                },
              },
            },
          ],
        });
        clients.set(name, client);
      }
      return client;
    },
  };
  return { store, prefix, requests: () => requests };
}

/** The case use cases over a fresh store, a clock and fixed meetings. */
export async function caseWorld(
  options: {
    start?: string;
    slots?: (now: () => Date) => readonly MeetingSlot[];
    attendance?: readonly string[];
    connectionString?: string;
    prefix?: string;
  } = {},
) {
  const clock = testClock(options.start ?? '2026-11-23T08:00:00Z');
  const counted = countingStore(options.connectionString, options.prefix);
  await counted.store.ensureTables();
  const store = caseTables(counted.store, clock.now, { verifyDelayMs: 50 });
  await store.migrateLegacy();
  const slots = options.slots?.(clock.now) ?? [slot('2026-12-08'), slot('2027-01-12')];
  const cases = caseUseCases({
    store,
    meetings: meetingsOf(slots, clock.now, options.attendance),
    people: { namesWithRole: async (role) => (role === 'samordnare' ? ['Anna Samordnare'] : []) },
    now: clock.now,
  });
  return {
    clock,
    store,
    cases,
    tables: counted.store,
    requests: counted.requests,
    prefix: counted.prefix,
  };
}
