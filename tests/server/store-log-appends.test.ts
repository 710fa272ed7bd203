/**
 * Log appends in both stores: an update with its receipts (several entries) and the user's usage
 * count in one write, the usage hours older than a day forgotten, an append refused for a claimed
 * client id counting nothing, and the index docs' server writes of one interval (`appendUpdates`,
 * one entry to each of several docs) in one write. With PostgreSQL each of these is one statement
 * or one transaction (docs/SCALING.md); what they store must be what separate writes stored.
 */
import { expect } from 'vitest';
import { ClientClaimedError, type Store } from '#server/store/store.ts';
import { describeBothStores } from './support/both-stores.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const entriesOf = async (store: Store, doc: string) => (await store.loadDoc(doc)).updates.map((u) => [...u]);

async function exercise(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    // An update and its receipts: their own entries, in order, counted once to the user's hour.
    const first = await store.appendUpdate('order:o-1', bytes(1, 2, 3));
    const last = await store.appendUpdate('order:o-1', [bytes(4), bytes(5, 6)], { userId: 'u', hour: 100, events: 1, bytes: 3 });
    expect(last).toBe(first + 2);
    expect(await entriesOf(store, 'order:o-1')).toEqual([[1, 2, 3], [4], [5, 6]]);
    expect(await store.usageSince('u', 0)).toEqual({ events: 1, bytes: 3 });

    // Counted per hour; the sums read from the hour asked.
    await store.appendUpdate('order:o-1', bytes(7), { userId: 'u', hour: 101, events: 2, bytes: 20 });
    await store.appendUpdate('order:o-1', bytes(8), { userId: 'u', hour: 101, events: 1, bytes: 5 });
    expect(await store.usageSince('u', 0)).toEqual({ events: 4, bytes: 28 });
    expect(await store.usageSince('u', 101)).toEqual({ events: 3, bytes: 25 });

    // A day after hour 100 it is forgotten (hour 101 is not: within the day before 125).
    await store.appendUpdate('order:o-1', bytes(9), { userId: 'u', hour: 125, events: 1, bytes: 1 });
    expect(await store.usageSince('u', 0)).toEqual({ events: 4, bytes: 26 });

    // An append refused for a client id someone else owns logs and counts nothing.
    await store.appendUpdate('order:o-2', bytes(10), { userId: 'v', hour: 125, events: 1, bytes: 1 }, { userId: 'v', clients: [41] });
    const refused = store.appendUpdate('order:o-2', bytes(11), { userId: 'u', hour: 125, events: 9, bytes: 90 }, { userId: 'u', clients: [41] });
    await expect(refused).rejects.toBeInstanceOf(ClientClaimedError);
    expect(await entriesOf(store, 'order:o-2')).toEqual([[10]]);
    expect(await store.usageSince('u', 0)).toEqual({ events: 4, bytes: 26 });
    expect(await store.usageSince('v', 0)).toEqual({ events: 1, bytes: 1 });

    // The index docs' writes of one interval: an entry each, after what their logs held.
    await store.appendUpdate('street:s1', bytes(20));
    await store.appendUpdates([
      { name: 'street:s1', update: bytes(21) },
      { name: 'grid:g1', update: bytes(22) },
      { name: 'community:c1', update: bytes(23, 24) },
    ]);
    await store.appendUpdates([]);
    expect(await entriesOf(store, 'street:s1')).toEqual([[20], [21]]);
    expect(await entriesOf(store, 'grid:g1')).toEqual([[22]]);
    expect(await entriesOf(store, 'community:c1')).toEqual([[23, 24]]);
  } finally {
    await store.close();
  }

  // What was written is there after a restart.
  const reopened = await open();
  try {
    expect(await entriesOf(reopened, 'order:o-1')).toEqual([[1, 2, 3], [4], [5, 6], [7], [8], [9]]);
    expect(await reopened.usageSince('u', 0)).toEqual({ events: 4, bytes: 26 });
    expect(await entriesOf(reopened, 'community:c1')).toEqual([[23, 24]]);
  } finally {
    await reopened.close();
  }
}

describeBothStores('log appends: entries, usage and the index docs’ writes, each in one write', exercise);
