/**
 * An order's row in both stores: `saveOrder` never replaces a row by one derived from fewer events
 * (two instances' indexer runs may end in either order), and says when it kept the stored one.
 * A SQLite store from before the event count gains it on open (0: the next run writes the row).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SqliteStore } from '#server/store/sqlite.ts';
import type { OrderRow, Store } from '#server/store/store.ts';
import { describeBothStores } from './support/both-stores.ts';
import { storedOrderRow } from './support/order-row.ts';
import { stopAll, tempDir } from './support/server.ts';

const base: OrderRow = storedOrderRow('o1');

async function exercise(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    expect(await store.createOrder(base, 'order:o1', new Uint8Array([0]))).toMatchObject({ created: true });
    const later = (eventCount: number, status: string, updatedAt: number): OrderRow => ({ ...base, eventCount, status, updatedAt, indexDocs: ['street:d1-s1'] });
    expect(await store.saveOrder(later(7, 'called_back', 3))).toBe(true);
    // A run of fewer events ending after it: kept out.
    expect(await store.saveOrder(later(4, 'closed', 4))).toBe(false);
    expect(await store.getOrder('o1')).toEqual(later(7, 'called_back', 3));
    // As many events (another instance's derivation of as many): written, as is one of more.
    expect(await store.saveOrder(later(7, 'called_back', 5))).toBe(true);
    expect(await store.saveOrder(later(8, 'archived', 6))).toBe(true);
    expect(await store.getOrderByNo(base.orderNo)).toEqual(later(8, 'archived', 6));
  } finally {
    await store.close();
  }
  // Kept across a reopen (the column is there, not added again).
  const again = await open();
  try {
    expect((await again.getOrder('o1'))?.eventCount).toBe(8);
  } finally {
    await again.close();
  }
}

describeBothStores('order rows in the store', exercise);

const dirs: string[] = [];
afterAll(() => stopAll(dirs));

it('opens a SQLite store from before the event count, its rows at 0, written by the next run', async () => {
  const dir = await tempDir();
  dirs.push(dir);
  const file = join(dir, 'lianxin.sqlite');
  const first = new SqliteStore(file);
  await first.createOrder(base, 'order:o1', new Uint8Array([0]));
  await first.close();
  const old = new Database(file);
  old.exec('ALTER TABLE orders DROP COLUMN event_count');
  old.close();

  const store = new SqliteStore(file);
  try {
    expect((await store.getOrder('o1'))?.eventCount).toBe(0);
    expect(await store.saveOrder({ ...base, eventCount: 3, status: 'dispatched', updatedAt: 2 })).toBe(true);
    expect((await store.getOrder('o1'))?.eventCount).toBe(3);
  } finally {
    await store.close();
  }
});
