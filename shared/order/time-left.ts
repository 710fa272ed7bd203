/**
 * What a card or header says about time, as data: 签收 due while waiting for
 * acceptance, time left or overdue while being worked on, on time or late
 * once closed. A returned order is no one's to work on until it is dispatched
 * again, so it counts nothing down (it still shows when it is overdue).
 */
import { isOpenStatus, type Status } from './status.ts';

export interface Timing {
  readonly status: Status;
  readonly deadline: number;
  readonly acceptDueAt: number | null;
  readonly closedAt: number | null;
}

export type Urgency = 'overdue' | 'soon' | 'normal' | 'done';

export type TimeLeftKind = 'closed_late' | 'closed_on_time' | 'accept_overdue' | 'accept_left' | 'overdue' | 'left';

export interface TimeLeftFacts {
  readonly kind: TimeLeftKind;
  /** The span to name (its sign ignored). */
  readonly ms: number;
  readonly urgency: Urgency;
}

export const SOON_MS = 24 * 60 * 60 * 1000;
const ACCEPT_SOON_MS = 30 * 60 * 1000;

export function timeLeftOf(o: Timing, now: number): TimeLeftFacts | null {
  if (o.status === 'merged') return null;
  if (!isOpenStatus(o.status)) {
    const late = (o.closedAt ?? now) - o.deadline;
    return late > 0 ? { kind: 'closed_late', ms: late, urgency: 'overdue' } : { kind: 'closed_on_time', ms: 0, urgency: 'done' };
  }
  if (o.status === 'dispatched' && o.acceptDueAt !== null) {
    const left = o.acceptDueAt - now;
    if (left < 0) return { kind: 'accept_overdue', ms: left, urgency: 'overdue' };
    return { kind: 'accept_left', ms: left, urgency: left < ACCEPT_SOON_MS ? 'soon' : 'normal' };
  }
  const left = o.deadline - now;
  if (left < 0) return { kind: 'overdue', ms: left, urgency: 'overdue' };
  if (o.status === 'returned') return null;
  return { kind: 'left', ms: left, urgency: left < SOON_MS ? 'soon' : 'normal' };
}

/**
 * The first instant after `now` at which `timeLeftOf` names another kind or urgency for `o` (the words' number
 * changes every minute and is not counted), or `o` become late for the inbox's order (`compareForInbox`): until then
 * a card's colours and its place in the inbox stay as drawn. Null: never, as things stand. Each comparison above is
 * strict (`left < 0`), so a bound flips one millisecond after it.
 */
export function nextTimeLeftChange(o: Timing, now: number): number | null {
  if (o.status === 'merged') return null;
  const bounds = !isOpenStatus(o.status)
    ? o.closedAt === null ? [o.deadline] : []
    : o.status === 'dispatched' && o.acceptDueAt !== null
      ? [o.acceptDueAt - ACCEPT_SOON_MS, o.acceptDueAt, o.deadline]
      : o.status === 'returned'
        ? [o.deadline]
        : [o.deadline - SOON_MS, o.deadline];
  const later = bounds.map((bound) => bound + 1).filter((at) => at > now);
  return later.length > 0 ? Math.min(...later) : null;
}
