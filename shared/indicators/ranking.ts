/**
 * The ranking of units (排名): a composite score from weighted indicators,
 * with the tables split by volume the way the centres publish them (units
 * with many orders ranked apart from units with few). docs/INDICATORS.md.
 */
import { DEFAULT_POLICY, type DeadlinePolicy } from '../order/deadline.ts';
import { computeIndicators, type Indicators } from './indicators.ts';
import type { Period } from './period.ts';
import type { IndicatorRow } from './row.ts';
import { groupByUnit, type PlaceLevel } from './unit.ts';

/** The rates a score may weigh, each 0–1 with higher better. */
export const SCORED = ['onTimeRate', 'closeRate', 'satisfactionRate', 'acceptOnTimeRate', 'callbackRate', 'reopenRate', 'returnRate'] as const;
export type Scored = (typeof SCORED)[number];

/** Rates where lower is better: they score as 1 − rate. */
const LOWER_IS_BETTER: ReadonlySet<Scored> = new Set(['reopenRate', 'returnRate']);

/** Weights the office sets; those not given weigh 0. */
export type Weights = Readonly<Partial<Record<Scored, number>>>;

/** One published weighting: 按期办结率 40, 回访满意率 40, 办结率 20. */
export const DEFAULT_WEIGHTS: Weights = { onTimeRate: 40, satisfactionRate: 40, closeRate: 20 };

export interface RankedUnit {
  readonly unitId: string;
  readonly indicators: Indicators;
  /** 0–100; null when none of the weighted rates is defined for the unit. */
  readonly score: number | null;
  /** 1-based within its volume table; ties share a rank. */
  readonly rank: number;
}

export interface Ranking {
  /** Units with at least `volumeSplit` orders received in the period, then the others. */
  readonly tables: readonly { readonly large: boolean; readonly units: readonly RankedUnit[] }[];
}

/**
 * Score: the weighted mean of the defined weighted rates (lower-is-better ones
 * as 1 − rate), ×100. A rate with no denominator is left out and its weight
 * with it, so a unit is not punished for what it had nothing to do.
 */
export function compositeScore(indicators: Indicators, weights: Weights): number | null {
  let sum = 0;
  let weight = 0;
  for (const key of SCORED) {
    const w = weights[key] ?? 0;
    const rate = indicators[key].rate;
    if (w <= 0 || rate === null) continue;
    sum += w * (LOWER_IS_BETTER.has(key) ? 1 - rate : rate);
    weight += w;
  }
  return weight === 0 ? null : (100 * sum) / weight;
}

export function rankUnits(
  rows: readonly IndicatorRow[],
  level: PlaceLevel,
  period: Period,
  now: number,
  options: { readonly weights?: Weights; readonly volumeSplit?: number; readonly policy?: DeadlinePolicy } = {},
): Ranking {
  const weights = options.weights ?? DEFAULT_WEIGHTS;
  const split = options.volumeSplit ?? 0;
  const scored = [...groupByUnit(rows, level)].map(([unitId, unitRows]) => {
    const indicators = computeIndicators(unitRows, period, now, options.policy ?? DEFAULT_POLICY);
    return { unitId, indicators, score: compositeScore(indicators, weights) };
  });
  const table = (large: boolean) => {
    const units = scored
      .filter((u) => split <= 0 || u.indicators.received.value >= split === large)
      .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.indicators.received.value - a.indicators.received.value || (a.unitId < b.unitId ? -1 : 1));
    let rank = 0;
    return {
      large,
      units: units.map((u, i) => {
        if (i === 0 || u.score !== units[i - 1]!.score) rank = i + 1;
        return { ...u, rank };
      }),
    };
  };
  return { tables: split > 0 ? [table(true), table(false)] : [table(true)] };
}
