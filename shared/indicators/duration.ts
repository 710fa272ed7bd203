/** 平均办理时长, in natural days (as the centres report it) and in working days. docs/INDICATORS.md. */
import { DEFAULT_POLICY, workingDaysBetween, type DeadlinePolicy } from '../order/deadline.ts';
import { closedRows } from './closed.ts';
import { meanOf, type Mean } from './measures.ts';
import { DAY_MS, type Period } from './period.ts';
import type { IndicatorRow } from './row.ts';

/** From receipt to the current close, over the orders closed in the period. */
export function meanDurationDaysOf(closed: readonly IndicatorRow[]): Mean {
  return meanOf(closed, durationDaysOf);
}

export function durationDaysOf(r: IndicatorRow): number {
  return ((r.closedAt ?? r.receivedAt) - r.receivedAt) / DAY_MS;
}

export function meanDurationDays(rows: readonly IndicatorRow[], period: Period): Mean {
  return meanDurationDaysOf(closedRows(rows, period));
}

export function meanDurationWorkingDaysOf(closed: readonly IndicatorRow[], policy: DeadlinePolicy = DEFAULT_POLICY): Mean {
  return meanOf(closed, (r) => durationWorkingDaysOf(r, policy));
}

export function durationWorkingDaysOf(r: IndicatorRow, policy: DeadlinePolicy = DEFAULT_POLICY): number {
  return workingDaysBetween(r.receivedAt, r.closedAt ?? r.receivedAt, policy);
}

export function meanDurationWorkingDays(rows: readonly IndicatorRow[], period: Period, policy: DeadlinePolicy = DEFAULT_POLICY): Mean {
  return meanDurationWorkingDaysOf(closedRows(rows, period), policy);
}
