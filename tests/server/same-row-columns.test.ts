import { describe, expect, it } from 'vitest';
import type { OrderRow } from '#server/store/store.ts';
import { sameRowColumns } from '#server/sync/order-row.ts';

const row: OrderRow = {
  id: 'o-1',
  orderNo: '250912101108115409',
  place: { districtId: 'd1', streetId: 's1', communityId: 'c1', gridId: 'g1' },
  targetUnitId: 'g1',
  pastTargetUnitIds: ['s1', 'g1'],
  assignee: 'u-worker',
  participants: ['u-clerk', 'u-worker'],
  status: 'in_progress',
  indexDocs: ['grid:g1', 'community:c1', 'street:s1'],
  eventCount: 7,
  createdAt: 1_000,
  updatedAt: 2_000,
};

/** One column changed, each way a column can differ. */
const changes: Record<keyof OrderRow, Partial<OrderRow>[]> = {
  id: [{ id: 'o-2' }],
  orderNo: [{ orderNo: '250912101108115410' }],
  place: [{ place: { districtId: 'd1', streetId: 's2', communityId: 'c1', gridId: 'g1' } }, { place: { districtId: 'd1', streetId: 's1', communityId: 'c1' } }],
  targetUnitId: [{ targetUnitId: null }, { targetUnitId: 'g2' }],
  pastTargetUnitIds: [{ pastTargetUnitIds: ['s1'] }, { pastTargetUnitIds: ['g1', 's1'] }],
  assignee: [{ assignee: null }],
  participants: [{ participants: ['u-clerk', 'u-worker', 'u-other'] }, { participants: ['u-clerk', 'u-other'] }],
  status: [{ status: 'closed' }],
  indexDocs: [{ indexDocs: ['grid:g1', 'community:c1'] }, { indexDocs: ['grid:g2', 'community:c1', 'street:s1'] }],
  eventCount: [],
  createdAt: [{ createdAt: 1_001 }],
  updatedAt: [],
};

describe('whether a row changed (sameRowColumns, the indexer writes it only if so)', () => {
  it('is the same row whatever its event count and update time, and for equal copies', () => {
    expect(sameRowColumns(row, structuredClone(row))).toBe(true);
    expect(sameRowColumns(row, { ...row, eventCount: 8, updatedAt: 3_000 })).toBe(true);
  });

  it('differs when any other column differs, each column checked (a column added to OrderRow must be listed here)', () => {
    for (const [column, variants] of Object.entries(changes)) {
      for (const change of variants) {
        const other = { ...row, ...change };
        expect(sameRowColumns(row, other), column).toBe(false);
        expect(sameRowColumns(other, row), column).toBe(false);
      }
    }
  });

  it('compares the place by its fields, not their order; an undefined field is an absent one', () => {
    // The JSON of the two rows, which the indexer compared on main, differs here: it wrote the row again.
    const reordered = { ...row, place: { gridId: 'g1', communityId: 'c1', streetId: 's1', districtId: 'd1' } };
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(row));
    expect(sameRowColumns(row, reordered)).toBe(true);
    const noGrid = { ...row, place: { districtId: 'd1', streetId: 's1', communityId: 'c1' } };
    expect(sameRowColumns(noGrid, { ...noGrid, place: { ...noGrid.place, gridId: undefined } })).toBe(true);
  });
});
