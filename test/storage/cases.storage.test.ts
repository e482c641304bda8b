import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/bot/error-text.js';
import { requireCase } from '../../src/cases/case-change.js';
import { closeCase } from '../../src/cases/use-cases/close-case.js';
import { decideCase } from '../../src/cases/use-cases/decide-case.js';
import { moveCase } from '../../src/cases/use-cases/move-case.js';
import { planCase } from '../../src/cases/use-cases/plan-case.js';
import { presentCase } from '../../src/cases/use-cases/present-case.js';
import { submitCase, type NewCase } from '../../src/cases/use-cases/submit-case.js';
import { isAppError } from '../../src/errors.js';
import { caseTables } from '../../src/storage/case-tables.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { caseWorld, fk, samordnare } from '../support/case-fixtures.js';

const form = (extra: Partial<NewCase> = {}): NewCase => ({
  requestId: randomUUID(),
  reason: 'Behöver stöd',
  request: 'insats',
  insats: 'Sikta mot arbetslivet',
  urgency: 'normal',
  consent: true,
  ...extra,
});

type World = Awaited<ReturnType<typeof caseWorld>>;
const submit = async (world: World, conversationId = '19:kanal@thread.tacv2', extra = {}) =>
  (await submitCase(world.cases.deps, fk, conversationId, form(extra))).snapshot.value.code;

/** Every row key of the year partition, as stored. */
async function rowKeys(world: World, year: number): Promise<string[]> {
  const keys: string[] = [];
  const rows = world.tables
    .client('cases')
    .listEntities({ queryOptions: { filter: odata`PartitionKey eq ${`A-${year}`}` } });
  for await (const row of rows) keys.push(String(row.rowKey));
  return keys;
}

describe('case codes', () => {
  it('when twenty cases are submitted at the same moment, then they get consecutive codes from 0001, and a new year starts again at 0001', async () => {
    const world = await caseWorld({ start: '2030-03-01T08:00:00Z' });
    const codes = await Promise.all(Array.from({ length: 20 }, () => submit(world)));
    expect([...codes].sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `Ä-2030-${String(i + 1).padStart(4, '0')}`),
    );
    world.clock.set('2031-01-02T08:00:00Z');
    expect(await submit(world)).toBe('Ä-2031-0001');
  });

  it('when the same form is submitted twice, then the second answer is the first case and no code is used', async () => {
    const world = await caseWorld();
    const input = form();
    const first = await submitCase(world.cases.deps, fk, '19:k@thread.tacv2', input);
    const again = await submitCase(world.cases.deps, fk, '19:k@thread.tacv2', input);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({
      created: false,
      snapshot: { value: { code: first.snapshot.value.code } },
    });
    expect(await submit(world)).toBe('Ä-2026-0002');
  });
});

describe('one case, one aggregate', () => {
  it('when a case is planned, then its head, history row, audit entry, marker and queue line change in one transaction', async () => {
    const world = await caseWorld();
    const code = await submit(world);
    const before = world.requests();
    const planned = await planCase(world.cases.deps, samordnare, { code, key: randomUUID() });
    expect(world.requests() - before).toBeLessThanOrEqual(2);
    expect(planned.snapshot.value).toMatchObject({
      status: 'planerad',
      revision: 2,
      historyCount: 2,
    });
    const keys = await rowKeys(world, 2026);
    expect(keys.filter((k) => k.startsWith('o|'))).toEqual([
      expect.stringMatching(/\|000001\|000002$/),
    ]);
    expect(keys.filter((k) => k.startsWith('c000001e|'))).toHaveLength(2);
    expect(keys.filter((k) => k.startsWith('c000001l|'))).toHaveLength(2);
    expect(keys.filter((k) => k.startsWith('req|'))).toHaveLength(2);
  });

  it('when a case is closed, then it leaves the open queue and waits for gallring in the same transaction', async () => {
    const world = await caseWorld();
    const conversation = '19:stangt@thread.tacv2';
    const code = await submit(world, conversation);
    await closeCase(world.cases.deps, samordnare, { code, key: randomUUID() });
    expect(await world.store.open(conversation)).toEqual([]);
    expect(await world.store.closedBefore('2026-12')).toEqual([
      expect.objectContaining({ code, organisationId: 'fk', outcome: 'ingetBeslut' }),
    ]);
  });

  it('when a case’s queue line is missing, then its next change writes a fresh one', async () => {
    const world = await caseWorld();
    const conversation = '19:laga@thread.tacv2';
    const code = await submit(world, conversation);
    const line = (await rowKeys(world, 2026)).find((k) => k.startsWith('o|'))!;
    await world.tables.client('cases').deleteEntity('A-2026', line);
    expect(await world.store.open(conversation)).toEqual([]);
    await planCase(world.cases.deps, samordnare, { code, key: randomUUID() });
    expect((await world.store.open(conversation)).map((c) => [c.code, c.status])).toEqual([
      [code, 'planerad'],
    ]);
  });

  it('when the open queue is read beside 200 closed cases, then it is one narrow read that finds only the open ones', async () => {
    const world = await caseWorld();
    const conversation = '19:smal@thread.tacv2';
    for (let batch = 0; batch < 50; batch++) {
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          const code = await submit(world, conversation);
          await closeCase(world.cases.deps, samordnare, { code, key: randomUUID() });
        }),
      );
    }
    const open = [await submit(world, conversation), await submit(world, conversation)];
    await submit(world, '19:annan@thread.tacv2');
    await world.store.open(conversation);
    const before = world.requests();
    const listed = await world.cases.openQueue(conversation);
    expect(world.requests() - before).toBe(1);
    expect(listed.cases.map((c) => c.code).sort()).toEqual(open.sort());
    expect(await world.store.closedBefore('2026-12')).toHaveLength(200);
    expect(await world.store.closedBefore('2026-11')).toHaveLength(0);
  });

  it('when a history is longer than a page, then it is read newest first, a page at a time', async () => {
    const world = await caseWorld();
    const code = await submit(world);
    await planCase(world.cases.deps, samordnare, { code, key: randomUUID() });
    for (let i = 0; i < 11; i++) {
      const date = i % 2 ? '2026-12-08' : '2027-01-12';
      await moveCase(world.cases.deps, samordnare, { code, date, key: randomUUID() });
    }
    const { value } = await requireCase(world.store, code);
    expect(value.historyCount).toBe(13);
    const first = await world.store.history(code, { before: value.historyCount + 1, limit: 5 });
    expect(first.entries.map((e) => e.seq)).toEqual([13, 12, 11, 10, 9]);
    const last = await world.store.history(code, { before: 4, limit: 5 });
    expect(last.entries.map((e) => [e.seq, e.note])).toEqual([
      [3, 'moved'],
      [2, 'planned'],
      [1, 'submitted'],
    ]);
    expect(last.before).toBeUndefined();
  });
});

describe('statistics when a case is reduced', () => {
  it('when the reduction is repeated after a crash, then the statistic is counted once and no row of the case is left', async () => {
    const world = await caseWorld({ start: '2028-03-10T10:00:00Z' });
    const code = await submit(world, '19:stat@thread.tacv2');
    await closeCase(world.cases.deps, samordnare, { code, key: randomUUID() });
    const statistic = { month: '2028-03', organisationId: 'fk', outcome: 'ingetBeslut' as const };
    await world.store.reduce(code, statistic);
    await world.store.reduce(code, statistic);
    expect((await world.store.statistics()).filter((s) => s.month === '2028-03')).toEqual([
      statistic,
    ]);
    expect(await world.store.get(code)).toBeUndefined();
    expect(
      (await rowKeys(world, 2028)).filter((k) => !k.startsWith('req|') && !k.startsWith('n|')),
    ).toEqual([]);
  });
});

describe('decisions', () => {
  it('when a samråd decides "beviljas insats", then the case admits enrolment once, and the participant code is linked once', async () => {
    const world = await caseWorld({ attendance: ['fk', 'kommun-eskilstuna'] });
    const { cases } = world;
    const code = await submit(world, '19:samrad@thread.tacv2');
    await expect(
      planCase(cases.deps, samordnare, { code, key: randomUUID(), slot: '13:20' }),
    ).rejects.toThrow();
    await planCase(cases.deps, samordnare, { code, key: randomUUID() });
    const refused = await cases.admissionOf(samordnare, code).catch((e: unknown) => e);
    expect(errorText(refused)).toContain('inget beslut om att bevilja');

    const input = {
      code,
      requestId: randomUUID(),
      outcome: 'beviljas' as const,
      motivation: 'Passar insatsen.',
    };
    const decided = await decideCase(cases.deps, samordnare, input);
    expect(decided).toMatchObject({ repeated: false, decision: { referrerPresent: true } });
    expect(await cases.admissionOf(samordnare, code)).toEqual({
      code,
      organisationId: 'fk',
      insats: 'Sikta mot arbetslivet',
    });
    await expect(cases.admissionOf(fk, code)).rejects.toThrow();

    expect(
      (await cases.linkParticipant(samordnare, code, 'D-2026-0001')).value.participantCode,
    ).toBe('D-2026-0001');
    await cases.linkParticipant(samordnare, code, 'D-2026-0001');
    const other = await cases
      .linkParticipant(samordnare, code, 'D-2026-0002')
      .catch((e: unknown) => e);
    expect(isAppError(other, 'conflict')).toBe(true);
    const log = await cases.log(samordnare, code);
    expect(log.filter((e) => e.action === 'cases.admit')).toHaveLength(1);

    const repeat = await decideCase(cases.deps, samordnare, input);
    expect(repeat.repeated).toBe(true);
    const { value, decisions } = await requireCase(world.store, code);
    expect(decisions).toHaveLength(1);
    const history = await world.store.history(code, { before: value.historyCount + 1, limit: 10 });
    expect(history.entries.map((e) => e.to).reverse()).toEqual([
      'inkommen',
      'planerad',
      'dragen',
      'beslut',
    ]);
  });

  it('when a planned case is presented and decided twice at once, then one decision stands and the other is told so', async () => {
    const world = await caseWorld();
    const code = await submit(world);
    await planCase(world.cases.deps, samordnare, { code, key: randomUUID() });
    await presentCase(world.cases.deps, samordnare, { code, key: randomUUID() });
    const decide = (outcome: 'avslag' | 'aterremiss') =>
      decideCase(world.cases.deps, samordnare, {
        code,
        requestId: randomUUID(),
        outcome,
        motivation: 'Motivering.',
      })
        .then(() => 'saved')
        .catch((error: unknown) =>
          isAppError(error, 'conflict') ? errorText(error) : String(error),
        );
    const answers = await Promise.all([decide('avslag'), decide('aterremiss')]);
    expect(answers.filter((a) => a === 'saved')).toHaveLength(1);
    expect(answers.find((a) => a !== 'saved')).toContain('Ditt beslut sparades inte');
    expect((await requireCase(world.store, code)).decisions).toHaveLength(1);
  });
});

describe('carry-over as a periodic step', () => {
  it('when a meeting has ended with a case still planned, then the periodic step moves it to the series’ next meeting', async () => {
    const world = await caseWorld();
    const conversation = '19:periodic@thread.tacv2';
    const code = await submit(world, conversation);
    await planCase(world.cases.deps, samordnare, { code, key: randomUUID(), date: '2026-12-08' });
    expect(await world.cases.carryOverAll()).toEqual([]);
    world.clock.set('2026-12-08T10:00:00Z');
    const [moved] = await world.cases.carryOverAll();
    expect(moved).toMatchObject({ code, from: '2026-12-08', to: '2027-01-12' });
    expect((await requireCase(world.store, code)).value).toMatchObject({
      carriedOverFrom: '2026-12-08',
      plan: { date: '2027-01-12' },
    });
    expect(await world.cases.carryOverAll()).toEqual([]);
    const log = await world.cases.log(samordnare, code);
    expect(log.find((e) => e.action === 'cases.carryOver')).toMatchObject({
      actorId: 'system',
      details: { from: '2026-12-08', to: '2027-01-12' },
    });
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
    const world = await caseWorld();
    const failure = await submitCase(
      { ...world.cases.deps, store: caseTables(closed, world.clock.now) },
      fk,
      '19:x@thread.tacv2',
      form(),
    ).catch((error: unknown) => error);
    expect(isAppError(failure, 'storage-unavailable')).toBe(true);
    expect(errorText(failure)).toContain('Lagringen svarar inte just nu, så inget har sparats');
  });
});
