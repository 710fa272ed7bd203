/**
 * What a bulk return could save on the server (bench/README.md, "Back online, part 9"): the server's
 * main-thread CPU (`/proc/PID/schedstat`) for the back-online case's return of 21 docs — 20 order docs
 * with the device's offline photo event and 10 remote events each, and the grid index — against the
 * same 21 docs reconnected with nothing to exchange: with the order docs held in memory by another
 * device's socket, the WebSocket protocol's share alone (auth, connection, sync step 1 and 2, frames),
 * and again once the server has unloaded the order docs (each one's load from the store added; the grid index
 * held by another socket, as the indexer holds it in the case's return).
 *
 *   npx tsx bench/profile/back-online-handshakes.ts [rounds]
 *
 * Per round on one fresh server: a warm-up return (not counted), then a measured return, then the
 * empty reconnects; every figure is the median over the rounds, with the load average beside it.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { DEMO_PASSWORD } from '#demo/index.ts';
import { isOpenStatus } from '#shared/order/status.ts';
import { readIndexSummary } from '#shared/order/summary.ts';
import { gridIndexDocName, orderDocName } from '#shared/sync/doc-names.ts';
import { appendEvents, readEvents } from '#shared/sync/order-doc.ts';
import type { User } from '#shared/org/roles.ts';
import { Writer } from '../../tests/shared/support/builders.ts';
import { demoDataDir } from '../lib/demo-store.ts';
import { spawnLianxin, type ServerHandle } from '../lib/spawn.ts';
import { BenchSocket, acknowledged, login, synced, pause } from '../lib/sync-client.ts';
import { threadCpuMs } from '../lib/processes.ts';

const OPEN = 20;
const REMOTE_EVENTS = 200;
const rounds = Number(process.argv[2] ?? 5);

interface Device {
  readonly token: string;
  /** The grid whose index the device holds. */
  readonly unit: string;
  readonly index: Y.Doc;
  readonly docs: Map<string, Y.Doc>;
}

async function cpu(server: ServerHandle): Promise<number> {
  const ms = await threadCpuMs(server.pid);
  if (ms === null) throw new Error('no /proc/PID/schedstat here');
  return ms;
}

/** Opens the device's 21 docs on one socket; resolves with the server's CPU and the wall time until every one is synced and acknowledged. */
async function reconnect(server: ServerHandle, device: Device, converged: () => boolean = () => true): Promise<{ cpuMs: number; wallMs: number; socket: BenchSocket }> {
  const cpuFrom = await cpu(server);
  const windowFrom = process.hrtime.bigint() / 1000n;
  const started = performance.now();
  const socket = new BenchSocket(server.wsUrl, device.token);
  const providers = [...device.docs].map(([id, doc]) => socket.open(orderDocName(id), doc));
  const index = socket.open(gridIndexDocName(device.unit), device.index);
  await Promise.all([...providers, index].map((p) => synced(p, 120_000)));
  await Promise.all(providers.map((p) => acknowledged(p)));
  while (!converged()) await new Promise<void>((resolve) => device.index.once('update', () => resolve()));
  const wallMs = performance.now() - started;
  // For `bench/profile/cpuprofile.ts --window` on a server run with LIANXIN_BENCH_SERVER_NODE_ARGS="--cpu-prof …".
  if (process.env.LIANXIN_BENCH_SERVER_NODE_ARGS) console.log(`  window ${server.pid} ${windowFrom}-${process.hrtime.bigint() / 1000n}`);
  return { cpuMs: (await cpu(server)) - cpuFrom, wallMs, socket };
}

async function offlineSpell(server: ServerHandle, device: Device, worker: User, handler: User, seed: number): Promise<() => boolean> {
  const remote = new BenchSocket(server.wsUrl, await login(server.url, handler.id, DEMO_PASSWORD));
  const ids = [...device.docs.keys()];
  const providers = ids.map((id) => remote.open(orderDocName(id)));
  await Promise.all(providers.map((p) => synced(p, 120_000)));
  const writer = new Writer(handler, 500 + seed);
  for (let n = 0; n < REMOTE_EVENTS; n++) {
    const provider = providers[n % providers.length]!;
    appendEvents(provider.document, [writer.write({ type: 'progress', payload: { text: `第 ${n} 条进展` } }, Date.now(), readEvents(provider.document).events)]);
  }
  await Promise.all(providers.map((p) => acknowledged(p)));
  const expected = new Map(ids.map((id, i) => [id, readEvents(providers[i]!.document).events.length + 1]));
  remote.close();
  const own = new Writer(worker, 900 + seed);
  for (const doc of device.docs.values()) {
    appendEvents(doc, [own.write({ type: 'progress', payload: { text: '离线记录' } }, Date.now(), readEvents(doc).events)]);
  }
  return () =>
    ids.every((id) => readEvents(device.docs.get(id)!).events.length === expected.get(id)) &&
    ids.every((id) => (device.index.getMap<{ eventCount?: number }>('orders').get(id)?.eventCount ?? 0) === expected.get(id));
}

async function loadedDocs(server: ServerHandle): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${server.metricsToken ?? ''}` } })).text();
  return Number(/^lianxin_documents_loaded (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function main(): Promise<void> {
  const seeded = await demoDataDir({ now: Date.now(), seed: 3, org: { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 1, gridsPerCommunity: 1 }, count: 300, openCount: OPEN });
  const worker = seeded.demo.users.find((u) => u.role === 'grid_worker')!;
  const handler = seeded.demo.users.find((u) => u.role === 'community_handler')!;
  const rows: { ret: number; retWall: number; loaded: number; loadedWall: number; unloaded: number; unloadedWall: number; load: number }[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const runDir = await mkdtemp(join(tmpdir(), 'lianxin-bo-handshakes-'));
      await cp(seeded.dataDir, runDir, { recursive: true });
      const server = await spawnLianxin(runDir);
      try {
        const token = await login(server.url, worker.id, DEMO_PASSWORD);
        const index = new Y.Doc();
        const socket = new BenchSocket(server.wsUrl, token);
        await synced(socket.open(gridIndexDocName(worker.unitId), index), 120_000);
        const docs = new Map<string, Y.Doc>();
        index.getMap('orders').forEach((raw, id) => {
          const summary = readIndexSummary(id, raw);
          if (summary.ok && isOpenStatus(summary.value.status) && docs.size < OPEN) docs.set(id, new Y.Doc());
        });
        await Promise.all([...docs].map(([id, doc]) => synced(socket.open(orderDocName(id), doc), 120_000)));
        socket.close();
        const device: Device = { token, unit: worker.unitId, index, docs };
        // A warm-up return, then the measured one (the case measures a server's second return).
        let converged = await offlineSpell(server, device, worker, handler, 2 * round);
        (await reconnect(server, device, converged)).socket.close();
        converged = await offlineSpell(server, device, worker, handler, 2 * round + 1);
        const ret = await reconnect(server, device, converged);
        ret.socket.close();
        // Nothing to exchange, the docs held in memory by another device's socket (the protocol alone).
        const keeper = new BenchSocket(server.wsUrl, await login(server.url, handler.id, DEMO_PASSWORD));
        await Promise.all([...device.docs.keys()].map((id) => synced(keeper.open(orderDocName(id)), 120_000)));
        const loaded = await reconnect(server, device);
        loaded.socket.close();
        keeper.close();
        // Nothing to exchange, the docs unloaded by the server (it unloads a doc once its last connection closed and it is stored).
        // The grid index held by the worker's other socket (as the indexer holds it in the return, which follows the others' writes).
        const indexKeeper = new BenchSocket(server.wsUrl, token);
        await synced(indexKeeper.open(gridIndexDocName(worker.unitId)), 120_000);
        for (let waited = 0; (await loadedDocs(server)) > 1 && waited < 30_000; waited += 200) await pause(200);
        const unloaded = await reconnect(server, device);
        unloaded.socket.close();
        indexKeeper.close();
        rows.push({ ret: ret.cpuMs, retWall: ret.wallMs, loaded: loaded.cpuMs, loadedWall: loaded.wallMs, unloaded: unloaded.cpuMs, unloadedWall: unloaded.wallMs, load: loadavg()[0]! });
        console.log(`round ${round}: ${JSON.stringify(rows.at(-1))}`);
      } finally {
        await server.stop();
        await rm(runDir, { recursive: true, force: true });
      }
    }
  } finally {
    await seeded.remove();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const m = (key: keyof (typeof rows)[number]) => median(rows.map((r) => r[key])).toFixed(1);
  console.log(`medians over ${rows.length} rounds, load ${m('load')}:`);
  console.log(`  the return (20 order docs with work, the index): server CPU ${m('ret')} ms, wall ${m('retWall')} ms`);
  console.log(`  the same 21 docs, nothing to exchange, order docs held loaded: server CPU ${m('loaded')} ms, wall ${m('loadedWall')} ms`);
  console.log(`  the same 21 docs, nothing to exchange, order docs unloaded: server CPU ${m('unloaded')} ms, wall ${m('unloadedWall')} ms`);
}

await main();
