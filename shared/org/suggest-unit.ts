/**
 * Where to send an order (派单): the unit suggested first in the dispatch tree.
 *
 * 1. **Past orders at the same place.** Orders at the same address (or a
 *    neighbouring door on the same road, the same compound or crossing, by
 *    `compareAddresses`) were handled somewhere: the unit that handled most of
 *    them — where they were dispatched and not returned from, else where they
 *    were placed — is what the office did before, and it wins over the
 *    hotline's guess.
 * 2. **The order's area.** The grid the hotline placed it in, else its
 *    community's only grid (a community of one grid has nowhere else to
 *    send it), else its community.
 *
 * Only units the writer may dispatch to are suggested (grids and communities
 * inside the writer's unit, `checkDispatchTarget`'s rule); a community
 * handler is only ever suggested one of their own grids. A unit that just
 * returned this very order is not suggested again. Pure: the caller passes
 * the tree the device knows and the orders it has.
 *
 * The one way to suggest a unit: the PWA's 派单 sheet (the writer's unit as
 * scope) and the extension's import preview (the order's community as scope,
 * so only its grids) both ask it.
 */
import { compareAddresses, parseAddress, type AddressParts } from '../duplicates/address.ts';
import type { Place } from './scope.ts';
import { covers } from './scope.ts';
import type { OrgTree, Unit } from './units.ts';

export type SuggestedKind = 'grid' | 'community';

/** What the device knows of an earlier order (an inbox row, an index summary). */
export interface PastOrder {
  readonly id: string;
  readonly address: string;
  readonly gridId: string | null;
  readonly communityId: string | null;
  /** Where it is (or was last) dispatched; null when not dispatched or returned. */
  readonly target: { readonly unitId: string; readonly unitKind: string } | null;
}

export interface UnitSuggestion {
  readonly unitId: string;
  readonly unitKind: SuggestedKind;
  /** `past_orders`: `matches` earlier orders at this place went there; `place`: the order is placed in it. */
  readonly reason: 'past_orders' | 'place';
  readonly matches: number;
}

export interface SuggestInput {
  readonly order: { readonly id: string; readonly address: string; readonly place: Place };
  /** The writer's unit: suggestions lie inside it. */
  readonly scopeUnitId: string;
  /** Earlier orders the device knows (this one among them is skipped). */
  readonly history: readonly PastOrder[];
  /** Units that returned this order: not suggested again. */
  readonly exclude?: readonly string[];
}

const dispatchable = (unit: Unit | undefined): unit is Unit & { kind: SuggestedKind } => unit?.kind === 'grid' || unit?.kind === 'community';

/** Units a writer of `scopeUnitId` may send orders to, as a suggestion may name them. */
function allowed(tree: OrgTree, scopeUnitId: string, unitId: string | null | undefined, exclude: ReadonlySet<string>): (Unit & { kind: SuggestedKind }) | null {
  if (!unitId || exclude.has(unitId)) return null;
  const unit = tree.units.get(unitId);
  if (!dispatchable(unit) || unit.id === scopeUnitId || !covers(tree, scopeUnitId, unit.id)) return null;
  return unit;
}

/** The grid or community an earlier order was handled by. */
function handledBy(order: PastOrder): string | null {
  if (order.target && (order.target.unitKind === 'grid' || order.target.unitKind === 'community')) return order.target.unitId;
  return order.gridId ?? order.communityId;
}

const SAME_PLACE: ReadonlySet<string> = new Set(['same', 'near']);

export function suggestUnit(tree: OrgTree, input: SuggestInput): UnitSuggestion | null {
  const exclude = new Set(input.exclude ?? []);
  const parts: AddressParts = parseAddress(input.order.address);
  const votes = new Map<string, number>();
  if (parts.key !== '') {
    for (const past of input.history) {
      if (past.id === input.order.id) continue;
      const unit = allowed(tree, input.scopeUnitId, handledBy(past), exclude);
      if (!unit) continue;
      if (!SAME_PLACE.has(compareAddresses(parts, parseAddress(past.address)).level)) continue;
      votes.set(unit.id, (votes.get(unit.id) ?? 0) + 1);
    }
  }
  // Most matches first; a grid before a community; then by id, so the answer never depends on the history's order.
  const ranked = [...votes].sort(([a, x], [b, y]) => y - x || rank(tree, a) - rank(tree, b) || (a < b ? -1 : a > b ? 1 : 0));
  const best = ranked[0];
  if (best) {
    const unit = tree.units.get(best[0]) as Unit & { kind: SuggestedKind };
    return { unitId: unit.id, unitKind: unit.kind, reason: 'past_orders', matches: best[1] };
  }
  const { gridId, communityId } = input.order.place;
  const grids = communityId ? (tree.children.get(communityId) ?? []).filter((unit) => unit.kind === 'grid') : [];
  const onlyGrid = grids.length === 1 ? grids[0]!.id : undefined;
  for (const id of [gridId, onlyGrid, communityId]) {
    const unit = allowed(tree, input.scopeUnitId, id, exclude);
    if (unit) return { unitId: unit.id, unitKind: unit.kind, reason: 'place', matches: 0 };
  }
  return null;
}

function rank(tree: OrgTree, unitId: string): number {
  return tree.units.get(unitId)?.kind === 'grid' ? 0 : 1;
}

/** One node of the dispatch tree a picker shows: the writer's unit's branch, down to grids. */
export interface DispatchNode {
  readonly id: string;
  readonly name: string;
  readonly kind: Unit['kind'];
  /** False for units an order is not sent to (the writer's own, a street, a district). */
  readonly selectable: boolean;
  readonly children: readonly DispatchNode[];
}

/**
 * The branch below `scopeUnitId` as a tree of units, names matching `query`
 * (and the units above them) only when a query is given; children by id (the
 * order the organisation numbers them, whatever the device's collation).
 */
export function dispatchTree(tree: OrgTree, scopeUnitId: string, query = ''): DispatchNode[] {
  const q = query.trim();
  const build = (unit: Unit): DispatchNode | null => {
    const children = [...(tree.children.get(unit.id) ?? [])]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(build)
      .filter((node): node is DispatchNode => node !== null);
    const hit = q === '' || unit.name.includes(q) || unit.id.includes(q);
    if (!hit && children.length === 0) return null;
    return { id: unit.id, name: unit.name, kind: unit.kind, selectable: dispatchable(unit) && unit.id !== scopeUnitId, children };
  };
  const root = tree.units.get(scopeUnitId);
  if (!root) return [];
  const top = build(root);
  return top ? [...top.children] : [];
}
