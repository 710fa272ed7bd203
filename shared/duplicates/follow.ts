/**
 * 并单 semantics. Merging makes one order the master; the duplicate follows
 * it: while the master is worked on, the duplicate is too; when the master is
 * closed, the duplicate is closed with the master's result, and replied with
 * the master's reply. The reducer only records the merge (status `merged`,
 * `mergedInto` the master's order number); what the duplicate then shows is
 * derived here, from the master's derived view, so it follows every later
 * change of the master — a review rejection or a reopen takes the result away
 * from the duplicate too — without an event on the duplicate.
 *
 * The duplicate keeps its own deadline (the hotline counts each order it
 * handed over): it is answered when its master is closed, and late if that is
 * after its own deadline.
 */
import type { OrderView } from '../order/reducer.ts';
import { inboxTab, isOpenStatus, isResultStatus, type Status } from '../order/status.ts';
import { summaryUrgency, type OrderSummary } from '../order/summary.ts';

export interface FollowedOrder {
  /** The duplicate's own identity. */
  readonly orderId: string;
  readonly orderNo: string;
  readonly master: { readonly orderId: string; readonly orderNo: string };
  /** The status the duplicate shows: its master's. */
  readonly status: Status;
  /** The master's result, once it has one (closed and after), else null. */
  readonly result: OrderView['result'];
  readonly resolution: OrderView['resolution'];
  /** 公开答复内容 to reply to the duplicate's citizen with: the master's. */
  readonly publicReply: string | null;
  /** When the master was closed: the duplicate's answer time. */
  readonly closedAt: number | null;
  /** When the master's reply was entered into the portal. */
  readonly masterRepliedAt: number | null;
  /** The duplicate's own deadline (its intake's, or an extension approved before the merge). */
  readonly deadline: number;
  /** Against the master's close once there is one, else against `now`; negative when late. */
  readonly timeLeftMs: number;
  readonly overdue: boolean;
  /** When the merge was recorded, and its note. */
  readonly mergedAt: number | null;
  readonly mergeNote: string | null;
}

export type FollowResult =
  | { readonly ok: true; readonly order: FollowedOrder }
  /** The duplicate is not merged (any more), or was merged into another order than this one. */
  | { readonly ok: false; readonly reason: 'not_merged' | 'other_master' }
  /** The master was itself merged: follow `next` (see `followChain`). */
  | { readonly ok: false; readonly reason: 'master_merged'; readonly next: string };

type DuplicateView = Pick<OrderView, 'orderId' | 'orderNo' | 'status' | 'mergedInto' | 'deadline' | 'timeline'>;
type MasterView = Pick<
  OrderView,
  'orderId' | 'orderNo' | 'status' | 'mergedInto' | 'result' | 'resolution' | 'closedAt' | 'repliedAt'
>;

/** The duplicate's effective state from its master's derived view, at `now`. */
export function followMaster(duplicate: DuplicateView, master: MasterView, now: number): FollowResult {
  if (duplicate.status !== 'merged' || duplicate.mergedInto === null) return { ok: false, reason: 'not_merged' };
  if (duplicate.mergedInto !== master.orderNo || master.orderId === duplicate.orderId) return { ok: false, reason: 'other_master' };
  if (master.status === 'merged' && master.mergedInto !== null) return { ok: false, reason: 'master_merged', next: master.mergedInto };

  // A result only from a status that carries one: a reopened master's old
  // result is gone from its view already, and must not linger here.
  const hasResult = isResultStatus(master.status) && master.result !== null;
  const closedAt = hasResult ? master.closedAt : null;
  const timeLeftMs = duplicate.deadline - (closedAt ?? now);
  const merge = [...duplicate.timeline].reverse().find((entry) => entry.applied && entry.event.type === 'merge');
  return {
    ok: true,
    order: {
      orderId: duplicate.orderId,
      orderNo: duplicate.orderNo,
      master: { orderId: master.orderId, orderNo: master.orderNo },
      status: master.status,
      result: hasResult ? master.result : null,
      resolution: hasResult ? master.resolution : null,
      publicReply: hasResult ? (master.result?.publicReply ?? null) : null,
      closedAt,
      masterRepliedAt: hasResult ? master.repliedAt : null,
      deadline: duplicate.deadline,
      timeLeftMs,
      // An open master leaves the duplicate open on its own clock; a closed one answered it at the close.
      overdue: (isOpenStatus(master.status) || hasResult) && timeLeftMs < 0,
      mergedAt: merge?.event.at ?? null,
      mergeNote: merge?.event.type === 'merge' ? (merge.event.payload.note ?? null) : null,
    },
  };
}

export type ChainResult =
  | FollowResult
  /** The order number a chain step names is not known to the caller. */
  | { readonly ok: false; readonly reason: 'master_unknown'; readonly orderNo: string }
  /** The chain comes back to an order already on it, or is longer than `maxHops`. */
  | { readonly ok: false; readonly reason: 'cycle' };

/**
 * Follows a duplicate through masters that were merged in turn (A into B,
 * then B into C: A shows C's result). `lookup` gives a derived view by
 * order number, from whatever the caller holds (the server's store, a
 * device's open docs).
 */
export function followChain(
  duplicate: DuplicateView,
  lookup: (orderNo: string) => MasterView | undefined,
  now: number,
  maxHops = 5,
): ChainResult {
  const seen = new Set<string>([duplicate.orderNo]);
  let target = duplicate.mergedInto;
  if (duplicate.status !== 'merged' || target === null) return { ok: false, reason: 'not_merged' };
  for (let hop = 0; hop < maxHops; hop++) {
    if (seen.has(target)) return { ok: false, reason: 'cycle' };
    seen.add(target);
    const master = lookup(target);
    if (!master) return { ok: false, reason: 'master_unknown', orderNo: target };
    // Judge the duplicate against the order its chain ends at, keeping its own identity and deadline.
    const followed = followMaster({ ...duplicate, status: 'merged', mergedInto: target }, master, now);
    if (followed.ok || followed.reason !== 'master_merged') return followed;
    target = followed.next;
  }
  return { ok: false, reason: 'cycle' };
}

/**
 * A merged order's summary (its inbox row, its place in the queues) as it
 * follows its master: the master's status and close time, the duplicate's own
 * deadline, and the master's number. Without a followed master (unknown, a
 * cycle) the summary stays as the duplicate's own view made it: 已并单.
 */
export function followedSummary(summary: OrderSummary, followed: FollowResult | ChainResult): OrderSummary {
  if (!followed.ok) return summary;
  const { order } = followed;
  return {
    ...summary,
    status: order.status,
    tab: inboxTab(order.status),
    closedAt: order.closedAt,
    mergedInto: order.master.orderNo,
    urgency: summaryUrgency({ status: order.status, supervision: summary.supervision }),
  };
}
