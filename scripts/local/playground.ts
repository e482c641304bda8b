import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tenant and users of `.m365agentsplayground.yml` (kept equal by a test). */
export const PLAYGROUND_TENANT_ID = '6f1c2a44-5b7e-4d0e-9a6b-0c3f8e2d1a55';
export const PLAYGROUND_USERS = [
  { id: 'user-anna', name: 'Anna Samordnare', aadObjectId: '8a1e3c52-0001-4c6e-9d1a-5b2f7e4a0001' },
  {
    id: 'user-erik',
    name: 'Erik Försäkringskassan',
    aadObjectId: '8a1e3c52-0002-4c6e-9d1a-5b2f7e4a0002',
  },
  {
    id: 'user-maria',
    name: 'Maria Psykiatrin',
    aadObjectId: '8a1e3c52-0003-4c6e-9d1a-5b2f7e4a0003',
  },
  {
    id: 'user-jonas',
    name: 'Jonas Arbetsförmedlingen',
    aadObjectId: '8a1e3c52-0004-4c6e-9d1a-5b2f7e4a0004',
  },
  { id: 'user-sara', name: 'Sara Kommunen', aadObjectId: '8a1e3c52-0005-4c6e-9d1a-5b2f7e4a0005' },
  { id: 'user-leila', name: 'Leila Coach', aadObjectId: '8a1e3c52-0006-4c6e-9d1a-5b2f7e4a0006' },
] as const;

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const playgroundConfigPath = join(projectRoot, '.m365agentsplayground.yml');

export interface RunningPlayground {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  readonly botEndpoint: string;
  /** Preferred port; the Playground falls back to a free one when it is taken. */
  readonly port: number;
  readonly startTimeoutMs?: number;
}

/**
 * Starts the Microsoft 365 Agents Playground (the local Teams client) as a child process and
 * resolves once it listens. A broken config makes the Playground exit; the reason is then taken
 * from its output and log file and thrown.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const require = createRequire(import.meta.url);
  const cli = join(
    dirname(require.resolve('@microsoft/m365agentsplayground/package.json')),
    'cli.js',
  );
  const logDir = join(projectRoot, 'devTools');
  mkdirSync(logDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      cli,
      'start',
      '--disable-telemetry',
      '-e',
      options.botEndpoint,
      '-c',
      'msteams',
      '-p',
      String(options.port),
    ],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: playgroundConfigPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: join(logDir, 'm365agentsplayground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const port = await waitForListening(child, options.startTimeoutMs ?? 30_000);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error(`Agents Playground did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const listening = /Listening on (\d+)/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        // A config error is reported right after listening starts; give it a moment to surface.
        setTimeout(() => {
          if (child.exitCode === null && !/error Failed to start/.test(output)) {
            child.stdout?.off('data', onData);
            child.stderr?.off('data', onData);
            child.stdout?.resume();
            child.stderr?.resume();
            resolvePort(Number(listening[1]));
          }
        }, 500);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const reason = output
        .split('\n')
        .filter((line) => line.startsWith('error'))
        .join('\n');
      reject(new Error(`Agents Playground exited (code ${code}):\n${reason || output}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}
