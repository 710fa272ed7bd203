/**
 * The sync engine in Node (fake-indexeddb, `ws`) against a real server
 * process: the index feeds the projection, an action is marked synced only
 * once the server holds it, and work done while the engine was down is
 * delivered by the next engine without the order being opened.
 */
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { clearDocument } from 'y-indexeddb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import { LianxinApi, syncUrl } from '#shared/client/api.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { OrderRepository } from '#shared/client/repository.ts';
import { saveSession } from '#shared/client/session.ts';
import { SyncEngine, indexDocNamesFor } from '#shared/client/sync.ts';
import { LianxinDb } from '#shared/local/db.ts';
import { seededDocNames } from '#shared/local/doc-seeds.ts';
import { pendingEvents, recordEvent } from '#shared/local/journal.ts';
import { notifySince } from '#shared/local/notifications.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { appendEvents, readEvents, readIntake } from '#shared/sync/order-doc.ts';
import { Writer, payloads } from '../support/builders.ts';
import type { OrderIntakeRequest } from '#shared/order/intake.ts';
import { PASSWORD, fieldReport, hotlineIntake, places, users } from '../../server/support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from '../../server/support/server.ts';
import { BrowserLikeWebSocket, TestClient } from '../../server/support/client.ts';
import { openTestDb } from '../local/helpers.ts';
import { waitForValue } from '../../support/wait.ts';

let server: ServerProcess;
let api: LianxinApi;
let clerkToken: string;
let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;
let engines: SyncEngine[] = [];

beforeAll(async () => {
  server = await startServer();
  api = new LianxinApi({ baseUrl: server.url });
  clerkToken = (await api.login(users.clerk.id, PASSWORD)).token;
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
  await docs.closeAll();
  await close();
});


async function signInWorker(): Promise<{ token: string; serverTime: number; repo: OrderRepository; startEngine: () => SyncEngine }> {
  const signedIn = await api.login(users.worker.id, PASSWORD);
  await saveSession(db, signedIn, seededRandomBytes(9));
  const repo = new OrderRepository({ db, docs, user: () => users.worker, random: seededRandomBytes(10) });
  const startEngine = () => {
    const engine = new SyncEngine({
      db,
      docs,
      url: syncUrl(server.url),
      token: signedIn.token,
      user: users.worker,
      indexDocs: indexDocNamesFor(users.worker),
      api,
      WebSocketPolyfill: BrowserLikeWebSocket,
    });
    engines.push(engine);
    engine.start();
    return engine;
  };
  return { token: signedIn.token, serverTime: signedIn.serverTime, repo, startEngine };
}

/** The updates y-indexeddb holds for a doc, as stored. */
function storedUpdates(name: string): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const read = open.result.transaction('updates').objectStore('updates').getAll();
      read.onerror = () => reject(read.error);
      read.onsuccess = () => {
        open.result.close();
        resolve(read.result as Uint8Array[]);
      };
    };
  });
}

/** The events of an order as the server has them stored (bulk read, a fresh doc). */
async function serverEvents(orderId: string): Promise<OrderEvent[]> {
  const entry = (await api.fetchDocs(clerkToken, [orderDocName(orderId)]))[orderDocName(orderId)];
  if (!entry || !('update' in entry)) throw new Error(`server did not return ${orderId}`);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, entry.update);
  return readEvents(doc).events;
}

/** An order the street clerk files; the server names it. */
async function newOrder(): Promise<OrderIntakeRequest & { id: string }> {
  const request = hotlineIntake();
  const { id } = await api.createOrders(clerkToken, request);
  return { ...request, id };
}

describe('SyncEngine', () => {
  it('lists the grid from its index doc and marks an action synced once the server has it', async () => {
    const intake = await newOrder();
    const { repo, startEngine } = await signInWorker();
    const engine = startEngine();
    const row = await waitForValue(() => db.orders.get(intake.id), (r) => r !== undefined, 'the index row');
    expect(row).toMatchObject({ orderNo: intake.orderNo, status: 'pending_dispatch' });
    await waitForValue(() => engine.state.value, (s) => s.connection === 'connected' && s.indexLoaded, 'the index');

    const order = await repo.openOrder(intake.id);
    // (Whether it is still pending here races with a fast server; the next test holds the server back.)
    const event = await repo.act(order, { type: 'phone_reveal', payload: {} });
    await waitForValue(() => pendingEvents(db), (rows) => rows.length === 0, 'the durable acknowledgement');
    expect((await serverEvents(intake.id)).map((e) => e.id)).toContain(event.id);
    expect((await db.journal.get(event.id))?.durableAt).not.toBeNull();
    order.release();
  });

  it('acknowledges an action on an order given back and opened again at once (a new provider on the same socket)', async () => {
    const intake = await newOrder();
    const { repo, startEngine } = await signInWorker();
    const engine = startEngine();
    await waitForValue(() => engine.state.value, (s) => s.connection === 'connected' && s.indexLoaded, 'the index');
    for (let round = 0; round < 3; round++) {
      const first = await repo.openOrder(intake.id);
      await waitForValue(() => engine.state.value.docsInFlight, (n) => n === 0, 'the first sync');
      // Given back (the engine's provider for it is destroyed) and taken again with no pause.
      first.release();
      expect(docs.isOpen(intake.id)).toBe(false);
      const again = await repo.openOrder(intake.id);
      const event = await repo.act(again, { type: 'phone_reveal', payload: {} });
      await waitForValue(() => pendingEvents(db), (rows) => rows.length === 0, `the acknowledgement in round ${round}`);
      expect((await serverEvents(intake.id)).map((e) => e.id)).toContain(event.id);
      again.release();
      await waitForValue(() => docs.isOpen(intake.id), (open) => !open, 'the doc to be released');
    }
  }, 120_000);

  it('says the index is loaded only once its rows are written: a read begun at that moment finds them', async () => {
    const intake = await newOrder();
    const { startEngine } = await signInWorker();
    const engine = startEngine();
    // Read at the very moment indexLoaded turns true (the list then may say "暂无工单"): the rows must be there already.
    let atLoaded: Promise<unknown> | null = null;
    const stop = engine.state.watch((state) => {
      if (state.indexLoaded && !atLoaded) atLoaded = db.orders.get(intake.id);
    });
    await waitForValue(() => engine.state.value.indexLoaded, (loaded) => loaded, 'the index');
    stop();
    expect(await atLoaded).toMatchObject({ id: intake.id, orderNo: intake.orderNo });
  });

  it("reads a community handler's community index, which lists the orders of its grids", async () => {
    const intake = await newOrder();
    const signedIn = await api.login(users.community.id, PASSWORD);
    expect(indexDocNamesFor(users.community)).toEqual([`community:${users.community.unitId}`]);
    const engine = new SyncEngine({ db, docs, url: syncUrl(server.url), token: signedIn.token, user: users.community, indexDocs: indexDocNamesFor(users.community), WebSocketPolyfill: BrowserLikeWebSocket });
    engines.push(engine);
    engine.start();
    await waitForValue(() => db.orders.get(intake.id), (row) => row !== undefined, 'the row from the community index');
    await waitForValue(() => engine.state.value.indexLoaded, (loaded) => loaded, 'the community index');
  });

  it('prefetches order docs in bulk, so they open offline', async () => {
    const intake = await newOrder();
    const { startEngine } = await signInWorker();
    const engine = startEngine();
    expect(await engine.prefetch([intake.id, 'o-not-there'])).toBe(1);
    await engine.stop();
    engines = [];
    // No engine, no socket: the doc comes from this device's store alone.
    const handle = await docs.acquire(intake.id);
    expect(readIntake(handle.doc)?.ok).toBe(true);
    handle.release();
  });

  it('downloads open orders as sent in one transaction: after it, offline and relaunched, the order is listed and opens', async () => {
    const intake = await newOrder();
    const { startEngine } = await signInWorker();
    const engine = startEngine();
    await waitForValue(() => engine.state.value.indexLoaded, (loaded) => loaded, 'the index');
    expect(await engine.download([intake.id, 'o-not-there'])).toBe(1);
    // Nothing decoded, no database of its own yet: the state waits as the server sent it.
    expect((await indexedDB.databases()).map((info) => info.name)).not.toContain(orderDocName(intake.id));
    expect((await seededDocNames(db)).has(orderDocName(intake.id))).toBe(true);
    await engine.stop();
    engines = [];
    await docs.closeAll();

    // Relaunched with no server: a new connection to the same database, new docs, no engine, no socket.
    db.close();
    const relaunched = new LianxinDb(db.name);
    const again = new OrderRepository({ db: relaunched, docs: new OrderDocs({ db: relaunched }), user: () => users.worker, random: seededRandomBytes(11) });
    expect(await relaunched.orders.get(intake.id)).toMatchObject({ orderNo: intake.orderNo });
    const order = await again.openOrder(intake.id);
    expect(order.current()?.intake).toMatchObject({ id: intake.id, orderNo: intake.orderNo });
    order.release();
    relaunched.close();
  });

  it('delivers work recorded while it was down, without the order being opened', async () => {
    const intake = await newOrder();
    const { repo, startEngine } = await signInWorker();
    // First a sync to bring the order onto the device, then offline work.
    const first = startEngine();
    const order = await repo.openOrder(intake.id);
    await waitForValue(() => order.current(), (s) => s !== null, 'the order doc');
    await first.stop();
    engines = [];
    const offline = await repo.act(order, { type: 'phone_reveal', payload: { purpose: '联系群众' } });
    order.release();
    expect(docs.isOpen(intake.id)).toBe(false);
    expect((await serverEvents(intake.id)).map((e) => e.id)).not.toContain(offline.id);
    expect((await pendingEvents(db)).map((r) => r.id)).toEqual([offline.id]);

    startEngine();
    await waitForValue(() => pendingEvents(db), (rows) => rows.length === 0, 'the delivery');
    expect((await serverEvents(intake.id)).map((e) => e.id)).toContain(offline.id);
    // Delivered, the engine lets the doc go again.
    await waitForValue(() => docs.isOpen(intake.id), (open) => !open, 'the doc to be released');
  });

  it('delivers a field report made on the device, and the clerk can read it', async () => {
    const { repo, startEngine, serverTime } = await signInWorker();
    // Reported now on the server's clock (a report older than the offline window is refused).
    const report = fieldReport(users.worker, places.grid1, { receivedAt: serverTime, deadline: serverTime + 5 * 86_400_000 });
    const { id } = report;
    await repo.createFieldReport(report);
    expect((await db.intakes.get(id))?.unsynced).toBe(1);
    startEngine();
    await waitForValue(() => db.intakes.get(id), (row) => row?.durableAt !== null, 'the report to be confirmed');
    const entry = (await api.fetchDocs(clerkToken, [orderDocName(id)]))[orderDocName(id)];
    expect(entry && 'update' in entry).toBe(true);
  });

  // It once flaked in full-loop.e2e: the order page closed within the notice's coalescing delay, the
  // pending notice was cancelled, and the index's news was no news (the open doc had projected the row).
  it('records the 派单 of an order the worker had open, when the order is closed the moment it arrives', async () => {
    const { repo, startEngine, serverTime } = await signInWorker();
    const report = fieldReport(users.worker, places.grid1, { receivedAt: serverTime, deadline: serverTime + 5 * 86_400_000 });
    await repo.createFieldReport(report);
    await notifySince(db, serverTime - 60_000);
    startEngine();
    await waitForValue(() => db.intakes.get(report.id), (row) => row?.durableAt !== null, 'the report to be confirmed');
    const order = await repo.openOrder(report.id);
    await waitForValue(() => docs.isOpen(report.id), (open) => open, 'the order open');
    const dispatched = new Promise<void>((resolve) => {
      order.doc.on('update', () => {
        if (readEvents(order.doc).events.some((e) => e.type === 'dispatch')) {
          order.release();
          resolve();
        }
      });
    });

    const clerk = await TestClient.connect(server, users.clerk, 71);
    try {
      const handle = await clerk.open(orderDocName(report.id), new Y.Doc()).synced();
      handle.append(clerk.write(handle, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
      expect(await handle.settled()).toBeNull();
      await dispatched;
      const rows = await waitForValue(() => db.notifications.where('orderId').equals(report.id).toArray(), (r) => r.length > 0, 'the 派单 notification');
      expect(rows.map((r) => r.kind)).toEqual(['dispatch']);
    } finally {
      clerk.close();
    }
  });

  it('knows the list stored at an earlier sync as the list when it starts with no server, and not before it is read', async () => {
    await newOrder();
    const { token, startEngine } = await signInWorker();
    const online = startEngine();
    await waitForValue(() => online.state.value, (s) => s.indexLoaded, 'the first sync');
    expect(online.state.value.listStored).toBe(true);
    await online.stop();
    engines = [];

    // Relaunched with no network: no server answers, the index comes from the device alone.
    const offline = new SyncEngine({ db, docs, url: 'ws://127.0.0.1:9/sync', token, user: users.worker, indexDocs: indexDocNamesFor(users.worker), WebSocketPolyfill: BrowserLikeWebSocket });
    engines.push(offline);
    expect(offline.state.value.listStored).toBe(false);
    offline.start();
    await waitForValue(() => offline.state.value, (s) => s.listStored, 'the stored list read back');
    expect(offline.state.value).toMatchObject({ indexLoaded: false, listStored: true });
  });

  it("stores a new index doc's bulk read as the server sent it (not encoded again), and lists from it offline", async () => {
    const intake = await newOrder();
    const { token } = await signInWorker();
    const [name] = indexDocNamesFor(users.worker);
    // New to this device, whatever the tests before stored: the bulk read brings it.
    await clearDocument(name!);
    const received: Uint8Array[] = [];
    const recording = new (class extends LianxinApi {
      override async fetchDocs(bearer: string, names: readonly string[]) {
        const fetched = await super.fetchDocs(bearer, names);
        const entry = fetched[name!];
        if (entry && 'update' in entry) received.push(entry.update);
        return fetched;
      }
    })({ baseUrl: server.url });
    // Yjs hands a doc's listeners an update only by encoding what the transaction added: none is made for the bulk read's.
    const emit = vi.spyOn(Y.Doc.prototype, 'emit');
    const online = new SyncEngine({ db, docs, url: syncUrl(server.url), token, user: users.worker, indexDocs: [name!], api: recording, WebSocketPolyfill: BrowserLikeWebSocket });
    engines.push(online);
    online.start();
    await waitForValue(() => online.state.value.indexLoaded, (loaded) => loaded, 'the first sync');
    await online.stop();
    engines = [];
    const encoded = emit.mock.calls.filter(([event, args]) => event === 'update' && (args as unknown[])[1] === 'lianxin:bootstrap');
    emit.mockRestore();
    expect(encoded).toHaveLength(0);
    expect(received).toHaveLength(1);
    expect((await storedUpdates(name!)).some((update) => Buffer.from(update).equals(Buffer.from(received[0]!)))).toBe(true);

    // Relaunched with no network, on a device whose rows are gone: the list comes back from that state alone.
    await db.orders.clear();
    const offline = new SyncEngine({ db, docs, url: 'ws://127.0.0.1:9/sync', token, user: users.worker, indexDocs: [name!], WebSocketPolyfill: BrowserLikeWebSocket });
    engines.push(offline);
    offline.start();
    await waitForValue(() => offline.state.value, (s) => s.listStored, 'the stored list read back');
    expect(await db.orders.get(intake.id)).toMatchObject({ id: intake.id, orderNo: intake.orderNo });
  });

  it('reports an update the server refused, and keeps its events as unsynced', async () => {
    const intake = await newOrder();
    const { repo, startEngine } = await signInWorker();
    const engine = startEngine();
    const order = await repo.openOrder(intake.id);
    await waitForValue(() => order.current(), (s) => s !== null, 'the order doc');
    // An event written under someone else's name (a tampered device): the guard refuses it.
    const forged = new Writer(users.clerk, 5).write({ type: 'supervise', payload: { level: 'reminder', note: '伪造的督办' } }, Date.now());
    await recordEvent(db, intake.id, forged);
    appendEvents(order.doc, [forged]);
    const [refusal] = await waitForValue(() => engine.refusals.value, (list) => list.length > 0, 'the refusal');
    expect(refusal).toMatchObject({ orderId: intake.id });
    expect(refusal!.code).toMatch(/actor/);
    expect((await pendingEvents(db)).map((r) => r.id)).toEqual([forged.id]);
    expect((await serverEvents(intake.id)).map((e) => e.id)).not.toContain(forged.id);
    // Kept as refused in the journal (so after a restart too); no longer "in flight".
    expect((await db.journal.get(forged.id))?.refusal?.code).toMatch(/actor/);
    order.release();
    await waitForValue(() => engine.state.value.docsInFlight, (n) => n === 0, 'nothing in flight');
    // Discarded (after an export): the events go, and with them the order's local doc.
    expect(await engine.discardRefused()).toEqual([intake.id]);
    expect(await pendingEvents(db)).toEqual([]);
    await waitForValue(() => engine.refusals.value, (list) => list.length === 0, 'no refusal left');
  });

  it('says the session ended when the server no longer knows the token', async () => {
    const { token } = await signInWorker();
    let ended = 0;
    const engine = new SyncEngine({
      db,
      docs,
      url: syncUrl(server.url),
      token,
      user: users.worker,
      indexDocs: indexDocNamesFor(users.worker),
      WebSocketPolyfill: BrowserLikeWebSocket,
      onSessionEnded: () => (ended += 1),
    });
    await api.logout(token);
    engines.push(engine);
    engine.start();
    await waitForValue(() => engine.state.value.connection, (c) => c === 'signed_out', 'the refusal');
    expect(ended).toBe(1);
  });
});

describe('SyncEngine for a supervisor', () => {
  it('is not loaded while the streets it reads are not known, and is once they are named and their index arrived', async () => {
    const signedIn = await api.login(users.supervisor.id, PASSWORD);
    await saveSession(db, signedIn, seededRandomBytes(11));
    const engine = new SyncEngine({
      db,
      docs,
      url: syncUrl(server.url),
      token: signedIn.token,
      user: users.supervisor,
      // The organisation has not been fetched yet: no streets.
      indexDocs: indexDocNamesFor(users.supervisor, []),
      api,
      WebSocketPolyfill: BrowserLikeWebSocket,
    });
    engines.push(engine);
    engine.start();
    await waitForValue(() => engine.state.value, (s) => s.connection === 'connected', 'the socket');
    // Connected, nothing in flight, no index doc open: still not "loaded" (the sync bar would say 已同步 over nothing).
    expect(engine.state.value).toMatchObject({ docsInFlight: 0, indexLoaded: false });

    engine.addIndexDocs(indexDocNamesFor(users.supervisor, ['d1-s1']));
    await waitForValue(() => engine.state.value, (s) => s.indexLoaded && s.docsInFlight === 0, 'the street index');
  });
});
