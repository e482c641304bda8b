import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closeCase } from '../../src/cases/use-cases/close-case.js';
import { submitCase } from '../../src/cases/use-cases/submit-case.js';
import { createLogger } from '../../src/log.js';
import { closedCaseRetention } from '../../src/cases/case-retention.js';
import { RetentionService } from '../../src/retention/retention.service.js';
import { auditTable } from '../../src/storage/audit-table.js';
import { auditRetention, retentionLeaseTable } from '../../src/storage/retention-tables.js';
import { admin, caseWorld, fk, samordnare } from '../support/case-fixtures.js';

type World = Awaited<ReturnType<typeof caseWorld>>;

async function closedCase(world: World) {
  const { snapshot } = await submitCase(world.cases.deps, fk, '19:gallring@thread.tacv2', {
    requestId: randomUUID(),
    reason: 'Behöver stöd',
    request: 'arbetstraning',
    urgency: 'normal',
    consent: true,
  });
  await closeCase(world.cases.deps, samordnare, { code: snapshot.value.code, key: randomUUID() });
  return snapshot.value.code;
}

const service = (world: World, instanceId: string) =>
  new RetentionService({
    sources: [closedCaseRetention(world.store), auditRetention(world.tables, [world.store])],
    registers: [],
    periods: { closedCases: 365, audit: 3650 },
    leases: retentionLeaseTable(world.tables, world.clock.now),
    audit: auditTable(world.tables),
    now: world.clock.now,
    instanceId,
    dailyAt: '03:00',
    logger: createLogger('silent'),
  });

describe('gallring of cases', () => {
  it('when two instances reach the daily time, then only the one that claims the lease runs, not before the time, and the closed cases become statistics', async () => {
    const world = await caseWorld({ start: '2027-03-01T08:00:00Z' });
    const codes = await Promise.all([closedCase(world), closedCase(world), closedCase(world)]);
    world.clock.set('2029-05-02T00:30:00Z');
    expect(await service(world, 'a').runDaily()).toBeUndefined();
    world.clock.set('2029-05-02T01:30:00Z');
    const [a, b] = await Promise.all([
      service(world, 'a').runDaily(),
      service(world, 'b').runDaily(),
    ]);
    expect([a, b].filter((run) => run !== undefined)).toHaveLength(1);
    const ran = (a ?? b)!;
    expect(ran.find((line) => line.kind === 'closedCases')?.counts.anonymised).toBe(3);
    expect(await service(world, 'c').runDaily()).toBeUndefined();
    for (const code of codes) expect(await world.store.get(code)).toBeUndefined();
    expect(await world.store.statistics()).toHaveLength(3);
    expect(await service(world, 'c').preview(admin)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'closedCases', counts: { removed: 0, anonymised: 0 } }),
      ]),
    );
  });

  it('when audit entries are older than their period, then preview counts and purge removes only those, in the shared log and in the cases’ own logs', async () => {
    const world = await caseWorld({ start: '2020-01-10T08:00:00Z' });
    const audit = auditTable(world.tables);
    const entry = (at: string) => ({
      at,
      actorId: 'system',
      action: 'test.entry',
      subjectType: 'test',
      subjectId: 'gallring',
    });
    await audit.append(entry('2020-01-01T00:00:00.000Z'));
    await audit.append(entry('2029-01-01T00:00:00.000Z'));
    const old = await closedCase(world);
    world.clock.set('2029-01-01T08:00:00Z');
    const fresh = await closedCase(world);
    const source = auditRetention(world.tables, [world.store]);
    const cutoff = new Date('2021-01-01T00:00:00Z');
    expect(await source.preview(cutoff)).toEqual({ removed: 3, anonymised: 0 });
    expect(await source.purge(cutoff)).toEqual({ removed: 3, anonymised: 0 });
    expect((await audit.forSubject('test', 'gallring')).map((e) => e.at)).toEqual([
      '2029-01-01T00:00:00.000Z',
    ]);
    expect((await world.store.log(old, { limit: 10 })).entries).toEqual([]);
    expect((await world.store.log(fresh, { limit: 10 })).entries).toHaveLength(2);
    expect(await source.preview(cutoff)).toEqual({ removed: 0, anonymised: 0 });
  });
});
