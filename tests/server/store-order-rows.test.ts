/**
 * An order's row in both stores: `saveOrder` never replaces a row by one derived from fewer events
 * (two instances' indexer runs may end in either order), and says when it kept the stored one.
 */
import { expect } from 'vitest';
import type { OrderRow, Store } from '#server/store/store.ts';
import { describeBothStores } from './support/both-stores.ts';

const base: OrderRow = {
  id: 'o1',
  orderNo: 'LX-1',
  place: { districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g1' },
  targetUnitId: null,
  pastTargetUnitIds: [],
  assignee: null,
  participants: [],
  status: 'pending_dispatch',
  indexDocs: [],
  eventCount: 0,
  createdAt: 1,
  updatedAt: 1,
};

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
    expect(await store.getOrderByNo('LX-1')).toEqual(later(8, 'archived', 6));
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
