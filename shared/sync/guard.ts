/**
 * The server's check of every update a client sends to an order doc. Pure:
 * the server runs it before it stores or applies anything, a client may run
 * it before sending to learn early that the server would refuse.
 *
 * Only the static rules live here: what may be written at all, by whom.
 * Whether an event makes sense where it lands in the lifecycle (accepting an
 * order someone else accepted) is the reducer's business: such an event is
 * kept and shown as a conflict, never refused, because the writer may have
 * been offline and right at the time.
 */
import type * as Y from 'yjs';
import type { OrgTree } from '../org/units.ts';
import { DISPATCH_DENIALS, checkDispatchTarget, checkPlace, mayReportAt, type ScopeUser } from '../org/scope.ts';
import { OrderEventSchema, type OrderEvent } from '../order/events.ts';
import { OrderIntakeSchema, type OrderIntake } from '../order/intake.ts';
import { roleMayWrite } from '../order/rules.ts';
import { validate, type FieldError } from '../validation/result.ts';
import { hasIntake, inspectUpdate, storedEventJson } from './order-doc.ts';

export const REFUSAL_CODES = [
  'malformed_update', // not a Yjs update
  'missing_dependencies', // builds on content the server does not have
  'foreign_type', // writes outside `intake.data` and `events`
  'event_removed', // deletes or edits an event
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
  'wrong_actor',
  'wrong_role',
  'wrong_unit',
  'forbidden_type', // the role may never write this event type
  'duplicate_event_id', // reuses an event id with different content
  ...DISPATCH_DENIALS, // dispatches to a unit that does not exist, is not of the kind named, or lies outside the writer's scope
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  readonly code: RefusalCode;
  /** One line a person can read. */
  readonly reason: string;
  /** Path of the offending field, when there is one, e.g. `events[<event id>].actor` or `intake.place.gridId`. */
  readonly field?: string;
}

export type GuardResult =
  | {
      readonly ok: true;
      /** Events the update adds, validated. */
      readonly events: OrderEvent[];
      /** The intake, when the update creates the order. */
      readonly created: OrderIntake | null;
    }
  | { readonly ok: false; readonly refusal: Refusal };

const refuse = (code: RefusalCode, reason: string, field?: string): GuardResult => ({
  ok: false,
  refusal: field === undefined ? { code, reason } : { code, reason, field },
});

const firstError = (errors: readonly FieldError[]): FieldError => errors[0] ?? { field: '', message: 'invalid' };

/**
 * Check `update` from `user` against the order doc `doc` (named `order:<orderId>`).
 * Nothing is applied to `doc`.
 */
export function guardOrderUpdate(doc: Y.Doc, orderId: string, update: Uint8Array, user: ScopeUser, tree: OrgTree): GuardResult {
  let report: ReturnType<typeof inspectUpdate>;
  try {
    report = inspectUpdate(doc, update);
  } catch (error) {
    return refuse('malformed_update', `not a Yjs update (${error instanceof Error ? error.message : String(error)})`);
  }
  if (report.pending) return refuse('missing_dependencies', 'the update builds on changes the server does not have; sync them first');
  if (report.foreignTypes.length > 0) return refuse('foreign_type', `writes outside the order's intake and events: ${report.foreignTypes.join(', ')}`);
  if (report.removedEventIds.length > 0) {
    return refuse('event_removed', `events are never edited or removed (${report.removedEventIds.join(', ')})`, 'events');
  }
  if (report.intakeChanged) return refuse('intake_changed', 'the intake of an order never changes', 'intake');

  let created: OrderIntake | null = null;
  if (!hasIntake(doc)) {
    if (report.intakeAfter === undefined) {
      if (report.added.length > 0) return refuse('no_intake', `order ${orderId} does not exist`, 'intake');
    } else {
      const result = checkNewIntake(report.intakeAfter, orderId, user, tree);
      if (!result.ok) return result;
      created = result.intake;
    }
  }

  const addedIds = new Set<string>();
  for (const raw of report.added) {
    if (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string') addedIds.add(raw.id);
  }
  const existingIds = storedEventJson(doc, addedIds);
  const events: OrderEvent[] = [];
  for (const [index, raw] of report.added.entries()) {
    const rawId = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : String(index);
    const at = `events[${rawId}]`;
    const result = validate(OrderEventSchema, raw);
    if (!result.ok) {
      const error = firstError(result.errors);
      return refuse('invalid_event', `${error.field ? `${error.field}: ` : ''}${error.message}`, error.field ? `${at}.${error.field}` : at);
    }
    const event = result.value;
    if (event.actor !== user.id) return refuse('wrong_actor', `event ${event.id} is written as ${event.actor}, but you are ${user.id}`, `${at}.actor`);
    if (event.role !== user.role) return refuse('wrong_role', `event ${event.id} claims role ${event.role}, but yours is ${user.role}`, `${at}.role`);
    if (event.unit !== user.unitId) return refuse('wrong_unit', `event ${event.id} claims unit ${event.unit}, but yours is ${user.unitId}`, `${at}.unit`);
    if (!roleMayWrite(user.role, event.type)) return refuse('forbidden_type', `a ${user.role} may not write ${event.type}`, `${at}.type`);
    const target = event.type === 'dispatch' ? checkDispatchTarget(tree, user, event.payload) : null;
    if (target && !target.ok) return refuse(target.reason, target.message, `${at}.payload.${target.field}`);
    // An identical copy is harmless (a journal replay after the local store
    // lost the first copy); a different event under a known id could replace
    // someone else's in the reducer's dedupe.
    const json = JSON.stringify(raw);
    const known = existingIds.get(event.id);
    if (known !== undefined && known !== json) return refuse('duplicate_event_id', `event id ${event.id} is already used`, `${at}.id`);
    existingIds.set(event.id, json);
    events.push(event);
  }
  return { ok: true, events, created };
}

function checkNewIntake(
  raw: unknown,
  orderId: string,
  user: ScopeUser,
  tree: OrgTree,
): { ok: true; intake: OrderIntake } | { ok: false; refusal: Refusal } {
  const result = validate(OrderIntakeSchema, raw);
  if (!result.ok) {
    const error = firstError(result.errors);
    return { ok: false, refusal: { code: 'invalid_intake', reason: `${error.field}: ${error.message}`, field: `intake.${error.field}` } };
  }
  const intake = result.value;
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
