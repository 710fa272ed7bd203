/**
 * In process: the back-online case's photos stored while the event loop is busy with a device's docs
 * (bench/README.md, "Back online, part 7"), their file work on the event loop (`PhotoStore` alone) against
 * in the photo thread (`PhotoThread`), rounds alternating. The docs are stood in for by turns of 2 ms of
 * synchronous work for the first `BUSY_MS`; each photo's rows' commit by an fsync of a file (the store's
 * WAL fsync, off the loop). 20 photos of 300 KB, the first alone, then two at a time (`PHOTOS_IN_FLIGHT`).
 *
 *   npx tsx bench/profile/photo-busy-loop.ts [rounds]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHOTOS_IN_FLIGHT } from '#shared/client/uploads.ts';
import { PhotoStore, sha256Hex } from '../../server/photos/photo-store.ts';
import { PhotoThread } from '../../server/photos/photo-thread.ts';
import { fsyncPath } from '../../server/store/fsync-path.ts';
import { quantile } from '../lib/stats.ts';

const BUSY_MS = Number(process.env.BUSY_MS ?? 80);
const TURN_MS = Number(process.env.TURN_MS ?? 2);
const rounds = Number(process.argv[2] ?? 7);

/** Turns of `TURN_MS` of synchronous work, one per check phase, for `ms`. */
function busyLoop(ms: number): Promise<void> {
  const until = performance.now() + ms;
  return new Promise((resolve) => {
    const turn = () => {
      const end = Math.min(until, performance.now() + TURN_MS);
      while (performance.now() < end);
      if (performance.now() < until) setImmediate(turn);
      else resolve();
    };
    setImmediate(turn);
  });
}

/** This process's main thread's CPU time (ms; /proc/self/schedstat is the thread group leader's). */
const mainCpuMs = (): number => Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[0]) / 1e6;

async function round(photos: PhotoStore, rowsFile: string): Promise<{ first: number; all: number; cpu: number }> {
  const batch = Array.from({ length: 20 }, () => {
    const bytes = new Uint8Array(randomBytes(300 * 1024));
    return { bytes, sha: sha256Hex(bytes) };
  });
  const started = performance.now();
  const cpuFrom = mainCpuMs();
  const busy = busyLoop(BUSY_MS);
  const put = ({ sha, bytes }: (typeof batch)[number]) => photos.put(sha, bytes, () => fsyncPath(rowsFile));
  const [first, ...rest] = batch;
  await put(first!);
  const firstMs = performance.now() - started;
  let next = 0;
  const lane = async () => {
    while (next < rest.length) await put(rest[next++]!);
  };
  await Promise.all(Array.from({ length: PHOTOS_IN_FLIGHT }, lane));
  const all = performance.now() - started;
  await busy;
  return { first: firstMs, all, cpu: mainCpuMs() - cpuFrom - BUSY_MS };
}

const dir = await mkdtemp(join(tmpdir(), 'lianxin-photo-busy-'));
const rowsFile = join(dir, 'rows');
await writeFile(rowsFile, 'rows');
const thread = new PhotoThread();
thread.start();
const sides = { loop: new PhotoStore(join(dir, 'loop')), thread: new PhotoStore(join(dir, 'thread'), undefined, thread) };
const figures = { loop: { first: [] as number[], all: [] as number[], cpu: [] as number[] }, thread: { first: [] as number[], all: [] as number[], cpu: [] as number[] } };
try {
  await round(sides.loop, rowsFile); // warm-up, both
  await round(sides.thread, rowsFile);
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? (['loop', 'thread'] as const) : (['thread', 'loop'] as const)) {
      const { first, all, cpu } = await round(sides[side], rowsFile);
      figures[side].cpu.push(cpu);
      figures[side].first.push(first);
      figures[side].all.push(all);
    }
  }
} finally {
  await thread.close();
  await rm(dir, { recursive: true, force: true });
}
const med = (xs: number[]) => quantile(xs, 0.5).toFixed(1);
console.log(`${rounds} rounds each, medians; the event loop busy for the first ${BUSY_MS} ms in turns of ${TURN_MS} ms`);
for (const side of ['loop', 'thread'] as const) {
  console.log(`${side.padEnd(7)} first photo ${med(figures[side].first).padStart(6)} ms   20 photos ${med(figures[side].all).padStart(6)} ms   main thread's CPU beyond the busy turns ${med(figures[side].cpu).padStart(6)} ms   (${figures[side].all.map((x) => x.toFixed(0)).join(', ')})`);
}
console.log(`thread/loop: first ${(quantile(figures.thread.first, 0.5) / quantile(figures.loop.first, 0.5)).toFixed(2)}, 20 photos ${(quantile(figures.thread.all, 0.5) / quantile(figures.loop.all, 0.5)).toFixed(2)}`);
