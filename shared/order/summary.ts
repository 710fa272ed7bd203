/**
 * The compact per-order record that lists are drawn from: the server's index
 * docs (`grid:<id>`, `street:<id>`) hold one per order, and the device's
 * inbox projection stores one per row. Built from the intake and the derived
 * view; never from the clock alone, so an order's entry changes only when the
 * order changes (the server rewrites index docs on change, not on a timer).
 *
 * Personal data stays out: no citizen name or phone, no citizen's words, and
 * phone numbers typed into a title or address are masked.
 */
import * as v from 'valibot';
import { CHANNELS, ORDER_TYPES, OrderIdSchema, SOURCES, SUPERVISION_LEVELS, type OrderIntake, type SupervisionLevel } from './intake.ts';
import type { OrderView } from './reducer.ts';
import { SATISFACTION } from './events.ts';
import { orderFacts } from '../indicators/facts.ts';
import { isFinalStatus, isOpenStatus, STATUSES, inboxTab, type InboxTab, type Status } from './status.ts';
import { TimestampSchema, maskPhone, requiredText, text } from './values.ts';
import { PHONE_IN_TEXT, removePhoneNumbers } from './phone-text.ts';
import { UnitIdSchema } from '../org/units.ts';
import { UserIdSchema } from '../org/roles.ts';
import { isHlc } from '../clock/hlc.ts';
import { validate, type Validated } from '../validation/result.ts';

const INBOX_TABS = ['todo', 'doing', 'done', 'other'] as const satisfies readonly InboxTab[];

/**
 * The version of what the indexer writes: raise it whenever a summary gains
 * or changes a field, or an order comes to be listed in other index docs. At
 * start the server indexes again, in the background, every order whose entry
 * is older (server/sync/reindex.ts), so old entries do not wait for their
 * order's next change.
 *
 * 1: every summary without `summaryVersion` (the desk's and the indicators'
 *    fields may be missing);
 * 2: `community:<id>` index docs (shared/org/scope.ts `indexUnitsFor`).
 */
export const SUMMARY_VERSION = 2;
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));

const SummaryFieldsSchema = v.object({
  id: OrderIdSchema,
  orderNo: v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{4,40}$/, 'is not an order number')),
  source: v.picklist(SOURCES),
  channel: v.picklist(CHANNELS),
  type: v.picklist(ORDER_TYPES),
  category: requiredText(50),
  title: requiredText(200),
  address: requiredText(300),
  districtId: UnitIdSchema,
  streetId: UnitIdSchema,
  communityId: v.nullable(UnitIdSchema),
  gridId: v.nullable(UnitIdSchema),
  receivedAt: TimestampSchema,
  status: v.picklist(STATUSES),
  /** Derived from status; recomputed on parse, see `OrderSummarySchema`. */
  tab: v.picklist(INBOX_TABS),
  assignee: v.nullable(UserIdSchema),
  target: v.nullable(v.object({ unitId: UnitIdSchema, unitKind: v.picklist(['grid', 'community', 'street']) })),
  /** The handling unit the hotline named, as text (e.g. 区市政局). */
  handlingUnit: v.nullable(text(100)),
  deadline: TimestampSchema,
  deadlineExtended: v.boolean(),
  acceptDueAt: v.nullable(TimestampSchema),
  extensionPending: v.boolean(),
  supervision: v.picklist(SUPERVISION_LEVELS),
  businessEnvironment: v.boolean(),
  /** Unresolved conflicts only. */
  conflictCount: count,
  photoCount: count,
  /** Distinct events folded into the view: with lastHlc, tells a newer summary from an older one. */
  eventCount: count,
  lastHlc: v.pipe(v.string(), v.check((s) => s === '' || isHlc(s), 'is not an HLC stamp')),
  closedAt: v.nullable(TimestampSchema),
  /**
   * 并单: the master's order number. Present only on a merged order, whose
   * `status` and `closedAt` then follow the master's (shared/duplicates/follow.ts
   * `followedSummary`): its row moves with the master's.
   */
  mergedInto: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{4,40}$/, 'is not an order number'))),
  /** Derived; recomputed on parse, see `summaryUrgency`. */
  urgency: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3)),
  /**
   * For the desk's queues (shared/order/queues.ts). Added after the first
   * summaries shipped: optional with a null default, so an index doc written
   * by an older server still reads (its orders just show no reason or date).
   */
  /** 退回: the handler's reason, while the order is returned. */
  returnReason: v.optional(v.nullable(text(500)), null),
  /** 延期申请: the proposed deadline and the reason, while the request is pending. */
  extensionUntil: v.optional(v.nullable(TimestampSchema), null),
  extensionReason: v.optional(v.nullable(text(500)), null),
  // What the indicators read (docs/INDICATORS.md). Optional with a default, so
  // that a summary written before these fields existed still reads; it counts
  // as an order with none of these events until the server re-indexes it.
  dispatchedAt: v.optional(v.nullable(TimestampSchema), null),
  acceptedAt: v.optional(v.nullable(TimestampSchema), null),
  dispatchCount: v.optional(count, 0),
  returnCount: v.optional(count, 0),
  reopenCount: v.optional(count, 0),
  checkInCount: v.optional(count, 0),
  closePhotoCount: v.optional(count, 0),
  /** The last 回访, kept after a 重办. */
  callback: v.optional(v.nullable(v.object({ satisfaction: v.picklist(SATISFACTION), at: TimestampSchema })), null),
  /** The current close has been called back (a 重办 starts again). */
  closeCalledBack: v.optional(v.boolean(), false),
  supervisedAt: v.optional(v.nullable(TimestampSchema), null),
  supervisionAnsweredAt: v.optional(v.nullable(TimestampSchema), null),
  /** 自行处置: a field report the worker settled on the spot (the intake's `selfHandled`). */
  selfHandled: v.optional(v.boolean(), false),
  /** `SUMMARY_VERSION` of the server that wrote it; 1 when absent (written before there were versions). */
  summaryVersion: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000)), 1),
});

/**
 * Validates a summary read from an index doc. The derived fields (`tab`,
 * `urgency`) are recomputed with this device's rules rather than trusted or
 * compared: a server on another version may rank differently, and what the
 * inbox sorts by must follow the rules the inbox itself shows. Unknown keys
 * are dropped, not refused, so a newer server's extra fields do not make an
 * older client reject every order.
 */
export const OrderSummarySchema = v.pipe(
  SummaryFieldsSchema,
  v.transform((s) => ({ ...s, tab: inboxTab(s.status), urgency: summaryUrgency(s) })),
);

export type OrderSummary = v.InferOutput<typeof SummaryFieldsSchema>;

/**
 * A summary read from an index doc's map, where it is stored under its order
 * id: validated, and refused if it names another order, so that one bad entry
 * cannot overwrite a different order's row on the device.
 */
export function readIndexSummary(orderId: string, raw: unknown): Validated<OrderSummary> {
  const result = validate(OrderSummarySchema, raw);
  if (result.ok && result.value.id !== orderId) {
    return { ok: false, errors: [{ field: 'id', message: `is not ${orderId}, the key it is stored under` }] };
  }
  return result;
}

/**
 * An index entry, as stored and before its check, that cannot list open work: its status is 已办's or final, or
 * no status at all (the check derives the tab from the status, and refuses an entry without one). A first sync
 * checks the other entries first, so that the open tabs' ids are known without checking every closed order's
 * (bench/README.md, "First sync, part 15").
 */
export function entryCannotBeOpen(raw: unknown): boolean {
  const status = typeof raw === 'object' && raw !== null ? (raw as { readonly status?: unknown }).status : undefined;
  if (!(STATUSES as readonly unknown[]).includes(status)) return true;
  const known = status as Status;
  return inboxTab(known) === 'done' || isFinalStatus(known);
}

/**
 * How urgent an order is for reasons that do not change with the clock:
 * 3 挂牌督办 listed, 2 预警函 warning, 1 提醒函 reminder, 0 otherwise or finished.
 * Overdue comes from the clock and is applied by `compareForInbox`.
 */
export function summaryUrgency(s: { readonly status: Status; readonly supervision: SupervisionLevel }): number {
  if (!isOpenStatus(s.status)) return 0;
  return SUPERVISION_LEVELS.indexOf(s.supervision);
}

export function summarizeOrder(intake: OrderIntake, view: OrderView): OrderSummary {
  return {
    id: intake.id,
    orderNo: intake.orderNo,
    source: intake.source,
    channel: intake.channel,
    type: intake.type,
    category: intake.category,
    title: maskPhoneNumbers(intake.title),
    address: maskPhoneNumbers(intake.address),
    districtId: intake.place.districtId,
    streetId: intake.place.streetId,
    communityId: intake.place.communityId ?? null,
    gridId: intake.place.gridId ?? null,
    receivedAt: intake.receivedAt,
    status: view.status,
    tab: inboxTab(view.status),
    assignee: view.assignee,
    target: view.target ? { unitId: view.target.unitId, unitKind: view.target.unitKind } : null,
    handlingUnit: intake.handlingUnit ?? null,
    deadline: view.deadline,
    deadlineExtended: view.deadlineExtended,
    acceptDueAt: view.acceptDueAt,
    extensionPending: view.pendingExtension !== null,
    extensionUntil: view.pendingExtension?.until ?? null,
    extensionReason: view.pendingExtension ? maskPhoneNumbers(view.pendingExtension.reason) : null,
    returnReason: view.status === 'returned' && view.returned ? maskPhoneNumbers(view.returned.reason) : null,
    supervision: view.supervision,
    businessEnvironment: intake.businessEnvironment,
    conflictCount: view.conflicts.filter((c) => c.resolvedBy === null).length,
    photoCount: view.photos.length,
    eventCount: view.timeline.length,
    lastHlc: view.lastHlc,
    closedAt: view.closedAt,
    ...(view.mergedInto !== null ? { mergedInto: view.mergedInto } : {}),
    urgency: summaryUrgency(view),
    dispatchedAt: view.dispatchedAt,
    acceptedAt: view.acceptedAt,
    reopenCount: view.reopenCount,
    closeCalledBack: view.callback !== null,
    ...orderFacts(view, intake.supervision === 'none' ? null : intake.receivedAt),
    selfHandled: intake.selfHandled === true,
    summaryVersion: SUMMARY_VERSION,
  };
}

/**
 * The version of an index entry as stored (`summaryVersion`, 1 when absent or
 * not a number), read without validating the rest: the server decides from it
 * whether to index the order again.
 */
export function storedSummaryVersion(raw: unknown): number {
  if (typeof raw !== 'object' || raw === null) return 0;
  const version = (raw as { summaryVersion?: unknown }).summaryVersion;
  return typeof version === 'number' && Number.isInteger(version) ? version : 1;
}

/** Citizens dictate their number into free text; mask it as everywhere else. */
export function maskPhoneNumbers(value: string): string {
  return value.replace(PHONE_IN_TEXT, (phone) => maskPhone(phone));
}

export { removePhoneNumbers };

export { compareForInbox, type InboxSortable } from './inbox-order.ts';

/** Open and past its deadline at `now`. */
export function isOverdueAt(s: Pick<OrderSummary, 'status' | 'deadline'>, now: number): boolean {
  return isOpenStatus(s.status) && s.deadline < now;
}

