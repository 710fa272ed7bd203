/**
 * Which index doc holds an order's summary: the live one (`street:<id>`,
 * what every device of the scope syncs) or the archive of a month
 * (`street:<id>:archive:YYYY-MM`, fetched on demand for history). Issue 18:
 * a street's live index kept every order ever listed, so a new device
 * downloaded the street's whole history before its first list.
 *
 * An order leaves the live index once it is no longer open (closed,
 * reviewed, replied, called back, archived or merged) and closed more than
 * `liveMs` ago; a 重办 makes it open, and live, again. Its archive month is
 * the CST month it closed in (received in, when it has no close time). A
 * desk queue item older than that (待回访 a month after the close) is then in
 * the archive: the desk must read the archive months for it. Pure; the clock is a parameter, so the placement of
 * an order that does not change moves with time (the server sweeps,
 * server/sync/reindex.ts).
 */
import { periodOf } from '../indicators/period.ts';
import type { OrderSummary } from './summary.ts';
import { isOpenStatus } from './status.ts';

export type IndexPlacement = { readonly live: true } | { readonly live: false; readonly month: string };

export const LIVE: IndexPlacement = { live: true };

/** `YYYY-MM` of the CST month containing `time`. */
export function cstMonthOf(time: number): string {
  const { from } = periodOf('month', time);
  const d = new Date(from + 8 * 60 * 60 * 1000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Where `summary` is listed at `now`. `liveMs` null keeps every order live
 * (the index as it was before archives).
 */
export function indexPlacement(summary: Pick<OrderSummary, 'status' | 'closedAt' | 'receivedAt'>, now: number, liveMs: number | null): IndexPlacement {
  if (liveMs === null || isOpenStatus(summary.status)) return LIVE;
  const ended = summary.closedAt ?? summary.receivedAt;
  return now - ended > liveMs ? { live: false, month: cstMonthOf(ended) } : LIVE;
}
