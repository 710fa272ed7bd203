import { describe, expect, it } from 'vitest';
import { buildOrgTree, type Unit } from '#shared/org/units.ts';
import {
  checkDispatchTarget,
  checkPlace,
  indexUnitsFor,
  mayOpenIndex,
  mayOpenOrder,
  mayReportAt,
  orderScopeOf,
  type OrderScope,
} from '#shared/org/scope.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { HOUR, History, T0, intake, payloads, users } from '../support/builders.ts';

const unit = (id: string, kind: Unit['kind'], parentId: string | null): Unit => ({ id, kind, name: id, parentId });

const tree = buildOrgTree([
  unit('city', 'city', null),
  unit('d1', 'district', 'city'),
  unit('d1-s1', 'street', 'd1'),
  unit('d1-s1-c1', 'community', 'd1-s1'),
  unit('d1-s1-c1-g1', 'grid', 'd1-s1-c1'),
  unit('d1-s1-c1-g2', 'grid', 'd1-s1-c1'),
  unit('d1-s2', 'street', 'd1'),
  unit('d1-s2-c1', 'community', 'd1-s2'),
  unit('d1-s2-c1-g1', 'grid', 'd1-s2-c1'),
  unit('d2', 'district', 'city'),
]);

const inGrid1: OrderScope = {
  place: { districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g1' },
  targetUnitId: null,
  pastTargetUnitIds: [],
  assignee: null,
  participants: [],
};

describe('mayOpenOrder', () => {
  it('lets every unit at or above the place see the order, and no one beside it', () => {
    for (const user of [users.worker, users.community, users.clerk, users.supervisor, users.admin]) {
      expect(mayOpenOrder(tree, user, inGrid1), user.id).toMatchObject({ ok: true });
    }
    expect(mayOpenOrder(tree, users.otherGridWorker, inGrid1)).toEqual({ ok: false, reason: 'out_of_scope' });
    const otherDistrict = { ...users.supervisor, id: 'sup2', unitId: 'd2' };
    expect(mayOpenOrder(tree, otherDistrict, inGrid1)).toEqual({ ok: false, reason: 'out_of_scope' });
  });

  it('follows the dispatch target, now and before', () => {
    expect(mayOpenOrder(tree, users.otherGridWorker, { ...inGrid1, targetUnitId: 'd1-s1-c1-g2' })).toEqual({ ok: true, via: 'target' });
    expect(mayOpenOrder(tree, users.otherGridWorker, { ...inGrid1, pastTargetUnitIds: ['d1-s1-c1-g2'] })).toEqual({
      ok: true,
      via: 'past_target',
    });
  });

  it('grants nothing for having written to the order or being named its assignee', () => {
    expect(mayOpenOrder(tree, users.otherGridWorker, { ...inGrid1, assignee: 'grid9' })).toEqual({ ok: false, reason: 'out_of_scope' });
    expect(mayOpenOrder(tree, users.otherGridWorker, { ...inGrid1, participants: ['grid9'] })).toEqual({ ok: false, reason: 'out_of_scope' });
  });
});

describe('checkDispatchTarget', () => {
  const grid = (unitId: string) => ({ unitId, unitKind: 'grid' as const });
  it('lets a writer dispatch to an existing unit of the named kind inside their own unit', () => {
    expect(checkDispatchTarget(tree, users.community, grid('d1-s1-c1-g2'))).toEqual({ ok: true });
    expect(checkDispatchTarget(tree, users.clerk, { unitId: 'd1-s1-c1', unitKind: 'community' })).toEqual({ ok: true });
    expect(checkDispatchTarget(tree, users.supervisor, grid('d1-s2-c1-g1'))).toEqual({ ok: true });
    expect(checkDispatchTarget(tree, users.admin, grid('d1-s2-c1-g1'))).toEqual({ ok: true });
  });

  it('refuses a unit outside the writer\'s scope, above it, unknown, or of another kind', () => {
    expect(checkDispatchTarget(tree, users.community, grid('d1-s2-c1-g1'))).toMatchObject({ ok: false, reason: 'target_out_of_scope', field: 'unitId' });
    expect(checkDispatchTarget(tree, users.clerk, grid('d1-s2-c1-g1'))).toMatchObject({ ok: false, reason: 'target_out_of_scope' });
    expect(checkDispatchTarget(tree, { ...users.supervisor, id: 'sup2', unitId: 'd2' }, grid('d1-s1-c1-g1'))).toMatchObject({ reason: 'target_out_of_scope' });
    expect(checkDispatchTarget(tree, users.community, { unitId: 'd1-s1', unitKind: 'street' })).toMatchObject({ reason: 'target_out_of_scope' });
    expect(checkDispatchTarget(tree, users.admin, grid('nowhere'))).toMatchObject({ ok: false, reason: 'unknown_unit', field: 'unitId' });
    expect(checkDispatchTarget(tree, users.clerk, grid('d1-s1-c1'))).toMatchObject({ ok: false, reason: 'wrong_unit_kind', field: 'unitKind' });
  });
});

describe('mayOpenIndex', () => {
  it('opens a grid or street index only at or above it', () => {
    expect(mayOpenIndex(tree, users.worker, 'd1-s1-c1-g1').ok).toBe(true);
    expect(mayOpenIndex(tree, users.worker, 'd1-s1-c1-g2').ok).toBe(false);
    expect(mayOpenIndex(tree, users.worker, 'd1-s1').ok).toBe(false);
    expect(mayOpenIndex(tree, users.community, 'd1-s1-c1-g2').ok).toBe(true);
    expect(mayOpenIndex(tree, users.clerk, 'd1-s1').ok).toBe(true);
    expect(mayOpenIndex(tree, users.clerk, 'd1-s2').ok).toBe(false);
    expect(mayOpenIndex(tree, users.supervisor, 'd1-s2').ok).toBe(true);
  });
});

describe('mayReportAt', () => {
  it('lets a grid worker report in their own grid only, naming the grid', () => {
    expect(mayReportAt(tree, users.worker, inGrid1.place)).toEqual({ ok: true, via: 'place' });
    expect(mayReportAt(tree, users.otherGridWorker, inGrid1.place)).toEqual({ ok: false, reason: 'place_out_of_scope' });
    expect(mayReportAt(tree, users.worker, { districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1' })).toEqual({
      ok: false,
      reason: 'place_too_coarse',
    });
    expect(mayReportAt(tree, users.community, inGrid1.place).ok).toBe(true);
    expect(mayReportAt(tree, users.clerk, inGrid1.place)).toEqual({ ok: false, reason: 'not_a_reporter' });
  });
});

describe('checkPlace', () => {
  it('accepts a consistent place and names the field of an inconsistent one', () => {
    expect(checkPlace(tree, inGrid1.place)).toEqual([]);
    expect(checkPlace(tree, { ...inGrid1.place, gridId: 'd1-s2-c1-g1' })).toEqual([
      { field: 'place.gridId', message: 'd1-s2-c1-g1 is not inside d1-s1-c1' },
    ]);
    expect(checkPlace(tree, { ...inGrid1.place, streetId: 'nowhere' })[0]?.field).toBe('place.streetId');
    expect(checkPlace(tree, { districtId: 'd1', streetId: 'd1-s1-c1' })[0]).toEqual({
      field: 'place.streetId',
      message: 'd1-s1-c1 is a community, not a street',
    });
  });
});

describe('orderScopeOf and indexUnitsFor', () => {
  it('derives target, past targets and participants from the events', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    h.by(users.clerk).do({ type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, T0 + 2 * HOUR);
    const order = intake();
    const scope = orderScopeOf(order, deriveOrder(order, h.events, T0 + 3 * HOUR));
    expect(scope).toEqual({
      place: order.place,
      targetUnitId: 'd1-s1-c1-g2',
      pastTargetUnitIds: ['d1-s1-c1-g1', 'd1-s1-c1-g2'],
      assignee: null,
      participants: ['clerk1', 'grid1'],
    });
    expect(indexUnitsFor(tree, scope)).toEqual({ grids: ['d1-s1-c1-g1', 'd1-s1-c1-g2'], communities: ['d1-s1-c1'], streets: ['d1-s1'] });
    expect(indexUnitsFor(tree, { place: order.place, targetUnitId: 'd1-s2-c1' })).toEqual({
      grids: ['d1-s1-c1-g1'],
      communities: ['d1-s1-c1', 'd1-s2-c1'],
      streets: ['d1-s1', 'd1-s2'],
    });
  });

  it('lists an order placed at the street alone in the community it is sent to, and a grid place in its community', () => {
    const atStreet = { districtId: 'd1', streetId: 'd1-s1' };
    expect(indexUnitsFor(tree, { place: atStreet, targetUnitId: null })).toEqual({ grids: [], communities: [], streets: ['d1-s1'] });
    expect(indexUnitsFor(tree, { place: atStreet, targetUnitId: 'd1-s1-c1' })).toEqual({ grids: [], communities: ['d1-s1-c1'], streets: ['d1-s1'] });
    // A place may name a grid without its community: the tree knows it.
    expect(indexUnitsFor(tree, { place: { ...atStreet, gridId: 'd1-s1-c1-g2' }, targetUnitId: null })).toEqual({
      grids: ['d1-s1-c1-g2'],
      communities: ['d1-s1-c1'],
      streets: ['d1-s1'],
    });
  });
});
