import { odata } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { STEPS, type Step } from '../../src/participants/participants.schema.js';
import {
  clashesWithRowKinds,
  participantReportRows,
  REMOVAL_KEEP_MS,
  REMOVAL_PREFIX,
  REPORT_REFRESH_MS,
  tableQuery,
  type RowQuery,
} from '../../src/storage/participant-report-rows.js';
import { seeded } from '../support/participant-lists.js';
import {
  allRows,
  enrol,
  LANSDELAR,
  participantWorld,
  recordStep,
  sortedRows,
  type Enrolment,
} from '../support/participant-writes.js';

/**
 * The lägesrapport's rows are kept per instance and read incrementally: what another instance
 * writes or removes shows in the next report, exactly as a fresh instance would count it.
 */
const person = (n: number, overrides: Partial<Enrolment> = {}): Enrolment => ({
  lansdelId: n % 2 === 0 ? 'norra' : 'sodra',
  gender: (['kvinna', 'man', 'annat'] as const)[n % 3]!,
  consent: n % 4 !== 0,
  ageGroup: (['under30', '30-49', '50+'] as const)[n % 3]!,
  kommun: n % 2 === 0 ? 'Strängnäs' : 'Flen',
  enrolledOn: `2026-0${1 + (n % 5)}-1${n % 10}`,
  requestId: `req-rows-${String(n).padStart(4, '0')}`,
  ...overrides,
});
const goneRows = async (client: Awaited<ReturnType<typeof participantWorld>>['client']) => {
  const codes: string[] = [];
  const filter = odata`RowKey ge ${`${REMOVAL_PREFIX}|`} and RowKey lt ${`${REMOVAL_PREFIX}}`}`;
  for await (const row of client.listEntities({ queryOptions: { filter } })) {
    codes.push(String(row.code));
  }
  return codes.sort();
};

/**
 * Two participants in Norra (Gnesta, then Trosa) and a copy of the report rows whose reads do not
 * yet see Gnesta's rows, though they were stamped earlier, until `reveal()`. Storage answers with
 * its own clock in whole seconds; here to the millisecond, after the rows were stamped, as a read
 * a moment later would.
 */
async function lateRowWorld(overlapMs?: number) {
  const { instance, client } = await participantWorld();
  const writer = instance();
  const late = await enrol(writer, person(1, { kommun: 'Gnesta', lansdelId: 'norra' }));
  await enrol(writer, person(2, { kommun: 'Trosa' }));
  const hidden = new Set([late]);
  const real = tableQuery(client);
  const query: RowQuery = async (filter, select, onRows) => {
    await real(filter, select, (rows) =>
      onRows(rows.filter((row) => !hidden.has(String(row.code)))),
    );
    return { serverTime: Date.now() };
  };
  const copy = participantReportRows({
    client,
    ready: async () => 0,
    now: () => new Date(),
    query,
    ...(overlapMs === undefined ? {} : { overlapMs }),
  });
  const kommuner = async () => (await copy.rows('norra')).map((r) => r.kommun).sort();
  return { kommuner, reveal: () => hidden.clear() };
}

describe('lägesrapport rows kept per instance', () => {
  it('when another instance enrols and records steps and outcomes after a first report, then the next report of the first shows them', async () => {
    const { instance } = await participantWorld();
    const reader = instance();
    const writer = instance();
    const early = await enrol(writer, person(0));
    expect(await reader.reportRows('norra')).toHaveLength(1);

    const later = await enrol(writer, person(2, { enrolledOn: '2026-03-01' }));
    await recordStep(writer, early, 'kartlaggning', '2026-04-01');
    await recordStep(writer, early, 'arbeteSubventionerad', '2026-05-02');
    await recordStep(writer, later, 'studier', '2026-04-20');

    const rows = await reader.reportRows('norra');
    expect(sortedRows(rows)).toEqual(sortedRows(await instance().reportRows('norra')));
    const byStart = [...rows].sort((a, b) => a.enrolledOn.localeCompare(b.enrolledOn));
    expect(byStart.map((r) => r.outcomes)).toEqual([
      [{ step: 'arbeteSubventionerad', on: '2026-05-02' }],
      [{ step: 'studier', on: '2026-04-20' }],
    ]);
    expect(await reader.reportRows('sodra')).toEqual([]);
  });

  it('when another instance removes a participant, then it vanishes from the first instance’s next report and a mark stays in its place', async () => {
    const { instance, client } = await participantWorld();
    const reader = instance();
    const writer = instance();
    const kept = await enrol(writer, person(1, { kommun: 'Eskilstuna', lansdelId: 'norra' }));
    const gone = await enrol(writer, person(2, { kommun: 'Strängnäs' }));
    await recordStep(writer, gone, 'avbrott', '2026-04-02');
    expect((await reader.reportRows('norra')).map((r) => r.kommun).sort()).toEqual([
      'Eskilstuna',
      'Strängnäs',
    ]);

    await writer.remove(gone);

    expect((await reader.reportRows('norra')).map((r) => r.kommun)).toEqual(['Eskilstuna']);
    expect(await writer.get(gone)).toBeUndefined();
    expect(await writer.get(kept)).toBeDefined();
    expect(await goneRows(client)).toEqual([gone]);
  });

  it('when 200 enrolments, outcome steps, back-dated steps and removals are made by another instance, then the cached instance reports exactly what a fresh one does', async () => {
    const { instance } = await participantWorld();
    const reader = instance();
    const writer = instance();
    const random = seeded(20260514);
    const codes: string[] = [];
    for (let n = 0; n < 12; n++) codes.push(await enrol(writer, person(n)));
    expect((await allRows(reader)).length).toBe(12);
    const recordable = STEPS.filter((s) => s !== 'inskrivning') as Step[];
    let enrolled = 12;
    for (let change = 0; change < 200; change++) {
      const roll = random.next();
      if (roll < 0.25 || codes.length < 3) {
        codes.push(await enrol(writer, person(enrolled++)));
      } else if (roll < 0.75) {
        const code = random.pick(codes);
        await recordStep(
          writer,
          code,
          random.pick(recordable),
          `2026-05-${random.between(10, 28)}`,
        );
      } else if (roll < 0.92) {
        const code = random.pick(codes);
        await recordStep(writer, code, random.pick(recordable), `2026-0${random.between(1, 4)}-15`);
      } else {
        const code = codes.splice(random.between(0, codes.length - 1), 1)[0]!;
        await writer.remove(code);
      }
      if (change % 23 === 0) await allRows(reader);
    }

    const cached = await allRows(reader);
    expect(cached).toEqual(await allRows(instance()));
    expect(cached).toHaveLength(codes.length);
    expect(cached.some((row) => row.includes('"outcomes":[{'))).toBe(true);
  });

  it('when a report counts every länsdel, then one query brings their rows, each länsdel lists only its own, and the next report asks only for what changed', async () => {
    const { instance, client } = await participantWorld();
    const writer = instance();
    await enrol(writer, person(2));
    const flen = await enrol(writer, person(1));
    await enrol(writer, person(6));
    const filters: string[] = [];
    const real = tableQuery(client);
    const copy = participantReportRows({
      client,
      ready: async () => 0,
      now: () => new Date(),
      query: (filter, select, onRows) => {
        filters.push(filter);
        return real(filter, select, onRows);
      },
    });
    const both = () => Promise.all([copy.rows('norra'), copy.rows('sodra')]);

    const [norra, sodra] = await both();
    expect(filters).toHaveLength(1);
    expect(filters[0]).not.toContain('PartitionKey');
    expect(norra.map((r) => r.kommun)).toEqual(['Strängnäs', 'Strängnäs']);
    expect(sodra.map((r) => r.kommun)).toEqual(['Flen']);

    await recordStep(writer, flen, 'studier', '2026-05-20');
    const [norraAgain, sodraAgain] = await both();
    expect(filters).toHaveLength(2);
    expect(filters[1]).toContain('Timestamp ge');
    expect(norraAgain).toEqual(norra);
    expect(sodraAgain[0]!.outcomes).toEqual([{ step: 'studier', on: '2026-05-20' }]);
  });

  it('when the rows arrive a page at a time, one row per page and in reverse order, then the report counts what one page would', async () => {
    const { instance, client } = await participantWorld();
    const writer = instance();
    const codes: string[] = [];
    for (let n = 0; n < 8; n++) codes.push(await enrol(writer, person(n)));
    await recordStep(writer, codes[1]!, 'studier', '2026-05-20');
    await recordStep(writer, codes[2]!, 'avbrott', '2026-05-21');
    await writer.remove(codes[2]!);
    await writer.remove(codes[5]!);
    const real = tableQuery(client);
    const copy = participantReportRows({
      client,
      ready: async () => 0,
      now: () => new Date(),
      query: async (filter, select, onRows) => {
        const rows: Record<string, unknown>[] = [];
        const read = await real(filter, select, (page) => rows.push(...page));
        for (const row of rows.reverse()) onRows([row]);
        return read;
      },
    });
    const paged = sortedRows((await Promise.all(LANSDELAR.map((id) => copy.rows(id)))).flat());
    expect(paged).toEqual(await allRows(instance()));
    expect(paged).toHaveLength(6);
  });

  it('when a row with a server time just before the newest seen becomes visible only after that read, then the next read still finds it', async () => {
    const { kommuner, reveal } = await lateRowWorld();
    expect(await kommuner()).toEqual(['Trosa']);
    reveal();
    expect(await kommuner()).toEqual(['Gnesta', 'Trosa']);
  });

  it('when storage answers a query, then its own time (the Date header) comes with the rows', async () => {
    const { instance, client } = await participantWorld();
    await enrol(instance(), person(1, { lansdelId: 'norra' }));
    const before = Date.now();
    const rows: unknown[] = [];
    const read = await tableQuery(client)(`PartitionKey eq 'norra'`, ['RowKey'], (page) =>
      rows.push(...page),
    );
    expect(rows.length).toBeGreaterThan(0);
    // Whole seconds, from the same machine's clock.
    expect(read.serverTime).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(read.serverTime).toBeLessThanOrEqual(Date.now());
  });

  it('when the overlap is zero, then such a row is lost (what the overlap is for)', async () => {
    const { kommuner, reveal } = await lateRowWorld(0);
    await kommuner();
    reveal();
    expect(await kommuner()).toEqual(['Trosa']);
  });

  it('when a copy is older than the refresh age, then it is read in full again and a row deleted without a mark is gone', async () => {
    const start = Date.parse('2026-05-04T09:00:00Z');
    const clock = { at: start };
    const { instance, client } = await participantWorld();
    const reader = instance(() => new Date(clock.at));
    const writer = instance();
    const code = await enrol(writer, person(0));
    await enrol(writer, person(2));
    expect(await reader.reportRows('norra')).toHaveLength(2);
    await client.deleteEntity('norra', `h|${code}`);

    clock.at = start + REPORT_REFRESH_MS - 1;
    expect(await reader.reportRows('norra')).toHaveLength(2);
    clock.at = start + REPORT_REFRESH_MS;
    expect(await reader.reportRows('norra')).toHaveLength(1);
  });

  it('when removal marks are older than the refresh age, then the daily sweep purges them and keeps the younger ones', async () => {
    const start = Date.parse('2026-05-04T09:00:00Z');
    const clock = { at: start };
    const { instance, client } = await participantWorld({ now: () => new Date(clock.at) });
    const repo = instance();
    const old = await enrol(repo, person(0));
    const young = await enrol(repo, person(1));
    await repo.remove(old);
    clock.at = start + 60 * 60_000;
    await repo.remove(young);

    clock.at = start + REMOVAL_KEEP_MS - 1;
    await repo.oldMarkers(new Date(clock.at - 30 * 86_400_000), true);
    expect(await goneRows(client)).toEqual([old, young].sort());

    clock.at = start + REMOVAL_KEEP_MS + 1;
    expect(await repo.oldMarkers(new Date(clock.at - 30 * 86_400_000), false)).toBe(0);
    expect(await goneRows(client)).toEqual([old, young].sort());
    await repo.oldMarkers(new Date(clock.at - 30 * 86_400_000), true);
    expect(await goneRows(client)).toEqual([young]);
  });

  it('when reports are asked for at once on one instance, then each answers the same rows', async () => {
    const { instance } = await participantWorld();
    const reader = instance();
    const writer = instance();
    for (let n = 0; n < 4; n++) await enrol(writer, person(n * 2));
    const answers = await Promise.all(Array.from({ length: 5 }, () => reader.reportRows('norra')));
    for (const answer of answers) expect(sortedRows(answer)).toEqual(sortedRows(answers[0]!));
    expect(answers[0]).toHaveLength(4);
  });

  it('when the removal prefix is checked against the row kinds, then only kinds in use clash', () => {
    expect(clashesWithRowKinds(REMOVAL_PREFIX)).toBe(false);
    for (const taken of ['h', 'e', 'o', 'audit', 'req'])
      expect(clashesWithRowKinds(taken)).toBe(true);
  });
});
