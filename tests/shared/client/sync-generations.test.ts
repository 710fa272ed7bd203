/**
 * The sync engine follows a live index doc's generations (docs/SERVER.md, "Index docs in generations"): a device
 * holding generation n opens n+1 once the server names it, forgets n's database once n+1 has synced, and keeps
 * the orders' rows throughout; a device offline across two rollovers ends on the current generation; an order that
 * left for its archive month while the device was on the old generation is followed there; a generation is
 * recorded only once it has synced, and a superseded generation's database left by a tab closed mid-switch goes at
 * the next start. Against a real server whose rollover floor is 1 KB: a street's index of two orders rolls over
 * after a few hundred notes.
 */
import 'fake-indexeddb/auto';
import { join } from 'node:path';
import { liveQuery } from 'dexie';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import { LianxinApi, syncUrl } from '#shared/client/api.ts';
import { listDatabases } from '#shared/client/device.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { saveSession } from '#shared/client/session.ts';
import { SyncEngine, indexDocNamesFor } from '#shared/client/sync.ts';
import { getSessionValue, setSessionValue, type LianxinDb } from '#shared/local/db.ts';
import { INDEX_META_MAP, INDEX_ORDERS_MAP, indexGenerationDocName, liveIndexGeneration, NEXT_GENERATION_KEY, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { runAdmin } from '#server/admin.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { payloads } from '../support/builders.ts';
import { PASSWORD, users } from '../../server/support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from '../../server/support/server.ts';
import { BrowserLikeWebSocket, TestClient, createOrder, type DocHandle } from '../../server/support/client.ts';
import { acceptedOrder, noteUntilRolledOver } from '../../server/support/orders-in-progress.ts';
import { openTestDb } from '../local/helpers.ts';
import { waitFor, waitForValue } from '../../support/wait.ts';

const street = streetIndexDocName('d1-s1');
let server: ServerProcess;
let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;
const engines: SyncEngine[] = [];
const clients: TestClient[] = [];

/** Two orders in progress at the grid's worker, whose notes rewrite their summaries in turn. */
let orders: { id: string; w: DocHandle }[] = [];
let worker: TestClient;
let notes = 0;

beforeAll(async () => {
  // A rollover floor of 1 KB (the street rolls over at twice its two entries); orders and users may write enough notes for three.
  server = await startServer({ env: { INDEX_ROLLOVER: '1KB', COMPACT_MIN_BYTES: '256', COMPACT_DEBOUNCE: '50ms', COMPACT_MAX_DEBOUNCE: '200ms', ORDER_MAX_EVENTS: '5000', USER_DAILY_EVENTS: '100000' } });
  const clerk = await TestClient.connect(server, users.clerk, 81);
  worker = await TestClient.connect(server, users.worker, 82);
  clients.push(clerk, worker);
  for (let i = 0; i < 2; i++) {
    const { id } = await createOrder(server.url);
    orders.push({ id, w: (await acceptedOrder(clerk, worker, id)).w });
  }
}, 60_000);

afterAll(async () => {
  for (const client of clients.splice(0)) client.close();
  orders = [];
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

/** `offline`: signed in, then started with the server out of reach (its socket and its bulk read). */
async function clerkEngine(offline = false): Promise<SyncEngine> {
  const online = new LianxinApi({ baseUrl: server.url });
  const signedIn = await online.login(users.clerk.id, PASSWORD);
  await saveSession(db, signedIn, seededRandomBytes(9));
  const url = offline ? 'ws://127.0.0.1:9/sync' : syncUrl(server.url);
  const api = offline ? new LianxinApi({ baseUrl: 'http://127.0.0.1:9/' }) : online;
  const engine = new SyncEngine({ db, docs, url, token: signedIn.token, user: users.clerk, indexDocs: indexDocNamesFor(users.clerk), api, WebSocketPolyfill: BrowserLikeWebSocket });
  engines.push(engine);
  engine.start();
  return engine;
}

/** Notes on the two orders in turn until the street's index generation `generation` names its successor; returns it. */
async function rollOver(generation: number): Promise<string> {
  const reader = await TestClient.connect(server, users.clerk, 90 + generation);
  try {
    const live = (await reader.open(indexGenerationDocName(street, generation), new Y.Doc()).synced()).doc;
    notes += await noteUntilRolledOver(worker, orders, live, notes);
    expect(live.getMap(INDEX_META_MAP).get(NEXT_GENERATION_KEY)).toBe(indexGenerationDocName(street, generation + 1));
    return indexGenerationDocName(street, generation + 1);
  } finally {
    reader.close();
  }
}

const ids = () => orders.map(({ id }) => id);
const rowsListed = async (): Promise<number> => (await db.orders.bulkGet(ids())).filter((row) => row !== undefined).length;
const databases = async (): Promise<ReadonlySet<string>> => (await listDatabases()) ?? new Set();
/** The databases of the street index's generations on this device, sorted. */
const generationsStored = async (): Promise<string[]> => [...(await databases())].filter((name) => liveIndexGeneration(name)?.base === street).sort();
/** The street index's generation this device recorded (the base when none). */
const recorded = async (): Promise<string> => (await getSessionValue(db, 'indexGenerations'))?.[street] ?? street;

/** The street index's current generation, as the server's bulk read names it. */
async function currentGeneration(): Promise<string> {
  const api = new LianxinApi({ baseUrl: server.url });
  const { token } = await api.login(users.clerk.id, PASSWORD);
  const entry = (await api.fetchDocs(token, [street]))[street];
  return entry && 'moved' in entry ? entry.moved : street;
}

/** A new device's engine on the current generation (the bulk read sends it from the base), stopped once it has recorded it; returns it. */
async function deviceOnCurrentGeneration(): Promise<string> {
  const engine = await clerkEngine();
  await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the index loaded');
  const current = await currentGeneration();
  // Recorded once it has synced, beside the rows' write (`indexLoaded`): waited for, not read at once.
  await waitForValue(recorded, (name) => name === current, 'the current generation recorded');
  await engine.stop();
  return current;
}

describe('SyncEngine: live index docs in generations', () => {
  it('follows its street’s index to the next generation, keeps the rows throughout, and forgets the old generation’s database', async () => {
    const engine = await clerkEngine();
    await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the index loaded');
    await waitForValue(rowsListed, (n) => n === 2, 'both orders listed');
    // Every state of the rows from here on: never fewer than both orders (no flicker, none forgotten as "left").
    let fewest = 2;
    const watching = liveQuery(rowsListed).subscribe({ next: (n) => (fewest = Math.min(fewest, n)) });
    try {
      const next = await rollOver(0);
      await waitForValue(() => getSessionValue(db, 'indexGenerations'), (stored) => stored?.[street] === next, 'the device on generation 1');
      await waitForValue(async () => (await databases()).has(street), (held) => !held, 'generation 0’s database deleted');
      expect((await databases()).has(next)).toBe(true);
      await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the index loaded');
      // A note after the switch reaches the device through generation 1.
      const { id, w } = orders[0]!;
      notes += 1;
      w.append(worker.write(w, { type: 'progress', payload: { text: '切换之后' } }, worker.at(2000 + notes)));
      expect(await w.settled()).toBeNull();
      await waitForValue(async () => (await db.orders.get(id))?.lastHlc, (hlc) => hlc === w.events().at(-1)!.hlc, 'the later note in the row');
    } finally {
      watching.unsubscribe();
    }
    expect(fewest).toBe(2);
    expect(await rowsListed()).toBe(2);
  }, 240_000);

  it('a device offline across two rollovers ends on the current generation, the two it missed gone from its storage', async () => {
    // A device that has synced the street's index (a new one: the bulk read sends it from the base to the current generation).
    const held = await deviceOnCurrentGeneration();
    const generation = liveIndexGeneration(held)!.generation;
    // Offline while the street's index rolls over twice.
    await rollOver(generation);
    const current = await rollOver(generation + 1);
    const engine = await clerkEngine();
    await waitForValue(() => getSessionValue(db, 'indexGenerations'), (stored) => stored?.[street] === current, 'the device on the current generation');
    await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the index loaded');
    await waitForValue(
      async () => [...(await databases())].filter((name) => name.startsWith(`${street}:gen:`) || name === street).sort(),
      (held) => held.length === 1 && held[0] === current,
      'only the current generation’s database kept',
    );
    expect(await rowsListed()).toBe(2);
  }, 300_000);
  it('an order that left for its archive month while the device was on the old generation is followed there, its row kept', async () => {
    // X: closed by the grid's worker, not yet archived: listed in the live index (已办).
    const x = await createOrder(server.url);
    const clerk = await TestClient.connect(server, users.clerk, 61);
    const wk = await TestClient.connect(server, users.worker, 62);
    clients.push(clerk, wk);
    const { c, w } = await acceptedOrder(clerk, wk, x.id);
    w.append(wk.write(w, { type: 'close', payload: payloads.close([]) }, wk.at(2000)));
    expect(await w.settled()).toBeNull();
    const first = await clerkEngine();
    await waitForValue(() => first.state.value.indexLoaded, Boolean, 'the index loaded');
    await waitForValue(async () => (await db.orders.get(x.id))?.status, (status) => status === 'closed', 'X listed on the device');
    const held = await currentGeneration();
    await waitForValue(recorded, (name) => name === held, 'the current generation recorded');
    await first.stop();
    // Offline: the street's index rolls over, then X is replied and archived: it leaves the new generation for its month.
    const next = await rollOver(liveIndexGeneration(held)!.generation);
    await waitFor(() => c.events().length === 3, 'the close at the clerk');
    c.append(clerk.write(c, { type: 'portal_reply', payload: {} }, clerk.at(3000)));
    c.append(clerk.write(c, { type: 'archive', payload: {} }, clerk.at(4000)));
    expect(await c.settled()).toBeNull();
    const reader = await TestClient.connect(server, users.clerk, 63);
    clients.push(reader);
    const live = (await reader.open(next, new Y.Doc()).synced()).doc;
    await waitFor(() => !live.getMap(INDEX_ORDERS_MAP).has(x.id), 'X gone from the next generation');
    // Back: the device follows to the next generation; it never saw X leave, in either doc. Its row must never go.
    let forgotten = false;
    const watching = liveQuery(() => db.orders.get(x.id)).subscribe({ next: (row) => (forgotten ||= row === undefined) });
    try {
      await clerkEngine();
      await waitForValue(recorded, (name) => name === next, 'the device on the next generation');
      await waitForValue(async () => (await db.orders.get(x.id))?.status, (status) => status === 'archived', 'X listed by its archive month');
    } finally {
      watching.unsubscribe();
    }
    expect(forgotten).toBe(false);
    expect(Object.keys((await getSessionValue(db, 'archives')) ?? {})).toHaveLength(1);
    await waitForValue(generationsStored, (names) => !names.includes(held), 'the old generation’s database deleted');
  }, 300_000);

  it('records a generation it follows only once that has synced: a device that learnt the successor offline opens its own again', async () => {
    const held = await deviceOnCurrentGeneration();
    const next = await rollOver(liveIndexGeneration(held)!.generation);
    // The device's copy of its generation names the successor (received just before the tab went offline).
    const reader = await TestClient.connect(server, users.clerk, 64);
    clients.push(reader);
    const live = (await reader.open(held, new Y.Doc()).synced()).doc;
    expect(live.getMap(INDEX_META_MAP).get(NEXT_GENERATION_KEY)).toBe(next);
    const copy = new IndexeddbPersistence(held, live);
    await copy.whenSynced;
    await copy.destroy();
    // Offline: the engine follows the stored name and opens the successor, which cannot sync; then the tab closes.
    const offline = await clerkEngine(true);
    await waitForValue(generationsStored, (names) => names.includes(next), 'the successor opened');
    await offline.stop();
    expect(await recorded()).toBe(held);
    // Online again: it follows from its own generation, records the successor once synced, and only that is kept.
    const engine = await clerkEngine();
    await waitForValue(recorded, (name) => name === next, 'the device on the next generation');
    await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the index loaded');
    await waitForValue(generationsStored, (names) => names.length === 1 && names[0] === next, 'only the next generation’s database kept');
    expect(await rowsListed()).toBe(2);
  }, 300_000);

  it('deletes at its start the database of a generation older than the one recorded (a tab closed before it was deleted)', async () => {
    const held = await deviceOnCurrentGeneration();
    expect(await generationsStored()).toContain(held);
    const next = await rollOver(liveIndexGeneration(held)!.generation);
    // The successor recorded, the tab closed before the old generation's database was deleted.
    await setSessionValue(db, 'indexGenerations', { [street]: next });
    const engine = await clerkEngine();
    await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the index loaded');
    await waitForValue(generationsStored, (names) => names.length === 1 && names[0] === next, 'only the recorded generation’s database kept');
    expect(await rowsListed()).toBe(2);
  }, 300_000);

  // Last in the file: it restarts the server, closing the worker's and the clerk's sockets the others use.
  it('a device offline across two rollovers, the generation it holds deleted at the second, still ends on the current one', async () => {
    const held = await deviceOnCurrentGeneration();
    const generation = liveIndexGeneration(held)!.generation;
    await rollOver(generation);
    const current = await rollOver(generation + 1);
    // The second rollover deleted the generation two behind it: the one the device holds.
    await server.logged(new RegExp(`"index_generation_pruned","doc":"${held}"`));
    expect(await server.metrics()).toMatch(/^lianxin_index_generations_pruned_total [1-9]/m);
    for (const client of clients.splice(0)) client.close();
    await server.kill();
    const store = new SqliteStore(join(server.dataDir, 'lianxin.sqlite'));
    try {
      const kept = (await store.listDocs(street)).filter((name) => liveIndexGeneration(name)?.base === street);
      expect(kept).toEqual([indexGenerationDocName(street, generation + 1), current].sort());
    } finally {
      await store.close();
    }
    // The operator's command finds nothing more of this street's to delete (other indexes may have rolled over since).
    const lines: string[] = [];
    expect(await runAdmin(['prune-index'], { DATA_DIR: server.dataDir }, (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toMatch(/^(no superseded index generations to delete|deleted \d+ superseded generations? of \d+ live ind(ex|exes) \(\d+ bytes\))/);
    // Restarted, so that nothing of the held generation is in the server's memory. The device opens the generation it
    // holds (its copy lists both orders, so not through the bulk read); the server sends the current one's name.
    server = await server.restart();
    const engine = await clerkEngine();
    await waitForValue(recorded, (name) => name === current, 'the device on the current generation');
    await waitForValue(() => engine.state.value.indexLoaded, Boolean, 'the index loaded');
    await waitForValue(generationsStored, (names) => names.length === 1 && names[0] === current, 'only the current generation’s database kept');
    expect(await rowsListed()).toBe(2);
  }, 300_000);
});
