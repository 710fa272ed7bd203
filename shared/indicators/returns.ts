/** 退单率 and 改派次数. docs/INDICATORS.md. */
import { rateOf, type Count, type Rate } from './measures.ts';
import type { Period } from './period.ts';
import { receivedRows } from './received.ts';
import type { IndicatorRow } from './row.ts';

/** Of the orders received in the period and dispatched at least once, those returned at least once. */
export function returnRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return rateOf(
    receivedRows(rows, period).filter((r) => r.dispatchCount > 0),
    (r) => r.returnCount > 0,
  );
}

/** 改派次数: dispatches after the first, over the orders received in the period; ids are the orders re-dispatched. */
export function redispatchCount(rows: readonly IndicatorRow[], period: Period): Count {
  let value = 0;
  const ids: string[] = [];
  for (const r of receivedRows(rows, period)) {
    if (r.dispatchCount < 2) continue;
    value += r.dispatchCount - 1;
    ids.push(r.id);
  }
  return { value, ids };
}
