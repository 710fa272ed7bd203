/**
 * The one reducer: folds an order's events, in hybrid-logical-clock order,
 * through the lifecycle state machine into the order's view. Pure and
 * deterministic: the same set of events gives the same view whatever order
 * they arrived in. An event that is invalid where it lands is kept in the
 * timeline and listed as a conflict; it never changes the state.
 */
import type { SupervisionLevel, OrderIntake } from './intake.ts';
import { PHOTO_KINDS, type ClosePayload, type EventOf, type EventType, type OrderEvent, type PhotoKind, type PhotoMeta, type Resolution, type Satisfaction } from './events.ts';
import { EVENT_RULES } from './rules.ts';
import { isOpenStatus, type Status } from './status.ts';
import type { Conflict, ConflictReason } from './conflicts.ts';
import { assertNever } from '../util/never.ts';
import { effectiveAt } from './deadline.ts';

export { effectiveAt };

export interface DispatchTarget {
  readonly unitId: string;
  readonly unitKind: 'grid' | 'community' | 'street';
}

export interface PhotoEntry extends PhotoMeta {
  readonly eventId: string;
  readonly actor: string;
  readonly at: number;
}

/** One 督办 as the timeline and the handler's banner show it: who, when, why, by when. */
export interface SupervisionRecord {
  readonly eventId: string;
  readonly level: SupervisionLevel;
  readonly note: string;
  readonly actor: string;
  readonly at: number;
  /** When the handler is to have responded; null when the 督办 set no time. */
  readonly respondBy: number | null;
  /** The handler's first event after it (progress, a photo, the close…); null while unanswered. */
  readonly respondedAt: number | null;
}

export interface TimelineEntry {
  readonly event: OrderEvent;
  /** False when the event is a conflict; it is shown, but it changed nothing. */
  readonly applied: boolean;
  /** When the server received it, as the server recorded; null if not known (not yet synced, or stored before receipts). */
  readonly receivedAt: number | null;
}

export interface OrderView {
  readonly orderId: string;
  readonly orderNo: string;
  readonly status: Status;
  readonly target: DispatchTarget | null;
  /** Who is handling it: set by 签收, kept through close and review. */
  readonly assignee: string | null;
  /** Lifecycle times (dispatched, accepted, closed, replied, returned, called back) are `effectiveAt`: never before the server had the event. */
  readonly dispatchedAt: number | null;
  readonly acceptedAt: number | null;
  /** 签收 is due this long after dispatch. */
  readonly acceptDueAt: number | null;
  readonly closedAt: number | null;
  /** Current deadline: the intake's, or the last approved extension. */
  readonly deadline: number;
  readonly deadlineExtended: boolean;
  /** Negative when overdue. Measured against `now` while open, against the close once closed. */
  readonly timeLeftMs: number;
  readonly overdue: boolean;
  readonly pendingExtension: { readonly eventId: string; readonly until: number; readonly reason: string } | null;
  readonly supervision: SupervisionLevel;
  /** Every 督办 written on the order, oldest first. */
  readonly supervisions: readonly SupervisionRecord[];
  readonly returned: { readonly code: string; readonly reason: string; readonly actor: string; readonly at: number } | null;
  readonly checkIns: readonly { readonly eventId: string; readonly actor: string; readonly at: number; readonly location: EventOf<'check_in'>['payload']['location'] }[];
  readonly photos: readonly PhotoEntry[];
  readonly result: (ClosePayload & { readonly eventId: string; readonly actor: string; readonly at: number }) | null;
  readonly resolution: Resolution | null;
  readonly reviewRejections: number;
  readonly repliedAt: number | null;
  readonly callback: { readonly satisfaction: Satisfaction; readonly at: number } | null;
  readonly reopenCount: number;
  readonly mergedInto: string | null;
  readonly phoneRevealedBy: readonly { readonly actor: string; readonly at: number }[];
  readonly timeline: readonly TimelineEntry[];
  readonly conflicts: readonly Conflict[];
  /** HLC stamp of the last event; '' when there are none. */
  readonly lastHlc: string;
}

export interface DeriveOptions {
  /** 签收 within this long after dispatch (2 hours in one county). */
  readonly acceptWithinMs?: number;
  /**
   * When the server received an event (the order doc's receipts,
   * `receivedAtOf` in shared/sync/order-doc.ts); undefined when unknown.
   */
  readonly receivedAt?: (eventId: string) => number | undefined;
}

const TWO_HOURS = 2 * 60 * 60 * 1000;

/** Events in the one order every peer agrees on; duplicates of an id appear once. */
export function orderEvents(events: readonly OrderEvent[]): OrderEvent[] {
  const byId = new Map<string, OrderEvent>();
  for (const event of events) {
    const seen = byId.get(event.id);
    // Two different events under one id can only be forged or corrupt; keep a
    // deterministic one so that every peer still derives the same view.
    if (!seen || (seen !== event && JSON.stringify(event) < JSON.stringify(seen))) byId.set(event.id, event);
  }
  return [...byId.values()].sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

type Mutable = { -readonly [K in keyof OrderView]: OrderView[K] };

/**
 * The reducer part-way: the state after folding a prefix of an order's
 * events in their one order (`orderEvents`). `deriveOrder` is a fold from
 * `startFold` over every event, then `viewOfFold`; a reader that keeps a fold
 * (the server's indexer, per loaded doc) folds only the events that came since,
 * as long as each sorts after the last one folded (`sortsAfterFold`) — an
 * event that sorts earlier (a CRDT delivers concurrent writes in any order)
 * needs a fold from the start. Mutated in place: read it only through
 * `viewOfFold`, which copies.
 */
export interface OrderFold {
  readonly acceptWithinMs: number;
  /** The state so far; its lists stay empty during the fold (see `refusal`), the collectors below hold them. */
  readonly view: Mutable;
  readonly collectors: Collectors;
  readonly timeline: TimelineEntry[];
  /** The last event folded (its HLC and id: the sort key of `orderEvents`); null before the first. */
  last: { readonly hlc: string; readonly id: string } | null;
}

export function startFold(intake: OrderIntake, options: Pick<DeriveOptions, 'acceptWithinMs'> = {}): OrderFold {
  const acceptWithinMs = options.acceptWithinMs ?? TWO_HOURS;
  const view: Mutable = {
    orderId: intake.id,
    orderNo: intake.orderNo,
    status: 'pending_dispatch',
    target: null,
    assignee: null,
    dispatchedAt: null,
    acceptedAt: null,
    acceptDueAt: null,
    closedAt: null,
    deadline: intake.deadline,
    deadlineExtended: false,
    timeLeftMs: 0,
    overdue: false,
    pendingExtension: null,
    supervision: intake.supervision,
    supervisions: [],
    returned: null,
    checkIns: [],
    photos: [],
    result: null,
    resolution: null,
    reviewRejections: 0,
    repliedAt: null,
    callback: null,
    reopenCount: 0,
    mergedInto: null,
    phoneRevealedBy: [],
    timeline: [],
    conflicts: [],
    lastHlc: '',
  };
  const selfHandled = selfHandledTarget(intake);
  if (selfHandled) {
    // 自行处置: the reporter handles it on the spot; it starts with them, as if dispatched and accepted.
    view.status = 'in_progress';
    view.target = selfHandled.target;
    view.assignee = selfHandled.reporter;
    view.dispatchedAt = intake.receivedAt;
    view.acceptedAt = intake.receivedAt;
  }
  return {
    acceptWithinMs,
    view,
    collectors: { acceptWithinMs, checkIns: [], photos: [], reveals: [], conflicts: [], supervisions: [] },
    timeline: [],
    last: null,
  };
}

/** Whether `event` sorts after every event folded so far (`orderEvents`' order), so that folding it next is what a fold from the start would do. */
export function sortsAfterFold(fold: OrderFold, event: Pick<OrderEvent, 'hlc' | 'id'>): boolean {
  const last = fold.last;
  return last === null || event.hlc > last.hlc || (event.hlc === last.hlc && event.id > last.id);
}

/**
 * Fold one more event; it must sort after those folded (`sortsAfterFold`) and
 * carry an id not folded yet. `received`: when the server received it, if known.
 */
export function foldEvent(fold: OrderFold, event: OrderEvent, received: number | undefined): void {
  const { view, collectors } = fold;
  const reason = check(view, collectors.photos, collectors.conflicts, event);
  fold.timeline.push({ event, applied: reason === null, receivedAt: received ?? null });
  view.lastHlc = event.hlc;
  fold.last = { hlc: event.hlc, id: event.id };
  if (reason !== null) {
    collectors.conflicts.push({ eventId: event.id, type: event.type, actor: event.actor, reason, resolvedBy: null });
    return;
  }
  apply(view, event, effectiveAt(event.at, received), collectors);
}

/** The view after the events folded so far, at `now`: a copy the fold's later steps do not change. */
export function viewOfFold(fold: OrderFold, now: number): OrderView {
  const { collectors } = fold;
  const view: Mutable = {
    ...fold.view,
    timeline: fold.timeline.slice(),
    conflicts: collectors.conflicts.slice(),
    checkIns: collectors.checkIns.slice(),
    photos: collectors.photos.slice(),
    phoneRevealedBy: collectors.reveals.slice(),
    supervisions: collectors.supervisions.slice(),
  };
  const open = isOpenStatus(view.status);
  const reference = open ? now : (view.closedAt ?? now);
  view.timeLeftMs = view.deadline - reference;
  view.overdue = view.status !== 'merged' && view.timeLeftMs < 0;
  return view;
}

export function deriveOrder(
  intake: OrderIntake,
  events: readonly OrderEvent[],
  now: number,
  options: DeriveOptions = {},
): OrderView {
  const receivedAt = options.receivedAt ?? (() => undefined);
  const fold = startFold(intake, options);
  for (const event of orderEvents(events)) foldEvent(fold, event, receivedAt(event.id));
  return viewOfFold(fold, now);
}

/**
 * Why an event of `type` written by `by` cannot apply to this view, whatever
 * its payload; null if some payload would. `availableActions` asks the same
 * question, so a screen offers exactly what the reducer would apply.
 * During the fold the view's lists (photos, check-ins, conflicts, timeline)
 * are still empty: a condition on them belongs in `check`, which has them.
 */
export function refusal(view: OrderView, by: Pick<OrderEvent, 'role' | 'actor' | 'unit'>, type: EventType): ConflictReason | null {
  const rule = EVENT_RULES[type];
  if (!rule.roles.includes(by.role)) return { code: 'role_not_allowed', role: by.role };
  if (rule.from !== 'any' && !rule.from.includes(view.status)) return { code: 'wrong_state', status: view.status };
  if (rule.actor === 'handler' && !isHandler(view, by.actor, by.unit)) return { code: 'not_handler', assignee: view.assignee };
  switch (type) {
    case 'extension_request':
      return view.pendingExtension ? { code: 'extension_pending' } : null;
    case 'extension_approve':
    case 'extension_refuse':
      return view.pendingExtension ? null : { code: 'no_pending_extension' };
    case 'archive':
      return view.status === 'called_back' && view.callback?.satisfaction === 'unsatisfied' ? { code: 'callback_unsatisfied' } : null;
    case 'dispatch':
      // A community handler passes on only what was sent to the community (to its grids, the guard checks
      // the target); deciding where a street's order goes first is the street's.
      return by.role === 'community_handler' && !isHandler(view, by.actor, by.unit) ? { code: 'not_handler', assignee: view.assignee } : null;
    default:
      // Whatever else can refuse an event depends on its payload: `check` below.
      return null;
  }
}

/** Why `event` cannot apply to the state so far, or null if it can. */
function check(view: Mutable, photos: readonly PhotoEntry[], conflicts: readonly Conflict[], event: OrderEvent): ConflictReason | null {
  const refused = refusal(view, event, event.type);
  if (refused) return refused;

  switch (event.type) {
    case 'extension_request':
      return event.payload.until > view.deadline ? null : { code: 'extension_not_later', deadline: view.deadline };
    case 'extension_approve': {
      const pending = view.pendingExtension;
      if (!pending || pending.eventId !== event.payload.requestId) return { code: 'no_pending_extension' };
      const until = event.payload.until ?? pending.until;
      return until > view.deadline ? null : { code: 'extension_not_later', deadline: view.deadline };
    }
    case 'extension_refuse':
      return view.pendingExtension?.eventId === event.payload.requestId ? null : { code: 'no_pending_extension' };
    case 'close': {
      const known = new Set(photos.map((p) => p.sha256));
      const { handling, contact, document } = event.payload.photos;
      const missing = [...handling, ...contact, ...document].find((sha) => !known.has(sha));
      return missing ? { code: 'unknown_photo', sha256: missing } : null;
    }
    case 'review_reject':
    case 'reopen':
      // The redo's deadline, when given, must lie ahead of the decision.
      return event.payload.until === undefined || event.payload.until > event.at ? null : { code: 'redo_deadline_past', until: event.payload.until };
    case 'conflict_resolve': {
      const target = conflicts.find((c) => c.eventId === event.payload.eventId);
      if (!target) return { code: 'unknown_conflict', eventId: event.payload.eventId };
      return target.resolvedBy ? { code: 'conflict_already_resolved', eventId: event.payload.eventId } : null;
    }
    // `refusal` is all these need. Listed rather than defaulted, so that a new
    // event type must be placed here or among the payload checks above.
    case 'dispatch':
    case 'accept':
    case 'return':
    case 'check_in':
    case 'progress':
    case 'photo_added':
    case 'review_pass':
    case 'portal_reply':
    case 'callback':
    case 'supervise':
    case 'phone_reveal':
    case 'merge':
    case 'archive':
      return null;
    default:
      return assertNever(event, 'event type');
  }
}

/** The assignee once accepted (or named at dispatch); before that, any member of the unit dispatched to. */
export function isHandler(view: Pick<OrderView, 'assignee' | 'target'>, actor: string, unit: string): boolean {
  if (view.assignee !== null) return actor === view.assignee;
  if (!view.target) return false;
  return unit === view.target.unitId;
}

/** A field report its reporter handles on the spot starts with them: where, and who. */
export function selfHandledTarget(intake: OrderIntake): { target: DispatchTarget; reporter: string } | null {
  if (intake.source !== 'field_report' || !intake.selfHandled || intake.reportedBy === undefined) return null;
  const target: DispatchTarget = intake.place.gridId
    ? { unitId: intake.place.gridId, unitKind: 'grid' }
    : intake.place.communityId
      ? { unitId: intake.place.communityId, unitKind: 'community' }
      : { unitId: intake.place.streetId, unitKind: 'street' };
  return { target, reporter: intake.reportedBy };
}

interface Collectors {
  acceptWithinMs: number;
  supervisions: SupervisionRecord[];
  checkIns: Mutable['checkIns'][number][];
  photos: PhotoEntry[];
  reveals: { actor: string; at: number }[];
  conflicts: Conflict[];
}

/** `at` is the event's effective time (`effectiveAt`); photos, check-ins and reveals keep the time they claim. */
function apply(view: Mutable, event: OrderEvent, at: number, out: Collectors): void {
  answerSupervision(view, event, out.supervisions);
  switch (event.type) {
    case 'dispatch':
      view.status = 'dispatched';
      view.target = { unitId: event.payload.unitId, unitKind: event.payload.unitKind };
      view.assignee = event.payload.assignee ?? null;
      view.dispatchedAt = at;
      view.acceptDueAt = at + out.acceptWithinMs;
      view.acceptedAt = null;
      view.returned = null;
      view.pendingExtension = null;
      return;
    case 'accept':
      view.status = 'in_progress';
      view.assignee = event.actor;
      view.acceptedAt = at;
      return;
    case 'return':
      view.status = 'returned';
      view.returned = { code: event.payload.code, reason: event.payload.reason, actor: event.actor, at };
      view.assignee = null;
      view.target = null;
      view.pendingExtension = null;
      return;
    case 'extension_request':
      view.pendingExtension = { eventId: event.id, until: event.payload.until, reason: event.payload.reason };
      return;
    case 'extension_approve':
      view.deadline = event.payload.until ?? view.pendingExtension!.until;
      view.deadlineExtended = true;
      view.pendingExtension = null;
      return;
    case 'extension_refuse':
      view.pendingExtension = null;
      return;
    case 'check_in':
      out.checkIns.push({ eventId: event.id, actor: event.actor, at: event.at, location: event.payload.location });
      return;
    case 'progress':
      return;
    case 'photo_added':
      out.photos.push({ ...event.payload, eventId: event.id, actor: event.actor, at: event.at });
      return;
    case 'close':
      view.status = 'closed';
      view.result = { ...event.payload, eventId: event.id, actor: event.actor, at: event.at };
      view.resolution = event.payload.resolution;
      recategorise(out.photos, event.payload.photos);
      view.closedAt = at;
      view.pendingExtension = null;
      return;
    case 'review_pass':
      view.status = 'reviewed';
      return;
    case 'review_reject':
      reopen(view, event.payload.until);
      view.reviewRejections += 1;
      return;
    case 'portal_reply':
      // From closed as well as reviewed: the clerk's reply is the review (rules.ts).
      view.status = 'replied';
      view.repliedAt = at;
      return;
    case 'callback':
      view.status = 'called_back';
      view.callback = { satisfaction: event.payload.satisfaction, at };
      return;
    case 'reopen':
      reopen(view, event.payload.until);
      view.reopenCount += 1;
      return;
    case 'supervise': {
      view.supervision = event.payload.level;
      const hours = event.payload.respondWithinHours;
      out.supervisions.push({
        eventId: event.id,
        level: event.payload.level,
        note: event.payload.note,
        actor: event.actor,
        at: event.at,
        respondBy: hours === undefined ? null : at + hours * 60 * 60 * 1000,
        respondedAt: null,
      });
      return;
    }
    case 'phone_reveal':
      out.reveals.push({ actor: event.actor, at: event.at });
      return;
    case 'conflict_resolve': {
      const index = out.conflicts.findIndex((c) => c.eventId === event.payload.eventId);
      out.conflicts[index] = { ...out.conflicts[index]!, resolvedBy: event.id };
      return;
    }
    case 'merge':
      view.status = 'merged';
      view.mergedInto = event.payload.intoOrderNo;
      return;
    case 'archive':
      view.status = 'archived';
      return;
    default:
      assertNever(event, 'event type');
  }
}

/** The handler's first event after an unanswered 督办 answers it. */
function answerSupervision(view: Mutable, event: OrderEvent, supervisions: SupervisionRecord[]): void {
  const last = supervisions.length - 1;
  const open = supervisions[last];
  if (!open || open.respondedAt !== null || event.type === 'supervise' || event.type === 'phone_reveal') return;
  if (view.assignee !== null ? event.actor !== view.assignee : !(view.target && event.unit === view.target.unitId)) return;
  supervisions[last] = { ...open, respondedAt: event.at };
}

/** The close sorts the order's photos by kind: from then on each shows the kind it was filed under. */
function recategorise(photos: PhotoEntry[], byKind: ClosePayload['photos']): void {
  const kindOf = new Map<string, PhotoKind>();
  for (const kind of PHOTO_KINDS) for (const sha256 of byKind[kind] ?? []) kindOf.set(sha256, kind);
  photos.forEach((photo, i) => {
    const kind = kindOf.get(photo.sha256);
    if (kind && kind !== photo.kind) photos[i] = { ...photo, kind };
  });
}

/**
 * Back to the same handler, without the result that was rejected (it stays in
 * the timeline), due by `until` when the decision set a new deadline.
 */
function reopen(view: Mutable, until: number | undefined): void {
  if (until !== undefined) view.deadline = until;
  view.status = 'in_progress';
  view.result = null;
  view.resolution = null;
  view.closedAt = null;
  view.repliedAt = null;
  view.callback = null;
}
