/**
 * Issue 18: the sync engine reads archive index docs. A closed order leaving
 * the live index for its month's archive stays on the device that listed it
 * (the engine keeps that month from then on), a month asked for is fetched
 * and kept in y-indexeddb, and a later start lists it offline.
 */
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import { LianxinApi, syncUrl } from '#shared/client/api.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { saveSession } from '#shared/client/session.ts';
import { SyncEngine, indexDocNamesFor } from '#shared/client/sync.ts';
import { getSessionValue, type LianxinDb } from '#shared/local/db.ts';
import { cstMonthOf, previousMonth } from '#shared/order/index-placement.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { payloads } from '../support/builders.ts';
import { PASSWORD, users } from '../../server/support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from '../../server/support/server.ts';
import { BrowserLikeWebSocket, TestClient, createOrder } from '../../server/support/client.ts';
import { openTestDb } from '../local/helpers.ts';
import { waitForValue } from '../../support/wait.ts';

let server: ServerProcess;
let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;
const engines: SyncEngine[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  // Closed orders stay live for a second; the server's sweep runs as often.
  server = await startServer({ env: { INDEX_LIVE: '1s' } });
}, 60_000);

afterAll(async () => {
  await server?.kill();
  await stopAll(server ? [server.dataDir] : []);
});

beforeEach(() => {
  ({ db, close } = openTestDb());
  docs = new OrderDocs({ db });
});

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const client of clients.splice(0)) client.close();
  await docs.closeAll();
  await close();
});

async function clerkEngine(url = syncUrl(server.url)): Promise<SyncEngine> {
  const api = new LianxinApi({ baseUrl: server.url });
  const signedIn = await api.login(users.clerk.id, PASSWORD);
  await saveSession(db, signedIn, seededRandomBytes(9));
  const engine = new SyncEngine({ db, docs, url, token: signedIn.token, user: users.clerk, indexDocs: indexDocNamesFor(users.clerk), api, WebSocketPolyfill: BrowserLikeWebSocket });
  engines.push(engine);
  engine.start();
  return engine;
}

/**
 * Dispatched, accepted and closed by the grid's worker, replied and archived by the clerk (unless
 * `archive` is false: then it stays in the live index, in 已办); returns the close's server time.
 */
async function closeOrder(orderId: string, { archive = true } = {}): Promise<number> {
  const clerk = await TestClient.connect(server, users.clerk, 61);
  const worker = await TestClient.connect(server, users.worker, 62);
  clients.push(clerk, worker);
  const c = await clerk.open(orderDocName(orderId), new Y.Doc()).synced();
  c.append(clerk.write(c, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
  expect(await c.settled()).toBeNull();
  const w = await worker.open(orderDocName(orderId), new Y.Doc()).synced();
  await waitForValue(() => w.events().length, (n) => n === 1, 'the dispatch at the worker');
  w.append(worker.write(w, { type: 'accept', payload: {} }, worker.at(1000)));
  w.append(worker.write(w, { type: 'close', payload: payloads.close([]) }, worker.at(2000)));
  expect(await w.settled()).toBeNull();
  if (!archive) return worker.at(2000);
  // Replied and archived by the clerk: nothing left to do, it may leave the live index.
  await waitForValue(() => c.events().length, (n) => n === 3, 'the close at the clerk');
  c.append(clerk.write(c, { type: 'portal_reply', payload: {} }, clerk.at(3000)));
  c.append(clerk.write(c, { type: 'archive', payload: {} }, clerk.at(4000)));
  expect(await c.settled()).toBeNull();
  return worker.at(2000);
}

/** The street index's entry for this order as the server now lists it (a bulk read, as a new device's). */
async function listedStatus(orderId: string): Promise<unknown> {
  const api = new LianxinApi({ baseUrl: server.url });
  const { token } = await api.login(users.clerk.id, PASSWORD);
  const name = indexDocNamesFor(users.clerk)[0]!;
  const entry = (await api.fetchDocs(token, [name]))[name];
  if (!entry || !('update' in entry)) return undefined;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, entry.update);
  const raw = doc.getMap<{ status?: unknown }>('orders').get(orderId);
  doc.destroy();
  return raw?.status;
}

describe('SyncEngine: a first sync lists the open work before 已办 (bench/README.md, "First sync, part 5")', () => {
  it('writes the open tabs\' rows first: at openLoaded the open order is listed and named for download, the closed one awaiting the clerk only at liveLoaded (part 13)', async () => {
    const open = await createOrder(server.url);
    const done = await createOrder(server.url);
    await closeOrder(done.id, { archive: false });
    await waitForValue(() => listedStatus(done.id), (status) => status === 'closed', 'the closed order in the server index');
    // A new device: no index state stored by an earlier test's engine (y-indexeddb keeps it in its own database).
    for (const name of indexDocNamesFor(users.clerk)) await new Promise((resolve) => Object.assign(indexedDB.deleteDatabase(name), { onsuccess: resolve, onerror: resolve }));
    const engine = await clerkEngine();
    // Read at the very moment each state turns true: the open tabs' rows first; every row not archived or
    // merged (the desk's 审核/回复/回访 queues hold closed orders) at liveLoaded; the archived and merged after.
    let atOpen: Promise<unknown[]> | null = null;
    let atLive: Promise<unknown> | null = null;
    let liveBeforeOpen = false;
    let named: string[] = [];
    const stop = engine.state.watch((state) => {
      if (state.openLoaded && !atOpen) {
        named = engine.openOrderIds();
        liveBeforeOpen = state.liveLoaded;
        atOpen = Promise.all([db.orders.get(open.id), db.orders.get(done.id)]);
      }
      if (state.liveLoaded && !atLive) atLive = db.orders.get(done.id);
    });
    await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the live index');
    stop();
    const [openRow, doneAtOpen] = (await atOpen) ?? [];
    expect(liveBeforeOpen).toBe(false);
    expect(openRow).toMatchObject({ id: open.id, tab: 'other' });
    expect(doneAtOpen).toBeUndefined();
    expect(await atLive).toMatchObject({ id: done.id, tab: 'done', status: 'closed' });
    expect(named).toContain(open.id);
    expect(named).not.toContain(done.id);
  });

  it('names the open orders for download before their rows are written (openKnown, part 6)', async () => {
    const open = await createOrder(server.url);
    // A new device: no index state stored by an earlier test's engine (y-indexeddb keeps it in its own database).
    for (const name of indexDocNamesFor(users.clerk)) await new Promise((resolve) => Object.assign(indexedDB.deleteDatabase(name), { onsuccess: resolve, onerror: resolve }));
    const engine = await clerkEngine();
    let atKnown: { openLoaded: boolean; named: string[] } | null = null;
    const stop = engine.state.watch((state) => {
      if (state.openKnown && !atKnown) atKnown = { openLoaded: state.openLoaded, named: engine.openOrderIds() };
    });
    await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the live index');
    stop();
    expect(atKnown).toEqual({ openLoaded: false, named: expect.arrayContaining([open.id]) });
  });
});

describe('SyncEngine and archive index docs', () => {
  it('keeps an order that leaves the live index for its archive, and lists it from the kept archive offline after a restart', async () => {
    const order = await createOrder(server.url);
    const engine = await clerkEngine();
    await waitForValue(() => db.orders.get(order.id), (row) => row !== undefined, 'the order listed from the live index');
    await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the live index');

    // Watch the row the whole time: it must never be missing.
    let vanished = false;
    const watching = setInterval(() => void db.orders.get(order.id).then((row) => (vanished ||= row === undefined)), 20);
    try {
      const closedAt = await closeOrder(order.id);
      const month = cstMonthOf(closedAt);
      // Archived, it leaves the live index at once: the engine follows it into the month's archive.
      await waitForValue(() => engine.archives.value, (a) => typeof a.months[month] === 'number' && a.loading.length === 0, 'the archive of its month kept and received');
      const row = await waitForValue(() => db.orders.get(order.id), (r) => r?.status === 'archived', 'the row, archived');
      expect(row?.id).toBe(order.id);
      expect(Object.keys((await getSessionValue(db, 'archives')) ?? {})).toContain(month);
    } finally {
      clearInterval(watching);
    }
    expect(vanished).toBe(false);

    // A month asked for (数据分析 of an earlier month): fetched and kept too, empty as it is.
    const earlier = previousMonth(cstMonthOf(Date.now()));
    engine.openArchives([earlier]);
    await waitForValue(() => engine.archives.value, (a) => typeof a.months[earlier] === 'number' && a.loading.length === 0, 'the earlier month received');
    await engine.stop();

    // Offline start with the rows gone: the live index no longer lists the order, the kept archive does.
    const offline = await clerkEngine('ws://127.0.0.1:9/sync');
    const again = await waitForValue(() => db.orders.get(order.id), (r) => r !== undefined, 'the order listed offline from the stored archive');
    expect(again?.status).toBe('archived');
    expect(Object.keys(offline.archives.value.months)).toEqual(expect.arrayContaining([earlier, cstMonthOf(Date.now())]));
  }, 120_000);
});
