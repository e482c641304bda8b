import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One storage request as it passed the proxy. */
export interface ProxiedRequest {
  /** Arrival, in epoch milliseconds with a fraction (`performance.timeOrigin` based). */
  readonly at: number;
  readonly method: string;
  /** The table addressed; for a batch, `$batch <table of its first operation>`. */
  table: string;
  /** How long the request took until its answer was sent on, in milliseconds. */
  ms?: number;
}

export interface CountingProxy {
  readonly port: number;
  /** Storage requests forwarded so far (one per table operation; a batch counts once). */
  readonly count: number;
  /** Every request so far, in arrival order (index = count before it arrived). */
  readonly requests: readonly ProxiedRequest[];
  /** Resolves once no request is in flight and none has started or ended for `idleMs`. */
  quiet(idleMs?: number, maxMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The table of a request path: `/devstoreaccount1/<Table>(…)` or `/devstoreaccount1/<Table>?…`. */
const tableOf = (path: string) => /^\/[^/]+\/([^(?/]+)/.exec(decodeURIComponent(path))?.[1] ?? path;

/**
 * An HTTP proxy in front of Azurite that counts and logs the requests passing through, so the
 * benchmark can report table operations per user action, and which ones, without touching the
 * bot's code.
 */
export async function startCountingProxy(targetPort: number): Promise<CountingProxy> {
  const requests: ProxiedRequest[] = [];
  let inFlight = 0;
  let lastActivity = performance.now();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    const entry: ProxiedRequest = {
      at: performance.timeOrigin + performance.now(),
      method: req.method ?? '?',
      table: tableOf(req.url ?? ''),
    };
    requests.push(entry);
    inFlight++;
    lastActivity = performance.now();
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      entry.ms = performance.timeOrigin + performance.now() - entry.at;
      inFlight--;
      lastActivity = performance.now();
    };
    res.once('close', settle);
    if (entry.table === '$batch') {
      let head = '';
      req.on('data', (chunk: Buffer) => {
        if (head.length > 4_096 || entry.table !== '$batch') return;
        head += chunk.toString('utf8');
        const inner = /https?:\/\/[^/\s]+\/[^/\s]+\/([A-Za-z0-9]+)[(?\s]/.exec(head)?.[1];
        if (inner) entry.table = `$batch ${inner}`;
      });
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: targetPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get count() {
      return requests.length;
    },
    requests,
    async quiet(idleMs = 300, maxMs = 10_000) {
      const deadline = performance.now() + maxMs;
      while (performance.now() < deadline) {
        if (inFlight === 0 && performance.now() - lastActivity >= idleMs) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`Storage did not go quiet within ${maxMs} ms`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
