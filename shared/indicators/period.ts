/**
 * Reporting periods: half-open [from, to) in ms, on China Standard Time
 * calendar days (UTC+8, no daylight saving), whatever the device's zone.
 */
export interface Period {
  readonly from: number;
  readonly to: number;
}

export const PERIOD_KINDS = ['day', 'week', 'month'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

export function inPeriod(time: number | null, period: Period): time is number {
  return time !== null && time >= period.from && time < period.to;
}

/** Start (00:00 CST) of the day containing `time`. */
export function startOfCstDay(time: number): number {
  return Math.floor((time + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
}

/** The day, week (Monday first) or calendar month containing `time`. */
export function periodOf(kind: PeriodKind, time: number): Period {
  const day = startOfCstDay(time);
  if (kind === 'day') return { from: day, to: day + DAY_MS };
  if (kind === 'week') {
    const weekday = (new Date(day + CST_OFFSET_MS).getUTCDay() + 6) % 7;
    const from = day - weekday * DAY_MS;
    return { from, to: from + 7 * DAY_MS };
  }
  const d = new Date(day + CST_OFFSET_MS);
  return monthPeriod(d.getUTCFullYear(), d.getUTCMonth() + 1);
}

/** Calendar month `month` (1–12) of `year`, CST. */
export function monthPeriod(year: number, month: number): Period {
  return { from: Date.UTC(year, month - 1, 1) - CST_OFFSET_MS, to: Date.UTC(year, month, 1) - CST_OFFSET_MS };
}

/** 'YYYY-MM' → that month; null if not a month. */
export function parseMonth(value: string): Period | null {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value);
  return match ? monthPeriod(Number(match[1]), Number(match[2])) : null;
}

/** The period of the same kind just before: the previous day, week or calendar month; a custom range of the same length before it. */
export function previousPeriod(period: Period, kind: PeriodKind | 'custom'): Period {
  if (kind === 'month') return periodOf('month', period.from - 1);
  const length = period.to - period.from;
  return { from: period.from - length, to: period.from };
}

/** The CST days of a period, as their start times. */
export function daysOf(period: Period): number[] {
  const days: number[] = [];
  for (let day = startOfCstDay(period.from); day < period.to; day += DAY_MS) days.push(day);
  return days;
}
