/** 回访率 and 回访满意率. docs/INDICATORS.md. */
import { closedRows } from './closed.ts';
import { rateOf, type Rate } from './measures.ts';
import { inPeriod, type Period } from './period.ts';
import { counts, type IndicatorRow } from './row.ts';

/** 回访率: of the orders closed in the period, those whose current close has been called back. */
export function callbackRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return rateOf(closedRows(rows, period), (r) => r.closeCalledBack);
}

/** 回访满意率: of the citizens reached in the period (each order's last recorded 回访, even if reopened since), 满意 or 基本满意. */
export function satisfactionRate(rows: readonly IndicatorRow[], period: Period): Rate {
  const reached = rows.filter((r) => counts(r) && r.callback !== null && inPeriod(r.callback.at, period));
  return rateOf(reached, (r) => r.callback?.satisfaction === 'satisfied' || r.callback?.satisfaction === 'basic');
}

/** The reached citizens who were not satisfied: the 月通报's 不满意回访 list. */
export function unsatisfiedRows<T extends IndicatorRow>(rows: readonly T[], period: Period): T[] {
  return rows.filter((r) => counts(r) && r.callback?.satisfaction === 'unsatisfied' && inPeriod(r.callback.at, period));
}
