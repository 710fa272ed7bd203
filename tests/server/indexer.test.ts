/**
 * The indexer in process (server/sync/indexer.ts), on a Hocuspocus instance
 * without sockets and a store whose writes the test holds: an index doc lists
 * an order for a new reader only once the row that lets that reader open the
 * order is stored (a clerk or worker who sees the summary opens the order,
 * and access reads the row); an unchanged row is not written; the writes of
 * one event-loop turn reach an index doc in one transaction; an unchanged summary is
 * not written again; a summary derived from fewer events than the entry
 * shows (another instance indexed later ones) does not replace it, nor does
 * a row of fewer events replace the stored one (and such a run moves no entry);
 * the entry does not wait for the photo references' commit, the run does.
 */
import * as Y from 'yjs';
import { Hocuspocus } from '@hocuspocus/server';
import { afterEach, describe, expect, it } from 'vitest';
import { buildOrgTree } from '#shared/org/units.ts';
import { mayOpenOrder } from '#shared/org/scope.ts';
import { communityIndexDocName, gridIndexDocName, INDEX_ORDERS_MAP, orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { appendEvents, initOrderDoc } from '#shared/sync/order-doc.ts';
import { summarizeOrder } from '#shared/order/summary.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import { Indexer } from '../../server/sync/indexer.ts';
import { keptEncoding } from '../../server/sync/encoded-values.ts';
import { newOrderRow } from '../../server/sync/order-row.ts';
import type { DeletedDocs, OrderRow, PhotoRef } from '../../server/store/store.ts';
import { intake as buildIntake, payloads, T0, users, Writer } from '../shared/support/builders.ts';
import { waitFor } from '../support/wait.ts';
import { units } from './support/fixture.ts';

const tree = buildOrgTree(units);

/** Order rows in memory; while `hold` is set, saveOrder waits for it. */
class HeldStore {
  readonly rows = new Map<string, OrderRow>();
  saves = 0;
  reads = 0;
  hold: Promise<void> | null = null;

  async getOrder(id: string): Promise<OrderRow | null> {
    this.reads += 1;
    return this.rows.get(id) ?? null;
  }
  async getOrderByNo(orderNo: string): Promise<OrderRow | null> {
    return [...this.rows.values()].find((row) => row.orderNo === orderNo) ?? null;
  }
  /** As the stores do: never a row of fewer events over one of more. */
  async saveOrder(row: OrderRow): Promise<boolean> {
    this.saves += 1;
    if (this.hold) await this.hold;
    if ((this.rows.get(row.id)?.eventCount ?? 0) > row.eventCount) return false;
    this.rows.set(row.id, row);
    return true;
  }
  /** Photo references stored, as `sha256 attachedBy`; while `refsHold` is set, addPhotoRefs waits for it (and fails if it rejects). */
  readonly refs = new Set<string>();
  refsHold: Promise<void> | null = null;
  /** No index generations here: the indexer never rolls one over without `generations`. */
  async deleteDocs(): Promise<DeletedDocs> {
    throw new Error('deleteDocs: no index generations in these tests');
  }
  async addPhotoRefs(_orderId: string, refs: readonly PhotoRef[]): Promise<void> {
    if (this.refsHold) await this.refsHold;
    for (const ref of refs) this.refs.add(`${ref.sha256} ${ref.attachedBy}`);
  }
}

let hocuspocus: Hocuspocus | null = null;
let indexer: Indexer | null = null;
afterEach(async () => {
  await indexer?.close();
  hocuspocus?.closeConnections();
  indexer = null;
  hocuspocus = null;
});

function world(soleRowWriter = false): { hocuspocus: Hocuspocus; indexer: Indexer; store: HeldStore } {
  const store = new HeldStore();
  hocuspocus = new Hocuspocus({ quiet: true });
  indexer = new Indexer({ hocuspocus, store, directory: { tree }, summarize: summarizeOrder, now: () => T0 + 60_000, soleRowWriter });
  return { hocuspocus, indexer, store };
}

/** An order doc held open (as a writer's socket holds it), with its row as first stored. */
async function order(hocuspocus: Hocuspocus, store: HeldStore, intake: OrderIntake) {
  const connection = await hocuspocus.openDirectConnection(orderDocName(intake.id));
  await connection.transact((doc) => initOrderDoc(doc, intake));
  store.rows.set(intake.id, newOrderRow(intake, T0));
  return {
    append: (writer: Writer, draft: Parameters<Writer['write']>[0]) => connection.transact((doc) => appendEvents(doc, [writer.write(draft, T0 + 1000)])),
  };
}

/** The orders an index doc lists, read from the live doc. */
async function listed(hocuspocus: Hocuspocus, name: string): Promise<Y.Map<unknown>> {
  const connection = await hocuspocus.openDirectConnection(name);
  const map = connection.document!.getMap(INDEX_ORDERS_MAP);
  await connection.disconnect({ unloadImmediately: false });
  return map;
}

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('the indexer', () => {
  it('lists an order in a new reader’s index doc only once the row that lets the reader open it is stored', async () => {
    const { hocuspocus, indexer, store } = world();
    // Placed at the street alone: the other grid's worker may open it only as its dispatch target.
    const placed = buildIntake({ id: 'o-street-only', orderNo: '250900000001', place: { districtId: 'd1', streetId: 'd1-s1' } });
    const doc = await order(hocuspocus, store, placed);
    expect(mayOpenOrder(tree, users.otherGridWorker, store.rows.get(placed.id)!).ok).toBe(false);

    let release = () => {};
    store.hold = new Promise((resolve) => (release = resolve));
    await doc.append(new Writer(users.clerk, 1), { type: 'dispatch', payload: { unitId: users.otherGridWorker.unitId, unitKind: 'grid' } });
    indexer.touch(placed.id);
    await waitFor(() => store.saves === 1, 'the row being saved');
    await ticks(20);
    const grid = await listed(hocuspocus, gridIndexDocName(users.otherGridWorker.unitId));
    expect(grid.has(placed.id)).toBe(false);

    release();
    await waitFor(() => grid.has(placed.id), 'the order in the target grid’s index');
    // The moment a reader can see it, the stored row lets that reader open it.
    expect(mayOpenOrder(tree, users.otherGridWorker, store.rows.get(placed.id)!).ok).toBe(true);
    await indexer.idle();
  });

  /** Orders o-a and o-b, each with the worker's first note (which makes them a participant: a row change), both indexed. */
  async function twoIndexedOrders() {
    const { hocuspocus, indexer, store } = world();
    const a = buildIntake({ id: 'o-a', orderNo: '250900000002' });
    const b = buildIntake({ id: 'o-b', orderNo: '250900000003' });
    const docs = [await order(hocuspocus, store, a), await order(hocuspocus, store, b)];
    const writer = new Writer(users.worker, 2);
    for (const doc of docs) await doc.append(writer, { type: 'progress', payload: { text: '已接单' } });
    indexer.touch(a.id);
    indexer.touch(b.id);
    await indexer.idle();
    const street = await listed(hocuspocus, streetIndexDocName('d1-s1'));
    return { indexer, store, a, b, docs, writer, street };
  }

  it('writes one transaction per index doc for the orders indexed in one tick, and nothing for an unchanged summary or row', async () => {
    const { indexer, store, a, b, docs, writer, street } = await twoIndexedOrders();
    expect([...street.keys()].sort()).toEqual(['o-a', 'o-b']);

    const updates: Uint8Array[] = [];
    street.doc!.on('update', (update: Uint8Array) => updates.push(update));
    const saves = store.saves;
    for (const doc of docs) await doc.append(writer, { type: 'progress', payload: { text: '已到现场' } });
    indexer.touch(a.id);
    indexer.touch(b.id);
    await indexer.idle();
    expect(updates).toHaveLength(1);
    // A further note by a participant changes the summary, not the row.
    expect(store.saves).toBe(saves);

    indexer.touch(a.id);
    await indexer.idle();
    expect(updates).toHaveLength(1);
  });

  it('writes one summary object into the grid, community and street docs, encoded once for all their updates (bench/README.md, "Fan-out, part 11")', async () => {
    const { indexer, a, docs, writer, street } = await twoIndexedOrders();
    await docs[0]!.append(writer, { type: 'progress', payload: { text: '已到现场' } });
    indexer.touch(a.id);
    await indexer.idle();
    const intake = buildIntake({ id: 'o-a', orderNo: '250900000002' });
    const grid = await listed(hocuspocus!, gridIndexDocName(intake.place.gridId!));
    const community = await listed(hocuspocus!, communityIndexDocName(intake.place.communityId!));
    const summary = street.get(a.id)!;
    expect(grid.get(a.id)).toBe(summary);
    expect(community.get(a.id)).toBe(summary);
    // Hocuspocus's update listeners encoded the three transactions: the bytes of the first encoding were kept for the others.
    const kept = keptEncoding(summary as object);
    expect(kept).toBeInstanceOf(Uint8Array);
    expect(Object.isFrozen(summary)).toBe(true);
    Y.encodeStateAsUpdate(street.doc!);
    expect(keptEncoding(summary as object)).toBe(kept);
  });

  it('writes the runs that end in one event-loop turn as one transaction per index doc, however many microtasks apart', async () => {
    const { indexer, a, b, docs, writer, street } = await twoIndexedOrders();
    const updates: Uint8Array[] = [];
    street.doc!.on('update', (update: Uint8Array) => updates.push(update));

    for (const doc of docs) await doc.append(writer, { type: 'progress', payload: { text: '已到现场' } });
    // As a group commit's acknowledgements come: the second run starts many microtasks after the first has written.
    indexer.touch(a.id);
    for (let i = 0; i < 50; i++) await Promise.resolve();
    indexer.touch(b.id);
    await indexer.idle();
    expect(updates).toHaveLength(1);
    expect((street.get('o-a') as { eventCount: number }).eventCount).toBe((street.get('o-b') as { eventCount: number }).eventCount);
  });

  it('does not replace an entry by a summary derived from fewer events (an instance whose view lags behind)', async () => {
    const { hocuspocus, indexer, store } = world();
    const placed = buildIntake({ id: 'o-lag', orderNo: '250900000004' });
    const doc = await order(hocuspocus, store, placed);
    const writer = new Writer(users.worker, 3);
    await doc.append(writer, { type: 'progress', payload: { text: '已接单' } });
    indexer.touch(placed.id);
    await indexer.idle();
    const street = await listed(hocuspocus, streetIndexDocName('d1-s1'));
    const mine = street.get(placed.id) as { eventCount: number };
    // Another instance indexed two later events; its entry reached this instance's copy of the index doc.
    const newer = { ...mine, eventCount: mine.eventCount + 2, lastHlc: '' };
    street.set(placed.id, newer);

    indexer.touch(placed.id); // derives this instance's view: fewer events
    await indexer.idle();
    expect(street.get(placed.id)).toEqual(newer);

    // Once this instance's view has more events than the entry, it writes again.
    for (const text of ['到场', '进展', '再进展']) await doc.append(writer, { type: 'progress', payload: { text } });
    indexer.touch(placed.id);
    await indexer.idle();
    expect((street.get(placed.id) as { eventCount: number }).eventCount).toBe(mine.eventCount + 3);
  });

  it('keeps the stored row of more events, and moves no index entry, when its own view lags behind', async () => {
    const { hocuspocus, indexer, store } = world();
    const placed = buildIntake({ id: 'o-behind', orderNo: '250900000005' });
    const doc = await order(hocuspocus, store, placed);
    await doc.append(new Writer(users.worker, 4), { type: 'progress', payload: { text: '已接单' } });
    indexer.touch(placed.id);
    await indexer.idle();
    const mine = store.rows.get(placed.id)!;
    // Another instance has indexed later events, a dispatch to another grid among them: its row names that grid's
    // index doc too, where it listed the order.
    const target = gridIndexDocName(users.otherGridWorker.unitId);
    const newer: OrderRow = { ...mine, status: 'dispatched', targetUnitId: users.otherGridWorker.unitId, eventCount: mine.eventCount + 3, indexDocs: [...mine.indexDocs, target] };
    store.rows.set(placed.id, newer);
    const grid = await listed(hocuspocus, target);
    const street = await listed(hocuspocus, streetIndexDocName('d1-s1'));
    grid.set(placed.id, { ...(street.get(placed.id) as object), eventCount: newer.eventCount });

    indexer.touch(placed.id); // derives this instance's view: fewer events, no dispatch
    await indexer.idle();
    expect(store.rows.get(placed.id)).toEqual(newer);
    expect(grid.has(placed.id), 'the entry in the grid the newer row names').toBe(true);
  });

  it('as the only writer of order rows, reads a loaded order’s row once and then compares with the row it saved', async () => {
    for (const sole of [false, true]) {
      const { hocuspocus, indexer, store } = world(sole);
      const placed = buildIntake({ id: `o-rows-${sole}`, orderNo: sole ? '250900000005' : '250900000006' });
      const doc = await order(hocuspocus, store, placed);
      const writer = new Writer(users.worker, 4);
      for (const text of ['已接单', '已到现场', '处理中']) {
        await doc.append(writer, { type: 'progress', payload: { text } });
        indexer.touch(placed.id);
        await indexer.idle();
      }
      // The first note made the worker a participant (one save); the later ones change the summary only.
      expect(store.saves).toBe(1);
      expect(store.reads).toBe(sole ? 1 : 3);
      // A dispatch changes the row: saved again, and what is kept is the row saved.
      await doc.append(new Writer(users.clerk, 5), { type: 'dispatch', payload: { unitId: users.otherGridWorker.unitId, unitKind: 'grid' } });
      indexer.touch(placed.id);
      await indexer.idle();
      expect(store.saves).toBe(2);
      await doc.append(writer, { type: 'progress', payload: { text: '再进展' } });
      indexer.touch(placed.id);
      await indexer.idle();
      expect(store.saves).toBe(2);
      expect(store.rows.get(placed.id)!.targetUnitId).toBe(users.otherGridWorker.unitId);
      await indexer.close();
      hocuspocus.closeConnections();
    }
  });

  it('writes the entry without waiting for the photo references to be durable; the run ends once they are, and a failed write is done again', async () => {
    const { hocuspocus, indexer, store } = world();
    const placed = buildIntake({ id: 'o-photo', orderNo: '250900000007' });
    const doc = await order(hocuspocus, store, placed);
    let fail = (_error: Error) => {};
    store.refsHold = new Promise((_resolve, reject) => (fail = reject));
    await doc.append(new Writer(users.worker, 5), { type: 'photo_added', payload: payloads.photo(1) });
    indexer.touch(placed.id);
    const street = await listed(hocuspocus, streetIndexDocName('d1-s1'));
    await waitFor(() => (street.get(placed.id) as { eventCount?: number } | undefined)?.eventCount === 1, 'the entry with the photo event');
    expect(store.refs.size).toBe(0);
    let idle = false;
    const ended = indexer.idle().then(() => (idle = true));
    await ticks(20);
    expect(idle, 'the run waits for the references').toBe(false);

    fail(new Error('disk full'));
    await ended;
    expect(store.refs.size).toBe(0);
    store.refsHold = null;
    indexer.touch(placed.id);
    await indexer.idle();
    expect(store.refs.size, 'written by the next run').toBe(1);
  });
});
