/** Received and closed per CST day or week of a period (趋势). */
import { counts, type IndicatorRow } from './row.ts';
import { DAY_MS, daysOf, type Period } from './period.ts';

export interface TrendPoint {
  /** Start of the day or week. */
  readonly at: number;
  readonly received: number;
  readonly closed: number;
}

export function trendOf(rows: readonly IndicatorRow[], period: Period, step: 'day' | 'week'): TrendPoint[] {
  const days = daysOf(period);
  const starts = step === 'day' ? days : days.filter((_, i) => i % 7 === 0);
  const width = step === 'day' ? DAY_MS : 7 * DAY_MS;
  const received = new Array<number>(starts.length).fill(0);
  const closed = new Array<number>(starts.length).fill(0);
  const first = starts[0] ?? period.from;
  const slot = (time: number | null): number => (time === null || time < period.from || time >= period.to ? -1 : Math.floor((time - first) / width));
  for (const row of rows) {
    if (!counts(row)) continue;
    const r = slot(row.receivedAt);
    if (r >= 0 && r < starts.length) received[r]! += 1;
    const c = slot(row.closedAt);
    if (c >= 0 && c < starts.length) closed[c]! += 1;
  }
  return starts.map((at, i) => ({ at, received: received[i]!, closed: closed[i]! }));
}
