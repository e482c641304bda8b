import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/access.schema.js';
import { AppError } from '../../src/errors.js';
import { statusView } from '../../src/status/status.cards.js';
import type { StatusQueries } from '../../src/status/status.repository.js';
import { StatusService } from '../../src/status/status.service.js';

const now = new Date('2026-11-23T08:00:00Z');
const admin: Principal = {
  userId: '29:anna',
  tenantId: 't',
  roles: ['admin'],
  configuredAdmin: true,
};
const samordnare: Principal = { ...admin, roles: ['samordnare'], configuredAdmin: false };

function service(queries: Partial<StatusQueries>) {
  const asked: { from?: Date; to?: Date } = {};
  const full: StatusQueries = {
    ping: async () => undefined,
    pendingReminders: async (from, to) => {
      asked.from = from;
      asked.to = to;
      return 3;
    },
    staleConversations: async () => 0,
    ...queries,
  };
  const status = new StatusService({
    queries: full,
    version: '1.2.3',
    env: 'production',
    telemetry: true,
    now: () => now,
  });
  return { status, asked };
}

describe('the status report', () => {
  it('when storage answers, then reminders are counted from now and 24 hours ahead', async () => {
    const { status, asked } = service({});
    const report = await status.report(admin);
    expect(report).toMatchObject({ storageReachable: true, pendingReminders: 3, version: '1.2.3' });
    expect(asked.from).toEqual(now);
    expect(asked.to).toEqual(new Date('2026-11-24T08:00:00Z'));
  });

  it('when the ping fails, then storage is reported unreachable and the counts unknown', async () => {
    const { status } = service({ ping: () => Promise.reject(new Error('ECONNREFUSED')) });
    const view = statusView(await status.report(admin));
    expect(view.facts).toContainEqual({ title: 'Lagring', value: 'svarar inte' });
    expect(view.facts).toContainEqual({
      title: 'Påminnelser närmaste 24 h',
      value: 'okänt (lagringen svarar inte)',
    });
    expect(view.healthy).toBe(false);
  });

  it('when storage fails between the ping and the counts, then it is reported unreachable', async () => {
    const { status } = service({
      staleConversations: () => Promise.reject(new AppError('storage-unavailable')),
    });
    expect(await status.report(admin)).toMatchObject({ storageReachable: false });
    expect((await status.report(admin)).pendingReminders).toBeUndefined();
  });

  it('when a count fails for another reason, then the error is not hidden', async () => {
    const { status } = service({ staleConversations: () => Promise.reject(new Error('bug')) });
    await expect(status.report(admin)).rejects.toThrow('bug');
  });

  it('when a samordnare asks, then it is refused', async () => {
    const { status } = service({});
    await expect(status.report(samordnare)).rejects.toMatchObject({ reason: 'forbidden' });
  });

  it('when one reminder waits and telemetry is on, then the card says so in Swedish', async () => {
    const { status } = service({ pendingReminders: async () => 1 });
    const view = statusView(await status.report(admin));
    expect(view.facts).toContainEqual({
      title: 'Påminnelser närmaste 24 h',
      value: '1 påminnelse väntar',
    });
    expect(view.facts).toContainEqual({
      title: 'Telemetri',
      value: 'skickas till Application Insights',
    });
    expect(view.facts).toContainEqual({ title: 'Miljö', value: 'produktion' });
  });
});
