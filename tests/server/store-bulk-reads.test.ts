/**
 * The bulk read's two reads in both stores (bench/README.md, "First sync, part 17"): many docs' snapshots and
 * logs in one read (`loadDocs`), each exactly what `loadDoc` reads of it, and many order rows in one statement
 * (`getOrders`), each exactly what `getOrder` reads.
 */
import { expect } from 'vitest';
import type { Store } from '#server/store/store.ts';
import { describeBothStores } from './support/both-stores.ts';
import { storedOrderRow } from './support/order-row.ts';

const row = storedOrderRow;

const bytes = (...values: number[]) => new Uint8Array(values);

async function exercise(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    // Docs in every shape: log only, snapshot and log, snapshot only (folded), nothing stored; entries interleaved.
    await store.createOrder(row('o1', 'd1-s1'), 'order:o1', [bytes(1, 1), bytes(1, 2)]);
    await store.createOrder(row('o2', 'd1-s2'), 'order:o2', bytes(2, 1));
    await store.appendUpdate('order:o1', bytes(1, 3));
    await store.appendUpdate('order:o2', bytes(2, 2));
    await store.appendUpdates([
      { name: 'street:d1-s1', update: bytes(9, 1) },
      { name: 'order:o3', update: bytes(3, 1) },
    ]);
    await store.appendUpdate('order:o3', bytes(3, 2));
    await store.compactDoc('order:o2', () => bytes(2, 9));
    await store.appendUpdate('order:o2', bytes(2, 3));
    await store.compactDoc('order:o3', () => bytes(3, 9));
    const names = ['order:o3', 'order:none', 'order:o1', 'street:d1-s1', 'order:o2'];
    const many = await store.loadDocs(names);
    expect([...many.keys()].sort()).toEqual([...names].sort());
    for (const name of names) expect(many.get(name), name).toEqual(await store.loadDoc(name));
    expect(many.get('order:o1')).toEqual({ snapshot: null, updates: [bytes(1, 1), bytes(1, 2), bytes(1, 3)] });
    expect(many.get('order:o2')).toEqual({ snapshot: bytes(2, 9), updates: [bytes(2, 3)] });
    expect(many.get('order:o3')).toEqual({ snapshot: bytes(3, 9), updates: [] });
    expect(many.get('order:none')).toEqual({ snapshot: null, updates: [] });

    const rows = await store.getOrders(['o2', 'missing', 'o1', 'o1']);
    expect([...rows.keys()].sort()).toEqual(['o1', 'o2']);
    expect(rows.get('o1')).toEqual(await store.getOrder('o1'));
    expect(rows.get('o2')).toEqual(await store.getOrder('o2'));
    expect(rows.get('o2')?.place.streetId).toBe('d1-s2');
    expect((await store.getOrders([])).size).toBe(0);
  } finally {
    await store.close();
  }
}

describeBothStores('many docs and many order rows, one read each', exercise);
