/**
 * Every indicator of one unit's orders over one period, each with the orders
 * behind it. Definitions: docs/INDICATORS.md.
 */
import { DEFAULT_POLICY, type DeadlinePolicy } from '../order/deadline.ts';
import { acceptOnTimeRateOf, isAcceptDecidedIn } from './acceptance.ts';
import { callbackRateOf, isReachedIn, satisfactionRateOf } from './callback.ts';
import { closeRateOf, isClosedIn, onTimeCloseRateOf } from './closed.ts';
import { meanDurationDaysOf, meanDurationWorkingDaysOf } from './duration.ts';
import { checkInRateOf, photoEvidenceRateOf } from './evidence.ts';
import { fieldReportCountOf, selfHandledCountOf } from './field-report.ts';
import { countOf, type Count, type Mean, type Rate } from './measures.ts';
import { isOverdueIn, isOverdueNow } from './overdue.ts';
import type { Period } from './period.ts';
import { isReceivedIn } from './received.ts';
import { reopenRateOf } from './reopen.ts';
import { redispatchCountOf, returnRateOf } from './returns.ts';
import type { IndicatorRow } from './row.ts';
import { isSupervisedIn, supervisionResponseHoursOf } from './supervision.ts';

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

/**
 * One pass sorts the rows into the bases the indicators count over (received,
 * closed, reached… in the period); each indicator then reads its base. The
 * same predicates as each indicator's own function, so the two agree.
 */
export function computeIndicators(
  rows: readonly IndicatorRow[],
  period: Period,
  now: number,
  policy: DeadlinePolicy = DEFAULT_POLICY,
): Indicators {
  const received: IndicatorRow[] = [];
  const closed: IndicatorRow[] = [];
  const decided: IndicatorRow[] = [];
  const overdue: IndicatorRow[] = [];
  const overdueOpen: IndicatorRow[] = [];
  const supervised: IndicatorRow[] = [];
  const reached: IndicatorRow[] = [];
  for (const row of rows) {
    if (isReceivedIn(row, period)) received.push(row);
    if (isClosedIn(row, period)) closed.push(row);
    if (isAcceptDecidedIn(row, period, now)) decided.push(row);
    if (isOverdueIn(row, period, now)) overdue.push(row);
    if (isOverdueNow(row, now)) overdueOpen.push(row);
    if (isSupervisedIn(row, period)) supervised.push(row);
    if (isReachedIn(row, period)) reached.push(row);
  }
  return {
    received: countOf(received),
    closed: countOf(closed),
    closeRate: closeRateOf(received, period),
    onTimeRate: onTimeCloseRateOf(closed),
    acceptOnTimeRate: acceptOnTimeRateOf(decided),
    overdue: countOf(overdue),
    overdueOpen: countOf(overdueOpen),
    durationDays: meanDurationDaysOf(closed),
    durationWorkingDays: meanDurationWorkingDaysOf(closed, policy),
    callbackRate: callbackRateOf(closed),
    satisfactionRate: satisfactionRateOf(reached),
    reopenRate: reopenRateOf(closed),
    returnRate: returnRateOf(received),
    redispatches: redispatchCountOf(received),
    supervised: countOf(supervised),
    supervisionResponseHours: supervisionResponseHoursOf(supervised),
    checkInRate: checkInRateOf(closed),
    photoRate: photoEvidenceRateOf(closed),
    fieldReports: fieldReportCountOf(received),
    selfHandled: selfHandledCountOf(received),
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
