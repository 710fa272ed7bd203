/**
 * Which index doc holds an order's summary: the live one (`street:<id>`,
 * what every device of the scope syncs) or the archive of a month
 * (`street:<id>:archive:YYYY-MM`, fetched on demand for history). Issue 18:
 * a street's live index kept every order ever listed, so a new device
 * downloaded the street's whole history before its first list.
 *
 * An order with nothing left for anyone to do leaves the live index: an
 * archived (归档) or merged (并单) one at once, a called-back (已回访) one, which
 * still waits for 归档, once it closed more than `liveMs` ago
 * (`liveWindowOf`); a 重办 makes it open, and live, again. An order the
 * office still has to review, reply to or call back (已办结, 已审核, 已回复: the
 * desk's 审核 / 答复 / 回访 queues, shared/order/queues.ts) stays live however
 * old, and so does one with a conflict not resolved (the desk's 冲突 queue), so
 * the desk's queues never need the archives. Its archive month is
 * the CST month it closed in (received in, when it has no close time). Pure;
 * the clock is a parameter, so the placement of an order that does not
 * change moves with time (the server sweeps, server/sync/reindex.ts).
 */
import { periodOf } from '../indicators/period.ts';
import type { OrderSummary } from './summary.ts';
import { isFinalStatus, isOpenStatus, type Status } from './status.ts';

/**
 * How long after closing an order of `status` stays live: archived and merged
 * leave at once (bench/README.md, "First sync, part 8": half a street's live
 * index was them); called back, `liveMs`; null: it stays (open, the desk's
 * queues, which hold `closed`, `reviewed` and `replied`; or archives off).
 */
export function liveWindowOf(status: Status, liveMs: number | null): number | null {
  if (liveMs === null || !(status === 'called_back' || isFinalStatus(status))) return null;
  return isFinalStatus(status) ? 0 : liveMs;
}

/**
 * The rule above, versioned: a store the server last swept under an older
 * rule is swept again at its next start (server/sync/reindex.ts's marker).
 */
export const PLACEMENT_VERSION = 2;

export type IndexPlacement = { readonly live: true } | { readonly live: false; readonly month: string };

export const LIVE: IndexPlacement = { live: true };

/** `YYYY-MM` of the CST month containing `time`. */
export function cstMonthOf(time: number): string {
  const { from } = periodOf('month', time);
  const d = new Date(from + 8 * 60 * 60 * 1000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** What an order's placement is judged by. */
export type Placed = Pick<OrderSummary, 'status' | 'closedAt' | 'receivedAt' | 'conflictCount'>;

/** When `summary`'s entry has to leave the live index (now or later); null: it stays. */
export function liveUntil(summary: Placed, liveMs: number | null): number | null {
  const liveFor = summary.conflictCount > 0 ? null : liveWindowOf(summary.status, liveMs);
  return liveFor === null ? null : (summary.closedAt ?? summary.receivedAt) + liveFor;
}

/**
 * Where `summary` is listed at `now`. `liveMs` null keeps every order live
 * (the index as it was before archives).
 */
export function indexPlacement(summary: Placed, now: number, liveMs: number | null): IndexPlacement {
  const until = liveUntil(summary, liveMs);
  if (until === null) return LIVE;
  const ended = summary.closedAt ?? summary.receivedAt;
  return isFinalStatus(summary.status) || now > until ? { live: false, month: cstMonthOf(ended) } : LIVE;
}

/** Months a device fetches at most for one view (a year and the year before it). */
export const MAX_ARCHIVE_MONTHS = 24;

/**
 * The CST months (`YYYY-MM`, oldest first) whose archive docs hold orders
 * closed in `[from, to)`, at most `MAX_ARCHIVE_MONTHS` from `from` on. A view
 * of a period counts orders by when they were received, and an order is
 * archived in the month it closed, which may be any month after: such a view
 * needs the months from its start up to now.
 */
export function archiveMonthsOf(from: number, to: number): string[] {
  const months: string[] = [];
  if (!(to > from)) return months;
  let month = cstMonthOf(from);
  const last = cstMonthOf(to - 1);
  while (months.length < MAX_ARCHIVE_MONTHS) {
    months.push(month);
    if (month === last) break;
    month = nextMonth(month);
  }
  return months;
}

/** The month after `YYYY-MM`. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * The archive months 已办 and 全部 open as soon as they are shown: last month's
 * and this one's (oldest first), where the orders archived or merged lately
 * went (they leave the live index at once).
 */
export function recentArchiveMonths(now: number): string[] {
  const month = cstMonthOf(now);
  return [previousMonth(month), month];
}

/**
 * The archive month an index entry went to when it left a live index doc:
 * null when the entry left because the order moved elsewhere while open (a
 * 派单 to another grid), not for an archive. Judged by the entry as it was:
 * a 已回复 order archived a month after its close goes from the live doc's
 * `replied` entry straight to the archive, never listed live as archived.
 */
export function archiveMonthOfLeaving(summary: Pick<OrderSummary, 'status' | 'closedAt' | 'receivedAt'>): string | null {
  return isOpenStatus(summary.status) ? null : cstMonthOf(summary.closedAt ?? summary.receivedAt);
}
