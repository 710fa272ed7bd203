/** 签收及时率. docs/INDICATORS.md. */
import { rateOf, type Rate } from './measures.ts';
import { inPeriod, type Period } from './period.ts';
import { counts, type IndicatorRow } from './row.ts';

/**
 * Of the orders last dispatched in the period whose 签收 is decided at `now`
 * (accepted, or not accepted and past the due time), those accepted by the due time.
 */
export function acceptOnTimeRate(rows: readonly IndicatorRow[], period: Period, now: number): Rate {
  const base = rows.filter(
    (r) => counts(r) && inPeriod(r.dispatchedAt, period) && r.acceptDueAt !== null && (r.acceptedAt !== null || r.acceptDueAt < now),
  );
  return rateOf(base, (r) => r.acceptedAt !== null && r.acceptDueAt !== null && r.acceptedAt <= r.acceptDueAt);
}
