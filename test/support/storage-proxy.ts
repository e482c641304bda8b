import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { azuriteConnectionString } from '../../scripts/local/azurite.js';

export interface StorageProxy {
  /** A connection string that reaches storage through the proxy. */
  readonly connectionString: string;
  /** Connections accepted since the start, and how many were refused during an outage. */
  readonly stats: { accepted: number; refused: number };
  /** Starts an outage: open connections are reset and new ones refused. */
  cut(): void;
  /**
   * Starts a silent outage: storage stops answering. Open connections are dropped and new ones
   * are accepted but never forwarded, as when packets to storage are lost.
   */
  stall(): void;
  /** Ends the outage: new connections reach storage again. */
  restore(): void;
  /**
   * Arms a one-shot fault for the next request whose first line matches `pattern` (e.g. a
   * `$batch`): `before` resets the connection without forwarding it (nothing reaches storage);
   * `after` forwards it and resets the connection when storage answers (it landed, the answer
   * is lost). `skip` lets that many matching requests through first. Resolves the returned
   * promise when the fault has fired.
   */
  cutOnce(pattern: RegExp, when: 'before' | 'after', skip?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The port of the `TableEndpoint` in an Azurite connection string. */
export function tablePortOf(connectionString: string): number {
  const port = /TableEndpoint=http:\/\/127\.0\.0\.1:(\d+)\//.exec(connectionString)?.[1];
  if (!port) throw new Error('The connection string has no loopback TableEndpoint');
  return Number(port);
}

/**
 * A TCP proxy on loopback between the bot and Azurite that can take storage away on demand, the
 * way a network partition or a storage outage looks to the bot: resets, then refused connects.
 */
export async function startStorageProxy(targetConnectionString: string): Promise<StorageProxy> {
  const targetPort = tablePortOf(targetConnectionString);
  const open = new Set<Socket>();
  const stats = { accepted: 0, refused: 0 };
  let down = false;
  let stalled = false;
  let armed:
    { pattern: RegExp; when: 'before' | 'after'; skip: number; fired: () => void } | undefined;
  const held = new Set<Socket>();

  const server: Server = createServer((client) => {
    if (stalled) {
      stats.refused++;
      held.add(client);
      client.on('error', () => held.delete(client)).on('close', () => held.delete(client));
      return;
    }
    if (down) {
      stats.refused++;
      client.resetAndDestroy();
      return;
    }
    stats.accepted++;
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const close = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    let dropAnswer = false;
    client.on('data', (chunk: Buffer) => {
      const fault = armed;
      const matches =
        fault && fault.pattern.test(chunk.toString('latin1', 0, Math.min(chunk.length, 512)));
      if (fault && matches && fault.skip > 0) {
        fault.skip--;
      } else if (fault && matches) {
        armed = undefined;
        if (fault.when === 'before') {
          client.resetAndDestroy();
          upstream.destroy();
          fault.fired();
          return;
        }
        dropAnswer = true;
        upstream.once('data', () => fault.fired());
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dropAnswer) {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    connectionString: azuriteConnectionString(port),
    stats,
    cut() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
      open.clear();
    },
    stall() {
      stalled = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    cutOnce(pattern, when, skip = 0) {
      return new Promise<void>((resolve) => {
        armed = { pattern, when, skip, fired: resolve };
      });
    },
    restore() {
      down = false;
      stalled = false;
      for (const socket of held) socket.destroy();
      held.clear();
    },
    async stop() {
      for (const socket of [...open, ...held]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
