import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { projectRoot } from '../../scripts/local/playground.js';

export interface BotProcess {
  readonly pid: number;
  readonly url: string;
  /** Every JSON log line the process wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Ends the process with a signal and waits for it to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Resident memory now and at its peak, in MiB (Linux). */
  memory(): { rssMiB: number; peakMiB: number };
}

/** How production starts the bot, without a build step: `src/index.ts` through tsx. */
export const SOURCE_ENTRY = ['--import', 'tsx', 'src/index.ts'];

/**
 * Starts the bot as its own process, exactly as production does (`src/index.ts` reading its
 * environment), and resolves once it listens. Several of these on one storage are the
 * "several instances" of a scaled-out deployment.
 */
export async function startBotProcess(
  env: Record<string, string>,
  timeoutMs = 45_000,
  args: readonly string[] = SOURCE_ENTRY,
): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, [...args], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The bot process did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.event === 'app.started') {
          clearTimeout(timer);
          resolve(Number(entry.port));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The bot process exited (code ${code}): ${stderr}`));
    });
  });

  const statusKiB = (field: string) => {
    const line = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN);
  };
  return {
    pid: child.pid!,
    memory: () => ({
      rssMiB: Math.round(statusKiB('VmRSS') / 1024),
      peakMiB: Math.round(statusKiB('VmHWM') / 1024),
    }),
    url: `http://127.0.0.1:${port}`,
    logs,
    kill: (signal) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
