/**
 * The server's check of every update a client sends to an order doc. Pure:
 * the server runs it before it stores or applies anything, with its own clock
 * and what it knows of the writer (`GuardContext`); a client may run it
 * before sending to learn early that the server would refuse.
 *
 * Only the static rules live here: what may be written at all, by whom, how
 * big, and with which times (shared/sync/time-rules.ts). Whether an event
 * makes sense where it lands in the lifecycle (accepting an order someone
 * else accepted) is the reducer's business: such an event is kept and shown
 * as a conflict, never refused, because the writer may have been offline and
 * right at the time.
 */
import type * as Y from 'yjs';
import { MAX_DRIFT_MS } from '../clock/hlc.ts';
import type { OrgTree } from '../org/units.ts';
import { DISPATCH_DENIALS, checkDispatchTarget, checkPlace, mayReportAt, type ScopeUser } from '../org/scope.ts';
import { validateOrderEvent, type OrderEvent } from '../order/events.ts';
import { OrderIntakeSchema, type OrderIntake } from '../order/intake.ts';
import { roleMayWrite } from '../order/rules.ts';
import { validate, type FieldError } from '../validation/result.ts';
import { fieldName, unknownField } from '../validation/strict.ts';
import { eventCount, hasIntake, hasReceipt, inspectUpdate, intakeReporter, latestStampUpTo, receivedAtOf, storedEvent, type DecodedUpdate, type UpdateInspection } from './order-doc.ts';
import { checkEventTimes, showTime } from './time-rules.ts';

export const REFUSAL_CODES = [
  'malformed_update', // not a Yjs update
  'missing_dependencies', // builds on content the server does not have
  'foreign_type', // writes outside `intake.data` and the `events` array
  'event_removed', // deletes or edits an event (also to put back a copy)
  'intake_changed', // rewrites the intake of an existing order
  'no_intake', // events for an order that does not exist
  'invalid_intake',
  'wrong_order_id', // the intake's id is not the doc's
  'not_field_report', // clients create only field reports; the rest comes through the intake API
  'not_reporter', // a field report names someone else as reporter
  'not_a_reporter', // the role does not create field reports
  'place_out_of_scope',
  'place_too_coarse',
  'invalid_event',
  'unknown_field', // a field the schema does not name, in an event, its payload or an intake
  'wrong_actor',
  'wrong_role',
  'wrong_unit',
  'forbidden_type', // the role may never write this event type
  'duplicate_event_id', // reuses an event id with different content
  ...DISPATCH_DENIALS, // dispatches to a unit that does not exist, is not of the kind named, or lies outside the writer's scope
  'time_in_future', // a time or HLC stamp after the server's clock plus the skew
  'time_too_old', // a time before the writer's session start less the longest offline time
  'time_before_seen', // a time before what its writer had already seen (others' events it follows, the order's creation)
  'hlc_out_of_order', // an HLC stamp before its own time, or not after the stamps it was written after
  'offset_out_of_range', // a recorded server offset beyond a year
  'event_too_large', // an event (or a field report's intake) larger than the limit, serialized
  'order_full', // the order would pass its limit of stored bytes or events
  'daily_limit', // the user would pass their limit of events or bytes in 24 hours
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  readonly code: RefusalCode;
  /** One line a person can read. */
  readonly reason: string;
  /** Path of the offending field, when there is one, e.g. `events[<event id>].actor` or `intake.place.gridId`. */
  readonly field?: string;
}

/** How much one event, one order and one user may make the server store. */
export interface WriteLimits {
  /** Largest event, serialized as JSON (UTF-8); a field report's intake too. */
  readonly eventMaxBytes: number;
  /** Largest order doc, as the server stores it. */
  readonly orderMaxBytes: number;
  /** Most entries in an order's events array. */
  readonly orderMaxEvents: number;
}

/** What one user may write in any 24 hours, across orders. */
export interface DailyLimits {
  readonly events: number;
  readonly bytes: number;
}

const KB = 1024;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A close with every text field full of Chinese is about 30 KB; twice that leaves room for photos. */
export const DEFAULT_WRITE_LIMITS: WriteLimits = { eventMaxBytes: 64 * KB, orderMaxBytes: 2 * KB * KB, orderMaxEvents: 1000 };
export const DEFAULT_DAILY_LIMITS: DailyLimits = { events: 5000, bytes: 20 * KB * KB };
/** How far a device clock may be off the server's and its events still believed. */
export const DEFAULT_CLOCK_SKEW_MS = 5 * MINUTE;
/** The longest a device may keep work unsynced across a new sign-in. */
export const DEFAULT_OFFLINE_MAX_MS = 30 * DAY;

/** What the server knows when it guards an update. */
export interface GuardContext {
  /** The server's clock. */
  readonly now: number;
  readonly clockSkewMs: number;
  /** No event may be earlier: the writer's session start less the longest offline time. */
  readonly notBefore: number;
  /** When the order was created on the server; null when unknown or created by this update. */
  readonly orderCreatedAt: number | null;
  readonly limits: WriteLimits;
  /** The bytes the server holds for this order's doc now. */
  readonly docBytes: number;
  /** Whether `value` is a receipt the server signed for `eventId` in this doc; without it, a client may send no receipts. */
  readonly verifyReceipt?: (eventId: string, value: unknown) => boolean;
}

export type GuardResult =
  | {
      readonly ok: true;
      /** Events the update adds, validated; identical copies of events the order has (journal replays) are not among them. */
      readonly events: OrderEvent[];
      /** Entries the update appends to the events array, copies included. */
      readonly appended: number;
      /** The intake, when the update creates the order. */
      readonly created: OrderIntake | null;
      /** Events whose receipts the update carries, signed by the server (a device resending after a restore): the server writes none of its own for them. */
      readonly carriedReceipts: readonly string[];
    }
  | { readonly ok: false; readonly refusal: Refusal };

const refuse = (code: RefusalCode, reason: string, field?: string): GuardResult => ({
  ok: false,
  refusal: field === undefined ? { code, reason } : { code, reason, field },
});

const firstError = (errors: readonly FieldError[]): FieldError => errors[0] ?? { field: '', message: 'invalid' };

/** Bytes of `text` in UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

const showBytes = (bytes: number) => (bytes >= KB * KB ? `${(bytes / KB / KB).toFixed(1)} MB` : bytes >= KB ? `${Math.round(bytes / KB)} KB` : `${bytes} bytes`);

/** JSON text of a value, or null when it is not JSON (a bigint). */
function jsonOf(value: unknown): string | null {
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

function idOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : null;
}

/**
 * Check `update` from `user` against the order doc `doc` (named `order:<orderId>`),
 * given as bytes or already decoded (`decodeUpdate`). Nothing is applied to `doc`.
 */
export function guardOrderUpdate(doc: Y.Doc, orderId: string, update: Uint8Array | DecodedUpdate, user: ScopeUser, tree: OrgTree, context: GuardContext): GuardResult {
  const updateBytes = update instanceof Uint8Array ? update.length : update.bytes.length;
  const { limits } = context;
  let report: UpdateInspection;
  try {
    report = inspectUpdate(doc, update);
  } catch (error) {
    return refuse('malformed_update', `not a Yjs update (${error instanceof Error ? error.message : String(error)})`);
  }
  if (report.pending) return refuse('missing_dependencies', 'the update builds on changes the server does not have; sync them first');
  if (report.foreignTypes.length > 0) return refuse('foreign_type', `writes outside the order's intake and events: ${report.foreignTypes.join(', ')}`);
  const carried = checkCarriedReceipts(doc, report, context.verifyReceipt);
  if (typeof carried === 'string') return refuse('foreign_type', carried, 'received');
  if (report.removedEventIds.length > 0) {
    return refuse('event_removed', `events are never edited or removed (${report.removedEventIds.join(', ')})`, 'events');
  }
  if (report.intakeChanged) return refuse('intake_changed', 'the intake of an order is written once and never changes', 'intake');

  let created: OrderIntake | null = null;
  let reporter = false;
  if (!hasIntake(doc)) {
    if (report.intakeAfter === undefined) {
      if (report.added.length > 0) return refuse('no_intake', `order ${orderId} does not exist`, 'intake');
    } else {
      const result = checkNewIntake(report.intakeAfter, orderId, user, tree, context);
      if (!result.ok) return result;
      created = result.intake;
      reporter = created.reportedBy === user.id;
    }
  } else {
    reporter = intakeReporter(doc) === user.id;
  }

  const total = eventCount(doc) + report.added.length;
  if (report.added.length > 0 && total > limits.orderMaxEvents) {
    return refuse('order_full', `order ${orderId} would hold ${total} events, more than the ${limits.orderMaxEvents} an order may`, 'events');
  }

  const receivedAt = receivedAtOf(doc);
  const followable = latestStampUpTo(doc, context.now + MAX_DRIFT_MS);
  /** Per added entry: the latest server time its writer is known to have seen the order at. */
  const seenAtOf = new Map<unknown, number | null>();
  const inUpdate = new Map<string, string>();
  const events: OrderEvent[] = [];
  for (const [index, entry] of report.added.entries()) {
    const raw = entry.value;
    const at = `events[${fieldName(idOf(raw) ?? String(index))}]`;
    const json = jsonOf(raw);
    if (json === null) return refuse('invalid_event', 'is not JSON', at);
    const bytes = utf8Length(json);
    if (bytes > limits.eventMaxBytes) return refuse('event_too_large', `the event is ${showBytes(bytes)}; an event may be at most ${limits.eventMaxBytes} bytes (${showBytes(limits.eventMaxBytes)})`, at);
    const result = validateOrderEvent(raw);
    if (!result.ok) {
      const error = firstError(result.errors);
      return refuse('invalid_event', `${error.field ? `${error.field}: ` : ''}${error.message}`, error.field ? `${at}.${error.field}` : at);
    }
    const event = result.value;
    const unknown = unknownField(raw, event);
    if (unknown !== null) return refuse('unknown_field', `${unknown} is not a field of a ${event.type} event`, `${at}.${unknown}`);
    if (event.actor !== user.id) return refuse('wrong_actor', `event ${event.id} is written as ${event.actor}, but you are ${user.id}`, `${at}.actor`);
    if (event.role !== user.role) return refuse('wrong_role', `event ${event.id} claims role ${event.role}, but yours is ${user.role}`, `${at}.role`);
    if (event.unit !== user.unitId) return refuse('wrong_unit', `event ${event.id} claims unit ${event.unit}, but yours is ${user.unitId}`, `${at}.unit`);
    if (!roleMayWrite(user.role, event.type)) return refuse('forbidden_type', `a ${user.role} may not write ${event.type}`, `${at}.type`);
    const target = event.type === 'dispatch' ? checkDispatchTarget(tree, user, event.payload) : null;
    if (target && !target.ok) return refuse(target.reason, target.message, `${at}.payload.${target.field}`);

    // What its writer had: the entries it was written next to. Their stamps
    // it must sort after; others' events it cannot have had before the
    // server received them, nor the order before the server created it.
    let seenAt: number | null = context.orderCreatedAt !== null && !reporter ? context.orderCreatedAt : null;
    const sortsAfter: string[] = [];
    for (const ref of [entry.after, entry.before]) {
      if (ref === null || typeof ref.value !== 'object' || ref.value === null) continue;
      const next = ref.value as { id?: unknown; hlc?: unknown; actor?: unknown };
      if (typeof next.hlc === 'string') sortsAfter.push(next.hlc);
      const known = ref.added ? (seenAtOf.get(ref.value) ?? null) : next.actor !== user.id && typeof next.id === 'string' ? (receivedAt(next.id) ?? null) : null;
      if (known !== null) seenAt = seenAt === null ? known : Math.max(seenAt, known);
    }
    seenAtOf.set(raw, seenAt);

    // An identical copy is harmless (a journal replay after the local store
    // lost the first copy); a different event under a known id could replace
    // someone else's in the reducer's dedupe.
    const stored = storedEvent(doc, event.id);
    const known = stored === undefined ? inUpdate.get(event.id) : jsonOf(stored);
    if (known !== undefined) {
      if (known !== json) return refuse('duplicate_event_id', `event id ${event.id} is already used`, `${at}.id`);
      continue;
    }
    inUpdate.set(event.id, json);

    const late = checkEventTimes(event, { now: context.now, skewMs: context.clockSkewMs, notBefore: context.notBefore, seenAt, after: sortsAfter, followable });
    if (late) return refuse(late.code, late.reason, `${at}.${late.field}`);
    events.push(event);
  }
  if (context.docBytes + updateBytes > limits.orderMaxBytes) {
    return refuse('order_full', `order ${orderId} would hold ${showBytes(context.docBytes + updateBytes)}, more than the ${showBytes(limits.orderMaxBytes)} an order may`);
  }
  return { ok: true, events, appended: report.added.length, created, carriedReceipts: carried };
}

/**
 * Receipts in a client's update: only the server's own, sent back by a device
 * that synced them before the server lost them (a restore). Each must name an
 * event the order has or the update adds, be new to the doc, and carry the
 * server's signature. Returns the events they cover, or why they are refused.
 */
function checkCarriedReceipts(doc: Y.Doc, report: UpdateInspection, verify: GuardContext['verifyReceipt']): readonly string[] | string {
  if (report.receipts.length === 0) return [];
  if (!verify) return 'receipts are written by the server only';
  const added = new Set(report.added.map((entry) => idOf(entry.value)));
  const covered: string[] = [];
  for (const { key, value } of report.receipts) {
    const name = fieldName(key);
    if (covered.includes(key) || hasReceipt(doc, key)) return `the receipt of ${name} is written once, by the server`;
    if (!added.has(key) && storedEvent(doc, key) === undefined) return `a receipt for ${name}, which is no event of this order`;
    if (!verify(key, value)) return `a receipt for ${name} the server did not sign`;
    covered.push(key);
  }
  return covered;
}

/** Why `user` may not add `adding` to what they wrote in the last 24 hours (`used`), or null. */
export function checkDailyQuota(used: { readonly events: number; readonly bytes: number }, adding: { readonly events: number; readonly bytes: number }, limits: DailyLimits): Refusal | null {
  if (used.events + adding.events > limits.events) {
    return { code: 'daily_limit', reason: `${used.events} events written in the last 24 hours; one user may write at most ${limits.events} in 24 hours` };
  }
  if (used.bytes + adding.bytes > limits.bytes) {
    return { code: 'daily_limit', reason: `${showBytes(used.bytes)} written in the last 24 hours; one user may write at most ${showBytes(limits.bytes)} in 24 hours` };
  }
  return null;
}

function checkNewIntake(
  raw: unknown,
  orderId: string,
  user: ScopeUser,
  tree: OrgTree,
  context: GuardContext,
): { ok: true; intake: OrderIntake } | { ok: false; refusal: Refusal } {
  const json = jsonOf(raw);
  if (json === null) return { ok: false, refusal: { code: 'invalid_intake', reason: 'is not JSON', field: 'intake' } };
  const bytes = utf8Length(json);
  if (bytes > context.limits.eventMaxBytes) {
    return { ok: false, refusal: { code: 'event_too_large', reason: `the report is ${showBytes(bytes)}; at most ${context.limits.eventMaxBytes} bytes (${showBytes(context.limits.eventMaxBytes)})`, field: 'intake' } };
  }
  const result = validate(OrderIntakeSchema, raw);
  if (!result.ok) {
    const error = firstError(result.errors);
    return { ok: false, refusal: { code: 'invalid_intake', reason: `${error.field}: ${error.message}`, field: `intake.${error.field}` } };
  }
  const intake = result.value;
  const unknown = unknownField(raw, intake);
  if (unknown !== null) return { ok: false, refusal: { code: 'unknown_field', reason: `${unknown} is not a field of an intake`, field: `intake.${unknown}` } };
  if (intake.receivedAt > context.now + context.clockSkewMs) {
    return { ok: false, refusal: { code: 'time_in_future', reason: `reported at ${showTime(intake.receivedAt)}, after the server's clock (${showTime(context.now)})`, field: 'intake.receivedAt' } };
  }
  if (intake.receivedAt < context.notBefore) {
    return { ok: false, refusal: { code: 'time_too_old', reason: `reported at ${showTime(intake.receivedAt)}, earlier than this session allows`, field: 'intake.receivedAt' } };
  }
  if (intake.id !== orderId) return { ok: false, refusal: { code: 'wrong_order_id', reason: `the intake is for ${intake.id}, not ${orderId}`, field: 'intake.id' } };
  if (intake.source !== 'field_report') {
    return { ok: false, refusal: { code: 'not_field_report', reason: 'only field reports are created over sync; use the intake API', field: 'intake.source' } };
  }
  if (intake.reportedBy !== user.id) {
    return { ok: false, refusal: { code: 'not_reporter', reason: `a field report must name you (${user.id}) as reporter`, field: 'intake.reportedBy' } };
  }
  const placeErrors = checkPlace(tree, intake.place, 'intake.place');
  if (placeErrors.length > 0) {
    const error = firstError(placeErrors);
    return { ok: false, refusal: { code: 'invalid_intake', reason: `${error.field}: ${error.message}`, field: error.field } };
  }
  const decision = mayReportAt(tree, user, intake.place);
  if (!decision.ok) {
    const code: RefusalCode = decision.reason === 'out_of_scope' ? 'place_out_of_scope' : decision.reason;
    return { ok: false, refusal: { code, reason: `you may not report an order at this place (${decision.reason})`, field: 'intake.place' } };
  }
  return { ok: true, intake };
}
