/** 超期件数 and 当前超期未办结. docs/INDICATORS.md. */
import { isOpenStatus } from '../order/status.ts';
import { countOf, type Count } from './measures.ts';
import type { Period } from './period.ts';
import { counts, type IndicatorRow } from './row.ts';

/**
 * 超期件数: orders whose deadline (as extended) passed in the period, before
 * `now`, without a close by then: still open, or closed after it.
 */
export function overdueCount(rows: readonly IndicatorRow[], period: Period, now: number): Count {
  const end = Math.min(period.to, now);
  return countOf(
    rows.filter((r) => counts(r) && r.deadline >= period.from && r.deadline < end && (r.closedAt === null || r.closedAt > r.deadline)),
  );
}

/** 当前超期: open at `now` and past the deadline, whatever the period. */
export function overdueOpenCount(rows: readonly IndicatorRow[], now: number): Count {
  return countOf(rows.filter((r) => isOpenStatus(r.status) && r.deadline < now));
}
