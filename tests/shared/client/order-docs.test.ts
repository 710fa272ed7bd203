/**
 * Order docs on fake-indexeddb: shared by reference count, finished orders' databases deleted unless work
 * remains, and states downloaded in bulk (doc seeds) applied when the order is first opened.
 */
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dropDocSeeds, seededDocNames, storeDocSeeds } from '#shared/local/doc-seeds.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { recordEvent } from '#shared/local/journal.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { HOUR, History, T0, users } from '../support/builders.ts';
import { openTestDb } from '../local/helpers.ts';
import { waitForValue } from '../../support/wait.ts';

let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;

beforeEach(() => {
  ({ db, close } = openTestDb());
  docs = new OrderDocs({ db });
});
afterEach(async () => {
  await docs.closeAll();
  await close();
});

const prefix = () => `t${Math.random().toString(36).slice(2, 8)}`;

async function storedDoc(orderId: string): Promise<void> {
  const handle = await docs.acquire(orderId);
  handle.doc.getArray('events').push([{ stored: true }]);
  handle.release();
  // Let y-indexeddb's close finish before the database list is read.
  await new Promise((resolve) => setTimeout(resolve, 20));
}

const databases = async () => new Set((await indexedDB.databases()).map((info) => info.name));

describe('OrderDocs', () => {
  it('shares one doc between holders and closes it with the last release', async () => {
    const id = `${prefix()}-shared`;
    const a = await docs.acquire(id);
    const b = await docs.acquire(id);
    expect(a.doc).toBe(b.doc);
    a.release();
    a.release(); // twice is once
    expect(docs.isOpen(id)).toBe(true);
    b.release();
    expect(docs.isOpen(id)).toBe(false);
  });

  it('forgets finished orders whose work is all confirmed, keeps the rest', async () => {
    const p = prefix();
    const [clean, pending, open, absent] = [`${p}-clean`, `${p}-pending`, `${p}-open`, `${p}-absent`];
    for (const id of [clean, pending, open]) await storedDoc(id);
    await recordEvent(db, pending, new History().by(users.worker).do({ type: 'progress', payload: { text: '未同步的进展' } }, T0 + HOUR));
    const held = await docs.acquire(open);

    expect(await docs.forgetFinished([clean, pending, open, absent])).toEqual([clean]);
    const names = await databases();
    expect(names.has(orderDocName(clean))).toBe(false);
    expect(names.has(orderDocName(pending))).toBe(true);
    expect(names.has(orderDocName(open))).toBe(true);
    expect(names.has(orderDocName(absent))).toBe(false);
    held.release();
  });

  it('opens an order downloaded as sent: its seed applied on the first open, dropped on the next that finds it stored', async () => {
    const id = `${prefix()}-seeded`;
    const server = new Y.Doc();
    server.getArray('events').push([{ from: 'server' }]);
    expect(await storeDocSeeds(db, [{ name: orderDocName(id), update: Y.encodeStateAsUpdate(server) }, { name: orderDocName(`${id}-empty`), update: Y.encodeStateAsUpdate(new Y.Doc()) }], T0)).toEqual([orderDocName(id)]);

    const first = await docs.acquire(id);
    expect(first.doc.getArray('events').toJSON()).toEqual([{ from: 'server' }]);
    first.release();
    // y-indexeddb does not say when its write is on disk: the first open keeps the seed.
    expect((await seededDocNames(db)).has(orderDocName(id))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const second = await docs.acquire(id);
    expect(second.doc.getArray('events').toJSON()).toEqual([{ from: 'server' }]);
    second.release();
    expect((await seededDocNames(db)).has(orderDocName(id))).toBe(false);
  });

  it('stores a download as one pack, keeps it while any of its seeds waits, and deletes it with the last', async () => {
    const p = prefix();
    const source = new Y.Doc();
    source.getArray('events').push([{ from: 'server' }]);
    const state = Y.encodeStateAsUpdate(source);
    const ids = [`${p}-a`, `${p}-b`, `${p}-c`];
    const packsBefore = await db.docSeedPacks.count();
    await storeDocSeeds(db, ids.map((id) => ({ name: orderDocName(id), update: state })), T0);
    // One record for the download's states and one for their names, not a record per doc.
    expect(await db.docSeedPacks.count()).toBe(packsBefore + 1);
    const b = await docs.acquire(`${p}-b`);
    expect(b.doc.getArray('events').toJSON()).toEqual([{ from: 'server' }]);
    b.release();
    await dropDocSeeds(db, [orderDocName(`${p}-a`), orderDocName(`${p}-b`)]);
    expect([...(await seededDocNames(db))].filter((name) => name.includes(p))).toEqual([orderDocName(`${p}-c`)]);
    expect(await db.docSeedPacks.count()).toBe(packsBefore + 1);
    const c = await docs.acquire(`${p}-c`);
    expect(c.doc.getArray('events').toJSON()).toEqual([{ from: 'server' }]);
    c.release();
    await dropDocSeeds(db, [orderDocName(`${p}-c`)]);
    expect(await db.docSeedPacks.count()).toBe(packsBefore);
  });

  it('opens an order whose seed a version 5–6 app stored on a record of its own, and drops it once stored', async () => {
    const id = `${prefix()}-single`;
    const source = new Y.Doc();
    source.getArray('events').push([{ from: 'version 6' }]);
    await db.docSeeds.put({ name: orderDocName(id), update: Y.encodeStateAsUpdate(source), at: T0 });
    const first = await docs.acquire(id);
    expect(first.doc.getArray('events').toJSON()).toEqual([{ from: 'version 6' }]);
    first.release();
    await dropDocSeeds(db, [orderDocName(id)]);
    expect(await db.docSeeds.get(orderDocName(id))).toBeUndefined();
  });

  it('drops a seed that cannot be read, and the order opens from its own store', async () => {
    const id = `${prefix()}-damaged`;
    await storedDoc(id);
    await db.docSeeds.put({ name: orderDocName(id), update: new Uint8Array([9, 200, 7, 1, 255, 3, 0, 42]), at: T0 });
    const handle = await docs.acquire(id);
    expect(handle.doc.getArray('events').toJSON()).toEqual([{ stored: true }]);
    handle.release();
    expect(await db.docSeeds.get(orderDocName(id))).toBeUndefined();
    // The same in a pack: the damaged seed goes, its neighbour stays.
    const damaged = `${prefix()}-damaged-packed`;
    const neighbour = `${prefix()}-neighbour`;
    await storedDoc(damaged);
    const source = new Y.Doc();
    source.getArray('events').push([{ from: 'server' }]);
    await storeDocSeeds(db, [{ name: orderDocName(damaged), update: new Uint8Array([9, 200, 7, 1, 255, 3, 0, 42]) }, { name: orderDocName(neighbour), update: Y.encodeStateAsUpdate(source) }], T0);
    const packed = await docs.acquire(damaged);
    expect(packed.doc.getArray('events').toJSON()).toEqual([{ stored: true }]);
    packed.release();
    const left = await seededDocNames(db);
    expect(left.has(orderDocName(damaged))).toBe(false);
    expect(left.has(orderDocName(neighbour))).toBe(true);
  });

  it('reads a download\'s pack once for a batch of opens of its orders, not once per open', async () => {
    const p = prefix();
    const ids = Array.from({ length: 50 }, (_, i) => `${p}-${i}`);
    const source = new Y.Doc();
    source.getArray('events').push([{ pad: 'x'.repeat(2000) }]);
    const state = Y.encodeStateAsUpdate(source);
    await storeDocSeeds(db, ids.map((id) => ({ name: orderDocName(id), update: state })), T0);
    const read = vi.spyOn(db.docSeedPacks, 'get');
    // A batch on the desk: orders of one download opened one after the other, each twice (the second drops its seed).
    for (const id of ids.slice(0, 10)) {
      for (let open = 0; open < 2; open++) {
        const handle = await docs.acquire(id);
        expect(handle.doc.getArray('events').length).toBe(1);
        handle.release();
        await waitForValue(() => docs.isOpen(id), (isOpen) => !isOpen, 'the doc released');
      }
    }
    expect(read).toHaveBeenCalledTimes(1);
    read.mockRestore();
  });

  it('applies every stored copy of a doc downloaded twice: a damaged first one does not cost the good second one', async () => {
    const id = `${prefix()}-twice`;
    await storeDocSeeds(db, [{ name: orderDocName(id), update: new Uint8Array([9, 200, 7, 1, 255, 3, 0, 42]) }], T0);
    const source = new Y.Doc();
    source.getArray('events').push([{ from: 'server' }]);
    await storeDocSeeds(db, [{ name: orderDocName(id), update: Y.encodeStateAsUpdate(source) }], T0);
    const handle = await docs.acquire(id);
    expect(handle.doc.getArray('events').toJSON()).toEqual([{ from: 'server' }]);
    handle.release();
  });

  it('loses no drop when drops of one pack\'s names race: every seed gone, the pack with them', async () => {
    const p = prefix();
    const ids = Array.from({ length: 60 }, (_, i) => `${p}-${i}`);
    const packsBefore = await db.docSeedPacks.count();
    await storeDocSeeds(db, ids.map((id) => ({ name: orderDocName(id), update: new Uint8Array([1, 2, 3, 4]) })), T0);
    await Promise.all([...ids.slice(0, 58).map((id) => dropDocSeeds(db, [orderDocName(id)])), docs.forgetFinished([ids[58]!]), docs.forget(ids[59]!)]);
    expect([...(await seededDocNames(db))].filter((name) => name.includes(p))).toEqual([]);
    expect(await db.docSeedPacks.count()).toBe(packsBefore);
  });

  it('forgets the seeds of finished orders and of forgotten ones', async () => {
    const p = prefix();
    const seeded = new Y.Doc();
    seeded.getArray('events').push([1]);
    const state = Y.encodeStateAsUpdate(seeded);
    await storeDocSeeds(db, [`${p}-finished`, `${p}-open`, `${p}-forgotten`].map((id) => ({ name: orderDocName(id), update: state })), T0);
    await docs.forgetFinished([`${p}-finished`]);
    await docs.forget(`${p}-forgotten`);
    expect([...(await seededDocNames(db))].filter((name) => name.includes(p))).toEqual([orderDocName(`${p}-open`)]);
  });
});
