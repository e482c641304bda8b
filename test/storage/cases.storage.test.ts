import { beforeAll, describe, expect, it, inject } from 'vitest';
import type { Principal } from '../../src/access/access.schema.js';
import {
  CASE_TRANSITIONS,
  canTransition,
  requireTransition,
} from '../../src/cases/case-lifecycle.js';
import type { CaseRepository } from '../../src/cases/cases.repository.js';
import { CASE_STATUSES, type Case } from '../../src/cases/cases.schema.js';
import { CaseService, type CaseMeetings } from '../../src/cases/cases.service.js';
import { errorText } from '../../src/bot/error-text.js';
import { isAppError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { closedCaseRetention } from '../../src/retention/case-retention.js';
import { RetentionService } from '../../src/retention/retention.service.js';
import { auditTable } from '../../src/storage/audit-table.js';
import { caseKeys, caseTables } from '../../src/storage/case-tables.js';
import { auditRetention, retentionLeaseTable } from '../../src/storage/retention-tables.js';
import { createTableStore, type TableStore } from '../../src/storage/table-store.js';
import { uniquePrefix } from '../support/test-bot.js';

let store: TableStore;
let repo: CaseRepository;
let clock = new Date('2026-11-23T08:00:00Z');
const now = () => clock;

const samordnare: Principal = {
  userId: '29:anna',
  tenantId: 't',
  roles: ['samordnare'],
  configuredAdmin: false,
  organisationId: 'forbundskansliet',
  displayName: 'Anna Samordnare',
};
const fk: Principal = {
  userId: '29:erik',
  tenantId: 't',
  roles: ['representant'],
  configuredAdmin: false,
  organisationId: 'fk',
};
const admin: Principal = { ...samordnare, roles: ['admin'] };

beforeAll(async () => {
  store = createTableStore(
    { kind: 'connectionString', connectionString: inject('tableConnectionString') },
    uniquePrefix(),
  );
  await store.ensureTables();
  repo = caseTables(store);
});

function aCase(code: string, conversationId: string, extra: Partial<Case> = {}): Case {
  const at = clock.toISOString();
  return {
    code,
    conversationId,
    organisationId: 'fk',
    submittedBy: fk.userId,
    submittedAt: at,
    requestId: `req-${code}`,
    reason: 'Behöver stöd',
    request: 'insats',
    insats: 'Sikta mot arbetslivet',
    urgency: 'normal',
    consent: true,
    status: 'inkommen',
    decisions: [],
    history: [{ at, by: fk.userId, to: 'inkommen', note: 'submitted' }],
    updatedAt: at,
    ...extra,
  };
}

async function closedCase(code: string, conversationId: string, closedAt: string) {
  const created = await repo.create(aCase(code, conversationId));
  await repo.replace({ ...created.value, status: 'avslutad', closedAt }, created.version);
}

describe('case codes', () => {
  it('when twenty cases ask for a code at the same moment, then each gets its own, numbered from 0001', async () => {
    const codes = await Promise.all(Array.from({ length: 20 }, () => repo.issueCode(2030)));
    expect(new Set(codes).size).toBe(20);
    expect([...codes].sort()[0]).toBe('Ä-2030-0001');
    expect([...codes].sort().at(-1)).toBe('Ä-2030-0020');
    expect(await repo.issueCode(2031)).toBe('Ä-2031-0001');
  });

  it('when a code becomes table keys, then they are ASCII: one partition per year, the number as row', () => {
    expect(caseKeys('Ä-2026-0042')).toEqual({ partitionKey: 'A-2026', rowKey: '0042' });
    expect(() => caseKeys('A-2026-0042')).toThrow();
  });
});

describe('the open queue is a narrow read', () => {
  it('when a channel has 200 closed cases and 3 open ones, then listing reads only the 3 open cases and their index rows', async () => {
    const channel = '19:narrow@thread.tacv2';
    const writes: Promise<void>[] = [];
    for (let i = 1; i <= 200; i++) {
      writes.push(
        closedCase(`Ä-2025-${String(i).padStart(4, '0')}`, channel, '2025-06-15T10:00:00.000Z'),
      );
      if (writes.length === 20) await Promise.all(writes.splice(0));
    }
    await Promise.all(writes);
    for (const n of ['0001', '0002', '0003']) await repo.create(aCase(`Ä-2026-${n}`, channel));
    const open = await repo.listOpen(channel);
    expect(open.cases.map((c) => c.value.code).sort()).toEqual([
      'Ä-2026-0001',
      'Ä-2026-0002',
      'Ä-2026-0003',
    ]);
    expect(open.rowsRead).toBe(6);
    const closed = await repo.listClosedBefore('2025-07');
    expect(closed).toHaveLength(200);
    expect(await repo.listClosedBefore('2025-06')).toHaveLength(0);
  });

  it('when a case closed but its open index row was left behind, then listing skips it and repairs the index', async () => {
    const channel = '19:repair@thread.tacv2';
    const created = await repo.create(aCase('Ä-2027-0001', channel));
    const raw = store.client('cases');
    await raw.updateEntity(
      {
        partitionKey: 'A-2027',
        rowKey: '0001',
        status: 'avslutad',
        closedAt: '2027-01-01T00:00:00.000Z',
      },
      'Merge',
      { etag: created.version },
    );
    expect((await repo.listOpen(channel)).cases).toHaveLength(0);
    expect((await repo.listOpen(channel)).rowsRead).toBe(0);
    expect((await repo.listClosedBefore('2027-02')).map((c) => c.value.code)).toContain(
      'Ä-2027-0001',
    );
  });
});

describe('statistics when a case is reduced', () => {
  it('when the reduction is repeated after a crash, then the statistic is counted once and the case is gone', async () => {
    const value = aCase('Ä-2028-0001', '19:stats@thread.tacv2', {
      status: 'avslutad',
      closedAt: '2028-03-10T10:00:00.000Z',
    });
    const first = await repo.create(value);
    await repo.reduce(value, first.version, {
      month: '2028-03',
      organisationId: 'fk',
      outcome: 'avslag',
    });
    const again = await repo.create(value);
    await repo.reduce(value, again.version, {
      month: '2028-03',
      organisationId: 'fk',
      outcome: 'avslag',
    });
    const stats = (await repo.statistics()).filter((s) => s.month === '2028-03');
    expect(stats).toEqual([{ month: '2028-03', organisationId: 'fk', outcome: 'avslag' }]);
    expect(await repo.get('Ä-2028-0001')).toBeUndefined();
  });
});

const refusal = (step: () => void) => {
  try {
    step();
    return '';
  } catch (error) {
    return isAppError(error, 'invalid-input') ? (error.userMessage ?? '') : String(error);
  }
};

describe('the life cycle', () => {
  it('when a step is not in the transition table, then it is refused in Swedish', () => {
    expect(canTransition('inkommen', 'dragen')).toBe(false);
    expect(canTransition('beslut', 'planerad')).toBe(false);
    expect(canTransition('planerad', 'dragen')).toBe(true);
    expect(refusal(() => requireTransition('Ä-2026-0001', 'inkommen', 'beslut'))).toMatch(
      /är inkommen och kan inte bli beslut\. Nästa steg kan vara: planerad, i kö, avslutad/,
    );
    expect(refusal(() => requireTransition('Ä-2026-0001', 'avslutad', 'planerad'))).toMatch(
      /avslutat ärende kan inte ändras/,
    );
    expect(refusal(() => requireTransition('Ä-2026-0001', 'planerad', 'dragen'))).toBe('');
  });

  it('when the table is walked, then every open status can reach avslutad and avslutad leads nowhere', () => {
    const reaches = (from: string, seen = new Set<string>()): boolean => {
      if (from === 'avslutad') return true;
      seen.add(from);
      return CASE_TRANSITIONS[from as keyof typeof CASE_TRANSITIONS].some(
        (to) => !seen.has(to) && reaches(to, seen),
      );
    };
    for (const status of CASE_STATUSES) expect(reaches(status)).toBe(true);
    expect(CASE_TRANSITIONS.avslutad).toEqual([]);
  });
});

describe('admission on "beviljas insats"', () => {
  const start = new Date('2026-12-08T12:00:00Z');
  const series = { id: 'samrad-eskilstuna', name: 'Samråd Eskilstuna', type: 'samrad' as const };
  const meetings: CaseMeetings = {
    async upcoming() {
      return [
        {
          series,
          planned: {
            key: '2026-12-08',
            date: '2026-12-08',
            time: '13:00',
            start,
            end: new Date(start.getTime() + 3_600_000),
            status: 'planned',
          },
        },
      ] as never;
    },
    async occurrence() {
      return {
        series,
        occurrence: {
          startsAt: start.toISOString(),
          durationMinutes: 60,
          state: 'planned',
          attendance: ['fk', 'kommun-eskilstuna'],
        },
      } as never;
    },
  };

  it('when a samråd decides "beviljas insats", then the case admits enrolment once, and the participant code is linked once', async () => {
    const service = new CaseService({ cases: repo, meetings, audit: auditTable(store), now });
    const { value } = await service.submit(fk, '19:samrad@thread.tacv2', {
      requestId: 'req-admit-000001',
      reason: 'Behöver arbetsträning',
      request: 'insats',
      insats: 'Sikta mot arbetslivet',
      urgency: 'normal',
      consent: true,
    });
    await expect(service.plan(samordnare, value.code, '2026-12-08', '25:00')).rejects.toThrow();
    const planned = await service.plan(samordnare, value.code, '2026-12-08', '13:20');
    expect(planned.plan).toMatchObject({ meetingId: 'samrad-eskilstuna', slot: '13:20' });
    const refused = await service.admissionOf(samordnare, value.code).catch((e: unknown) => e);
    expect(isAppError(refused, 'invalid-input')).toBe(true);
    expect(errorText(refused)).toContain('inget beslut om att bevilja');

    const input = {
      requestId: 'req-decide-admit',
      outcome: 'beviljas' as const,
      motivation: 'Passar insatsen.',
    };
    const decided = await service.decide(samordnare, value.code, input);
    expect(decided.decision.referrerPresent).toBe(true);
    expect(await service.admissionOf(samordnare, value.code)).toEqual({
      code: value.code,
      organisationId: 'fk',
      insats: 'Sikta mot arbetslivet',
    });
    await expect(service.admissionOf(fk, value.code)).rejects.toThrow();

    const linked = await service.linkParticipant(samordnare, value.code, 'D-2026-0001');
    expect(linked.participantCode).toBe('D-2026-0001');
    await service.linkParticipant(samordnare, value.code, 'D-2026-0001');
    const other = await service
      .linkParticipant(samordnare, value.code, 'D-2026-0002')
      .catch((e: unknown) => e);
    expect(isAppError(other, 'conflict')).toBe(true);
    const log = await service.log(samordnare, value.code);
    expect(log.filter((e) => e.action === 'cases.admit')).toHaveLength(1);

    const repeat = await service.decide(samordnare, value.code, input);
    expect(repeat.duplicate).toBe(true);
    expect((await repo.get(value.code))!.value.history.map((e) => e.to)).toEqual([
      'inkommen',
      'planerad',
      'dragen',
      'beslut',
    ]);
  });
});

describe('carry-over as a periodic step', () => {
  it('when a meeting has ended with a case still planned, then the periodic step moves it to the series’ next meeting without anyone listing the queue', async () => {
    clock = new Date('2026-11-23T08:00:00Z');
    const series = {
      id: 'psykiatri-periodic',
      name: 'Psykiatri-avstämning',
      type: 'psykiatri' as const,
    };
    const planned = (date: string) => {
      const start = new Date(`${date}T08:00:00Z`);
      return {
        series,
        planned: {
          key: date,
          date,
          time: '09:00',
          start,
          end: new Date(start.getTime() + 3_600_000),
          status: 'planned',
        },
      };
    };
    const meetings: CaseMeetings = {
      upcoming: async () =>
        [planned('2026-12-08'), planned('2027-01-12')].filter(
          (o) => o.planned.end > clock,
        ) as never,
      occurrence: async ({ date }) =>
        ({
          series,
          occurrence: { startsAt: `${date}T08:00:00.000Z`, durationMinutes: 60, state: 'planned' },
        }) as never,
    };
    const service = new CaseService({ cases: repo, meetings, audit: auditTable(store), now });
    const { value } = await service.submit(fk, '19:periodic@thread.tacv2', {
      requestId: 'req-periodic-0001',
      reason: 'Behöver stöd',
      request: 'insats',
      insats: 'Sikta mot arbetslivet',
      urgency: 'normal',
      consent: true,
    });
    await service.plan(samordnare, value.code, '2026-12-08');
    expect(await service.carryOverAll()).not.toContainEqual(
      expect.objectContaining({ code: value.code }),
    );
    clock = new Date('2026-12-08T10:00:00Z');
    expect(await service.carryOverAll()).toContainEqual({
      code: value.code,
      from: '2026-12-08',
      to: '2027-01-12',
    });
    const moved = (await repo.get(value.code))!.value;
    expect(moved).toMatchObject({ carriedOverFrom: '2026-12-08', plan: { date: '2027-01-12' } });
    expect(await repo.conversationsWithOpenCases()).toContain('19:periodic@thread.tacv2');
  });
});

describe('gallring', () => {
  it('when two instances reach the daily time, then only the one that claims the lease runs, and not before the time', async () => {
    const audit = auditTable(store);
    const make = (instanceId: string) =>
      new RetentionService({
        sources: [closedCaseRetention(repo), auditRetention(store)],
        registers: [],
        periods: { closedCases: 365, audit: 3650 },
        leases: retentionLeaseTable(store, now),
        audit,
        now,
        instanceId,
        dailyAt: '03:00',
        logger: createLogger('silent'),
      });
    clock = new Date('2029-05-02T00:30:00Z');
    expect(await make('a').runDaily()).toBeUndefined();
    clock = new Date('2029-05-02T01:30:00Z');
    const [a, b] = await Promise.all([make('a').runDaily(), make('b').runDaily()]);
    expect([a, b].filter((run) => run !== undefined)).toHaveLength(1);
    const ran = (a ?? b)!;
    expect(
      ran.find((line) => line.kind === 'closedCases')?.counts.anonymised,
    ).toBeGreaterThanOrEqual(200);
    expect(await make('c').runDaily()).toBeUndefined();
    expect(await make('c').preview(admin)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'closedCases', counts: { removed: 0, anonymised: 0 } }),
      ]),
    );
  });

  it('when audit entries are older than their period, then preview counts and purge removes only those', async () => {
    const audit = auditTable(store);
    const entry = (at: string) => ({
      at,
      actorId: 'system',
      action: 'test.entry',
      subjectType: 'test',
      subjectId: 'gallring',
    });
    await audit.append(entry('2020-01-01T00:00:00.000Z'));
    await audit.append(entry('2020-02-01T00:00:00.000Z'));
    await audit.append(entry('2029-01-01T00:00:00.000Z'));
    const source = auditRetention(store);
    const cutoff = new Date('2021-01-01T00:00:00Z');
    expect(await source.preview(cutoff)).toEqual({ removed: 2, anonymised: 0 });
    expect(await source.purge(cutoff)).toEqual({ removed: 2, anonymised: 0 });
    expect((await audit.forSubject('test', 'gallring')).map((e) => e.at)).toEqual([
      '2029-01-01T00:00:00.000Z',
    ]);
    expect(await source.preview(cutoff)).toEqual({ removed: 0, anonymised: 0 });
  });
});

describe('outages', () => {
  it('when storage cannot be reached during a submission, then it fails with the Swedish storage message', async () => {
    const closed = createTableStore(
      {
        kind: 'connectionString',
        connectionString:
          'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;',
      },
      'closed',
    );
    const service = new CaseService({
      cases: caseTables(closed),
      meetings: { upcoming: async () => [], occurrence: async () => ({}) as never },
      audit: auditTable(closed),
      now,
    });
    const failure = await service
      .submit(fk, '19:x@thread.tacv2', {
        requestId: 'req-outage-000001',
        reason: 'Behöver stöd',
        request: 'arbetstraning',
        urgency: 'normal',
        consent: true,
      })
      .catch((error: unknown) => error);
    expect(isAppError(failure, 'storage-unavailable')).toBe(true);
    expect(errorText(failure)).toContain('Lagringen svarar inte just nu, så inget har sparats');
  });
});
