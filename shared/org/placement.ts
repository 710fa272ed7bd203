/**
 * Where an imported order belongs: the 区县 / 街道 / 社区 a portal names,
 * placed onto our units by name. Pure. (The grid to suggest for 派单 is
 * suggest-unit.ts's `suggestUnit`, scoped to the placed community.)
 *
 * Names are compared as people write them: without spaces and without the
 * kind's suffix (凯旋路街道 = 凯旋路街道办事处 = 凯旋路; 青园社区 = 青园社区居委会
 * = 青园). The street must be one the importer may place into (`homeStreetId`,
 * the clerk's own, or any street among `units` when it is null); a street the
 * portal names that is not there is reported, and the order stays in the home
 * street for the clerk to decide.
 */
import type { Unit } from './units.ts';

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
