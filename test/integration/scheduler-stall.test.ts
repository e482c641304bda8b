import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DeliveryOutcome } from '../../src/bot/delivery.js';
import { ServerLifecycle } from '../../src/http/lifecycle.js';
import { createHttpApp, type HttpDeps } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { defaultSchedulerSettings, ReminderScheduler } from '../../src/reminders/scheduler.js';
import { reminderTable } from '../../src/storage/reminder-table.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { until } from '../support/teams-client.js';
import { uniquePrefix } from '../support/test-bot.js';

/**
 * A scheduler held up by something without a timeout must show on `/readyz`, so the platform
 * can replace the instance. Real storage and the real HTTP route; the send is our own seam,
 * made to hang here, since every real outbound call has a timeout.
 */
const logger = createLogger('silent');
let server: Server;
let url = '';
const lifecycle = new ServerLifecycle();
let release: () => void = () => undefined;
const hanging = new Promise<void>((resolve) => (release = resolve));
let scheduler: ReminderScheduler;

beforeAll(async () => {
  const store = createTableStore(
    { kind: 'connectionString', connectionString: inject('tableConnectionString') },
    uniquePrefix(),
  );
  await store.ensureTables();
  const reminders = reminderTable(store);
  const now = new Date();
  await reminders.create({
    id: 'test.stall.1',
    kind: 'custom',
    conversationId: '19:fast@thread.tacv2',
    dueAt: new Date(now.getTime() - 1_000).toISOString(),
    title: 'Fastnar',
    text: '',
    ownerId: '29:anna',
    state: 'scheduled',
    attempts: 0,
    createdAt: now.toISOString(),
    createdBy: '29:anna',
  });
  scheduler = new ReminderScheduler({
    reminders,
    deliver: async (): Promise<DeliveryOutcome> => {
      await hanging;
      return { kind: 'sent', activityId: 'a-1' };
    },
    report: async () => undefined,
    guarantees: async () => new Map(),
    now: () => new Date(),
    instanceId: 'stall-test',
    logger,
    settings: {
      ...defaultSchedulerSettings,
      leaseMs: 1_000,
      sendTimeoutMs: 500,
      storageAllowanceMs: 500,
    },
  });
  const deps = { logger, lifecycle, checkStorage: () => store.ping() };
  const app = createHttpApp(deps as unknown as HttpDeps);
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  lifecycle.markReady();
  lifecycle.watch('scheduler', () => !scheduler.stalled());
});

afterAll(async () => {
  release();
  await scheduler?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

const readyz = async () => {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string } };
};

describe('/readyz and a stalled scheduler', () => {
  it('when a tick is held up past what a tick may take, then /readyz answers 503 "scheduler", and 200 again once the loop moves', async () => {
    expect((await readyz()).status).toBe(200);
    scheduler.start(200);
    const started = Date.now();
    await until(async () => (await readyz()).status === 503, 20_000);
    const stalledAfter = Date.now() - started;
    expect((await readyz()).body.status).toBe('scheduler');
    release();
    await until(async () => (await readyz()).status === 200, 20_000);
    process.stdout.write(
      `stalled scheduler: /readyz 503 "scheduler" after ${stalledAfter} ms, 200 again once the tick ended\n`,
    );
    expect(stalledAfter).toBeGreaterThanOrEqual(1_500);
  });
});
