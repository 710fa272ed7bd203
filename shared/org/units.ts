import * as v from 'valibot';

/** city › district/county › street/township › community/village › grid */
export const UNIT_KINDS = ['city', 'district', 'street', 'community', 'grid'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UnitIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-", at most 64'),
);

export const UnitSchema = v.object({
  id: UnitIdSchema,
  kind: v.picklist(UNIT_KINDS),
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(100)),
  /** null only for the city at the root. */
  parentId: v.nullable(UnitIdSchema),
  /**
   * The office's 预警 window for the desk's queues, in hours
   * (shared/order/queues.ts `warningWindowMsFor`): set on a street (or a
   * district, or the city) it holds for the units below it that set none.
   * Absent: the default. A whole number 1–720; CSV gives it as text.
   */
  warningHours: v.optional(
    v.pipe(
      v.union([v.number(), v.pipe(v.string(), v.regex(/^[0-9]{1,3}$/, 'must be a whole number of hours'), v.transform(Number))]),
      v.integer('must be a whole number of hours'),
      v.minValue(1, 'at least 1 hour'),
      v.maxValue(720, 'at most 720 hours'),
    ),
  ),
});
export type Unit = v.InferOutput<typeof UnitSchema>;

/** The whole organisation as a lookup; built once from the units list. */
export interface OrgTree {
  readonly units: ReadonlyMap<string, Unit>;
  readonly children: ReadonlyMap<string, readonly Unit[]>;
}

export function buildOrgTree(units: readonly Unit[]): OrgTree {
  const byId = new Map<string, Unit>();
  const children = new Map<string, Unit[]>();
  for (const unit of units) {
    if (byId.has(unit.id)) throw new Error(`duplicate unit id ${unit.id}`);
    byId.set(unit.id, unit);
  }
  for (const unit of units) {
    if (unit.parentId === null) {
      if (unit.kind !== 'city') throw new Error(`unit ${unit.id} has no parent but is a ${unit.kind}`);
      continue;
    }
    const parent = byId.get(unit.parentId);
    if (!parent) throw new Error(`unit ${unit.id} names unknown parent ${unit.parentId}`);
    if (UNIT_KINDS.indexOf(parent.kind) !== UNIT_KINDS.indexOf(unit.kind) - 1) {
      throw new Error(`unit ${unit.id} (${unit.kind}) cannot sit under ${parent.id} (${parent.kind})`);
    }
    const list = children.get(parent.id) ?? [];
    list.push(unit);
    children.set(parent.id, list);
  }
  return { units: byId, children };
}

/** The unit and every unit above it, nearest first. */
export function ancestorsOf(tree: OrgTree, unitId: string): Unit[] {
  const chain: Unit[] = [];
  let current = tree.units.get(unitId);
  while (current) {
    chain.push(current);
    current = current.parentId === null ? undefined : tree.units.get(current.parentId);
  }
  return chain;
}

/** The enclosing unit of a given kind (the unit itself if it is of that kind). */
export function enclosingUnit(tree: OrgTree, unitId: string, kind: UnitKind): Unit | undefined {
  return ancestorsOf(tree, unitId).find((unit) => unit.kind === kind);
}

/** True when `unitId` is `scopeId` or lies below it. */
export function isWithin(tree: OrgTree, unitId: string, scopeId: string): boolean {
  return ancestorsOf(tree, unitId).some((unit) => unit.id === scopeId);
}

/** Every unit below `unitId` (not including it), depth first. */
export function descendantsOf(tree: OrgTree, unitId: string): Unit[] {
  const out: Unit[] = [];
  const stack = [...(tree.children.get(unitId) ?? [])];
  while (stack.length > 0) {
    const unit = stack.pop()!;
    out.push(unit);
    stack.push(...(tree.children.get(unit.id) ?? []));
  }
  return out;
}

/**
 * Where a unit sits: its own id and the ids of the district, street, community
 * and grid at or above it (null below the unit's level). What a user's device
 * needs to place a field report without the organisation tree.
 */
export interface UnitPlace {
  readonly unitId: string;
  readonly districtId: string | null;
  readonly streetId: string | null;
  readonly communityId: string | null;
  readonly gridId: string | null;
}

/** The place of `unitId` in the tree, or null when the unit is unknown. */
export function placeOfUnit(tree: OrgTree, unitId: string): UnitPlace | null {
  if (!tree.units.has(unitId)) return null;
  const at = (kind: UnitKind) => enclosingUnit(tree, unitId, kind)?.id ?? null;
  return { unitId, districtId: at('district'), streetId: at('street'), communityId: at('community'), gridId: at('grid') };
}
