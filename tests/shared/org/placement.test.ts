import { describe, expect, it } from 'vitest';
import { nameKey, placeByNames } from '#shared/org/placement.ts';
import type { Unit } from '#shared/org/units.ts';

const units: Unit[] = [
  { id: 'city', kind: 'city', name: '示范市', parentId: null },
  { id: 'd1', kind: 'district', name: '东城区', parentId: 'city' },
  { id: 'd1-s1', kind: 'street', name: '凯旋路街道', parentId: 'd1' },
  { id: 'd1-s2', kind: 'street', name: '和平街道', parentId: 'd1' },
  { id: 'd1-s1-c1', kind: 'community', name: '青园社区', parentId: 'd1-s1' },
  { id: 'd1-s1-c2', kind: 'community', name: '枫林社区', parentId: 'd1-s1' },
  { id: 'd1-s1-c1-g1', kind: 'grid', name: '青园社区第一网格', parentId: 'd1-s1-c1' },
  { id: 'd1-s1-c2-g1', kind: 'grid', name: '枫林社区第一网格', parentId: 'd1-s1-c2' },
  { id: 'd1-s1-c2-g2', kind: 'grid', name: '枫林社区第二网格', parentId: 'd1-s1-c2' },
];

describe('placeByNames', () => {
  it('places by the names as people write them', () => {
    expect(nameKey('凯旋路街道办事处', 'street')).toBe(nameKey('凯旋路街道', 'street'));
    expect(placeByNames(units, { district: '东城区', street: '凯旋路街道办事处', community: '枫林社区居委会' }, 'd1-s1')).toEqual({
      districtId: 'd1',
      streetId: 'd1-s1',
      communityId: 'd1-s1-c2',
      notes: [],
    });
  });

  it('keeps the order in the home street when the portal names a street the importer may not place into, and says so', () => {
    expect(placeByNames(units, { street: '和平街道', community: '青园社区' }, 'd1-s1')).toEqual({
      districtId: 'd1',
      streetId: 'd1-s1',
      communityId: null,
      notes: [{ code: 'street_elsewhere', name: '和平街道' }],
    });
    expect(placeByNames(units, { street: '和平街道' }, null)).toMatchObject({ streetId: 'd1-s2', notes: [] });
  });

  it('says which community it does not know, and places without names in the home street', () => {
    expect(placeByNames(units, { community: '不存在社区' }, 'd1-s1')).toMatchObject({ streetId: 'd1-s1', communityId: null, notes: [{ code: 'community_unknown', name: '不存在社区' }] });
    expect(placeByNames(units, {}, 'd1-s1')).toEqual({ districtId: 'd1', streetId: 'd1-s1', communityId: null, notes: [] });
    expect(placeByNames(units, {}, null)).toBeNull();
  });
});
