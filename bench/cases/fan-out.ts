/**
 * Case 4 — server fan-out. N workers, each on its own order doc (its own
 * socket), append an event, wait for the durable acknowledgement, pause, and
 * again; C clerks watch their street's index doc. Measured: the time from a
 * worker's append to a clerk seeing the order's new summary in the street
 * index (every clerk watching that street counts), acknowledged updates per
 * second, server memory per connected client, server CPU, and the stages of
 * the server's path (guard, durable append, indexer, relay) from its own
 * /metrics histograms.
 *
 * Baseline: a bare Hocuspocus server (bench/baseline/bare-hocuspocus.ts) on
 * the same document states and the same load, where each clerk has the order
 * docs of its street open instead (a bare server has no index docs), so every
 * update reaches the same number of clerk sockets. The ratio is the cost of
 * authentication, the guard, the durable append and the indexer.
 */
import { join } from 'node:path';
import type * as Y from 'yjs';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { DEMO_PASSWORD } from '#demo/index.ts';
import type { User } from '#shared/org/roles.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import { orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { appendEvents, readEvents } from '#shared/sync/order-doc.ts';
import { Writer } from '../../tests/shared/support/builders.ts';
import { seedBareDocs } from '../baseline/bare-hocuspocus.ts';
import { type BenchCase, type BenchContext, envCount, FigureSamples } from '../lib/case.ts';
import { demoDataDir } from '../lib/demo-store.ts';
import { cpuSeconds, metricsQuantileMs, settledRssKb } from '../lib/processes.ts';
import { spawnLianxin, spawnServer, type ServerHandle } from '../lib/spawn.ts';
import { quantile } from '../lib/stats.ts';
import { BenchSocket, acknowledged, login, pause, synced } from '../lib/sync-client.ts';

interface Load {
  readonly clients: number;
  readonly clerks: number;
  readonly seconds: number;
  /** Each worker pauses a uniformly random 0..pauseMs after each acknowledgement. */
  readonly pauseMs: number;
}

const FULL: Load = { clients: 1000, clerks: 50, seconds: 30, pauseMs: 10_000 };
const QUICK: Load = { clients: 20, clerks: 3, seconds: 3, pauseMs: 500 };

/** FANOUT_CLIENTS, FANOUT_CLERKS, FANOUT_SECONDS, FANOUT_PAUSE_MS override the full-run load. */
function loadFor(quick: boolean): Load {
  if (quick) return QUICK;
  return {
    clients: envCount('FANOUT_CLIENTS', FULL.clients, 5000),
    clerks: envCount('FANOUT_CLERKS', FULL.clerks, 500),
    seconds: envCount('FANOUT_SECONDS', FULL.seconds, 600),
    pauseMs: envCount('FANOUT_PAUSE_MS', FULL.pauseMs, 60_000),
  };
}

interface Assignment {
  readonly orderId: string;
  readonly streetId: string;
  readonly worker: User;
}

interface RunFigures {
  readonly p50: number;
  readonly p99: number;
  readonly ackP50: number;
  readonly ackP99: number;
  readonly updatesPerSecond: number;
  readonly kbPerClient: number;
  readonly cpuPercent: number;
  /** Server CPU time per acknowledged update: what an update costs, whatever else runs on the machine. */
  readonly cpuMsPerUpdate: number;
  /** The bench process (every client) — when it is near 100 %, the clients, not the server, set the pace. */
  readonly clientCpuPercent: number;
  /** The server's own per-stage histograms (p50, p99 in ms); empty for the bare baseline. */
  readonly stages: readonly StageFigure[];
}

interface StageFigure {
  readonly stage: Stage;
  readonly p50: number;
  readonly p99: number;
}

/**
 * The stages of an update on its way to a clerk, from the server's /metrics
 * (server/metrics.ts): guard → durable append (then the ack) → indexer → relay.
 */
const STAGES = [
  { stage: 'guard', metric: 'lianxin_guard_seconds', label: 'guard', note: 'guard, client claims, daily quota' },
  { stage: 'append', metric: 'lianxin_persist_seconds', label: 'durable append', note: 'the SQLite commit the ack waits for' },
  { stage: 'index', metric: 'lianxin_index_seconds', label: 'indexer', note: 'order changed → summary written in its index docs' },
  { stage: 'relay', metric: 'lianxin_relay_seconds', label: 'relay', note: 'index-doc change → sent to the clerk sockets' },
] as const;
type Stage = (typeof STAGES)[number]['stage'];

type Kind = 'lianxin' | 'bare';

export const fanOut: BenchCase = {
  id: 'fan-out',
  title: '4 server fan-out',
  async run(context) {
    const load = loadFor(context.quick);
    context.log(`seeding ${load.clients} open orders`);
    const seeded = await demoDataDir({ now: Date.now(), seed: 4, count: load.clients, openCount: load.clients, realCases: false });
    const { dataDir, demo } = seeded;
    const assignments: Assignment[] = [];
    for (const { intake } of demo.orders()) {
      const worker = demo.users.find((u) => u.role === 'grid_worker' && u.unitId === intake.place.gridId);
      if (worker) assignments.push({ orderId: intake.id, streetId: intake.place.streetId, worker });
    }
    const streets = [...new Set(assignments.map((a) => a.streetId))].sort();
    const clerks = Array.from({ length: load.clerks }, (_, k) => {
      const streetId = streets[k % streets.length]!;
      const user = demo.users.find((u) => u.role === 'street_clerk' && u.unitId === streetId);
      if (!user) throw new Error(`the demo has no clerk for ${streetId}`);
      return { streetId, user };
    });
    const bareDb = join(dataDir, 'bare.sqlite');
    await seedBareDocs(join(dataDir, 'lianxin.sqlite'), bareDb, assignments.map((a) => orderDocName(a.orderId)));

    const figures = {
      p50: new FigureSamples('clerk sees event p50', 'ms', 'lower', { baselineLabel: 'bare Hocuspocus', note: 'append → summary in the street index doc at a clerk (baseline: the event in the order doc at a clerk)' }),
      p99: new FigureSamples('clerk sees event p99', 'ms', 'lower', { baselineLabel: 'bare Hocuspocus' }),
      ack50: new FigureSamples('worker acknowledged p50', 'ms', 'lower', { baselineLabel: 'bare Hocuspocus', note: 'append → the server acknowledges (Lianxin: after the durable append; baseline: in memory)' }),
      ack99: new FigureSamples('worker acknowledged p99', 'ms', 'lower', { baselineLabel: 'bare Hocuspocus' }),
      rate: new FigureSamples('acknowledged updates/s', 'updates/s', 'higher', { baselineLabel: 'bare Hocuspocus', note: 'offered load is set by the pause; the baseline acknowledges before storing' }),
      memory: new FigureSamples('server memory per client', 'KB', 'lower', { baselineLabel: 'bare Hocuspocus', note: 'RSS growth from connecting the clients and clerks (with their docs loaded) ÷ sockets' }),
      cpu: new FigureSamples('server CPU under load', '%', 'lower', { baselineLabel: 'bare Hocuspocus', note: 'percent of one core (the machine has two, shared with the clients)' }),
      cpuPerUpdate: new FigureSamples('server CPU per update', 'ms', 'lower', { baselineLabel: 'bare Hocuspocus', note: 'server CPU time ÷ acknowledged updates, including the indexer and the index-doc fan-out' }),
    };
    const stageFigures = new Map(
      STAGES.map(({ stage, metric, label, note }) => [
        stage,
        {
          p50: new FigureSamples(`${label} p50`, 'ms', 'lower', { note: `${note}; ${metric} histogram (interpolated in buckets)` }),
          p99: new FigureSamples(`${label} p99`, 'ms', 'lower'),
        },
      ]),
    );
    const tokens = new Map<string, string>();
    try {
      for (let run = 1; run <= context.runs; run++) {
        const ours = await measure('lianxin', { context, run, load, dataDir, bareDb, assignments, clerks, tokens });
        context.log(`run ${run} lianxin: ${JSON.stringify(ours)}`);
        const bare = await measure('bare', { context, run, load, dataDir, bareDb, assignments, clerks, tokens });
        context.log(`run ${run} bare: ${JSON.stringify(bare)}`);
        figures.p50.add(ours.p50, bare.p50);
        figures.p99.add(ours.p99, bare.p99);
        figures.ack50.add(ours.ackP50, bare.ackP50);
        figures.ack99.add(ours.ackP99, bare.ackP99);
        figures.rate.add(ours.updatesPerSecond, bare.updatesPerSecond);
        figures.memory.add(ours.kbPerClient, bare.kbPerClient);
        figures.cpu.add(ours.cpuPercent, bare.cpuPercent);
        figures.cpuPerUpdate.add(ours.cpuMsPerUpdate, bare.cpuMsPerUpdate);
        for (const { stage, p50, p99 } of ours.stages) {
          stageFigures.get(stage)?.p50.add(p50);
          stageFigures.get(stage)?.p99.add(p99);
        }
      }
    } finally {
      await seeded.remove();
    }
    return {
      setup: `${assignments.length} worker sockets each on its own open order, ${load.clerks} clerk sockets on ${new Set(clerks.map((c) => c.streetId)).size} street index docs, ${load.seconds} s per run, pause 0–${load.pauseMs} ms after each acknowledgement; SQLite; clients and server on this machine`,
      figures: [...Object.values(figures), ...[...stageFigures.values()].flatMap((f) => [f.p50, f.p99])].map((f) => f.figure()),
    };
  },
};

interface MeasureInput {
  readonly context: BenchContext;
  /** Seeds the writers' event ids: a run must not write the ids of an earlier run (they would be deduplicated or refused). */
  readonly run: number;
  readonly load: Load;
  readonly dataDir: string;
  readonly bareDb: string;
  readonly assignments: readonly Assignment[];
  readonly clerks: readonly { readonly streetId: string; readonly user: User }[];
  readonly tokens: Map<string, string>;
}

async function measure(kind: Kind, input: MeasureInput): Promise<RunFigures> {
  const { load, assignments, clerks, tokens } = input;
  const server: ServerHandle = kind === 'lianxin' ? await spawnLianxin(input.dataDir) : await spawnServer('bench/baseline/bare-hocuspocus.ts', ['--db', input.bareDb]);
  const sockets: BenchSocket[] = [];
  try {
    const tokenOf = async (user: User): Promise<string> => {
      if (kind === 'bare') return 'no-auth';
      let token = tokens.get(user.id);
      if (!token) {
        token = await login(server.url, user.id, DEMO_PASSWORD);
        tokens.set(user.id, token);
      }
      return token;
    };
    for (const user of new Set([...assignments.map((a) => a.worker), ...clerks.map((c) => c.user)])) await tokenOf(user);
    const before = await settledRssKb(server.pid);

    // What each write is waiting for: per order, the time of the write that made its nth event (Lianxin),
    // or per event id (bare).
    const writesByCount = new Map<string, number[]>();
    const writesById = new Map<string, number>();
    const latencies: number[] = [];
    const ackLatencies: number[] = [];
    let measuring = false;

    const clerkSyncs: Promise<void>[] = [];
    for (const clerk of clerks) {
      const socket = new BenchSocket(server.wsUrl, await tokenOf(clerk.user));
      sockets.push(socket);
      if (kind === 'lianxin') {
        const provider = socket.open(streetIndexDocName(clerk.streetId));
        const seen = new Map<string, number>();
        const orders = provider.document.getMap<OrderSummary>('orders');
        orders.observe((event) => {
          for (const orderId of event.keysChanged) {
            const count = orders.get(orderId)?.eventCount ?? 0;
            const writes = writesByCount.get(orderId);
            const last = seen.get(orderId) ?? count;
            seen.set(orderId, count);
            if (!measuring || !writes) continue;
            const now = performance.now();
            for (let c = last + 1; c <= count; c++) if (writes[c] !== undefined) latencies.push(now - writes[c]!);
          }
        });
        clerkSyncs.push(synced(provider, 120_000));
      } else {
        for (const a of assignments.filter((x) => x.streetId === clerk.streetId)) {
          const provider = socket.open(orderDocName(a.orderId));
          provider.document.getArray<OrderEvent>('events').observe((event) => {
            if (!measuring) return;
            const now = performance.now();
            for (const item of event.changes.added) {
              for (const value of item.content.getContent() as OrderEvent[]) {
                const t0 = writesById.get(value.id);
                if (t0 !== undefined) latencies.push(now - t0);
              }
            }
          });
          clerkSyncs.push(synced(provider, 120_000));
        }
      }
    }
    const workers: { provider: HocuspocusProvider; writer: Writer; orderId: string }[] = [];
    for (const [i, a] of assignments.entries()) {
      const socket = new BenchSocket(server.wsUrl, await tokenOf(a.worker));
      sockets.push(socket);
      workers.push({ provider: socket.open(orderDocName(a.orderId)), writer: new Writer(a.worker, input.run * 1_000_000 + i), orderId: a.orderId });
    }
    await Promise.all([...clerkSyncs, ...workers.map((w) => synced(w.provider, 120_000))]);
    const connected = await settledRssKb(server.pid);

    measuring = true;
    // The monotonic clock of a --cpu-prof profile: `bench/profile/cpuprofile.ts --window` keeps only the measured load.
    const windowFrom = process.hrtime.bigint() / 1000n;
    let acked = 0;
    const cpuBefore = cpuSeconds(server.pid);
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    const deadline = started + load.seconds * 1000;
    await Promise.all(
      workers.map(async ({ provider, writer, orderId }, i) => {
        await pause((i * 37) % (load.pauseMs + 1));
        let n = 0;
        while (performance.now() < deadline) {
          const doc: Y.Doc = provider.document;
          const { events } = readEvents(doc);
          const event = writer.write({ type: 'progress', payload: { text: `负载测试 ${i}-${n}` } }, Date.now(), events);
          const t0 = performance.now();
          const writes = writesByCount.get(orderId) ?? [];
          writes[events.length + 1] = t0;
          writesByCount.set(orderId, writes);
          writesById.set(event.id, t0);
          appendEvents(doc, [event]);
          await acknowledged(provider);
          ackLatencies.push(performance.now() - t0);
          acked += 1;
          n += 1;
          await pause(Math.random() * load.pauseMs);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const serverCpu = cpuSeconds(server.pid) - cpuBefore;
    const cpuPercent = (serverCpu / elapsed) * 100;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const clientCpuPercent = ((clientCpu.user + clientCpu.system) / 1e6 / elapsed) * 100;
    input.context.log(`run ${input.run} ${kind}: load from ${windowFrom} to ${process.hrtime.bigint() / 1000n} (µs, monotonic; cpuprofile.ts --window FROM-TO)`);
    await pause(2000); // the last writes' index updates reach the clerks
    measuring = false;

    let stages: StageFigure[] = [];
    if (kind === 'lianxin') {
      const metrics = await (await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${server.metricsToken ?? ''}` } })).text();
      stages = STAGES.map(({ stage, metric }) => ({ stage, p50: metricsQuantileMs(metrics, metric, 0.5), p99: metricsQuantileMs(metrics, metric, 0.99) }));
    }
    return {
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      ackP50: quantile(ackLatencies, 0.5),
      ackP99: quantile(ackLatencies, 0.99),
      updatesPerSecond: acked / elapsed,
      kbPerClient: (connected - before) / (assignments.length + clerks.length),
      cpuPercent,
      cpuMsPerUpdate: (serverCpu * 1000) / Math.max(1, acked),
      clientCpuPercent,
      stages,
    };
  } finally {
    for (const socket of sockets) socket.close();
    await server.stop();
  }
}
