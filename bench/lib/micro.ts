/**
 * In-process micro-benchmarks: two ways of doing the same work, measured interleaved in one process
 * (bench/update-cost.ts, bench/profile/reconnect-cpu.ts). Too small for a case of the harness.
 */
import { quantile } from './stats.ts';

export const SAMPLES = 40;

function microsPerCall(run: () => unknown, batch: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) run();
  return Number(process.hrtime.bigint() - start) / 1000 / batch;
}

/** Calls per sample so that a sample of the slower side takes about 20 ms (at least one call). */
function batchFor(run: () => unknown): number {
  for (let i = 0; i < 20; i++) run(); // warm up
  const micros = microsPerCall(run, 20);
  return Math.max(1, Math.min(2000, Math.round(20_000 / Math.max(micros, 0.01))));
}

/** Prints the median µs per call of `before` and `after`, sampled alternately, and their ratio (nothing when `quiet`: a warm-up pass). */
export function compare(label: string, before: () => unknown, after: () => unknown, quiet = false): void {
  const batch = Math.min(batchFor(before), batchFor(after));
  const b: number[] = [];
  const a: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    b.push(microsPerCall(before, batch));
    a.push(microsPerCall(after, batch));
  }
  if (quiet) return;
  const mb = quantile(b, 0.5);
  const ma = quantile(a, 0.5);
  const show = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);
  console.log(`${label.padEnd(44)} before ${show(mb).padStart(10)}   after ${show(ma).padStart(10)}   after/before ${(ma / mb).toFixed(3)}`);
}
