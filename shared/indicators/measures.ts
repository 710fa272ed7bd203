/** The shapes every indicator returns: a number and the orders behind it. */

export interface Count {
  readonly value: number;
  /** The orders counted, so that every number opens its list. */
  readonly ids: readonly string[];
}

export interface Rate {
  readonly numerator: number;
  readonly denominator: number;
  /** numerator / denominator, null when nothing was to be counted. */
  readonly rate: number | null;
  /** The orders in the numerator. */
  readonly ids: readonly string[];
  /** The orders in the denominator. */
  readonly baseIds: readonly string[];
}

export interface Mean {
  /** null when there is nothing to average. */
  readonly value: number | null;
  readonly n: number;
  readonly ids: readonly string[];
}

export function rateOf<T extends { readonly id: string }>(base: readonly T[], hit: (row: T) => boolean): Rate {
  const ids: string[] = [];
  for (const row of base) if (hit(row)) ids.push(row.id);
  return { numerator: ids.length, denominator: base.length, rate: base.length === 0 ? null : ids.length / base.length, ids, baseIds: base.map((r) => r.id) };
}

export function countOf(rows: readonly { readonly id: string }[]): Count {
  return { value: rows.length, ids: rows.map((r) => r.id) };
}

export function meanOf<T extends { readonly id: string }>(rows: readonly T[], value: (row: T) => number): Mean {
  if (rows.length === 0) return { value: null, n: 0, ids: [] };
  let sum = 0;
  for (const row of rows) sum += value(row);
  return { value: sum / rows.length, n: rows.length, ids: rows.map((r) => r.id) };
}
