/** What the bench reads about a server process from outside: memory, CPU, its /metrics. */
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { histogramQuantile } from './stats.ts';

/** Resident memory of a process, in KB (Linux /proc). */
export function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

/** User + system CPU time of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU time a process's main thread has run, in ms (the first field of /proc/PID/schedstat, in ns: finer than
 * `cpuSeconds`' clock ticks, for a figure of tens of ms); null where /proc has no schedstat.
 */
export async function threadCpuMs(pid: number): Promise<number | null> {
  try {
    return Number((await readFile(`/proc/${pid}/schedstat`, 'utf8')).split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/** Memory settles after a burst: wait, then read. */
export async function settledRssKb(pid: number, waitMs = 1000): Promise<number> {
  await new Promise((r) => setTimeout(r, waitMs));
  return rssKb(pid);
}

/** A Prometheus histogram from /metrics text, as cumulative buckets (seconds). */
export function histogramBuckets(metrics: string, name: string): { le: number; count: number }[] {
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm');
  return [...metrics.matchAll(pattern)].map((m) => ({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), count: Number(m[2]) }));
}

/** p-quantile of a histogram in /metrics, in milliseconds. */
export function metricsQuantileMs(metrics: string, name: string, q: number): number {
  return histogramQuantile(histogramBuckets(metrics, name), q) * 1000;
}

/** CPU seconds of a process and of its children: its own, what it reaped (cutime, cstime), and its live children's own. */
export function treeCpuSeconds(pid: number): number {
  const fields = (p: number) => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const own = fields(pid);
  let total = (Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) / 100;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = fields(Number(entry));
      if (Number(f[1]) === pid) total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      // gone meanwhile: its time is in the parent's cutime once reaped
    }
  }
  return total;
}

/** The pid of the process whose command line contains `text` (e.g. redis-server's "127.0.0.1:6380"), or null. */
export function pidWithCommandLine(text: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(text)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}
