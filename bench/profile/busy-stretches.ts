/**
 * The busy stretches of a `node --cpu-prof` profile's main thread (bench/README.md, "Fan-out, part 12"): consecutive
 * samples that are not `(idle)` joined into one stretch — time in which the event loop did not wait in its poll for
 * sockets, so a message arriving then waited unread at least until the stretch's current callback ended.
 *
 *   npx tsx bench/profile/busy-stretches.ts /tmp/prof/CPU.*.cpuprofile [--window FROM-TO] [--over MS] [name …]
 *
 * Prints the stretches' lengths (p50, p90, p99, max), the share of the busy time in stretches over `--over` ms (20 by
 * default), and for those long stretches: their time by the entry point of each sample's stack (the frame under
 * `(root)`: a timer, an immediate, a socket read, an fs callback, a resumed async function…) and the inclusive time
 * of the named functions (as in cpuprofile.ts: `name` or `file.ts:name`).
 *
 * A sample's time is the gap since the one before (as cpuprofile.ts counts it). On a loaded machine some gaps are
 * far longer than the sampling interval: the process, or the profiler's sampling thread, was off a core, and the
 * whole gap lands on whatever the next sample caught. Gaps over `--stall` ms (5 by default) are counted apart, as
 * stalls: the stretches are also given without them, and the long ones' contents by sample count.
 */
import { readFileSync } from 'node:fs';
import type { Profile, ProfileNode } from '../lib/cpuprofile-format.ts';

const args = process.argv.slice(2);
const take = (flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const windowArg = take('--window')?.split('-').map(Number);
const overMs = Number(take('--over') ?? 20);
const stallMs = Number(take('--stall') ?? 5);
const [file, ...named] = args;
if (!file) throw new Error('usage: busy-stretches.ts <file.cpuprofile> [--window FROM-TO] [--over MS] [name …]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const rootId = profile.nodes[0]!.id;

const shortUrl = (url: string): string => url.replace(/^file:\/\/.*?\/node_modules\//, '~/').replace(/^file:\/\/.*?\/(server|shared|bench)\//, '$1/');
const label = (n: ProfileNode): string => `${n.callFrame.functionName || '(anon)'} ${shortUrl(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
const matches = (name: string, node: ProfileNode): boolean => {
  const colon = name.lastIndexOf(':');
  if (colon < 0) return node.callFrame.functionName === name;
  return node.callFrame.functionName === name.slice(colon + 1) && node.callFrame.url.endsWith(`/${name.slice(0, colon)}`);
};
/** The frame right under `(root)`: what the event loop called to start this piece of work. */
const entryOf = (id: number): ProfileNode => {
  let at = id;
  for (let up = parent.get(at); up !== undefined && up !== rootId; up = parent.get(at)) at = up;
  return byId.get(at)!;
};

interface Sample {
  readonly id: number;
  readonly ms: number;
}
const stretches: Sample[][] = [];
let current: Sample[] = [];
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (windowArg && (at < windowArg[0]! || at > windowArg[1]!)) return;
  // A sample's delta is the time since the previous one: charged to this sample, as cpuprofile.ts does.
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  if (byId.get(id)!.callFrame.functionName === '(idle)') {
    if (current.length > 0) stretches.push(current);
    current = [];
  } else current.push({ id, ms });
});
if (current.length > 0) stretches.push(current);

const lengthOf = (s: readonly Sample[]): number => s.reduce((sum, x) => sum + x.ms, 0);
/** The stretch without its stalls: each gap over `stallMs` counted as one sampling interval. */
const interval = [...profile.timeDeltas].sort((a, b) => a - b)[Math.floor(profile.timeDeltas.length / 2)]! / 1000;
const workOf = (s: readonly Sample[]): number => s.reduce((sum, x) => sum + (x.ms > stallMs ? interval : x.ms), 0);
const f = (ms: number): string => ms.toFixed(1);
const describe = (title: string, measure: (s: readonly Sample[]) => number): { long: Sample[][]; busy: number; longBusy: number } => {
  const lengths = stretches.map(measure).sort((a, b) => a - b);
  const q = (p: number): number => lengths[Math.min(lengths.length - 1, Math.floor(p * lengths.length))] ?? 0;
  const busy = lengths.reduce((a, b) => a + b, 0);
  const long = stretches.filter((s) => measure(s) > overMs);
  const longBusy = long.reduce((sum, s) => sum + measure(s), 0);
  console.log(`${title}: ${f(busy)} ms busy; length p50 ${f(q(0.5))} · p90 ${f(q(0.9))} · p99 ${f(q(0.99))} · max ${f(lengths.at(-1) ?? 0)} ms; ${long.length} over ${overMs} ms hold ${((longBusy / busy) * 100).toFixed(1)} % of it`);
  return { long, busy, longBusy };
};
const stalls = stretches.flat().filter((x) => x.ms > stallMs);
console.log(`${file}: ${stretches.length} busy stretches${windowArg ? ' in the window' : ''}, sampling interval ${f(interval)} ms`);
describe('as sampled', lengthOf);
console.log(`stalls (gaps over ${stallMs} ms between two busy samples): ${stalls.length}, ${f(stalls.reduce((sum, x) => sum + x.ms, 0))} ms`);
const { long, longBusy } = describe('without the stalls', workOf);

const byEntry = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const stretch of long) {
  for (const { id, ms: sampled } of stretch) {
    const ms = sampled > stallMs ? interval : sampled;
    const entry = label(entryOf(id));
    byEntry.set(entry, (byEntry.get(entry) ?? 0) + ms);
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      for (const name of named) {
        if (!seen.has(name) && matches(name, byId.get(up)!)) {
          seen.add(name);
          inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
        }
      }
    }
  }
}
const print = (title: string, rows: Map<string, number>, n: number): void => {
  console.log(`\n${title}`);
  for (const [k, ms] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${ms.toFixed(0).padStart(7)} ms ${((ms / longBusy) * 100).toFixed(1).padStart(5)} %  ${k}`);
};
print(`inside the stretches over ${overMs} ms without the stalls, by entry point`, byEntry, 25);
if (named.length > 0) print(`inside them, the named functions (inclusive)`, inclusive, named.length);
