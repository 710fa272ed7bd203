/** 回访率 and 回访满意率. docs/INDICATORS.md. */
import { closedRows } from './closed.ts';
import { rateOf, type Rate } from './measures.ts';
import { inPeriod, type Period } from './period.ts';
import { counts, type IndicatorRow } from './row.ts';

/** 回访率 over the orders closed in the period: those whose current close has been called back. */
export function callbackRateOf(closed: readonly IndicatorRow[]): Rate {
  return rateOf(closed, isCalledBack);
}

export function isCalledBack(r: IndicatorRow): boolean {
  return r.closeCalledBack;
}

export function callbackRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return callbackRateOf(closedRows(rows, period));
}

/** The citizen was reached in the period: the order's last recorded 回访 (kept even if reopened since) falls in it. */
export function isReachedIn(r: IndicatorRow, period: Period): boolean {
  return counts(r) && r.callback !== null && inPeriod(r.callback.at, period);
}

/** 回访满意率 over those reached: 满意 or 基本满意. */
export function satisfactionRateOf(reached: readonly IndicatorRow[]): Rate {
  return rateOf(reached, isSatisfied);
}

export function isSatisfied(r: IndicatorRow): boolean {
  return r.callback?.satisfaction === 'satisfied' || r.callback?.satisfaction === 'basic';
}

export function satisfactionRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return satisfactionRateOf(rows.filter((r) => isReachedIn(r, period)));
}

/** The reached citizens who were not satisfied: the 月通报's 不满意回访 list. */
export function unsatisfiedRows<T extends IndicatorRow>(rows: readonly T[], period: Period): T[] {
  return rows.filter((r) => isReachedIn(r, period) && r.callback?.satisfaction === 'unsatisfied');
}
