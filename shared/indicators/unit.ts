/** Units of the place hierarchy an order belongs to: district › street › community › grid. */
import type { IndicatorRow } from './row.ts';

export const PLACE_LEVELS = ['district', 'street', 'community', 'grid'] as const;
export type PlaceLevel = (typeof PLACE_LEVELS)[number];

export interface UnitRef {
  readonly level: PlaceLevel;
  readonly id: string;
}

type PlaceRow = Pick<IndicatorRow, 'districtId' | 'streetId' | 'communityId' | 'gridId'>;

/** The order's unit at `level`; null when its place stops above (no community or grid). */
export function unitAt(row: PlaceRow, level: PlaceLevel): string | null {
  switch (level) {
    case 'district':
      return row.districtId;
    case 'street':
      return row.streetId;
    case 'community':
      return row.communityId;
    case 'grid':
      return row.gridId;
  }
}

export function rowsInUnit<T extends PlaceRow>(rows: readonly T[], unit: UnitRef | null): T[] {
  if (unit === null) return [...rows];
  return rows.filter((r) => unitAt(r, unit.level) === unit.id);
}

/** The level below, or null under a grid. */
export function childLevel(level: PlaceLevel | null): PlaceLevel | null {
  if (level === null) return 'district';
  return PLACE_LEVELS[PLACE_LEVELS.indexOf(level) + 1] ?? null;
}

/** Rows grouped by their unit at `level`; orders with no unit there are left out. */
export function groupByUnit<T extends PlaceRow>(rows: readonly T[], level: PlaceLevel): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const id = unitAt(row, level);
    if (id === null) continue;
    const list = groups.get(id);
    if (list) list.push(row);
    else groups.set(id, [row]);
  }
  return groups;
}
