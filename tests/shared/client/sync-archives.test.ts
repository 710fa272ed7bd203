/**
 * Issue 18: the sync engine reads archive index docs. A closed order leaving
 * the live index for its month's archive stays on the device that listed it
 * (the engine keeps that month from then on), a month asked for is fetched
 * and kept in y-indexeddb, and a later start lists it offline.
 */
import 'fake-indexeddb/auto';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import { LianxinApi, syncUrl } from '#shared/client/api.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { saveSession } from '#shared/client/session.ts';
import { SyncEngine, indexDocNamesFor } from '#shared/client/sync.ts';
import { getSessionValue, type LianxinDb } from '#shared/local/db.ts';
import { cstMonthOf, previousMonth } from '#shared/order/index-placement.ts';
import { payloads } from '../support/builders.ts';
import { PASSWORD, users } from '../../server/support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from '../../server/support/server.ts';
import { BrowserLikeWebSocket, TestClient, createOrder } from '../../server/support/client.ts';
import { acceptedOrder } from '../../server/support/orders-in-progress.ts';
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

async function clerkEngine(url = syncUrl(server.url), api = new LianxinApi({ baseUrl: server.url })): Promise<SyncEngine> {
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
  const { c, w } = await acceptedOrder(clerk, worker, orderId);
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

  it("asks for a never-stored index's bulk read while its database is still opening, then stores and lists it (part 15)", async () => {
    const open = await createOrder(server.url);
    const name = indexDocNamesFor(users.clerk)[0]!;
    for (const doc of indexDocNamesFor(users.clerk)) await new Promise((resolve) => Object.assign(indexedDB.deleteDatabase(doc), { onsuccess: resolve, onerror: resolve }));
    const api = new RecordingApi({ baseUrl: server.url });
    const hold = holdOpen(name);
    try {
      const engine = await clerkEngine(undefined, api);
      // A state that says the list was on the device already: its closed rows would count as all in (the desk's).
      let storedBeforeLoaded = false;
      const stopWatching = engine.state.watch((state) => (storedBeforeLoaded ||= state.listStored && !state.liveLoaded));
      await waitForValue(() => api.answered, (answered) => answered.includes(name), "the index's bulk read answered, its database not open yet");
      expect(engine.state.value.openKnown).toBe(false);
      hold.release();
      await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the live index');
      stopWatching();
      expect(storedBeforeLoaded).toBe(false);
    } finally {
      hold.restore();
    }
    expect(api.asked.filter((asked) => asked === name)).toHaveLength(1);
    expect(await db.orders.get(open.id)).toMatchObject({ id: open.id });
    // Stored as well as applied: a later start reads it back from the device.
    const stored = new Y.Doc();
    const persistence = new IndexeddbPersistence(name, stored);
    await persistence.whenSynced;
    expect(stored.getMap('orders').has(open.id)).toBe(true);
    await persistence.destroy();
    stored.destroy();
  });

  it('reads an index held on the device first and asks for no bulk read of it; one listed as new after all is merged, not put over it (part 15)', async () => {
    const before = await createOrder(server.url);
    const name = indexDocNamesFor(users.clerk)[0]!;
    const first = await clerkEngine();
    await waitForValue(() => first.state.value.indexLoaded, Boolean, 'the first sync');
    await first.stop();
    engines.splice(0);
    const after = await createOrder(server.url);

    const held = new RecordingApi({ baseUrl: server.url });
    const again = await clerkEngine(undefined, held);
    await waitForValue(() => again.state.value.indexLoaded, Boolean, 'the second start');
    expect(held.asked).not.toContain(name);
    await again.stop();
    engines.splice(0);

    // A list of databases that misses it (a database made since the list was taken): the bulk read is asked
    // beside the open, and the state the device held stays, with the server's news beside it.
    const latest = await createOrder(server.url);
    const databases = vi.spyOn(indexedDB, 'databases').mockResolvedValue([]);
    try {
      const unlisted = new RecordingApi({ baseUrl: server.url });
      const third = await clerkEngine(undefined, unlisted);
      await waitForValue(() => third.state.value.indexLoaded, Boolean, 'the third start');
      expect(unlisted.asked).toContain(name);
    } finally {
      databases.mockRestore();
    }
    for (const order of [before, after, latest]) expect(await db.orders.get(order.id)).toMatchObject({ id: order.id });
  });
});

/** An API that records the names of every bulk read asked of it, when asked. */
class RecordingApi extends LianxinApi {
  readonly asked: string[] = [];
  readonly answered: string[] = [];
  override async fetchDocs(token: string, names: readonly string[]) {
    this.asked.push(...names);
    const docs = await super.fetchDocs(token, names);
    this.answered.push(...names);
    return docs;
  }
}

/**
 * Holds the opening of the named IndexedDB database until `release` is called: the request is made then, and
 * its events handed to the handlers set on the one returned now (y-indexeddb's open: lib0 `openDB`).
 */
function holdOpen(name: string): { release: () => void; restore: () => void } {
  const factory = indexedDB;
  const open = factory.open.bind(factory);
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  factory.open = (asked: string, version?: number) => {
    if (asked !== name) return open(asked, version);
    const handlers: Partial<Pick<IDBOpenDBRequest, 'onsuccess' | 'onerror' | 'onupgradeneeded' | 'onblocked'>> = {};
    void held.then(() => {
      const request = open(asked, version);
      request.onupgradeneeded = (event) => handlers.onupgradeneeded?.call(request, event);
      request.onsuccess = (event) => handlers.onsuccess?.call(request, event);
      request.onerror = (event) => handlers.onerror?.call(request, event);
    });
    return handlers as IDBOpenDBRequest;
  };
  return { release, restore: () => void delete (factory as Partial<IDBFactory>).open };
}

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
