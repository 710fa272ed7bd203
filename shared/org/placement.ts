/**
 * Where an imported order belongs: the 区县 / 街道 / 社区 a portal names,
 * placed onto our units by name, and the grid to suggest for 派单. Pure.
 *
 * Names are compared as people write them: without spaces and without the
 * kind's suffix (凯旋路街道 = 凯旋路街道办事处 = 凯旋路; 青园社区 = 青园社区居委会
 * = 青园). The street must be one the importer may place into (`homeStreetId`,
 * the clerk's own, or any street among `units` when it is null); a street the
 * portal names that is not there is reported, and the order stays in the home
 * street for the clerk to decide.
 */
import type { Unit } from './units.ts';
import { parseAddress } from '../duplicates/address.ts';

export interface PlaceNames {
  readonly district?: string;
  readonly street?: string;
  readonly community?: string;
}

export type PlacementNote =
  | { readonly code: 'street_elsewhere'; readonly name: string }
  | { readonly code: 'community_unknown'; readonly name: string };

export interface Placement {
  readonly districtId: string;
  readonly streetId: string;
  readonly communityId: string | null;
  readonly notes: readonly PlacementNote[];
}

const SUFFIX: Record<'district' | 'street' | 'community', RegExp> = {
  district: /(区|县|市)$/,
  street: /(街道办事处|街道办|街道|镇人民政府|镇|乡)$/,
  community: /(社区居民委员会|社区居委会|居委会|社区|村民委员会|村委会|村)$/,
};

export function nameKey(name: string, kind: 'district' | 'street' | 'community'): string {
  const compact = name.normalize('NFKC').replace(/\s+/g, '');
  const core = compact.replace(SUFFIX[kind], '');
  return core || compact;
}

const byName = (units: readonly Unit[], kind: 'district' | 'street' | 'community', name: string, parentId?: string): Unit | undefined =>
  units.find((u) => u.kind === kind && (parentId === undefined || u.parentId === parentId) && nameKey(u.name, kind) === nameKey(name, kind));

/** The place of an order the portal names `names` for, or null when there is no street to place it in. */
export function placeByNames(units: readonly Unit[], names: PlaceNames, homeStreetId: string | null): Placement | null {
  const notes: PlacementNote[] = [];
  const streets = units.filter((u) => u.kind === 'street' && (homeStreetId === null || u.id === homeStreetId));
  let street = homeStreetId ? streets[0] : undefined;
  if (names.street?.trim()) {
    const district = names.district?.trim() ? byName(units, 'district', names.district) : undefined;
    const named = byName(streets, 'street', names.street, district?.id) ?? byName(streets, 'street', names.street);
    if (named) street = named;
    else notes.push({ code: 'street_elsewhere', name: names.street.trim() });
  }
  if (!street?.parentId) return null;
  let communityId: string | null = null;
  if (names.community?.trim() && notes.length === 0) {
    const community = byName(units, 'community', names.community, street.id);
    if (community) communityId = community.id;
    else notes.push({ code: 'community_unknown', name: names.community.trim() });
  }
  return { districtId: street.parentId, streetId: street.id, communityId, notes };
}

/** An order this device knows, as far as the grid suggestion needs it. */
export interface PlacedOrder {
  readonly address: string;
  readonly communityId: string | null;
  readonly gridId: string | null;
}

/**
 * The grid to suggest for an order in `communityId` at `address`: the
 * community's only grid; else the grid most of the known orders at the same
 * place (a door, a compound, else a road) in that community went to; else null.
 */
export function suggestGrid(units: readonly Unit[], communityId: string | null, address: string, known: readonly PlacedOrder[]): string | null {
  if (!communityId) return null;
  const grids = units.filter((u) => u.kind === 'grid' && u.parentId === communityId);
  if (grids.length === 1) return grids[0]!.id;
  const ids = new Set(grids.map((g) => g.id));
  const here = parseAddress(address);
  const doors = new Set(here.doors.map((d) => `${d.road}#${d.number}`));
  const roads = new Set(here.roads);
  const score = (o: PlacedOrder): number => {
    const there = parseAddress(o.address);
    if (there.doors.some((d) => doors.has(`${d.road}#${d.number}`))) return 3;
    if (here.compound && there.compound === here.compound) return 2;
    return there.roads.some((r) => roads.has(r)) ? 1 : 0;
  };
  const votes = new Map<string, number>();
  let best = 0;
  for (const o of known) {
    if (o.communityId !== communityId || !o.gridId || !ids.has(o.gridId)) continue;
    const s = score(o);
    if (s === 0 || s < best) continue;
    if (s > best) {
      best = s;
      votes.clear();
    }
    votes.set(o.gridId, (votes.get(o.gridId) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return ranked[0]?.[0] ?? null;
}
