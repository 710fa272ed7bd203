import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildOrgTree, type Unit } from '#shared/org/units.ts';
import { dispatchTree, suggestUnit, type PastOrder } from '#shared/org/suggest-unit.ts';

const unit = (id: string, kind: Unit['kind'], parentId: string | null, name = id): Unit => ({ id, kind, name, parentId });

const tree = buildOrgTree([
  unit('city', 'city', null),
  unit('d1', 'district', 'city'),
  unit('d1-s1', 'street', 'd1', '凯旋路街道'),
  unit('d1-s1-c1', 'community', 'd1-s1', '中州社区'),
  unit('d1-s1-c1-g1', 'grid', 'd1-s1-c1', '第一网格'),
  unit('d1-s1-c1-g2', 'grid', 'd1-s1-c1', '第二网格'),
  unit('d1-s1-c2', 'community', 'd1-s1', '北海社区'),
  unit('d1-s1-c2-g1', 'grid', 'd1-s1-c2', '北海一网格'),
  unit('d1-s2', 'street', 'd1'),
  unit('d1-s2-c1', 'community', 'd1-s2'),
  unit('d1-s2-c1-g1', 'grid', 'd1-s2-c1'),
]);

const place = { districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g1' };
const order = { id: 'o-new', address: '凯旋路18号阳光家园5号楼', place };
const past = (id: string, address: string, handled: string | null, gridId: string | null = null): PastOrder => ({
  id,
  address,
  gridId,
  communityId: null,
  target: handled === null ? null : { unitId: handled, unitKind: tree.units.get(handled)!.kind },
});

describe('suggestUnit', () => {
  it('suggests the grid the order is placed in when no earlier order matches its address', () => {
    expect(suggestUnit(tree, { order, scopeUnitId: 'd1-s1', history: [past('o-1', '中州路3号', 'd1-s1-c2-g1')] })).toEqual({
      unitId: 'd1-s1-c1-g1',
      unitKind: 'grid',
      reason: 'place',
      matches: 0,
    });
  });

  it('prefers where earlier orders at the same place were handled, however the address is spelt', () => {
    const history = [
      past('o-1', '阳光家园5栋', 'd1-s1-c1-g2'),
      past('o-2', '凯旋路18号阳光家园5号楼二单元', 'd1-s1-c1-g2'),
      past('o-3', '阳光家园5号楼', 'd1-s1-c1-g1'),
      past('o-4', '北海路99号', 'd1-s1-c2-g1'),
    ];
    expect(suggestUnit(tree, { order, scopeUnitId: 'd1-s1', history })).toEqual({ unitId: 'd1-s1-c1-g2', unitKind: 'grid', reason: 'past_orders', matches: 2 });
  });

  it("never suggests a unit outside the writer's unit: a community handler gets one of their grids", () => {
    const history = [past('o-1', '凯旋路18号阳光家园5号楼', 'd1-s2-c1-g1'), past('o-2', '凯旋路18号阳光家园5号楼', 'd1-s1-c2-g1')];
    expect(suggestUnit(tree, { order, scopeUnitId: 'd1-s1-c1', history })).toMatchObject({ unitId: 'd1-s1-c1-g1', reason: 'place' });
    expect(suggestUnit(tree, { order: { ...order, place: { ...place, gridId: undefined } }, scopeUnitId: 'd1-s1-c1', history })).toBeNull();
    // A clerk gets the community when the hotline named no grid.
    expect(suggestUnit(tree, { order: { ...order, place: { ...place, gridId: undefined } }, scopeUnitId: 'd1-s1', history: [] })).toMatchObject({
      unitId: 'd1-s1-c1',
      unitKind: 'community',
    });
  });

  it('does not suggest the unit that returned the order, nor count the order itself', () => {
    const history = [past('o-new', '凯旋路18号阳光家园5号楼', 'd1-s1-c1-g2'), past('o-1', '凯旋路18号', 'd1-s1-c1-g2')];
    expect(suggestUnit(tree, { order, scopeUnitId: 'd1-s1', history, exclude: ['d1-s1-c1-g2', 'd1-s1-c1-g1'] })).toMatchObject({ unitId: 'd1-s1-c1', reason: 'place' });
    expect(suggestUnit(tree, { order, scopeUnitId: 'd1-s1', history: history.slice(0, 1) })).toMatchObject({ reason: 'place' });
  });

  it('gives the same answer whatever the order of the history', () => {
    const pool = [
      past('o-1', '阳光家园5栋', 'd1-s1-c1-g2'),
      past('o-2', '阳光家园5号楼', 'd1-s1-c1-g1'),
      past('o-3', '凯旋路18号', 'd1-s1-c2-g1'),
      past('o-4', '凯旋路20号', null, 'd1-s1-c1-g2'),
    ];
    const expected = suggestUnit(tree, { order, scopeUnitId: 'd1-s1', history: pool });
    fc.assert(
      fc.property(fc.shuffledSubarray(pool, { minLength: pool.length, maxLength: pool.length }), (history) => {
        expect(suggestUnit(tree, { order, scopeUnitId: 'd1-s1', history })).toEqual(expected);
      }),
    );
  });
});

describe('suggestUnit scoped to a community (the extension’s import)', () => {
  const inC2 = (address: string) => ({ id: 'o-import', address, place: { districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c2' } });
  const inC1 = (address: string) => ({ id: 'o-import', address, place: { districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1' } });

  it("suggests a community's only grid, and no grid of a larger community without earlier orders", () => {
    expect(suggestUnit(tree, { order: inC2('北海路1号'), scopeUnitId: 'd1-s1-c2', history: [] })).toEqual({ unitId: 'd1-s1-c2-g1', unitKind: 'grid', reason: 'place', matches: 0 });
    expect(suggestUnit(tree, { order: inC1('凯旋路18号'), scopeUnitId: 'd1-s1-c1', history: [] })).toBeNull();
  });

  it('suggests the grid orders at the same door went to, placed or dispatched, over more orders elsewhere on the road', () => {
    const history = [
      { id: 'o-1', address: '凯旋路18号东门', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g2', target: null },
      { id: 'o-2', address: '凯旋路102号', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g1', target: null },
      { id: 'o-3', address: '凯旋路106号', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g1', target: null },
      { id: 'o-4', address: '凯旋路18号', communityId: 'd1-s2-c1', gridId: 'd1-s2-c1-g1', target: null },
    ];
    expect(suggestUnit(tree, { order: inC1('凯旋路18号'), scopeUnitId: 'd1-s1-c1', history })).toMatchObject({ unitId: 'd1-s1-c1-g2', reason: 'past_orders', matches: 1 });
  });
});

describe('dispatchTree', () => {
  it("lists the writer's branch down to grids; only grids and communities below the writer are selectable", () => {
    const nodes = dispatchTree(tree, 'd1-s1');
    expect(nodes.map((n) => [n.id, n.selectable, n.children.map((c) => c.id)])).toEqual([
      ['d1-s1-c1', true, ['d1-s1-c1-g1', 'd1-s1-c1-g2']],
      ['d1-s1-c2', true, ['d1-s1-c2-g1']],
    ]);
    expect(dispatchTree(tree, 'd1-s1-c1').map((n) => n.id)).toEqual(['d1-s1-c1-g1', 'd1-s1-c1-g2']);
  });

  it('keeps only the units whose name matches a search, with the units above them', () => {
    const nodes = dispatchTree(tree, 'd1-s1', '北海一');
    expect(nodes.map((n) => [n.id, n.children.map((c) => c.id)])).toEqual([['d1-s1-c2', ['d1-s1-c2-g1']]]);
    expect(dispatchTree(tree, 'd1-s1', '没有这个')).toEqual([]);
  });
});
