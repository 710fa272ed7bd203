/** 重办率. docs/INDICATORS.md. */
import { closedRows } from './closed.ts';
import { rateOf, type Rate } from './measures.ts';
import type { Period } from './period.ts';
import type { IndicatorRow } from './row.ts';

/** Of the orders closed in the period, those reopened by a 重办 at least once (a 审核退回 is the office's own review and does not count). */
export function reopenRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return rateOf(closedRows(rows, period), (r) => r.reopenCount > 0);
}
