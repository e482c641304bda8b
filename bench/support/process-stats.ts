import { readFileSync, writeFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in milliseconds (Linux). */
export function cpuMs(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: the fields after it start past its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

const statusMiB = (pid: number | 'self', field: string) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024);
};

/**
 * Peak resident memory of a process over a stretch of work: `start()` resets the kernel's
 * high-water mark (`clear_refs` 5) and `peakMiB()` reads it (VmHWM), so each scenario reports
 * its own peak even when one process runs several.
 */
export function memoryWindow(pid: number | 'self') {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  return { peakMiB: () => statusMiB(pid, 'VmHWM') };
}

/** CPU and peak memory of `pid` over `work`: CPU in ms per action, peak RSS in MiB. */
export async function withUsage<T>(
  pid: number | 'self',
  work: () => Promise<T>,
  actions: (result: T) => number,
): Promise<{ result: T; cpuMsPerAction: number; peakMiB: number }> {
  const window = memoryWindow(pid);
  const before = cpuMs(pid);
  const result = await work();
  const used = cpuMs(pid) - before;
  const count = actions(result);
  return {
    result,
    cpuMsPerAction: count > 0 ? Math.round((used / count) * 10) / 10 : Number.NaN,
    peakMiB: window.peakMiB(),
  };
}
