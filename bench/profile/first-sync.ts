/**
 * Where a first sync's time goes (bench/README.md, "First sync: where the seconds go"): the
 * `first-sync` case's device split into marks, the server's `--cpu-prof` samples summed per mark
 * (the profile's clock and `process.hrtime` are the same monotonic clock), the last device under
 * the inspector. Seed once, then profile as often as needed:
 *
 *   npx tsx bench/profile/first-sync.ts seed [open=500] [closed=10000]
 *   LIANXIN_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/fs-prof" npx tsx bench/profile/first-sync.ts profile [open=500] [devices=3]
 *   npx tsx bench/profile/cpuprofile.ts /tmp/fs-prof/device.cpuprofile applyUpdate readIndexSummary
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as Y from 'yjs';
import { DEMO_PASSWORD } from '#demo/index.ts';
import { isOpenStatus } from '#shared/order/status.ts';
import { readIndexSummary } from '#shared/order/summary.ts';
import { orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { demoDataDir } from '../lib/demo-store.ts';
import { serverWarmed, spawnLianxin } from '../lib/spawn.ts';
import { BenchSocket, login, synced } from '../lib/sync-client.ts';

const [mode = 'profile', first = '500', second] = process.argv.slice(2);
// LIANXIN_INDEX_LIVE_DAYS: a shorter (or longer) live window for finished orders than the default 30 days
// (bench/README.md, "First sync, part 5": what a shorter window would give), seeded to its own file.
const liveDays = Number(process.env.LIANXIN_INDEX_LIVE_DAYS ?? 30);
const saved = (open: string) => `/tmp/lianxin-first-sync-${open}${liveDays === 30 ? '' : `-live${liveDays}`}.json`;
const clock = () => Number(process.hrtime.bigint() / 1000n);

if (mode === 'seed') {
  const open = Number(first);
  const closed = Number(second ?? 10_000);
  const org = { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 4, gridsPerCommunity: 4 };
  const seeded = await demoDataDir({ now: Date.now(), seed: 2, org, count: open + closed, openCount: open, periodDays: 182, indexLiveMs: liveDays * 86_400_000 });
  const clerk = seeded.demo.users.find((u) => u.role === 'street_clerk')!;
  writeFileSync(saved(first), JSON.stringify({ dataDir: seeded.dataDir, clerk: clerk.id, street: clerk.unitId }));
  console.log(`seeded ${seeded.dataDir} (delete it when done)`);
} else {
  const { dataDir, clerk, street } = JSON.parse(readFileSync(saved(first), 'utf8')) as { dataDir: string; clerk: string; street: string };
  const devices = Number(second ?? 3);
  const profileDir = /--cpu-prof-dir=(\S+)/.exec(process.env.LIANXIN_BENCH_SERVER_NODE_ARGS ?? '')?.[1];
  const server = await spawnLianxin(dataDir);
  const windows: { device: number; label: string; from: number; to: number }[] = [];
  const session = new Session();
  session.connect();
  try {
    console.log(`server warmed in ${((await serverWarmed(server)) / 1000).toFixed(1)} s`);
    for (let device = 0; device < devices; device++) {
      const last = device === devices - 1;
      if (last) {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
      let at = clock();
      const mark = (label: string) => {
        windows.push({ device, label, from: at, to: (at = clock()) });
      };
      const token = await login(server.url, clerk, DEMO_PASSWORD);
      mark('sign-in');
      const name = streetIndexDocName(street);
      const bulk = (names: string[]) =>
        fetch(`${server.url}/api/docs`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ names }) });
      const indexRes = await bulk([name]);
      mark('index: bulk read, to the headers');
      const indexText = await indexRes.text();
      mark('index: body (gunzip)');
      const update = Buffer.from((JSON.parse(indexText) as { docs: Record<string, { update: string }> }).docs[name]!.update, 'base64');
      mark('index: JSON + base64');
      const doc = new Y.Doc({ guid: name });
      Y.applyUpdate(doc, update);
      mark(`index: applyUpdate (${(update.length / 1024).toFixed(0)} KB)`);
      const socket = new BenchSocket(server.wsUrl, token);
      await synced(socket.open(name, doc), 120_000);
      mark('index: socket synced');
      const open: string[] = [];
      doc.getMap('orders').forEach((raw, id) => {
        const summary = readIndexSummary(id, raw);
        if (summary.ok && isOpenStatus(summary.value.status)) open.push(id);
      });
      mark(`index: ${doc.getMap('orders').size} entries validated`);
      const docsRes = await bulk(open.map(orderDocName));
      mark('open docs: bulk read, to the headers');
      const docsText = await docsRes.text();
      mark('open docs: body (gunzip)');
      const updates = Object.entries((JSON.parse(docsText) as { docs: Record<string, { update: string }> }).docs).map(([n, e]) => [n, Buffer.from(e.update, 'base64')] as const);
      mark('open docs: JSON + base64');
      for (const [n, u] of updates) Y.applyUpdate(new Y.Doc({ guid: n }), u);
      mark(`open docs: applyUpdate (${updates.length})`);
      socket.close();
      const mine = windows.filter((w) => w.device === device);
      console.log(`device ${device}: ${((mine.at(-1)!.to - mine[0]!.from) / 1000).toFixed(0)} ms`);
      for (const w of mine) console.log(`  ${w.label.padEnd(40)} ${((w.to - w.from) / 1000).toFixed(1).padStart(8)} ms`);
      if (last) writeFileSync(`${profileDir ?? '/tmp'}/device.cpuprofile`, JSON.stringify((await session.post('Profiler.stop')).profile));
    }
  } finally {
    await server.stop();
  }
  if (profileDir) serverByWindow(profileDir, windows.filter((w) => w.device === devices - 1));
}

/** The server's busy time in each of the last device's marks, and the functions (inclusive) that took it. */
function serverByWindow(dir: string, windows: readonly { label: string; from: number; to: number }[]): void {
  interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
  const file = readdirSync(dir).find((f) => /^CPU\..*\.0\.\d+\.cpuprofile$/.test(f));
  if (!file) return;
  const p = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: Node) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^file:\/\/.*?\/(node_modules|server|shared)\//, '$1/')}`;
  let t = p.startTime;
  const stamps = p.timeDeltas.map((d) => (t += d));
  console.log(`\nserver (${file}), last device:`);
  for (const { label, from, to } of windows) {
    const inclusive = new Map<string, number>();
    let busy = 0;
    p.samples.forEach((id, i) => {
      if (stamps[i]! < from || stamps[i]! >= to || byId.get(id)!.callFrame.functionName === '(idle)') return;
      const ms = (p.timeDeltas[i + 1] ?? 0) / 1000;
      busy += ms;
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const k = key(byId.get(at)!);
        if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
        seen.add(k);
      }
    });
    console.log(`  ${label}: ${((to - from) / 1000).toFixed(0)} ms, server busy ${busy.toFixed(0)} ms`);
    const ours = [...inclusive].filter(([k]) => /server\/|warm|mergeState|encodeStateAsUpdate|onLoadDocument|sendLargeJson/.test(k));
    for (const [k, ms] of ours.sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${k}`);
  }
}
