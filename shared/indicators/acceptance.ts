/** 签收及时率. docs/INDICATORS.md. */
import { rateOf, type Rate } from './measures.ts';
import { inPeriod, type Period } from './period.ts';
import { counts, type IndicatorRow } from './row.ts';

/** Last dispatched in the period, and its 签收 decided at `now`: accepted, or not accepted and past the due time. */
export function isAcceptDecidedIn(r: IndicatorRow, period: Period, now: number): boolean {
  return counts(r) && inPeriod(r.dispatchedAt, period) && r.acceptDueAt !== null && (r.acceptedAt !== null || r.acceptDueAt < now);
}

/** Of those, the ones accepted by the due time. */
export function acceptOnTimeRateOf(decided: readonly IndicatorRow[]): Rate {
  return rateOf(decided, isAcceptedOnTime);
}

export function isAcceptedOnTime(r: IndicatorRow): boolean {
  return r.acceptedAt !== null && r.acceptDueAt !== null && r.acceptedAt <= r.acceptDueAt;
}

export function acceptOnTimeRate(rows: readonly IndicatorRow[], period: Period, now: number): Rate {
  return acceptOnTimeRateOf(rows.filter((r) => isAcceptDecidedIn(r, period, now)));
}
