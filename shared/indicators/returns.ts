/** 退单率 and 改派次数. docs/INDICATORS.md. */
import { rateOf, type Count, type Rate } from './measures.ts';
import type { Period } from './period.ts';
import { receivedRows } from './received.ts';
import type { IndicatorRow } from './row.ts';

/** Over the orders received in the period and dispatched at least once: those returned at least once. */
export function returnRateOf(received: readonly IndicatorRow[]): Rate {
  return rateOf(
    received.filter((r) => r.dispatchCount > 0),
    (r) => r.returnCount > 0,
  );
}

export function returnRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return returnRateOf(receivedRows(rows, period));
}

/** 改派次数: dispatches after the first, over the orders received in the period; ids are the orders re-dispatched. */
export function redispatchCountOf(received: readonly IndicatorRow[]): Count {
  let value = 0;
  const ids: string[] = [];
  for (const r of received) {
    if (r.dispatchCount < 2) continue;
    value += r.dispatchCount - 1;
    ids.push(r.id);
  }
  return { value, ids };
}

export function redispatchCount(rows: readonly IndicatorRow[], period: Period): Count {
  return redispatchCountOf(receivedRows(rows, period));
}
