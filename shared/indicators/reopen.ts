/** 重办率. docs/INDICATORS.md. */
import { closedRows } from './closed.ts';
import { rateOf, type Rate } from './measures.ts';
import type { Period } from './period.ts';
import type { IndicatorRow } from './row.ts';

/** Over the orders closed in the period: those reopened by a 重办 at least once (a 审核退回 is the office's own review and does not count). */
export function reopenRateOf(closed: readonly IndicatorRow[]): Rate {
  return rateOf(closed, isReopened);
}

export function isReopened(r: IndicatorRow): boolean {
  return r.reopenCount > 0;
}

export function reopenRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return reopenRateOf(closedRows(rows, period));
}
