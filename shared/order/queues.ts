/**
 * The desk's queues (工作台): which orders wait for the office, and in what
 * order. Pure functions over order summaries (the rows a device holds from
 * the index docs, shared/order/summary.ts), so a queue opens offline and
 * never opens an order doc. The clock is a parameter: 预警 and 超期 move with
 * it, nothing else does.
 *
 * An order may sit in several queues at once (a closed order under 督办 with
 * a conflict is in 待审核 and 有冲突); 预警 and 超期 never overlap.
 */
import { isOpenStatus, type Status } from './status.ts';
import type { OrderSummary } from './summary.ts';
import type { Role } from '../org/roles.ts';
import type { Unit } from '../org/units.ts';

export const QUEUE_KEYS = ['dispatch', 'review', 'extension', 'reply', 'callback', 'warning', 'overdue', 'conflicts'] as const;
export type QueueKey = (typeof QUEUE_KEYS)[number];

/**
 * The queues a closed order not archived or merged (in 已办) can be in: on a first sync its row is written
 * after the open tabs' (bench/README.md, "First sync, part 13"), and these queues are still arriving meanwhile.
 */
export const QUEUES_OF_CLOSED_ORDERS: readonly QueueKey[] = ['review', 'reply', 'callback', 'conflicts'];

/** What a queue reads of a summary. The fields added later are optional: rows stored before them lack them. */
export type QueueItem = Pick<
  OrderSummary,
  'id' | 'status' | 'source' | 'deadline' | 'acceptDueAt' | 'extensionPending' | 'supervision' | 'conflictCount' | 'receivedAt' | 'closedAt' | 'urgency' | 'target'
> &
  Partial<Pick<OrderSummary, 'returnReason' | 'extensionUntil' | 'extensionReason' | 'mergedInto'>>;

export const HOUR_MS = 60 * 60 * 1000;
/** 预警 this long before the deadline, unless the office says otherwise. */
export const DEFAULT_WARNING_WINDOW_MS = 24 * HOUR_MS;
/** 预警 this long before the 签收 limit (itself two hours after dispatch in one county). */
export const DEFAULT_ACCEPT_WARNING_MS = 30 * 60 * 1000;

/**
 * The 预警 window of the office `unitId` works in: the nearest `warningHours`
 * set on the unit or above it, else `DEFAULT_WARNING_WINDOW_MS`. Units not in
 * the list (an organisation not yet read) give the default.
 */
export function warningWindowMsFor(units: readonly Pick<Unit, 'id' | 'parentId' | 'warningHours'>[], unitId: string): number {
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  const seen = new Set<string>();
  for (let unit = byId.get(unitId); unit && !seen.has(unit.id); unit = unit.parentId === null ? undefined : byId.get(unit.parentId)) {
    seen.add(unit.id);
    if (unit.warningHours !== undefined) return unit.warningHours * HOUR_MS;
  }
  return DEFAULT_WARNING_WINDOW_MS;
}

export interface QueueOptions {
  readonly now: number;
  /** Per office (`warningWindowMsFor`); `DEFAULT_WARNING_WINDOW_MS` when absent. */
  readonly warningWindowMs?: number;
  readonly acceptWarningMs?: number;
  /**
   * Who reads the queue. A community handler's 待派单 is what was sent to
   * their community (to pass on to a grid); a street's clerk dispatches what
   * is new or came back. Absent: the street clerk's view.
   */
  readonly viewer?: { readonly role: Role; readonly unitId: string } | null;
}

/** Queues that land a role on their desk, in the order the desk shows them. */
export function queuesFor(role: Role): readonly QueueKey[] {
  switch (role) {
    case 'street_clerk':
    case 'community_handler':
      return QUEUE_KEYS;
    case 'supervisor':
      return ['overdue', 'warning', 'conflicts'];
    default:
      return [];
  }
}

/** The time the order is next due: its 签收 limit while waiting for 签收, else its deadline. */
export function nextDueAt(item: Pick<QueueItem, 'status' | 'deadline' | 'acceptDueAt'>): number {
  if (item.status === 'dispatched' && item.acceptDueAt !== null) return Math.min(item.acceptDueAt, item.deadline);
  return item.deadline;
}

/** Open and past its deadline or its 签收 limit at `now`. */
export function isLateAt(item: Pick<QueueItem, 'status' | 'deadline' | 'acceptDueAt'>, now: number): boolean {
  if (!isOpenStatus(item.status)) return false;
  if (item.deadline < now) return true;
  return item.status === 'dispatched' && item.acceptDueAt !== null && item.acceptDueAt < now;
}

/** Open, not late, and within the warning window of its deadline or 签收 limit. */
export function isNearDueAt(item: Pick<QueueItem, 'status' | 'deadline' | 'acceptDueAt'>, options: QueueOptions): boolean {
  const { now } = options;
  if (!isOpenStatus(item.status) || isLateAt(item, now)) return false;
  if (item.deadline - now <= (options.warningWindowMs ?? DEFAULT_WARNING_WINDOW_MS)) return true;
  return item.status === 'dispatched' && item.acceptDueAt !== null && item.acceptDueAt - now <= (options.acceptWarningMs ?? DEFAULT_ACCEPT_WARNING_MS);
}

const WAITING_FOR_COMMUNITY: readonly Status[] = ['dispatched', 'in_progress'];

export function inQueue(key: QueueKey, item: QueueItem, options: QueueOptions): boolean {
  // A duplicate merged into a master shows its master's status in the index (followedSummary), yet the office
  // works on the master alone: the duplicate waits in no queue, except to have its own conflicts resolved.
  if (item.mergedInto && key !== 'conflicts') return false;
  switch (key) {
    case 'dispatch': {
      const viewer = options.viewer;
      if (viewer?.role === 'community_handler') {
        return WAITING_FOR_COMMUNITY.includes(item.status) && item.target?.unitKind === 'community' && item.target.unitId === viewer.unitId;
      }
      return item.status === 'pending_dispatch' || item.status === 'returned';
    }
    case 'review':
      return item.status === 'closed';
    case 'extension':
      return item.extensionPending && isOpenStatus(item.status);
    case 'reply':
      return item.status === 'reviewed';
    case 'callback':
      return item.status === 'replied';
    case 'warning':
      return isNearDueAt(item, options) && item.supervision === 'none';
    case 'overdue':
      return isLateAt(item, options.now) || (isOpenStatus(item.status) && item.supervision !== 'none');
    case 'conflicts':
      return item.conflictCount > 0;
  }
}

/**
 * Most urgent first. Open work: late first, then 督办 level, then the nearest
 * due time. Work waiting on the office after the handler (审核, 回复, 回访):
 * longest waiting first, by the close. Ties by id, so every list is stable.
 */
export function compareForQueue(key: QueueKey, a: QueueItem, b: QueueItem, now: number): number {
  if (key === 'review' || key === 'reply' || key === 'callback') {
    return byAsc(a.closedAt ?? a.receivedAt, b.closedAt ?? b.receivedAt) || byAsc(a.id, b.id);
  }
  const lateA = isLateAt(a, now);
  const lateB = isLateAt(b, now);
  if (lateA !== lateB) return lateA ? -1 : 1;
  return byAsc(b.urgency, a.urgency) || byAsc(nextDueAt(a), nextDueAt(b)) || byAsc(a.id, b.id);
}

/** One queue, sorted. */
export function queueOf<T extends QueueItem>(key: QueueKey, items: Iterable<T>, options: QueueOptions): T[] {
  const members: T[] = [];
  for (const item of items) if (inQueue(key, item, options)) members.push(item);
  return members.sort((a, b) => compareForQueue(key, a, b, options.now));
}

export type QueueCounts = Record<QueueKey, number>;

/** Every queue's count in one pass. */
export function queueCounts(items: Iterable<QueueItem>, options: QueueOptions): QueueCounts {
  const counts = Object.fromEntries(QUEUE_KEYS.map((key) => [key, 0])) as QueueCounts;
  for (const item of items) for (const key of QUEUE_KEYS) if (inQueue(key, item, options)) counts[key] += 1;
  return counts;
}

function byAsc<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
