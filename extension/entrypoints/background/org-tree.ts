/** The clerk's street and its communities and grids, from the units of their branch (GET /api/org). Pure. */
import type { Unit } from '#shared/org/units.ts';
import type { DispatchTree } from '../../lib/protocol.ts';

/** The street of the user (a clerk's own unit) and its district. */
export function streetPlaceOf(units: readonly Unit[], unitId: string): { districtId: string; streetId: string } | null {
  const street = units.find((u) => u.id === unitId && u.kind === 'street');
  if (!street?.parentId) return null;
  return { districtId: street.parentId, streetId: street.id };
}

export function dispatchTreeOf(units: readonly Unit[], unitId: string): DispatchTree {
  const street = units.find((u) => u.id === unitId && u.kind === 'street') ?? null;
  const communities = units
    .filter((u) => u.kind === 'community' && (street === null || u.parentId === street.id))
    .map((community) => ({
      id: community.id,
      name: community.name,
      grids: units.filter((g) => g.kind === 'grid' && g.parentId === community.id).map((g) => ({ id: g.id, name: g.name })),
    }));
  return { street: street ? { id: street.id, name: street.name } : null, communities };
}

