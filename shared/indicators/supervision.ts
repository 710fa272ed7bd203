/** 督办件数 and 督办响应时长. docs/INDICATORS.md. */
import { countOf, meanOf, type Count, type Mean } from './measures.ts';
import { inPeriod, type Period } from './period.ts';
import { counts, type IndicatorRow } from './row.ts';

const HOUR_MS = 60 * 60 * 1000;

/** First put under 督办 in the period (the intake's time when the hotline sent it supervised). */
export function isSupervisedIn(r: IndicatorRow, period: Period): boolean {
  return counts(r) && inPeriod(r.supervisedAt, period);
}

export function supervisedRows<T extends IndicatorRow>(rows: readonly T[], period: Period): T[] {
  return rows.filter((r) => isSupervisedIn(r, period));
}

export function supervisedCount(rows: readonly IndicatorRow[], period: Period): Count {
  return countOf(supervisedRows(rows, period));
}

/** Hours from the first 督办 to the handler's next action, over the supervised orders answered. */
export function supervisionResponseHoursOf(supervised: readonly IndicatorRow[]): Mean {
  return meanOf(supervised.filter(isSupervisionAnswered), supervisionResponseHoursOfRow);
}

export function isSupervisionAnswered(r: IndicatorRow): boolean {
  return r.supervisionAnsweredAt !== null;
}

export function supervisionResponseHoursOfRow(r: IndicatorRow): number {
  return ((r.supervisionAnsweredAt ?? 0) - (r.supervisedAt ?? 0)) / HOUR_MS;
}

export function supervisionResponseHours(rows: readonly IndicatorRow[], period: Period): Mean {
  return supervisionResponseHoursOf(supervisedRows(rows, period));
}
