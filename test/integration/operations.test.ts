import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { message } from '../support/activities.js';
import { startTestBot, uniquePrefix } from '../support/test-bot.js';

/** A Bot Connector that holds every reply until released, so a turn stays in flight. */
class HoldingConnector {
  readonly replies: string[] = [];
  private waiting: (() => void)[] = [];
  private arrivals: (() => void)[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    const app = express();
    app.use(express.json());
    app.post(/.*/, (req, res) => {
      for (const arrived of this.arrivals.splice(0)) arrived();
      this.waiting.push(() => {
        this.replies.push(String((req.body as { type?: string }).type));
        res.status(200).json({ id: `reply-${this.replies.length}` });
      });
    });
    this.server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** Resolves when the bot's next reply reaches the connector (and is being held). */
  nextArrival(): Promise<void> {
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  release(): void {
    for (const answer of this.waiting.splice(0)) answer();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}

let connector: HoldingConnector;
beforeAll(async () => {
  connector = await new HoldingConnector().start();
});
afterAll(async () => {
  await connector.stop();
});

const readiness = async (url: string) => {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as unknown };
};

describe('readiness and graceful shutdown', () => {
  it('when the bot has started, then /readyz says ready', async () => {
    const bot = await startTestBot();
    try {
      expect(await readiness(bot.url)).toEqual({ status: 200, body: { status: 'ready' } });
    } finally {
      await bot.stop();
    }
  });

  it('when the bot stops during a turn, then /readyz says draining and the turn finishes before it closes', async () => {
    const bot = await startTestBot();
    const arrived = connector.nextArrival();
    const turn = bot.post(message('/hjälp', { serviceUrl: connector.url }));
    await arrived;

    let stopped = false;
    const stopping = bot.stop().then(() => (stopped = true));
    expect(await readiness(bot.url)).toEqual({ status: 503, body: { status: 'draining' } });
    expect(stopped).toBe(false);

    connector.release();
    expect((await turn).status).toBe(200);
    await stopping;
    expect(connector.replies).toContain('message');
    await expect(fetch(`${bot.url}/readyz`)).rejects.toThrow();
  });

  it('when a turn outlasts the shutdown grace, then the bot stops anyway and logs how many were cut off', async () => {
    const bot = await startTestBot({ SHUTDOWN_GRACE_SECONDS: '1' });
    const arrived = connector.nextArrival();
    const turn = bot.post(message('/hjälp', { serviceUrl: connector.url })).catch(() => 'cut off');
    await arrived;

    const started = Date.now();
    await bot.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await turn).toBe('cut off');
    const timeout = bot.logLines.find((line) => line.includes('app.drain.timeout'));
    expect(JSON.parse(timeout ?? '{}')).toMatchObject({ level: 'warn', inFlight: 1 });
    connector.release();
  });
});

describe('the pages the Teams app links to', () => {
  it('when Teams opens the privacy and terms links of the manifest, then Swedish pages answer', async () => {
    const bot = await startTestBot();
    try {
      const manifest = readFileSync('manifest/manifest.json', 'utf8');
      for (const [path, words] of [
        ['/integritet', 'inga personnummer, samordningsnummer eller namn på deltagare'],
        ['/villkor', 'Använd deltagarens kod'],
      ] as const) {
        expect(manifest).toContain(`https://\${{BOT_DOMAIN}}${path}`);
        const response = await fetch(`${bot.url}${path}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/text\/html; charset=utf-8/);
        expect(await response.text()).toContain(words);
      }
    } finally {
      await bot.stop();
    }
  });
});

describe('the process on SIGTERM', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('when App Service sends SIGTERM during a turn, then the turn is answered and the process exits 0', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        STORAGE_CONNECTION_STRING: inject('tableConnectionString'),
        TABLE_PREFIX: uniquePrefix(),
        SCHEDULER_ENABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    const port = await new Promise<number>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          lines.push(line);
          const event = JSON.parse(line) as { event?: string; port?: number };
          if (event.event === 'app.started' && event.port) resolve(event.port);
        }
      });
      void exited.then((code) => reject(new Error(`exited early with ${code}`)));
    });

    const arrived = connector.nextArrival();
    const turn = fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message('/hjälp', { serviceUrl: connector.url })),
    });
    await arrived;
    const repliesBefore = connector.replies.length;
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const readyz = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(readyz.status).toBe(503);

    connector.release();
    expect((await turn).status).toBe(200);
    expect(await exited).toBe(0);
    expect(connector.replies.length).toBe(repliesBefore + 1);
    const events = lines.map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toEqual(expect.arrayContaining(['app.stopping', 'app.stopped']));
  });
});
