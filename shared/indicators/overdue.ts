/** 超期件数 and 当前超期未办结. docs/INDICATORS.md. */
import { isOpenStatus } from '../order/status.ts';
import { countOf, type Count } from './measures.ts';
import type { Period } from './period.ts';
import { counts, type IndicatorRow } from './row.ts';

/**
 * 超期: the deadline (as extended) passed in the period, before `now`,
 * without a close by then: still open, or closed after it.
 */
export function isOverdueIn(r: IndicatorRow, period: Period, now: number): boolean {
  return counts(r) && r.deadline >= period.from && r.deadline < Math.min(period.to, now) && (r.closedAt === null || r.closedAt > r.deadline);
}

export function overdueCount(rows: readonly IndicatorRow[], period: Period, now: number): Count {
  return countOf(rows.filter((r) => isOverdueIn(r, period, now)));
}

/** 当前超期: open at `now` and past the deadline, whatever the period. */
export function isOverdueNow(r: IndicatorRow, now: number): boolean {
  return isOpenStatus(r.status) && r.deadline < now;
}

export function overdueOpenCount(rows: readonly IndicatorRow[], now: number): Count {
  return countOf(rows.filter((r) => isOverdueNow(r, now)));
}
