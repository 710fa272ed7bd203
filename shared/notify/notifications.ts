/**
 * The in-app notifications of one user, derived from an order's events: what
 * reached this user's device that asks for their attention. Pure: the same
 * events and user give the same list, so a device that receives an order twice
 * (a prefetch, then the live doc) records each notification once (its id is
 * the event's).
 *
 * Who is told what:
 * - **派单** (`dispatch`): the person named, or, when nobody is named, every
 *   member of the unit it was sent to;
 * - **督办** (`supervise`): the order's handler when it was written (the
 *   assignee, or before 签收 the unit it was sent to);
 * - **审核退回** (`review_reject`) and **回访不满意** (`callback` unsatisfied): the
 *   handler whose result it was (the last 办结's author);
 * - **延期 批准 / 不批准**: the author of the request.
 *
 * Only events the reducer applied count (a conflict changed nothing), never the
 * user's own, and none written before `since` (a device signed in for the first
 * time is not told about last month's work).
 */
import { deriveOrder } from '../order/reducer.ts';
import type { OrderEvent, Satisfaction } from '../order/events.ts';
import type { OrderIntake, SupervisionLevel } from '../order/intake.ts';
import type { User } from '../org/roles.ts';

export const NOTIFICATION_KINDS = [
  'dispatch',
  'supervise',
  'review_reject',
  'callback_unsatisfied',
  'extension_approved',
  'extension_refused',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface AppNotification {
  /** The event's id: one notification per event. */
  readonly id: string;
  readonly kind: NotificationKind;
  readonly orderId: string;
  readonly orderNo: string;
  /** The order's title (data: shown as text). */
  readonly title: string;
  /** Who wrote the event (a user id; the screen names them). */
  readonly actor: string;
  /** When the event was written (its author's clock). */
  readonly at: number;
  /** The reason, note or comment the event carries, if any (data). */
  readonly text: string | null;
  /** 督办's level. */
  readonly level?: Exclude<SupervisionLevel, 'none'>;
  /** An approved extension's new deadline. */
  readonly until?: number;
  readonly satisfaction?: Satisfaction;
}

/** Kinds worth a system notification when they arrive while the app is in the background. */
export const SYSTEM_NOTIFICATION_KINDS: readonly NotificationKind[] = ['dispatch', 'supervise'];

export function wantsSystemNotification(kind: NotificationKind): boolean {
  return SYSTEM_NOTIFICATION_KINDS.includes(kind);
}

export interface NotificationOptions {
  /** Events written before this are not notified. */
  readonly since?: number;
}

/** The notifications `events` of the order `intake` hold for `user`, oldest first. */
export function notificationsFor(
  user: Pick<User, 'id' | 'unitId'>,
  intake: OrderIntake,
  events: readonly OrderEvent[],
  options: NotificationOptions = {},
): AppNotification[] {
  const since = options.since ?? Number.NEGATIVE_INFINITY;
  // The reducer decides what applied; `now` only moves deadlines, which nothing here reads.
  const view = deriveOrder(intake, events, 0);
  let target: string | null = null;
  let assignee: string | null = null;
  let closer: string | null = null;
  const requests = new Map<string, string>();
  const out: AppNotification[] = [];
  const base = (event: OrderEvent) => ({ id: event.id, orderId: intake.id, orderNo: intake.orderNo, title: intake.title, actor: event.actor, at: event.at });
  const handlerIsMe = () => (assignee !== null ? assignee === user.id : target === user.unitId);

  for (const { event, applied } of view.timeline) {
    if (!applied) continue;
    const tell = event.actor !== user.id && event.at >= since;
    switch (event.type) {
      case 'dispatch': {
        target = event.payload.unitId;
        assignee = event.payload.assignee ?? null;
        if (tell && handlerIsMe()) out.push({ ...base(event), kind: 'dispatch', text: event.payload.note ?? null });
        break;
      }
      case 'accept':
        assignee = event.actor;
        break;
      case 'return':
        target = null;
        assignee = null;
        break;
      case 'extension_request':
        requests.set(event.id, event.actor);
        break;
      case 'extension_approve':
        if (tell && requests.get(event.payload.requestId) === user.id) {
          out.push({ ...base(event), kind: 'extension_approved', text: null, ...(event.payload.until !== undefined ? { until: event.payload.until } : {}) });
        }
        break;
      case 'extension_refuse':
        if (tell && requests.get(event.payload.requestId) === user.id) out.push({ ...base(event), kind: 'extension_refused', text: event.payload.reason });
        break;
      case 'close':
        closer = event.actor;
        break;
      case 'review_reject':
        if (tell && closer === user.id) out.push({ ...base(event), kind: 'review_reject', text: event.payload.reason });
        break;
      case 'callback':
        if (tell && event.payload.satisfaction === 'unsatisfied' && closer === user.id) {
          out.push({ ...base(event), kind: 'callback_unsatisfied', text: event.payload.note ?? null, satisfaction: event.payload.satisfaction });
        }
        break;
      case 'supervise':
        if (tell && handlerIsMe()) out.push({ ...base(event), kind: 'supervise', text: event.payload.note, level: event.payload.level });
        break;
      default:
        break;
    }
  }
  return out;
}

/** Newest first, then by id: the list's order. */
export function compareNotifications(a: Pick<AppNotification, 'at' | 'id'>, b: Pick<AppNotification, 'at' | 'id'>): number {
  return b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
