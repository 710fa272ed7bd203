/**
 * A server's `--cpu-prof` profile cut to a window and split into the sync's stages (bench/README.md, "Back online,
 * part 9"): each sample goes to the first stage of the list below that any frame of its stack belongs to, so the
 * stages do not overlap and add up to the busy time (`cpuprofile.ts` gives inclusive times, which overlap).
 *
 *   npx tsx bench/profile/cpuprofile-stages.ts /tmp/prof/CPU.….cpuprofile FROM-TO
 *
 * FROM-TO: two readings of the monotonic clock in µs, as the back-online case logs them (`window`).
 */
import { readFileSync } from 'node:fs';
import type { Profile } from '../lib/cpuprofile-format.ts';

/** Stage → a pattern of `file:function url`; earlier stages win (the guard's SQLite reads are the guard's). */
const STAGES: readonly (readonly [string, string])[] = [
  ['photos (routes, file, rows)', 'photo'],
  ['indexer', 'indexer.ts'],
  ['doc load (onLoadDocument)', 'durable.ts:onLoadDocument'],
  ['guard + durable append (beforeHandleMessage)', 'durable.ts:beforeHandleMessage'],
  ['release, indexer notified (afterHandleMessage)', 'durable.ts:afterHandleMessage'],
  ['protocol: authentication', 'access.ts'],
  ['protocol: step-1 answer', 'sync.js:readSyncStep1'],
  ['step-2 apply (the update into the doc)', 'sync.js:readSyncStep2'],
  ['protocol: connection and doc set-up', 'hocuspocus-server.esm.js:createConnection'],
  ['protocol: connection and doc set-up', 'hocuspocus-server.esm.js:handleConnection'],
  ['protocol: connection and doc set-up', 'hocuspocus-server.esm.js:loadDocument'],
  ['protocol: awareness (the bench provider only)', 'awareness.js'],
  ['protocol: socket writes', 'ws/lib/sender'],
  ['protocol: socket writes', 'websocket.js:send'],
  ['protocol: socket writes', 'send-batches'],
  ['protocol: socket reads', 'ws/lib/receiver'],
  ['HTTP (other requests)', '_http_server'],
  ['SQLite (elsewhere)', 'sqlite.ts'],
  ['protocol: Hocuspocus message handling', 'hocuspocus-server.esm.js'],
];

const [file, range] = process.argv.slice(2);
const window = range?.split('-').map(Number);
if (!file || !window || window.length !== 2 || window.some((n) => !Number.isFinite(n))) throw new Error('usage: cpuprofile-stages.ts <file.cpuprofile> FROM-TO');
const [from, to] = window as [number, number];
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const stageOf = new Map<number, string>();
function stage(id: number): string {
  const known = stageOf.get(id);
  if (known !== undefined) return known;
  const frames: string[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const { url, functionName } = byId.get(at)!.callFrame;
    frames.push(`${url.split('/').at(-1)}:${functionName} ${url}`);
  }
  const leaf = byId.get(id)!.callFrame.functionName;
  const found =
    STAGES.find(([, pattern]) => frames.some((frame) => frame.includes(pattern)))?.[0] ??
    (leaf === '(idle)' ? 'idle' : leaf === '(garbage collector)' ? 'garbage collector' : leaf === '(program)' ? '(program)' : 'other');
  stageOf.set(id, found);
  return found;
}

const totals = new Map<string, number>();
let at = profile.startTime;
profile.samples.forEach((sample, i) => {
  at += profile.timeDeltas[i]!;
  if (at < from || at > to) return;
  const name = stage(sample);
  totals.set(name, (totals.get(name) ?? 0) + profile.timeDeltas[i]!);
});
const busy = [...totals].filter(([name]) => name !== 'idle').reduce((sum, [, us]) => sum + us, 0);
console.log(`${file}: ${((to - from) / 1000).toFixed(1)} ms window, ${(busy / 1000).toFixed(1)} ms busy`);
for (const [name, us] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`);
