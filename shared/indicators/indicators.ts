/**
 * Every indicator of one unit's orders over one period, each with the orders
 * behind it. Definitions: docs/INDICATORS.md.
 */
import { DEFAULT_POLICY, type DeadlinePolicy } from '../order/deadline.ts';
import { acceptOnTimeRate } from './acceptance.ts';
import { callbackRate, satisfactionRate } from './callback.ts';
import { closeRate, closedCount, onTimeCloseRate } from './closed.ts';
import { meanDurationDays, meanDurationWorkingDays } from './duration.ts';
import { checkInRate, photoEvidenceRate } from './evidence.ts';
import { fieldReportCount, selfHandledCount } from './field-report.ts';
import type { Count, Mean, Rate } from './measures.ts';
import { overdueCount, overdueOpenCount } from './overdue.ts';
import type { Period } from './period.ts';
import { receivedCount } from './received.ts';
import { reopenRate } from './reopen.ts';
import { redispatchCount, returnRate } from './returns.ts';
import type { IndicatorRow } from './row.ts';
import { supervisedCount, supervisionResponseHours } from './supervision.ts';

export interface Indicators {
  /** 受理量 */
  readonly received: Count;
  /** 办结量 */
  readonly closed: Count;
  /** 办结率 */
  readonly closeRate: Rate;
  /** 按期办结率 */
  readonly onTimeRate: Rate;
  /** 签收及时率 */
  readonly acceptOnTimeRate: Rate;
  /** 超期件数 */
  readonly overdue: Count;
  /** 当前超期未办结 (at `now`, whatever the period) */
  readonly overdueOpen: Count;
  /** 平均办理时长 (自然日) */
  readonly durationDays: Mean;
  /** 平均办理时长 (工作日) */
  readonly durationWorkingDays: Mean;
  /** 回访率 */
  readonly callbackRate: Rate;
  /** 回访满意率 */
  readonly satisfactionRate: Rate;
  /** 重办率 */
  readonly reopenRate: Rate;
  /** 退单率 */
  readonly returnRate: Rate;
  /** 改派次数 */
  readonly redispatches: Count;
  /** 督办件数 */
  readonly supervised: Count;
  /** 督办响应时长 (小时) */
  readonly supervisionResponseHours: Mean;
  /** 现场核实率 */
  readonly checkInRate: Rate;
  /** 照片取证率 */
  readonly photoRate: Rate;
  /** 事件上报量 */
  readonly fieldReports: Count;
  /** 自行处置量 */
  readonly selfHandled: Count;
}

export type IndicatorKey = keyof Indicators;

export function computeIndicators(
  rows: readonly IndicatorRow[],
  period: Period,
  now: number,
  policy: DeadlinePolicy = DEFAULT_POLICY,
): Indicators {
  return {
    received: receivedCount(rows, period),
    closed: closedCount(rows, period),
    closeRate: closeRate(rows, period),
    onTimeRate: onTimeCloseRate(rows, period),
    acceptOnTimeRate: acceptOnTimeRate(rows, period, now),
    overdue: overdueCount(rows, period, now),
    overdueOpen: overdueOpenCount(rows, now),
    durationDays: meanDurationDays(rows, period),
    durationWorkingDays: meanDurationWorkingDays(rows, period, policy),
    callbackRate: callbackRate(rows, period),
    satisfactionRate: satisfactionRate(rows, period),
    reopenRate: reopenRate(rows, period),
    returnRate: returnRate(rows, period),
    redispatches: redispatchCount(rows, period),
    supervised: supervisedCount(rows, period),
    supervisionResponseHours: supervisionResponseHours(rows, period),
    checkInRate: checkInRate(rows, period),
    photoRate: photoEvidenceRate(rows, period),
    fieldReports: fieldReportCount(rows, period),
    selfHandled: selfHandledCount(rows, period),
  };
}

/** The ids behind any indicator: the numerator's orders for a rate. */
export function idsOf(value: Count | Rate | Mean): readonly string[] {
  return value.ids;
}

/** The headline figure of any indicator: the count, the rate (0–1) or the mean; null when undefined. */
export function figureOf(value: Count | Rate | Mean): number | null {
  if ('rate' in value) return value.rate;
  return value.value;
}
