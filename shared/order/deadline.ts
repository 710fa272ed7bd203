/**
 * Deadlines are configuration (by type, category and city), counted in
 * working days where the city says so. Times are in China Standard Time
 * (UTC+8, no daylight saving), whatever the device's time zone.
 */
import type { OrderType } from './intake.ts';

export interface DeadlinePolicy {
  /** Working days to close, by request type (one county: enquiries 1, help and suggestions 5, complaints 10). */
  readonly workingDays: Readonly<Record<OrderType, number>>;
  /** Category overrides, e.g. 营商环境 faster. */
  readonly categoryWorkingDays?: Readonly<Record<string, number>>;
  /** Public holidays as 'YYYY-MM-DD' (CST); these are not working days. */
  readonly holidays?: readonly string[];
  /** Weekend days made working days (调休), as 'YYYY-MM-DD'. */
  readonly workingWeekends?: readonly string[];
  /** 签收 within this long after dispatch. */
  readonly acceptWithinMs: number;
}

export const DEFAULT_POLICY: DeadlinePolicy = {
  workingDays: { enquiry: 1, help: 5, suggestion: 5, complaint: 10, praise: 5, other: 5 },
  acceptWithinMs: 2 * 60 * 60 * 1000,
};

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** 'YYYY-MM-DD' of the CST calendar day containing `time`. */
export function cstDate(time: number): string {
  return new Date(time + CST_OFFSET_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(time: number, policy: DeadlinePolicy): boolean {
  const date = cstDate(time);
  if (policy.workingWeekends?.includes(date)) return true;
  if (policy.holidays?.includes(date)) return false;
  const weekday = new Date(time + CST_OFFSET_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** End (23:59:59.999 CST) of the day `days` working days after the day of `from`. */
export function addWorkingDays(from: number, days: number, policy: DeadlinePolicy): number {
  if (!Number.isInteger(days) || days < 0) throw new Error(`working days must be a whole number ≥ 0, got ${days}`);
  const startOfDay = Math.floor((from + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
  let day = startOfDay;
  let left = days;
  while (left > 0) {
    day += DAY_MS;
    if (isWorkingDay(day, policy)) left -= 1;
  }
  return day + DAY_MS - 1;
}

export function deadlineFor(
  receivedAt: number,
  type: OrderType,
  category: string,
  policy: DeadlinePolicy = DEFAULT_POLICY,
): number {
  const days = policy.categoryWorkingDays?.[category] ?? policy.workingDays[type];
  return addWorkingDays(receivedAt, days, policy);
}

/** [year, month, day] of the CST calendar day containing `time`, as a date picker takes them ('2026', '12', '05'). */
export function cstDayParts(time: number): [string, string, string] {
  const [y, m, d] = cstDate(time).split('-') as [string, string, string];
  return [y, m, d];
}

/** The last millisecond (23:59:59.999 CST) of a calendar day, as deadlines are counted. */
export function endOfCstDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - CST_OFFSET_MS + DAY_MS - 1;
}

/** Working days an extension proposes by default, counted from the current deadline. */
export const EXTENSION_DEFAULT_WORKING_DAYS = 3;

/**
 * The date 申请延期 proposes: the end of the working day `days` working days
 * after the current deadline's day, counted like the deadlines themselves, so
 * it never falls on a weekend or holiday.
 */
export function proposedExtensionUntil(deadline: number, policy: DeadlinePolicy = DEFAULT_POLICY, days = EXTENSION_DEFAULT_WORKING_DAYS): number {
  return addWorkingDays(deadline, days, policy);
}

/**
 * Working days elapsed from `from` to `to`: the time between them that falls
 * on working days (CST), in days. A Friday 17:00 to Monday 09:00 is 16 hours,
 * 2/3 of a working day; the weekend between does not count.
 */
export function workingDaysBetween(from: number, to: number, policy: DeadlinePolicy = DEFAULT_POLICY): number {
  if (to <= from) return 0;
  const special = (policy.holidays?.length ?? 0) > 0 || (policy.workingWeekends?.length ?? 0) > 0;
  if (!special) return (weekdayMsBefore(to) - weekdayMsBefore(from)) / DAY_MS;
  let ms = 0;
  let day = Math.floor((from + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
  while (day < to) {
    const next = day + DAY_MS;
    if (isWorkingDay(day, policy)) ms += Math.min(next, to) - Math.max(day, from);
    day = next;
  }
  return ms / DAY_MS;
}

/** Monday–Friday days among the first 0–6 days of a week that starts on a Thursday (1 January 1970, CST day 0). */
const WEEKDAYS_FROM_THURSDAY = [0, 1, 2, 2, 2, 3, 4];

/**
 * The ms of Monday–Friday (CST) from 1 January 1970 00:00 CST to `time`, by
 * arithmetic: five working days a whole week, the days of the week begun,
 * the part of the day begun if it is a weekday. Without holidays or 调休 the
 * working time between two moments is the difference of two of these.
 */
function weekdayMsBefore(time: number): number {
  const local = time + CST_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  const weeks = Math.floor(day / 7);
  const inWeek = day - weeks * 7; // 0 = Thursday … 6 = Wednesday
  const weekday = inWeek !== 2 && inWeek !== 3; // not Saturday, not Sunday
  return (weeks * 5 + WEEKDAYS_FROM_THURSDAY[inWeek]!) * DAY_MS + (weekday ? local - day * DAY_MS : 0);
}

/**
 * The time an event counts from for deadlines and the lifecycle's times: its
 * own `at`, but never before the server received it. A device's clock can
 * claim any time; the server's receipt is the time nobody can move back. An
 * event written offline on time and delivered after the deadline is late:
 * the order was closed, for the hotline, when the server had the close.
 */
export function effectiveAt(at: number, receivedAt: number | undefined): number {
  return receivedAt === undefined ? at : Math.max(at, receivedAt);
}
