/**
 * Who may write which event, and in which state. The server uses the role
 * part to refuse an update outright; the reducer uses all of it to flag an
 * event that was valid when written but is not where it lands in clock order.
 */
import type { Role } from '../org/roles.ts';
import type { EventType } from './events.ts';
import { NOT_FINAL_STATUSES, OPEN_STATUSES, type Status } from './status.ts';

/**
 * - `handler`: the assignee, or, before anyone accepted, a member of the unit
 *   the order was dispatched to.
 * - `anyone`: any user with the role (the server has already checked scope).
 */
export type ActorRule = 'handler' | 'anyone';

export interface EventRule {
  readonly roles: readonly Role[];
  /** States in which the event is valid; `any` for events that do not move the lifecycle. */
  readonly from: readonly Status[] | 'any';
  readonly actor: ActorRule;
}

const HANDLERS: readonly Role[] = ['grid_worker', 'community_handler'];
const CLERKS: readonly Role[] = ['street_clerk', 'supervisor'];

export const EVENT_RULES: { readonly [T in EventType]: EventRule } = {
  /** A community handler only passes on what the community was sent (the reducer's `refusal`). */
  dispatch: {
    roles: ['street_clerk', 'community_handler', 'supervisor', 'admin'],
    from: OPEN_STATUSES,
    actor: 'anyone',
  },
  accept: { roles: HANDLERS, from: ['dispatched'], actor: 'handler' },
  return: { roles: HANDLERS, from: ['dispatched', 'in_progress'], actor: 'handler' },
  extension_request: { roles: HANDLERS, from: ['in_progress'], actor: 'handler' },
  extension_approve: { roles: CLERKS, from: ['dispatched', 'in_progress'], actor: 'anyone' },
  extension_refuse: { roles: CLERKS, from: ['dispatched', 'in_progress'], actor: 'anyone' },
  check_in: { roles: HANDLERS, from: ['in_progress'], actor: 'handler' },
  progress: { roles: HANDLERS, from: ['in_progress'], actor: 'handler' },
  photo_added: { roles: HANDLERS, from: ['in_progress'], actor: 'handler' },
  close: { roles: HANDLERS, from: ['in_progress'], actor: 'handler' },
  review_pass: { roles: CLERKS, from: ['closed'], actor: 'anyone' },
  review_reject: { roles: CLERKS, from: ['closed'], actor: 'anyone' },
  /**
   * 已回复 from 已审核, and from 已办结: the clerk who writes a worker's result into
   * the portal has read it, so the reply counts as the review too (the reducer
   * moves a closed order straight to replied). The review sheet now exists
   * (审核通过 / 审核退回 on the order page) and offices that review first use it;
   * the reply still counts as the review for those that sign off in the portal.
   * docs/ARCHITECTURE.md says why this rule rather than writing a review_pass first.
   */
  portal_reply: { roles: ['street_clerk'], from: ['closed', 'reviewed'], actor: 'anyone' },
  callback: { roles: CLERKS, from: ['replied'], actor: 'anyone' },
  reopen: { roles: CLERKS, from: ['closed', 'reviewed', 'replied', 'called_back'], actor: 'anyone' },
  supervise: { roles: ['street_clerk', 'supervisor', 'admin'], from: NOT_FINAL_STATUSES, actor: 'anyone' },
  phone_reveal: {
    roles: ['grid_worker', 'community_handler', 'street_clerk', 'supervisor'],
    from: 'any',
    actor: 'anyone',
  },
  conflict_resolve: { roles: CLERKS, from: 'any', actor: 'anyone' },
  merge: { roles: CLERKS, from: ['pending_dispatch', 'dispatched', 'returned'], actor: 'anyone' },
  archive: { roles: ['street_clerk', 'supervisor', 'admin'], from: ['replied', 'called_back'], actor: 'anyone' },
};

/** The static check the server applies to every incoming event. */
export function roleMayWrite(role: Role, type: EventType): boolean {
  return EVENT_RULES[type].roles.includes(role);
}

/** Event types a role may write at all, e.g. to offer actions in a UI. */
export function eventTypesFor(role: Role): EventType[] {
  return (Object.keys(EVENT_RULES) as EventType[]).filter((type) => roleMayWrite(role, type));
}
