/** 退单率 and 改派次数. docs/INDICATORS.md. */
import { rateOf, type Count, type Rate } from './measures.ts';
import type { Period } from './period.ts';
import { receivedRows } from './received.ts';
import type { IndicatorRow } from './row.ts';

/** Over the orders received in the period and dispatched at least once: those returned at least once. */
export function returnRateOf(received: readonly IndicatorRow[]): Rate {
  return rateOf(received.filter(isDispatched), isReturned);
}

/** 退单率's base: dispatched at least once. */
export function isDispatched(r: IndicatorRow): boolean {
  return r.dispatchCount > 0;
}

export function isReturned(r: IndicatorRow): boolean {
  return r.returnCount > 0;
}

export function returnRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return returnRateOf(receivedRows(rows, period));
}

/** 改派次数: dispatches after the first, over the orders received in the period; ids are the orders re-dispatched. */
export function redispatchCountOf(received: readonly IndicatorRow[]): Count {
  let value = 0;
  const ids: string[] = [];
  for (const r of received) {
    const n = redispatchesOf(r);
    if (n === 0) continue;
    value += n;
    ids.push(r.id);
  }
  return { value, ids };
}

/** Dispatches after the first. */
export function redispatchesOf(r: IndicatorRow): number {
  return r.dispatchCount < 2 ? 0 : r.dispatchCount - 1;
}

export function redispatchCount(rows: readonly IndicatorRow[], period: Period): Count {
  return redispatchCountOf(receivedRows(rows, period));
}
