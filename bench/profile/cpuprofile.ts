/**
 * Sums a `node --cpu-prof` profile (bench/README.md, case 4 `fan-out`): self time by
 * function and by file, and total (inclusive) time of the functions named on the command line.
 *
 *   LIANXIN_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/run.ts --only fan-out
 *   npx tsx bench/profile/cpuprofile.ts /tmp/prof/CPU.*.cpuprofile [--window FROM-TO] [functionName | file.ts:functionName …]
 *
 * `--window FROM-TO` keeps only the samples taken between two readings of the
 * monotonic clock in microseconds (`process.hrtime`, the clock the profile's
 * timestamps use): the fan-out case logs the window it measured in, so the
 * server's start and the clients' connecting are left out. A name with a file
 * (`indexer.ts:run`) counts only that file's function of that name.
 * `--under NAME` (same form) also lists what the samples inside that function spent their time in.
 */
import { readFileSync } from 'node:fs';
import type { Profile, ProfileNode } from '../lib/cpuprofile-format.ts';

const args = process.argv.slice(2);
const windowAt = args.indexOf('--window');
const window = windowAt >= 0 ? args.splice(windowAt, 2)[1]?.split('-').map(Number) : undefined;
if (window && (window.length !== 2 || window.some((n) => !Number.isFinite(n)))) throw new Error('--window FROM-TO, two microsecond readings of the monotonic clock');
const underAt = args.indexOf('--under');
const under = underAt >= 0 ? args.splice(underAt, 2)[1] : undefined;
const [file, ...named] = args;
if (!file) throw new Error('usage: cpuprofile.ts <file.cpuprofile> [--window FROM-TO] [functionName | file.ts:functionName …]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const shortUrl = (url: string): string => url.replace(/^file:\/\/.*?\/node_modules\//, '~/').replace(/^file:\/\/.*?\/(server|shared|bench)\//, '$1/');
const key = (n: ProfileNode): string => `${n.callFrame.functionName || '(anon)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const selfByFn = new Map<string, number>();
const selfByFile = new Map<string, number>();
const inclusive = new Map<string, number>();
const selfUnder = new Map<string, number>();
let total = 0;
let at = profile.startTime;
const matches = (name: string, node: ProfileNode): boolean => {
  const colon = name.lastIndexOf(':');
  if (colon < 0) return node.callFrame.functionName === name;
  return node.callFrame.functionName === name.slice(colon + 1) && node.callFrame.url.endsWith(`/${name.slice(0, colon)}`);
};
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (window && (at < window[0]! || at > window[1]!)) return;
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  total += ms;
  const node = byId.get(id)!;
  selfByFn.set(key(node), (selfByFn.get(key(node)) ?? 0) + ms);
  const f = shortUrl(node.callFrame.url) || `(${node.callFrame.functionName})`;
  selfByFile.set(f, (selfByFile.get(f) ?? 0) + ms);
  // Inclusive: each named function once per sample, however deep it recurses.
  const seen = new Set<string>();
  if (under !== undefined) {
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      if (matches(under, byId.get(up)!)) {
        selfUnder.set(key(node), (selfUnder.get(key(node)) ?? 0) + ms);
        break;
      }
    }
  }
  for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
    const frame = byId.get(up)!;
    for (const name of named) {
      if (!seen.has(name) && matches(name, frame)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      }
    }
  }
});
const idle = selfByFn.get([...selfByFn.keys()].find((k) => k.startsWith('(idle)')) ?? '') ?? 0;
const pct = (ms: number) => `${((ms / (total - idle)) * 100).toFixed(1).padStart(5)} %`;
const print = (title: string, rows: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, ms] of [...rows].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${k}`);
};
console.log(`${file}: ${total.toFixed(0)} ms sampled${window ? ' in the window' : ''}, ${(total - idle).toFixed(0)} ms busy`);
print('self time by function', selfByFn, 30);
print('self time by file', selfByFile, 25);
if (under !== undefined) print(`self time by function inside ${under}`, selfUnder, 25);
if (named.length > 0) print('total time of the named functions', inclusive, named.length);
