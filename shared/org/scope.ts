/**
 * Who may see which order and which index. One rule, used by the server to
 * authorise every document and photo, and by clients to explain a denial.
 *
 * A user's scope is their unit and everything below it. An order is in scope
 * when the user's unit is at or above the order's place, or at or above the
 * unit it is (or once was) dispatched to. A past target keeps a worker who
 * acted offline before a reassignment able to deliver what they did; the
 * reducer then shows their late events as conflicts instead of the server
 * losing them.
 *
 * Nothing a user writes into an order widens their access: being its
 * assignee (an accept is a write) or having written events grants nothing,
 * and a dispatch may only name a unit inside the writer's own scope
 * (`checkDispatchTarget`), so every grant follows from the organisation tree
 * and from what someone entitled to decide wrote.
 */
import type { User } from './roles.ts';
import { isWithin, type OrgTree, type UnitKind } from './units.ts';
import type { FieldError } from '../validation/result.ts';
import type { OrderIntake } from '../order/intake.ts';
import type { OrderView } from '../order/reducer.ts';

export interface Place {
  readonly districtId: string;
  readonly streetId: string;
  readonly communityId?: string | undefined;
  readonly gridId?: string | undefined;
}

/** What the server keeps about an order to decide access without opening its doc. */
export interface OrderScope {
  readonly place: Place;
  /** The unit the order is dispatched to now, if any. */
  readonly targetUnitId: string | null;
  /** Every unit the order was ever dispatched to, the current one included. */
  readonly pastTargetUnitIds: readonly string[];
  /** Kept for listing; grants nothing. */
  readonly assignee: string | null;
  /** Users who have written events into the order: kept for listing, grants nothing. */
  readonly participants: readonly string[];
}

export type ScopeUser = Pick<User, 'id' | 'role' | 'unitId'>;

/** Why a user may open an order or index. Only `admin` and `place` can never be lost: the others follow the order's dispatches. */
export type ScopeGrant = 'admin' | 'place' | 'target' | 'past_target';

export type ScopeDenial =
  | 'out_of_scope' // the order or index lies outside the user's unit
  | 'not_a_reporter' // the role may not create field reports
  | 'place_out_of_scope' // a field report placed outside the reporter's unit
  | 'place_too_coarse'; // a field report must name the reporter's own grid or community

export type ScopeDecision = { readonly ok: true; readonly via: ScopeGrant } | { readonly ok: false; readonly reason: ScopeDenial };

/** The scope facts of an order, from its intake and derived view. */
export function orderScopeOf(intake: Pick<OrderIntake, 'place'>, view: Pick<OrderView, 'target' | 'assignee' | 'timeline'>): OrderScope {
  const pastTargets = new Set<string>();
  const participants = new Set<string>();
  for (const { event, applied } of view.timeline) {
    participants.add(event.actor);
    if (applied && event.type === 'dispatch') pastTargets.add(event.payload.unitId);
  }
  return {
    place: intake.place,
    targetUnitId: view.target?.unitId ?? null,
    pastTargetUnitIds: [...pastTargets].sort(),
    assignee: view.assignee,
    participants: [...participants].sort(),
  };
}

/** True when `unitId` is the user's unit or lies below it. Units missing from the tree match only themselves. */
export function covers(tree: OrgTree, scopeUnitId: string, unitId: string): boolean {
  return unitId === scopeUnitId || isWithin(tree, unitId, scopeUnitId);
}

/** The place's units, most specific first. */
export function placeUnitIds(place: Place): string[] {
  return [place.gridId, place.communityId, place.streetId, place.districtId].filter((id): id is string => typeof id === 'string');
}

export function mayOpenOrder(tree: OrgTree, user: ScopeUser, order: OrderScope): ScopeDecision {
  if (user.role === 'admin') return { ok: true, via: 'admin' };
  if (placeUnitIds(order.place).some((id) => covers(tree, user.unitId, id))) return { ok: true, via: 'place' };
  if (order.targetUnitId !== null && covers(tree, user.unitId, order.targetUnitId)) return { ok: true, via: 'target' };
  if (order.pastTargetUnitIds.some((id) => covers(tree, user.unitId, id))) return { ok: true, via: 'past_target' };
  return { ok: false, reason: 'out_of_scope' };
}

/** Index docs `grid:<id>`, `community:<id>` and `street:<id>`: only for a unit at or above that grid, community or street. */
export function mayOpenIndex(tree: OrgTree, user: ScopeUser, unitId: string): ScopeDecision {
  if (user.role === 'admin') return { ok: true, via: 'admin' };
  return covers(tree, user.unitId, unitId) ? { ok: true, via: 'place' } : { ok: false, reason: 'out_of_scope' };
}

/** Why a dispatch target is refused: the codes the server's guard answers with. */
export const DISPATCH_DENIALS = [
  'unknown_unit', // the target is not in the organisation tree
  'wrong_unit_kind', // the event says grid, the unit is a community (or the like)
  'target_out_of_scope', // the target lies outside the writer's unit
] as const;
export type DispatchDenial = (typeof DISPATCH_DENIALS)[number];

export type DispatchCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: DispatchDenial; readonly message: string; readonly field: 'unitId' | 'unitKind' };

/**
 * May `writer` dispatch an order to `target`? The unit must exist, be of the
 * kind the event names, and lie inside the writer's own unit (an admin's is
 * the whole tree), so a dispatch can never open an order to a unit the writer
 * could not see it in.
 */
export function checkDispatchTarget(tree: OrgTree, writer: ScopeUser, target: { readonly unitId: string; readonly unitKind: UnitKind }): DispatchCheck {
  const unit = tree.units.get(target.unitId);
  if (!unit) return { ok: false, reason: 'unknown_unit', message: `there is no unit ${target.unitId}`, field: 'unitId' };
  if (unit.kind !== target.unitKind) {
    return { ok: false, reason: 'wrong_unit_kind', message: `${unit.id} is a ${unit.kind}, not a ${target.unitKind}`, field: 'unitKind' };
  }
  if (writer.role !== 'admin' && !covers(tree, writer.unitId, unit.id)) {
    return { ok: false, reason: 'target_out_of_scope', message: `${unit.id} is outside your unit (${writer.unitId})`, field: 'unitId' };
  }
  return { ok: true };
}

/** Roles that create orders of their own in the field (网格上报). */
export const FIELD_REPORT_ROLES: readonly User['role'][] = ['grid_worker', 'community_handler'];

/**
 * May `user` create a field report at `place`? The place must be as specific
 * as the reporter's own unit (a grid worker names the grid) and inside it.
 */
export function mayReportAt(tree: OrgTree, user: ScopeUser, place: Place): ScopeDecision {
  if (!FIELD_REPORT_ROLES.includes(user.role)) return { ok: false, reason: 'not_a_reporter' };
  const mostSpecific = placeUnitIds(place)[0]!;
  const unit = tree.units.get(user.unitId);
  const needed: UnitKind | undefined = unit?.kind;
  if ((needed === 'grid' && !place.gridId) || (needed === 'community' && !place.communityId && !place.gridId)) {
    return { ok: false, reason: 'place_too_coarse' };
  }
  return covers(tree, user.unitId, mostSpecific) ? { ok: true, via: 'place' } : { ok: false, reason: 'place_out_of_scope' };
}

/**
 * Check that a place names real units of the right kinds, each inside the
 * next. Errors name the field, e.g. `place.gridId`.
 */
export function checkPlace(tree: OrgTree, place: Place, prefix = 'place'): FieldError[] {
  const levels: [keyof Place, UnitKind, keyof Place | null][] = [
    ['districtId', 'district', null],
    ['streetId', 'street', 'districtId'],
    ['communityId', 'community', 'streetId'],
    ['gridId', 'grid', place.communityId ? 'communityId' : 'streetId'],
  ];
  const errors: FieldError[] = [];
  for (const [key, kind, parentKey] of levels) {
    const id = place[key];
    if (id === undefined) continue;
    const unit = tree.units.get(id);
    if (!unit) {
      errors.push({ field: `${prefix}.${key}`, message: `unknown unit ${id}` });
      continue;
    }
    if (unit.kind !== kind) {
      errors.push({ field: `${prefix}.${key}`, message: `${id} is a ${unit.kind}, not a ${kind}` });
      continue;
    }
    const parentId = parentKey ? place[parentKey] : undefined;
    if (parentId !== undefined && !isWithin(tree, id, parentId)) {
      errors.push({ field: `${prefix}.${key}`, message: `${id} is not inside ${parentId}` });
    }
  }
  return errors;
}

/**
 * The index docs that list an order: its place's grid, community and street,
 * and the grid, community and street it is dispatched to (each unit of the
 * target's branch up to its street), so the workers of a grid and the
 * handlers of a community that received an order from elsewhere, or at the
 * street alone, see it in their list. A community's index lists what is
 * placed in or sent to any of its grids too: a community handler reads that
 * one doc.
 */
export function indexUnitsFor(tree: OrgTree, order: Pick<OrderScope, 'place' | 'targetUnitId'>): { grids: string[]; communities: string[]; streets: string[] } {
  const grids = new Set<string>();
  const communities = new Set<string>();
  const streets = new Set<string>([order.place.streetId]);
  if (order.place.gridId) grids.add(order.place.gridId);
  // A place names its grid's community when the grid has one (checkPlace); the tree says so for a target.
  const placeCommunity = order.place.communityId ?? communityOf(tree, order.place.gridId);
  if (placeCommunity) communities.add(placeCommunity);
  if (order.targetUnitId !== null) {
    let current = tree.units.get(order.targetUnitId);
    while (current && current.kind !== 'street') {
      if (current.kind === 'grid') grids.add(current.id);
      if (current.kind === 'community') communities.add(current.id);
      current = current.parentId === null ? undefined : tree.units.get(current.parentId);
    }
    if (current) streets.add(current.id);
  }
  return { grids: [...grids].sort(), communities: [...communities].sort(), streets: [...streets].sort() };
}

/** The community a grid belongs to, if it is in one. */
function communityOf(tree: OrgTree, gridId: string | undefined): string | undefined {
  const parentId = gridId === undefined ? null : (tree.units.get(gridId)?.parentId ?? null);
  const parent = parentId === null ? undefined : tree.units.get(parentId);
  return parent?.kind === 'community' ? parent.id : undefined;
}
