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

/** The ids of `rows`, listed when first asked for: most figures are shown without their lists, and a page computes thousands. */
function lazyIds(rows: readonly { readonly id: string }[]): () => readonly string[] {
  let ids: readonly string[] | null = null;
  return () => (ids ??= rows.map((r) => r.id));
}

export function rateOf<T extends { readonly id: string }>(base: readonly T[], hit: (row: T) => boolean): Rate {
  const hits: T[] = [];
  for (const row of base) if (hit(row)) hits.push(row);
  return rateFrom(base, hits);
}

/** The rate of `hits` among `base` (the hits being rows of the base). */
export function rateFrom(base: readonly { readonly id: string }[], hits: readonly { readonly id: string }[]): Rate {
  const ids = lazyIds(hits);
  const baseIds = lazyIds(base);
  return {
    numerator: hits.length,
    denominator: base.length,
    rate: base.length === 0 ? null : hits.length / base.length,
    get ids() {
      return ids();
    },
    get baseIds() {
      return baseIds();
    },
  };
}

export function countOf(rows: readonly { readonly id: string }[]): Count {
  const ids = lazyIds(rows);
  return {
    value: rows.length,
    get ids() {
      return ids();
    },
  };
}

export function meanOf<T extends { readonly id: string }>(rows: readonly T[], value: (row: T) => number): Mean {
  let sum = 0;
  for (const row of rows) sum += value(row);
  return meanFrom(rows, sum);
}

/** The mean over `rows` whose values add up to `sum`. */
export function meanFrom(rows: readonly { readonly id: string }[], sum: number): Mean {
  if (rows.length === 0) return { value: null, n: 0, ids: [] };
  const ids = lazyIds(rows);
  return {
    value: sum / rows.length,
    n: rows.length,
    get ids() {
      return ids();
    },
  };
}
