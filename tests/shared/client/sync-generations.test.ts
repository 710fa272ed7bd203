/**
 * The sync engine follows a live index doc's generations (docs/SERVER.md, "Index docs in generations"): a device
 * holding generation n opens n+1 once the server names it, forgets n's database once n+1 has synced, and keeps
 * the orders' rows throughout; a device offline across two rollovers ends on the current generation. Against a
 * real server whose rollover floor is 1 KB: a street's index of two orders rolls over after a few hundred notes.
 */
import 'fake-indexeddb/auto';
import { liveQuery } from 'dexie';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import { LianxinApi, syncUrl } from '#shared/client/api.ts';
import { listDatabases } from '#shared/client/device.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { saveSession } from '#shared/client/session.ts';
import { SyncEngine, indexDocNamesFor } from '#shared/client/sync.ts';
import { getSessionValue, type LianxinDb } from '#shared/local/db.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import { INDEX_META_MAP, INDEX_ORDERS_MAP, indexGenerationDocName, liveIndexGeneration, NEXT_GENERATION_KEY, orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { payloads } from '../support/builders.ts';
import { PASSWORD, users } from '../../server/support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from '../../server/support/server.ts';
import { BrowserLikeWebSocket, TestClient, createOrder } from '../../server/support/client.ts';
import { openTestDb } from '../local/helpers.ts';
import { waitFor, waitForValue } from '../../support/wait.ts';

const street = streetIndexDocName('d1-s1');
let server: ServerProcess;
let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;
const engines: SyncEngine[] = [];
const clients: TestClient[] = [];

type Handle = Awaited<ReturnType<ReturnType<TestClient['open']>['synced']>>;
/** Two orders in progress at the grid's worker, whose notes rewrite their summaries in turn. */
let orders: { id: string; w: Handle }[] = [];
let worker: TestClient;
let notes = 0;

beforeAll(async () => {
  // A rollover floor of 1 KB (the street rolls over at twice its two entries); orders and users may write enough notes for three.
  server = await startServer({ env: { INDEX_ROLLOVER: '1KB', COMPACT_MIN_BYTES: '256', COMPACT_DEBOUNCE: '50ms', ORDER_MAX_EVENTS: '5000', USER_DAILY_EVENTS: '100000' } });
  const clerk = await TestClient.connect(server, users.clerk, 81);
  worker = await TestClient.connect(server, users.worker, 82);
  clients.push(clerk, worker);
  for (let i = 0; i < 2; i++) {
    const order = await createOrder(server.url);
    const c = await clerk.open(orderDocName(order.id), new Y.Doc()).synced();
    c.append(clerk.write(c, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
    expect(await c.settled()).toBeNull();
    const w = await worker.open(orderDocName(order.id), new Y.Doc()).synced();
    await waitFor(() => w.events().length === 1, 'the dispatch at the worker');
    w.append(worker.write(w, { type: 'accept', payload: {} }, worker.at(1000)));
    expect(await w.settled()).toBeNull();
    orders.push({ id: order.id, w });
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

async function clerkEngine(): Promise<SyncEngine> {
  const api = new LianxinApi({ baseUrl: server.url });
  const signedIn = await api.login(users.clerk.id, PASSWORD);
  await saveSession(db, signedIn, seededRandomBytes(9));
  const engine = new SyncEngine({ db, docs, url: syncUrl(server.url), token: signedIn.token, user: users.clerk, indexDocs: indexDocNamesFor(users.clerk), api, WebSocketPolyfill: BrowserLikeWebSocket });
  engines.push(engine);
  engine.start();
  return engine;
}

/** Notes on the two orders in turn until the street's index generation `generation` names its successor; returns it. */
async function rollOver(generation: number): Promise<string> {
  const reader = await TestClient.connect(server, users.clerk, 90 + generation);
  try {
    const live = (await reader.open(indexGenerationDocName(street, generation), new Y.Doc()).synced()).doc;
    const successor = () => live.getMap(INDEX_META_MAP).get(NEXT_GENERATION_KEY);
    const indexed = () => orders.every(({ id, w }) => (live.getMap<OrderSummary>(INDEX_ORDERS_MAP).get(id)?.eventCount ?? 0) >= w.events().length);
    await waitFor(() => indexed() || successor() !== undefined, 'the orders in the index');
    for (let n = 0; n < 3000 && successor() === undefined; n++) {
      const { w } = orders[notes % 2]!;
      notes += 1;
      w.append(worker.write(w, { type: 'progress', payload: { text: `进展${notes}` } }, worker.at(2000 + notes)));
      expect(await w.settled()).toBeNull();
      await waitFor(() => indexed() || successor() !== undefined, 'the note indexed');
    }
    expect(successor()).toBe(indexGenerationDocName(street, generation + 1));
    return indexGenerationDocName(street, generation + 1);
  } finally {
    reader.close();
  }
}

const ids = () => orders.map(({ id }) => id);
const rowsListed = async (): Promise<number> => (await db.orders.bulkGet(ids())).filter((row) => row !== undefined).length;
const databases = async (): Promise<ReadonlySet<string>> => (await listDatabases()) ?? new Set();

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
    const first = await clerkEngine();
    await waitForValue(() => first.state.value.indexLoaded, Boolean, 'the index loaded');
    const held = (await getSessionValue(db, 'indexGenerations'))?.[street] ?? street;
    const generation = liveIndexGeneration(held)!.generation;
    await first.stop();
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
});
