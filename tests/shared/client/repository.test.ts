/** The order repository on fake-indexeddb: an action is journalled before it reaches the doc, and replayed when the doc lost it. */
import 'fake-indexeddb/auto';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { ActionRefused, OrderRepository, type InboxCounts, type InboxRow, type SeedOrder } from '#shared/client/repository.ts';
import { saveSession } from '#shared/client/session.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { pendingEvents } from '#shared/local/journal.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { readEvents } from '#shared/sync/order-doc.ts';
import { HOUR, History, T0, intake, payloads, users } from '../support/builders.ts';
import { openTestDb } from '../local/helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;
let clock: number;

const ORDER = intake();
/** Dispatched to the worker's grid by the clerk: the worker may accept it. */
const dispatched = (): SeedOrder => {
  const history = new History();
  history.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + HOUR);
  return { intake: ORDER, events: history.events };
};

function repository(seed: SeedOrder | null = dispatched()): OrderRepository {
  return new OrderRepository({ db, docs, user: () => users.worker, random: seededRandomBytes(3), now: () => clock, seed: () => seed });
}

beforeEach(async () => {
  ({ db, close } = openTestDb());
  docs = new OrderDocs({ db });
  clock = T0 + 2 * HOUR;
  await saveSession(db, { user: users.worker, token: 't', expiresAt: T0 + 100 * HOUR, serverTime: clock, receivedAt: clock, place: null }, seededRandomBytes(1));
});

afterEach(async () => {
  await docs.closeAll();
  await close();
  await clearDocStore();
});

async function clearDocStore(): Promise<void> {
  const persistence = new IndexeddbPersistence(orderDocName(ORDER.id), new Y.Doc());
  await persistence.whenSynced;
  await persistence.clearData();
}

describe('OrderRepository', () => {
  it('records an action in the journal, the doc and the inbox row', async () => {
    const repo = repository();
    const order = await repo.openOrder(ORDER.id);
    expect(order.current()?.view.status).toBe('dispatched');
    expect((await db.orders.get(ORDER.id))?.status).toBe('dispatched');
    const seen: string[] = [];
    order.subscribe((snapshot) => seen.push(snapshot?.view.status ?? 'none'));

    const event = await repo.act(order, { type: 'accept', payload: {} });
    expect((await pendingEvents(db, ORDER.id)).map((row) => row.id)).toEqual([event.id]);
    expect(readEvents(order.doc).events.map((e) => e.type)).toEqual(['dispatch', 'accept']);
    expect(order.current()?.view.status).toBe('in_progress');
    expect(seen).toEqual(['in_progress']);
    expect((await db.orders.get(ORDER.id))?.tab).toBe('doing');
    order.release();
  });

  it('derives with the receive times the server wrote into the doc, and again when one arrives', async () => {
    const repo = repository();
    const order = await repo.openOrder(ORDER.id);
    const event = await repo.act(order, { type: 'accept', payload: {} });
    expect(order.current()?.view.acceptedAt).toBe(event.at);
    const seen: (number | null)[] = [];
    order.subscribe((snapshot) => seen.push(snapshot?.view.acceptedAt ?? null));
    // The server's receipt, as it arrives over sync.
    order.doc.getMap('received').set(event.id, event.at + HOUR);
    expect(order.current()?.view.acceptedAt).toBe(event.at + HOUR);
    expect(seen).toEqual([event.at + HOUR]);
    order.release();
  });

  it("watches one tab's rows and every tab's count, live, as an action moves the order", async () => {
    const repo = repository();
    const order = await repo.openOrder(ORDER.id);
    let todo: InboxRow[] | null = null;
    let doing: InboxRow[] | null = null;
    let counts: InboxCounts | null = null;
    const stops = [
      repo.watchInboxTab('todo', (rows) => (todo = rows)),
      repo.watchInboxTab('doing', (rows) => (doing = rows)),
      repo.watchInboxCounts((value) => (counts = value)),
    ];
    const seen = () => ({ todo: todo?.map((row) => row.id), doing: doing?.map((row) => row.id), counts });
    await vi.waitFor(() => expect(seen()).toEqual({ todo: [ORDER.id], doing: [], counts: { todo: 1, doing: 0, done: 0, other: 0, all: 1 } }));
    await repo.act(order, { type: 'accept', payload: {} });
    await vi.waitFor(() => expect(seen()).toEqual({ todo: [], doing: [ORDER.id], counts: { todo: 0, doing: 1, done: 0, other: 0, all: 1 } }));
    for (const stop of stops) stop();
    order.release();
  });

  it('stamps quick successive actions in order, each after the last', async () => {
    const repo = repository();
    const order = await repo.openOrder(ORDER.id);
    const accept = repo.act(order, { type: 'accept', payload: {} });
    const progress = repo.act(order, { type: 'progress', payload: { text: '已到场' } });
    const [a, p] = await Promise.all([accept, progress]);
    expect(a.hlc < p.hlc).toBe(true);
    expect(order.current()?.view.timeline.every((entry) => entry.applied)).toBe(true);
    order.release();
  });

  it('refuses an invalid action without recording anything', async () => {
    const repo = repository();
    const order = await repo.openOrder(ORDER.id);
    const refused = await repo.act(order, { type: 'return', payload: { code: 'other', reason: '' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ActionRefused);
    expect((refused as ActionRefused).errors[0]?.field).toBe('payload.reason');
    expect((refused as ActionRefused).code).toBe('invalid');
    expect(await pendingEvents(db)).toEqual([]);
    order.release();
  });

  it('refuses an action with nobody signed in, or before the device has a clock, by a code the pages word', async () => {
    const nobody = new OrderRepository({ db, docs, user: () => null, random: seededRandomBytes(3), now: () => clock, seed: () => dispatched() });
    const order = await nobody.openOrder(ORDER.id);
    expect(await nobody.act(order, { type: 'accept', payload: {} }).catch((error: unknown) => error)).toMatchObject({ code: 'signed_out' });
    order.release();
    await db.session.delete('hlc');
    const repo = repository();
    const again = await repo.openOrder(ORDER.id);
    expect(await repo.act(again, { type: 'accept', payload: {} }).catch((error: unknown) => error)).toMatchObject({ code: 'no_clock' });
    expect(await pendingEvents(db)).toEqual([]);
    again.release();
  });

  it('replays journalled events into a doc whose store lost them (y-indexeddb #28)', async () => {
    const repo = repository();
    const order = await repo.openOrder(ORDER.id);
    const event = await repo.act(order, { type: 'accept', payload: {} });
    order.release();
    await docs.closeAll();
    // The tab died before y-indexeddb wrote the update: its store has only the seeded state.
    await clearDocStore();
    const seedOnly = new Y.Doc();
    const persistence = new IndexeddbPersistence(orderDocName(ORDER.id), seedOnly);
    await persistence.whenSynced;
    const seed = dispatched();
    seedOnly.transact(() => {
      seedOnly.getMap('intake').set('data', JSON.parse(JSON.stringify(seed.intake)) as Record<string, unknown>);
      seedOnly.getArray('events').push(seed.events.map((e) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>));
    });
    await persistence.destroy();

    const reopened = await repository(null).openOrder(ORDER.id);
    expect(readEvents(reopened.doc).events.map((e) => e.id)).toContain(event.id);
    expect(reopened.current()?.view.status).toBe('in_progress');
    reopened.release();
  });

  it('stores a photo and its upload in one step, then records it on the order', async () => {
    const repo = repository();
    const order = await repo.openOrder(ORDER.id);
    await repo.act(order, { type: 'accept', payload: {} });
    const blob = new Blob([Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)], { type: 'image/jpeg' });
    const sha256 = 'a'.repeat(64);
    await repo.addPhoto(order, { sha256, blob, thumb: blob, mime: 'image/jpeg', size: 4, width: 10, height: 10 }, { kind: 'handling', takenAt: clock, location: { kind: 'none', reason: 'indoors' } });
    expect((await db.uploads.get(sha256))?.state).toBe('queued');
    expect(order.current()?.view.photos.map((p) => p.sha256)).toEqual([sha256]);
    order.release();
  });

  it('creates a field report that is journalled and listed', async () => {
    const repo = repository(null);
    const report = intake({ id: 'fr-abc', orderNo: 'FR-ABC1', source: 'field_report', channel: 'field', reportedBy: users.worker.id });
    await repo.createFieldReport(report);
    expect((await db.intakes.get('fr-abc'))?.unsynced).toBe(1);
    expect((await db.orders.get('fr-abc'))?.status).toBe('pending_dispatch');
    const opened = await repo.openOrder('fr-abc');
    expect(opened.current()?.intake.orderNo).toBe('FR-ABC1');
    opened.release();
    await docs.closeAll();
    const store = new IndexeddbPersistence(orderDocName('fr-abc'), new Y.Doc());
    await store.whenSynced;
    await store.clearData();
  });

  it('journals a 自行处置 report\'s close before its doc opens, so the first sync carries both', async () => {
    const repo = repository(null);
    const report = intake({ id: 'fr-self', orderNo: 'SB-D1-S1-C1-G1-20261102-ABC1', source: 'field_report', channel: 'field', reportedBy: users.worker.id, selfHandled: true });
    await repo.createFieldReport(report, [{ type: 'close', payload: { ...payloads.close([]), photos: { handling: [] } } }]);
    expect((await pendingEvents(db)).map((row) => [row.orderId, row.event.type])).toEqual([['fr-self', 'close']]);
    expect((await db.orders.get('fr-self'))?.status).toBe('closed');
    const opened = await repo.openOrder('fr-self');
    expect(opened.current()?.view).toMatchObject({ status: 'closed', assignee: users.worker.id, conflicts: [] });
    opened.release();
    await docs.closeAll();
    const store = new IndexeddbPersistence(orderDocName('fr-self'), new Y.Doc());
    await store.whenSynced;
    await store.clearData();
  });
});
