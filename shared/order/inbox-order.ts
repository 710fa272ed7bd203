/**
 * The inbox's order of rows, on its own (no schema, no Dexie): the PWA's first
 * screen sorts the rows of its early raw read with it before the data layer
 * has loaded (`pwa/src/data/index.ts`), the projection sorts every tab with it.
 */
import type { OrderSummary } from './summary.ts';
import { isOpenStatus } from './status.ts';

export type InboxSortable = Pick<OrderSummary, 'id' | 'status' | 'deadline' | 'urgency' | 'closedAt'>;

/**
 * The inbox order. Open orders first: overdue ones, then by urgency (listed
 * supervision, warning, reminder), then nearest deadline. Finished orders
 * after them, most recently closed first. Ties fall back to the id so that
 * every list is stable, in the same direction as the store's index.
 */
export function compareForInbox(a: InboxSortable, b: InboxSortable, now: number): number {
  const openA = isOpenStatus(a.status);
  const openB = isOpenStatus(b.status);
  if (openA !== openB) return openA ? -1 : 1;
  if (!openA) return byDesc(a.closedAt ?? 0, b.closedAt ?? 0) || byDesc(a.id, b.id);
  const lateA = a.deadline < now;
  const lateB = b.deadline < now;
  if (lateA !== lateB) return lateA ? -1 : 1;
  return byDesc(a.urgency, b.urgency) || byDesc(b.deadline, a.deadline) || byDesc(b.id, a.id);
}

function byDesc<T extends number | string>(a: T, b: T): number {
  return a > b ? -1 : a < b ? 1 : 0;
}

/** Rows in inbox order (`compareForInbox`), in place: a tab's rows however they were read. */
export function sortForInbox<T extends InboxSortable>(rows: T[], now: number): T[] {
  return rows.sort((a, b) => compareForInbox(a, b, now));
}
