/** A unit's 常用语 in both stores: set, replaced, listed, kept when the store is opened again. */
import { expect } from 'vitest';
import type { Store } from '#server/store/store.ts';
import { describeBothStores } from './support/both-stores.ts';

const street = { actions: ['已到现场核实'], publicReply: ['感谢您的监督。'], returnReason: [] };
const grid = { actions: ['网格用语'], publicReply: [], returnReason: ['不属于本网格'] };

async function exercise(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    expect(await store.listUnitPhrases()).toEqual([]);
    await store.setUnitPhrases({ unitId: 'd1-s1', phrases: street, updatedBy: 'clerk1', updatedAt: 1 });
    await store.setUnitPhrases({ unitId: 'd1-s1-c1-g1', phrases: grid, updatedBy: 'clerk1', updatedAt: 2 });
    await store.setUnitPhrases({ unitId: 'd1-s1', phrases: { ...street, returnReason: ['重复工单'] }, updatedBy: 'admin', updatedAt: 3 });
  } finally {
    await store.close();
  }
  const again = await open();
  try {
    expect(await again.listUnitPhrases()).toEqual([
      { unitId: 'd1-s1', phrases: { ...street, returnReason: ['重复工单'] }, updatedBy: 'admin', updatedAt: 3 },
      { unitId: 'd1-s1-c1-g1', phrases: grid, updatedBy: 'clerk1', updatedAt: 2 },
    ]);
  } finally {
    await again.close();
  }
}

describeBothStores('unit phrases in the store', exercise);
