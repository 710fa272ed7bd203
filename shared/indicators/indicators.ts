/**
 * Every indicator of one unit's orders over one period, each with the orders
 * behind it. Definitions: docs/INDICATORS.md.
 */
import { DEFAULT_POLICY, type DeadlinePolicy } from '../order/deadline.ts';
import { isAcceptDecidedIn, isAcceptedOnTime } from './acceptance.ts';
import { isCalledBack, isReachedIn, isSatisfied } from './callback.ts';
import { isClosedBy, isClosedIn, isClosedOnTime } from './closed.ts';
import { durationDaysOf, durationWorkingDaysOf } from './duration.ts';
import { hasClosePhoto, isCheckedIn } from './evidence.ts';
import { isFieldReport, isSelfHandled } from './field-report.ts';
import { countOf, meanFrom, rateFrom, type Count, type Mean, type Rate } from './measures.ts';
import { isOverdueIn, isOverdueNow } from './overdue.ts';
import type { Period } from './period.ts';
import { isReceivedIn } from './received.ts';
import { isReopened } from './reopen.ts';
import { isDispatched, isReturned, redispatchesOf } from './returns.ts';
import type { IndicatorRow } from './row.ts';
import { isSupervisedIn, isSupervisionAnswered, supervisionResponseHoursOfRow } from './supervision.ts';

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
 * One pass over the rows: each row is sorted into the bases the indicators
 * count over (received, closed, reached… in the period) and, while it is at
 * hand, into their numerators and sums: a district's 210,000 rows are read
 * once, not once per indicator (bench case 9). The predicates are each
 * indicator's own (exported beside its function), so the two agree.
 */
export function computeIndicators(
  rows: readonly IndicatorRow[],
  period: Period,
  now: number,
  policy: DeadlinePolicy = DEFAULT_POLICY,
): Indicators {
  const received: IndicatorRow[] = [];
  const closedBy: IndicatorRow[] = [];
  const dispatched: IndicatorRow[] = [];
  const returned: IndicatorRow[] = [];
  const redispatched: string[] = [];
  let redispatches = 0;
  const fieldReports: IndicatorRow[] = [];
  const selfHandled: IndicatorRow[] = [];

  const closed: IndicatorRow[] = [];
  const onTime: IndicatorRow[] = [];
  const calledBack: IndicatorRow[] = [];
  const reopened: IndicatorRow[] = [];
  const checkedIn: IndicatorRow[] = [];
  const photographed: IndicatorRow[] = [];
  let days = 0;
  let workingDays = 0;

  const decided: IndicatorRow[] = [];
  const acceptedOnTime: IndicatorRow[] = [];
  const overdue: IndicatorRow[] = [];
  const overdueOpen: IndicatorRow[] = [];
  const supervised: IndicatorRow[] = [];
  const answered: IndicatorRow[] = [];
  let responseHours = 0;
  const reached: IndicatorRow[] = [];
  const satisfied: IndicatorRow[] = [];

  for (const row of rows) {
    if (isOverdueNow(row, now)) overdueOpen.push(row);
    if (isReceivedIn(row, period)) {
      received.push(row);
      if (isClosedBy(row, period)) closedBy.push(row);
      if (isDispatched(row)) {
        dispatched.push(row);
        if (isReturned(row)) returned.push(row);
      }
      const n = redispatchesOf(row);
      if (n > 0) {
        redispatches += n;
        redispatched.push(row.id);
      }
      if (isFieldReport(row)) fieldReports.push(row);
      if (isSelfHandled(row)) selfHandled.push(row);
    }
    if (isClosedIn(row, period)) {
      closed.push(row);
      if (isClosedOnTime(row)) onTime.push(row);
      if (isCalledBack(row)) calledBack.push(row);
      if (isReopened(row)) reopened.push(row);
      if (isCheckedIn(row)) checkedIn.push(row);
      if (hasClosePhoto(row)) photographed.push(row);
      days += durationDaysOf(row);
      workingDays += durationWorkingDaysOf(row, policy);
    }
    if (isAcceptDecidedIn(row, period, now)) {
      decided.push(row);
      if (isAcceptedOnTime(row)) acceptedOnTime.push(row);
    }
    if (isOverdueIn(row, period, now)) overdue.push(row);
    if (isSupervisedIn(row, period)) {
      supervised.push(row);
      if (isSupervisionAnswered(row)) {
        answered.push(row);
        responseHours += supervisionResponseHoursOfRow(row);
      }
    }
    if (isReachedIn(row, period)) {
      reached.push(row);
      if (isSatisfied(row)) satisfied.push(row);
    }
  }
  return {
    received: countOf(received),
    closed: countOf(closed),
    closeRate: rateFrom(received, closedBy),
    onTimeRate: rateFrom(closed, onTime),
    acceptOnTimeRate: rateFrom(decided, acceptedOnTime),
    overdue: countOf(overdue),
    overdueOpen: countOf(overdueOpen),
    durationDays: meanFrom(closed, days),
    durationWorkingDays: meanFrom(closed, workingDays),
    callbackRate: rateFrom(closed, calledBack),
    satisfactionRate: rateFrom(reached, satisfied),
    reopenRate: rateFrom(closed, reopened),
    returnRate: rateFrom(dispatched, returned),
    redispatches: { value: redispatches, ids: redispatched },
    supervised: countOf(supervised),
    supervisionResponseHours: meanFrom(answered, responseHours),
    checkInRate: rateFrom(closed, checkedIn),
    photoRate: rateFrom(closed, photographed),
    fieldReports: countOf(fieldReports),
    selfHandled: countOf(selfHandled),
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
