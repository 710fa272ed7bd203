/**
 * A preload for a measured server (bench/README.md, "Fan-out, part 12"): the garbage collector's pauses and how
 * late the event loop runs a timer — what a message arriving at a socket waits before the server reads it, and how
 * much of that is the collector. Only for diagnosis: its timer adds a little work to the server it measures.
 *
 *   LIANXIN_BENCH_SERVER_NODE_ARGS="--import tsx --import ./bench/profile/loop-pauses.ts" LOOP_PAUSES_OUT=/tmp/pauses \
 *     npx tsx bench/run.ts --only fan-out --runs 1
 *   npx tsx bench/profile/loop-pauses.ts /tmp/pauses.<pid>.json FROM-TO
 *
 * Each server process writes `$LOOP_PAUSES_OUT.<pid>.json` when it exits: every GC pause (start on the monotonic
 * clock in µs — the clock of the fan-out case's `--window` — kind, ms) and every lateness of a 5 ms timer (start,
 * ms). Run as a script with a file and a window, it prints per GC kind the count, total, p50 / p99 / max, and the
 * timer's lateness p50 / p90 / p99 / max, inside the window.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

interface Recorded {
  /** [start µs monotonic, kind, ms] */
  readonly gc: [number, number, number][];
  /** [start µs monotonic, ms late] */
  readonly late: [number, number][];
}

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
const TICK_MS = 5;

const out = process.env.LOOP_PAUSES_OUT;
const [file, window] = process.argv.slice(2);
if (file?.endsWith('.json') && window) report(JSON.parse(readFileSync(file, 'utf8')) as Recorded, window.split('-').map(Number));
else if (out) record(out);

function record(prefix: string): void {
  // performance.now() 0 on the monotonic clock (process.hrtime), in µs.
  const origin = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
  const recorded: Recorded = { gc: [], late: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      recorded.gc.push([Math.round(origin + entry.startTime * 1000), entry.detail?.kind ?? -1, entry.duration]);
    }
  }).observe({ entryTypes: ['gc'] });
  let due = performance.now() + TICK_MS;
  const tick = (): void => {
    const now = performance.now();
    recorded.late.push([Math.round(origin + due * 1000), now - due]);
    due = now + TICK_MS;
    setTimeout(tick, TICK_MS).unref();
  };
  setTimeout(tick, TICK_MS).unref();
  process.on('exit', () => writeFileSync(`${prefix}.${process.pid}.json`, JSON.stringify(recorded)));
}

function report(recorded: Recorded, [from = 0, to = Number.POSITIVE_INFINITY]: number[]): void {
  const inside = (at: number): boolean => at >= from && at <= to;
  const q = (sorted: readonly number[], p: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(1);
  const byKind = new Map<string, number[]>();
  for (const [at, kind, ms] of recorded.gc) {
    if (!inside(at)) continue;
    const name = KINDS[kind] ?? `kind ${kind}`;
    byKind.set(name, [...(byKind.get(name) ?? []), ms]);
  }
  for (const [kind, list] of byKind) {
    const sorted = list.sort((a, b) => a - b);
    console.log(`${kind}: ${sorted.length} pauses, ${sorted.reduce((a, b) => a + b, 0).toFixed(0)} ms; p50 ${q(sorted, 0.5)} · p99 ${q(sorted, 0.99)} · max ${q(sorted, 1)} ms`);
  }
  const late = recorded.late.filter(([at]) => inside(at)).map(([, ms]) => ms).sort((a, b) => a - b);
  console.log(`a ${TICK_MS} ms timer, late by: p50 ${q(late, 0.5)} · p90 ${q(late, 0.9)} · p99 ${q(late, 0.99)} · max ${q(late, 1)} ms (${late.length} ticks)`);
}
