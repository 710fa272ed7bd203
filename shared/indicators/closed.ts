/** 办结量, 办结率, 按期办结率. docs/INDICATORS.md. */
import { countOf, rateOf, type Count, type Rate } from './measures.ts';
import { inPeriod, type Period } from './period.ts';
import { receivedRows } from './received.ts';
import { counts, type IndicatorRow } from './row.ts';

/** Its current close (the last, after any 重办) falls in the period. */
export function isClosedIn(row: IndicatorRow, period: Period): boolean {
  return counts(row) && inPeriod(row.closedAt, period);
}

export function closedRows<T extends IndicatorRow>(rows: readonly T[], period: Period): T[] {
  return rows.filter((r) => isClosedIn(r, period));
}

/** 办结量 */
export function closedCount(rows: readonly IndicatorRow[], period: Period): Count {
  return countOf(closedRows(rows, period));
}

/** 办结率 over the orders received in the period: those closed before its end (and still closed). */
export function closeRateOf(received: readonly IndicatorRow[], period: Period): Rate {
  return rateOf(received, (r) => isClosedBy(r, period));
}

/** Closed before the period's end (and still closed): 办结率's numerator. */
export function isClosedBy(r: IndicatorRow, period: Period): boolean {
  return r.closedAt !== null && r.closedAt < period.to;
}

export function closeRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return closeRateOf(receivedRows(rows, period), period);
}

/** 按期办结率 over the orders closed in the period: those closed by their deadline (as extended). */
export function onTimeCloseRateOf(closed: readonly IndicatorRow[]): Rate {
  return rateOf(closed, isClosedOnTime);
}

export function isClosedOnTime(r: IndicatorRow): boolean {
  return r.closedAt !== null && r.closedAt <= r.deadline;
}

export function onTimeCloseRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return onTimeCloseRateOf(closedRows(rows, period));
}
