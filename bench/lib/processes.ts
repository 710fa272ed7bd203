/** What the bench reads about a server process from outside: memory, CPU, its /metrics. */
import { readFileSync } from 'node:fs';
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
