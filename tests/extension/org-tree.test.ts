/** The dispatch tree and the clerk's place, from the units GET /api/org returns. */
import { describe, expect, it } from 'vitest';
import { dispatchTreeOf, streetPlaceOf } from '#extension/entrypoints/background/org-tree.ts';
import type { Unit } from '#shared/org/units.ts';

const units: Unit[] = [
  { id: 'city', kind: 'city', name: '市', parentId: null },
  { id: 'd1', kind: 'district', name: '一区', parentId: 'city' },
  { id: 'd1-s1', kind: 'street', name: '一街道', parentId: 'd1' },
  { id: 'd1-s1-c1', kind: 'community', name: '一社区', parentId: 'd1-s1' },
  { id: 'd1-s1-c1-g1', kind: 'grid', name: '一网格', parentId: 'd1-s1-c1' },
  { id: 'd1-s1-c1-g2', kind: 'grid', name: '二网格', parentId: 'd1-s1-c1' },
  { id: 'd1-s1-c2', kind: 'community', name: '二社区', parentId: 'd1-s1' },
];

describe('dispatch tree', () => {
  it('lists the street’s communities with their grids', () => {
    expect(dispatchTreeOf(units, 'd1-s1')).toEqual({
      street: { id: 'd1-s1', name: '一街道' },
      communities: [
        { id: 'd1-s1-c1', name: '一社区', grids: [{ id: 'd1-s1-c1-g1', name: '一网格' }, { id: 'd1-s1-c1-g2', name: '二网格' }] },
        { id: 'd1-s1-c2', name: '二社区', grids: [] },
      ],
    });
  });

  it('places a street clerk in their street and district, and nobody else', () => {
    expect(streetPlaceOf(units, 'd1-s1')).toEqual({ districtId: 'd1', streetId: 'd1-s1' });
    expect(streetPlaceOf(units, 'd1')).toBeNull();
    expect(streetPlaceOf(units, 'd1-s1-c1-g1')).toBeNull();
  });
});
