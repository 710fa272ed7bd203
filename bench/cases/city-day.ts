/**
 * Case 11 — a city's day on one, two and three server instances (issue 18,
 * "Scale beyond one machine"). A city of 50 streets and 1,000 grids: a
 * thousand grid workers and fifty street clerks, each on a socket of their
 * own, spread round-robin over the instances, which share one PostgreSQL and
 * one Redis (all on this machine, started as the scale-out tests start them:
 * tests/server/support/services.ts). The day's 2,117 orders (the articles'
 * figure; CITY_ORDERS=3162 for the peak day) arrive over a compressed day and
 * each lives its whole life over the sockets, written with the shared event
 * builders so the guard accepts it:
 *
 *   intake (the clerk, POST /api/orders) → 派单 (clerk) → the worker sees it in
 *   their grid index and opens it → 签收, 到场, 照片 (before), 进展, 照片 (after),
 *   办结 with the photo refs (worker) → the clerk sees 办结 relayed into their
 *   open order doc → 审核, 回复, 回访 (clerk).
 *
 * Every write waits for its durable acknowledgement, then a think pause.
 * Measured: acknowledged events per second over the day's wall time, ack p50
 * and p99, and how long a worker's event takes to show in the street clerk's
 * index doc (p50, p99; the clerk is usually on another instance). After the
 * day: orders whose summary never reached 回访 at their clerk, and orders whose
 * street-index entry reads differently on different instances (both must be 0).
 *
 * Reference ("baseline"): the single-instance SQLite default, same day, same
 * sockets, measured in the same run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { createDemo, DEMO_ACCOUNTS, type OrgSize } from '#demo/index.ts';
import { hashToken } from '#server/auth/sessions.ts';
import { setQuiet } from '#server/log.ts';
import { seed } from '#server/seed.ts';
import { PostgresStore } from '#server/store/postgres.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import type { Store } from '#server/store/store.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import type { User } from '#shared/org/roles.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import { gridIndexDocName, orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { appendEvents, readEvents } from '#shared/sync/order-doc.ts';
import { Writer } from '../../tests/shared/support/builders.ts';
import { missingBinaries, startPostgres, startRedis, type RedisService, type Service } from '../../tests/server/support/services.ts';
import { type BenchCase, type BenchContext, envCount, type Figure, FigureSamples } from '../lib/case.ts';
import { cpuSeconds, pidWithCommandLine, treeCpuSeconds } from '../lib/processes.ts';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { spawnLianxin, type ServerHandle } from '../lib/spawn.ts';
import { quantile } from '../lib/stats.ts';
import { BenchSocket, acknowledged, pause, synced } from '../lib/sync-client.ts';

/** 5 districts × 10 streets × 4 communities × 5 grids: 50 street clerks, 1,000 grids with a worker each. */
const CITY_ORG: OrgSize = { districts: 5, streetsPerDistrict: 10, communitiesPerStreet: 4, gridsPerCommunity: 5 };
const QUICK_ORG: OrgSize = { districts: 1, streetsPerDistrict: 2, communitiesPerStreet: 2, gridsPerCommunity: 2 };

interface Load {
  readonly org: OrgSize;
  /** Orders the day brings. */
  readonly orders: number;
  /** The day's arrivals, compressed into this many seconds. */
  readonly arrivalSeconds: number;
  /** A writer pauses a uniformly random 0..thinkMs before each write. */
  readonly thinkMs: number;
  /** Instances per configuration measured; 0 is the SQLite reference. */
  readonly configs: readonly number[];
}

const FULL: Load = { org: CITY_ORG, orders: 2117, arrivalSeconds: 120, thinkMs: 2000, configs: [0, 1, 2, 3] };
const QUICK: Load = { org: QUICK_ORG, orders: 8, arrivalSeconds: 1, thinkMs: 50, configs: [0, 2] };

/** CITY_ORDERS, CITY_SECONDS, CITY_THINK_MS, CITY_CONFIGS (e.g. "0,1,2,3"; 0 = SQLite) override the full run. */
function loadFor(quick: boolean): Load {
  if (quick) return QUICK;
  const configs = (process.env.CITY_CONFIGS ?? FULL.configs.join(',')).split(',').map(Number);
  if (configs.some((n) => !Number.isInteger(n) || n < 0 || n > 8) || !configs.includes(0)) throw new Error(`CITY_CONFIGS: instance counts 0 to 8, with 0 (the SQLite reference), got ${process.env.CITY_CONFIGS}`);
  return {
    org: CITY_ORG,
    orders: envCount('CITY_ORDERS', FULL.orders, 100_000),
    arrivalSeconds: envCount('CITY_SECONDS', FULL.arrivalSeconds, 86_400),
    thinkMs: envCount('CITY_THINK_MS', FULL.thinkMs, 60_000),
    configs,
  };
}

interface Figures {
  readonly eventsPerSecond: number;
  readonly ackP50: number;
  readonly ackP99: number;
  readonly seesP50: number;
  readonly seesP99: number;
  readonly dayMs: number;
  readonly cpuMsPerEvent: number;
  readonly pgCpuMsPerEvent: number;
  /** Statements PostgreSQL ran (pg_stat_statements' calls, BEGIN and COMMIT included) ÷ acknowledged events. */
  readonly pgStatementsPerEvent: number;
  readonly redisCpuMsPerEvent: number;
  readonly clientCpuPercent: number;
  readonly failed: number;
  readonly notConverged: number;
  readonly diverged: number;
}

interface City {
  readonly workers: readonly User[];
  readonly clerks: readonly User[];
  readonly intakes: readonly OrderIntake[];
  readonly tokens: ReadonlyMap<string, string>;
}

const label = (instances: number) => (instances === 0 ? 'SQLite, 1 instance' : `PostgreSQL + Redis, ${instances} instance${instances === 1 ? '' : 's'}`);

export const cityDay: BenchCase = {
  id: 'city-day',
  title: '11 city day on 1, 2, 3 instances',
  async run(context) {
    const missing = missingBinaries();
    if (missing) return { skipped: missing };
    const load = loadFor(context.quick);
    const now = Date.now();
    const demo = createDemo({ now, seed: 18, org: load.org, count: load.orders, openCount: load.orders, openStatus: 'pending_dispatch', periodDays: 1, realCases: false });
    const city: City = {
      workers: demo.users.filter((u) => u.role === 'grid_worker'),
      clerks: demo.users.filter((u) => u.role === 'street_clerk'),
      intakes: [...demo.orders()].map((o) => o.intake),
      tokens: new Map(demo.users.filter((u) => u.role === 'grid_worker' || u.role === 'street_clerk').map((u) => [u.id, randomBytes(32).toString('base64url')])),
    };
    context.log(`${city.workers.length} workers, ${city.clerks.length} clerks, ${city.intakes.length} orders; starting PostgreSQL and Redis`);

    const sqliteDir = await mkdtemp(join(tmpdir(), 'lianxin-city-'));
    const pgDir = await mkdtemp(join(tmpdir(), 'lianxin-city-pg-'));
    let redis: RedisService | null = null;
    let postgres: Service | null = null;
    const perConfig = new Map<number, Figures[]>();
    try {
      [redis, postgres] = await Promise.all([startRedis(), startPostgres({ statements: true })]);
      setQuiet(true);
      // One org, one set of sessions in each store (sign-in is not what this case measures).
      await prepare(new SqliteStore(join(sqliteDir, 'lianxin.sqlite')), demo, city, now);
      await prepare(await PostgresStore.open(postgres.url), demo, city, now);
      // PostgreSQL's postmaster (its backends' CPU is counted with it) and redis-server, to read their CPU.
      const pgSocketDir = new URL(postgres.url).searchParams.get('host')!;
      const services = { postgres: Number(readFileSync(join(pgSocketDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]), redis: pidWithCommandLine(`127.0.0.1:${redis.port}`), postgresUrl: postgres.url };
      await pgQuery(postgres.url, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      for (let run = 1; run <= context.runs; run++) {
        for (const instances of load.configs) {
          const env: Record<string, string> = instances === 0 ? {} : { DATABASE_URL: postgres.url, REDIS_URL: redis.url };
          const figures = await measure({ context, load, city, run, instances, dataDir: instances === 0 ? sqliteDir : pgDir, env, services: instances === 0 ? null : services });
          context.log(`run ${run} ${label(instances)}: ${JSON.stringify(figures)}`);
          perConfig.set(instances, [...(perConfig.get(instances) ?? []), figures]);
        }
      }
    } finally {
      await Promise.all([redis?.stop(), postgres?.stop(), rm(sqliteDir, { recursive: true, force: true }), rm(pgDir, { recursive: true, force: true })]);
    }

    const reference = perConfig.get(0) ?? [];
    const figures: Figure[] = [];
    for (const instances of load.configs) {
      const samples = perConfig.get(instances) ?? [];
      const name = instances === 0 ? 'SQLite 1×' : `PG+Redis ${instances}×`;
      const withReference = instances !== 0;
      const figure = (key: keyof Figures, title: string, unit: 'ms' | 'updates/s' | 's' | 'count' | '%', better: 'lower' | 'higher', note?: string) => {
        // PostgreSQL and Redis have no counterpart in the SQLite reference.
        const compared = withReference && key !== 'pgCpuMsPerEvent' && key !== 'pgStatementsPerEvent' && key !== 'redisCpuMsPerEvent';
        const f = new FigureSamples(`${name} ${title}`, unit, better, { ...(compared ? { baselineLabel: label(0) } : {}), ...(note ? { note } : {}) });
        samples.forEach((s, i) => f.add(unit === 's' ? s[key] / 1000 : s[key], compared && reference[i] ? (unit === 's' ? reference[i]![key] / 1000 : reference[i]![key]) : undefined));
        figures.push(f.figure());
      };
      figure('eventsPerSecond', 'acknowledged events/s', 'updates/s', 'higher', 'events acknowledged (durably) ÷ wall time from the first arrival to the last acknowledgement');
      figure('ackP50', 'ack p50', 'ms', 'lower');
      figure('ackP99', 'ack p99', 'ms', 'lower');
      figure('seesP50', 'clerk sees event p50', 'ms', 'lower', 'worker append → its summary in the street index doc at the street clerk (on another instance when there are several)');
      figure('seesP99', 'clerk sees event p99', 'ms', 'lower');
      figure('dayMs', 'day replayed in', 's', 'lower');
      figure('cpuMsPerEvent', 'server CPU per event', 'ms', 'lower', 'CPU of every instance ÷ acknowledged events (PostgreSQL and Redis not counted)');
      if (instances > 0) {
        figure('pgCpuMsPerEvent', 'PostgreSQL CPU per event', 'ms', 'lower', 'the postmaster and its backends');
        figure('pgStatementsPerEvent', 'PostgreSQL statements per event', 'count', 'lower', "pg_stat_statements' calls (BEGIN and COMMIT included) of every instance, compaction and reads too");
        figure('redisCpuMsPerEvent', 'Redis CPU per event', 'ms', 'lower');
      }
      figure('clientCpuPercent', 'bench process CPU', '%', 'lower', 'every client socket runs in the bench process: near 100 % it, not the servers, sets the pace');
      figure('failed', 'orders failed', 'count', 'lower', 'an order whose life stopped: a refusal, a denial, an ack or a relay not seen in 60 s');
      figure('notConverged', 'orders not at 回访 at their clerk', 'count', 'lower');
      if (instances > 1) figure('diverged', 'index entries differing between instances', 'count', 'lower');
    }
    return {
      setup: `${city.workers.length} worker and ${city.clerks.length} clerk sockets, ${city.intakes.length} orders × 10 events arriving over ${load.arrivalSeconds} s, think 0–${load.thinkMs} ms before each write; instances on one PostgreSQL 15 and one Redis; everything on this machine`,
      figures,
    };
  },
};

async function pgQuery<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The statements PostgreSQL has run since it started, by pg_stat_statements: calls per normalised query. */
async function pgStatements(url: string): Promise<Map<string, number>> {
  const rows = await pgQuery<{ query: string; calls: string }>(url, 'SELECT query, SUM(calls) AS calls FROM pg_stat_statements GROUP BY query');
  return new Map(rows.map((r) => [r.query.replace(/\s+/g, ' '), Number(r.calls)]));
}

/** Calls per query between two readings of `pgStatements`, most first. */
function statementsBetween(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): [string, number][] {
  return [...after].map(([query, calls]): [string, number] => [query, calls - (before.get(query) ?? 0)]).filter(([, calls]) => calls > 0).sort((a, b) => b[1] - a[1]);
}

async function prepare(store: Store, demo: ReturnType<typeof createDemo>, city: City, now: number): Promise<void> {
  try {
    await seed(store, { units: demo.units, users: demo.users, accounts: DEMO_ACCOUNTS, orders: [] }, now);
    for (const [userId, token] of city.tokens) await store.createSession({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt: now + 7 * 24 * 3600_000 });
  } finally {
    await store.close();
  }
}

interface MeasureInput {
  readonly context: BenchContext;
  readonly load: Load;
  readonly city: City;
  readonly run: number;
  /** 0: the SQLite reference. */
  readonly instances: number;
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string>>;
  /** The pids of PostgreSQL's postmaster and of redis-server, when the instances use them. */
  readonly services: { readonly postgres: number; readonly redis: number | null; readonly postgresUrl: string } | null;
}

const WAIT_MS = 60_000;

function docOf(state: { snapshot: Uint8Array | null; updates: readonly Uint8Array[] }): Y.Doc {
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const update of state.updates) Y.applyUpdate(doc, update);
  return doc;
}

function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/** Resolves when `test` holds, checked now and at every change of the Y type. */
function when(type: { observe(f: () => void): void; unobserve(f: () => void): void }, test: () => boolean): Promise<void> {
  if (test()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (!test()) return;
      type.unobserve(check);
      resolve();
    };
    type.observe(check);
  });
}

async function measure(input: MeasureInput): Promise<Figures> {
  const { load, city, run, instances } = input;
  const servers: ServerHandle[] = [];
  const sockets: BenchSocket[] = [];
  const tag = `r${run}n${instances}`;
  try {
    for (let k = 0; k < Math.max(1, instances); k++) servers.push(await spawnLianxin(input.dataDir, [], { ...input.env, ...(instances > 0 ? { INSTANCE_NAME: `city-${k + 1}` } : {}) }));
    const serverOf = (n: number) => servers[n % servers.length]!;
    const tokenOf = (user: User) => city.tokens.get(user.id)!;

    let measuring = false;
    const writesByCount = new Map<string, number[]>();
    const seesLatencies: number[] = [];
    const ackLatencies: number[] = [];
    const runOrders = new Set<string>();

    // Clerks: their street's index doc (what the desk reads), and the order docs they write to.
    const clerkIndex = new Map<string, { socket: BenchSocket; index: HocuspocusProvider; user: User; server: ServerHandle }>();
    for (const [j, user] of city.clerks.entries()) {
      const server = serverOf(j);
      const socket = new BenchSocket(server.wsUrl, tokenOf(user));
      sockets.push(socket);
      const index = socket.open(streetIndexDocName(user.unitId));
      const orders = index.document.getMap<OrderSummary>('orders');
      const seen = new Map<string, number>();
      orders.observe((event) => {
        const at = performance.now();
        for (const orderId of event.keysChanged) {
          const count = orders.get(orderId)?.eventCount ?? 0;
          const last = seen.get(orderId) ?? 0;
          seen.set(orderId, count);
          const writes = writesByCount.get(orderId);
          if (!measuring || !writes) continue;
          for (let c = last + 1; c <= count; c++) if (writes[c] !== undefined) seesLatencies.push(at - writes[c]!);
        }
      });
      clerkIndex.set(user.unitId, { socket, index, user, server });
    }
    // Workers: their grid's index doc (where a dispatch shows), and the order docs they write to.
    const workerOf = new Map<string, { socket: BenchSocket; index: HocuspocusProvider; user: User }>();
    for (const [w, user] of city.workers.entries()) {
      // Shifted by one from the clerks' spread, so most workers are on another instance than their clerk.
      const socket = new BenchSocket(serverOf(w + 1).wsUrl, tokenOf(user));
      sockets.push(socket);
      workerOf.set(user.unitId, { socket, index: socket.open(gridIndexDocName(user.unitId)), user });
    }
    await Promise.all([...[...clerkIndex.values()].map((c) => synced(c.index, 180_000)), ...[...workerOf.values()].map((w) => synced(w.index, 180_000))]);
    input.context.log(`${label(instances)}: ${sockets.length} sockets synced`);

    let acked = 0;
    const failures: string[] = [];
    const think = () => pause(Math.random() * load.thinkMs);
    const write = async (provider: HocuspocusProvider, writer: Writer, draft: Parameters<Writer['write']>[0], track: boolean): Promise<OrderEvent> => {
      const { events } = readEvents(provider.document);
      const event = writer.write(draft, Date.now(), events);
      const t0 = performance.now();
      if (track) {
        const writes = writesByCount.get(provider.configuration.name.slice('order:'.length)) ?? [];
        writes[events.length + 1] = t0;
        writesByCount.set(provider.configuration.name.slice('order:'.length), writes);
      }
      appendEvents(provider.document, [event]);
      await within(acknowledged(provider), `ack of ${draft.type}`);
      ackLatencies.push(performance.now() - t0);
      acked += 1;
      return event;
    };

    const life = async (intake: OrderIntake, i: number): Promise<void> => {
      const clerk = clerkIndex.get(intake.place.streetId)!;
      const worker = workerOf.get(intake.place.gridId!)!;
      const at = Date.now();
      const res = await fetch(`${clerk.server.url}/api/orders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokenOf(clerk.user)}` },
        body: JSON.stringify({ ...intake, id: undefined, orderNo: `CD-${tag}-${String(i).padStart(6, '0')}`, receivedAt: at, deadline: at + 5 * 24 * 3600_000 }),
      });
      if (res.status !== 201) throw new Error(`intake: ${res.status} ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      runOrders.add(id);
      writesByCount.set(id, []);
      const clerkWriter = new Writer(clerk.user, run * 10_000_000 + instances * 1_000_000 + i * 2);
      const workerWriter = new Writer(worker.user, run * 10_000_000 + instances * 1_000_000 + i * 2 + 1);
      const atClerk = clerk.socket.open(orderDocName(id));
      let atWorker: HocuspocusProvider | null = null;
      try {
        await within(synced(atClerk), 'clerk opens the order');
        await write(atClerk, clerkWriter, { type: 'dispatch', payload: { unitId: worker.user.unitId, unitKind: 'grid', note: '请尽快到现场核实处理' } }, false);
        const gridOrders = worker.index.document.getMap<OrderSummary>('orders');
        await within(when(gridOrders, () => gridOrders.get(id)?.status === 'dispatched'), 'the dispatch in the grid index');
        atWorker = worker.socket.open(orderDocName(id));
        await within(synced(atWorker), 'worker opens the order');
        const place = { kind: 'fix', position: { lat: 34.62 + (i % 100) / 10_000, lng: 112.45 + (i % 37) / 10_000, accuracy: 12 } } as const;
        const photo = (stage: 'before' | 'after') => ({ sha256: randomBytes(32).toString('hex'), kind: 'handling', mime: 'image/jpeg', size: 240_000 + (i % 5000), width: 1920, height: 1440, takenAt: Date.now(), location: place, stage }) as const;
        await think();
        await write(atWorker, workerWriter, { type: 'accept', payload: {} }, true);
        await think();
        await write(atWorker, workerWriter, { type: 'check_in', payload: { location: place, note: '已到现场' } }, true);
        await think();
        const before = photo('before');
        await write(atWorker, workerWriter, { type: 'photo_added', payload: before }, true);
        await think();
        await write(atWorker, workerWriter, { type: 'progress', payload: { text: '已联系相关部门，现场处置中。' } }, true);
        await think();
        const after = photo('after');
        await write(atWorker, workerWriter, { type: 'photo_added', payload: after }, true);
        await think();
        const close = await write(
          atWorker,
          workerWriter,
          {
            type: 'close',
            payload: {
              founded: true,
              beyondRemit: false,
              resolution: 'resolved',
              contact: { contacted: true, method: 'phone', at: Date.now() },
              actions: '已现场处置完毕，问题解决。',
              publicReply: '您反映的问题已处理完毕，感谢您的监督。',
              photos: { handling: [before.sha256, after.sha256], contact: [], document: [] },
            },
          },
          true,
        );
        const events = atClerk.document.getArray<OrderEvent>('events');
        await within(when(events, () => events.toArray().some((e) => e.id === close.id)), '办结 relayed to the clerk');
        await think();
        await write(atClerk, clerkWriter, { type: 'review_pass', payload: { note: '处置到位' } }, false);
        await think();
        await write(atClerk, clerkWriter, { type: 'portal_reply', payload: { note: '已回复市民热线平台' } }, false);
        await think();
        await write(atClerk, clerkWriter, { type: 'callback', payload: { satisfaction: 'satisfied', reached: 'phone' } }, false);
      } finally {
        atClerk.destroy();
        atWorker?.destroy();
      }
    };

    const cpuOf = () => servers.reduce((sum, s) => sum + cpuSeconds(s.pid), 0);
    const servicesCpu = () => ({ postgres: input.services ? treeCpuSeconds(input.services.postgres) : 0, redis: input.services?.redis ? cpuSeconds(input.services.redis) : 0 });
    const servicesBefore = servicesCpu();
    const statementsBefore = input.services ? await pgStatements(input.services.postgresUrl) : new Map<string, number>();
    const cpuBefore = cpuOf();
    const clientCpuBefore = process.cpuUsage();
    measuring = true;
    const started = performance.now();
    const arrivals = city.intakes.map(() => Math.random() * load.arrivalSeconds * 1000).sort((a, b) => a - b);
    let lastAck = started;
    await Promise.all(
      city.intakes.map(async (intake, i) => {
        await pause(arrivals[i]!);
        try {
          await life(intake, i);
          lastAck = Math.max(lastAck, performance.now());
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }),
    );
    const dayMs = lastAck - started;
    const serverCpu = cpuOf() - cpuBefore;
    const servicesAfter = servicesCpu();
    const statements = input.services ? statementsBetween(statementsBefore, await pgStatements(input.services.postgresUrl)) : [];
    const statementCount = statements.reduce((sum, [, calls]) => sum + calls, 0);
    const clientCpu = process.cpuUsage(clientCpuBefore);
    for (const [query, calls] of statements.slice(0, 12)) input.context.log(`${label(instances)}: ${(calls / Math.max(1, acked)).toFixed(2)} statements per event: ${query.slice(0, 140)}`);
    if (failures.length > 0) input.context.log(`${label(instances)}: ${failures.length} orders failed, e.g. ${[...new Set(failures)].slice(0, 5).join(' | ')}`);

    // Every order at 回访 in its clerk's index; then the same entries on every instance.
    const final = (summary: OrderSummary | undefined) => summary?.status === 'called_back' && summary.eventCount === 10;
    const pending = () => [...clerkIndex.values()].reduce((n, c) => n + [...runOrders].filter((id) => c.index.document.getMap<OrderSummary>('orders').has(id) && !final(c.index.document.getMap<OrderSummary>('orders').get(id))).length, 0);
    const settleBy = performance.now() + 30_000;
    while (pending() > 0 && performance.now() < settleBy) await pause(200);
    measuring = false;
    const stuck = [...runOrders].filter((id) => ![...clerkIndex.values()].some((c) => final(c.index.document.getMap<OrderSummary>('orders').get(id))));
    const notConverged = stuck.length;
    if (stuck.length > 0) {
      // What the clerk's index shows against what the store holds for the order: a lost acknowledgement, or an index entry left behind?
      const store = input.env.DATABASE_URL ? await PostgresStore.open(input.env.DATABASE_URL) : null;
      try {
        for (const id of stuck.slice(0, 10)) {
          const shown = [...clerkIndex.values()].map((c) => c.index.document.getMap<OrderSummary>('orders').get(id)).find((x) => x !== undefined);
          const stored = store ? readEvents(docOf(await store.loadDoc(orderDocName(id)))).events.map((e) => e.type) : null;
          input.context.log(`${label(instances)}: ${id} at its clerk: ${shown ? `${shown.status}, ${shown.eventCount} events` : 'absent'}; in the store: ${stored ? `${stored.length} events (${stored.join(' ')})` : 'not read'}`);
        }
      } finally {
        await store?.close();
      }
    }
    let diverged = 0;
    if (servers.length > 1) {
      const views: Map<string, string>[] = [];
      for (const server of servers) {
        const view = new Map<string, string>();
        const readers = city.clerks.map((user) => {
          const socket = new BenchSocket(server.wsUrl, tokenOf(user));
          sockets.push(socket);
          return socket.open(streetIndexDocName(user.unitId));
        });
        await Promise.all(readers.map((r) => synced(r, 120_000)));
        for (const reader of readers) {
          const orders = reader.document.getMap<OrderSummary>('orders');
          for (const id of runOrders) if (orders.has(id)) view.set(id, JSON.stringify(orders.get(id)));
        }
        views.push(view);
      }
      diverged = [...runOrders].filter((id) => views.some((v) => v.get(id) !== views[0]!.get(id))).length;
    }
    const elapsedS = dayMs / 1000;
    return {
      eventsPerSecond: acked / elapsedS,
      ackP50: quantile(ackLatencies, 0.5),
      ackP99: quantile(ackLatencies, 0.99),
      seesP50: quantile(seesLatencies, 0.5),
      seesP99: quantile(seesLatencies, 0.99),
      dayMs,
      cpuMsPerEvent: (serverCpu * 1000) / Math.max(1, acked),
      pgCpuMsPerEvent: ((servicesAfter.postgres - servicesBefore.postgres) * 1000) / Math.max(1, acked),
      pgStatementsPerEvent: statementCount / Math.max(1, acked),
      redisCpuMsPerEvent: ((servicesAfter.redis - servicesBefore.redis) * 1000) / Math.max(1, acked),
      clientCpuPercent: ((clientCpu.user + clientCpu.system) / 1e6 / elapsedS) * 100,
      failed: failures.length,
      notConverged,
      diverged,
    };
  } finally {
    for (const socket of sockets) socket.close();
    await Promise.all(servers.map((s) => s.stop()));
  }
}
