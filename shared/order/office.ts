/**
 * What the office's screens decide with, beside the rules: the default
 * deadline of a redo, the response times a 督办 offers, the choices a
 * conflict leaves, and the desk's keyboard shortcuts. Pure; the rules stay in
 * rules.ts and the reducer, and these only ask them (`availableActions`).
 */
import type { User } from '../org/roles.ts';
import { availableActions } from './actions.ts';
import type { Conflict } from './conflicts.ts';
import { DEFAULT_POLICY, addWorkingDays, type DeadlinePolicy } from './deadline.ts';
import type { EventType } from './events.ts';
import type { OrderView } from './reducer.ts';

/** Working days a redo (审核退回, 重办) gets by default: the handler cannot be due before they are told. */
export const REDO_WORKING_DAYS = 3;

/** The default deadline of a redo decided at `now`: end of the day, REDO_WORKING_DAYS working days on. */
export function redoDeadline(now: number, policy: DeadlinePolicy = DEFAULT_POLICY): number {
  return addWorkingDays(now, REDO_WORKING_DAYS, policy);
}

/** Response times a 督办 offers, in hours (2 hours to 3 days); the payload allows up to 30 days. */
export const RESPOND_WITHIN_HOURS = [2, 4, 24, 48, 72] as const;

/** The response time a level of 督办 suggests: the sterner, the sooner. */
export function defaultRespondHours(level: 'reminder' | 'warning' | 'listed'): number {
  return level === 'listed' ? 4 : level === 'warning' ? 24 : 48;
}

/**
 * What a clerk may do about a conflict: always acknowledge it (a
 * `conflict_resolve` saying why it stays without effect), and, when the rules
 * allow the same action now, do it again as it should have been done.
 */
export interface ConflictChoices {
  readonly acknowledge: boolean;
  readonly redo: EventType | null;
}

/** Actions whose redo is a screen of its own; the others (签收, 拍照…) are the handler's, and redone by them. */
const REDOABLE: ReadonlySet<EventType> = new Set([
  'dispatch',
  'review_pass',
  'review_reject',
  'extension_approve',
  'extension_refuse',
  'portal_reply',
  'callback',
  'reopen',
  'supervise',
  'archive',
]);

export function conflictChoices(view: OrderView, user: Pick<User, 'id' | 'role' | 'unitId'>, conflict: Conflict): ConflictChoices {
  const actions = availableActions(view, user);
  const acknowledge = conflict.resolvedBy === null && actions.includes('conflict_resolve');
  const redo = acknowledge && REDOABLE.has(conflict.type) && actions.includes(conflict.type) ? conflict.type : null;
  return { acknowledge, redo };
}

/** The desk's keyboard shortcuts for the frequent office actions: the desk registers them (`useDeskShortcuts`). */
export const OFFICE_SHORTCUTS = [
  { action: 'review_pass', key: 'a' },
  { action: 'review_reject', key: 'r' },
  { action: 'dispatch', key: 'd' },
  { action: 'extension_approve', key: 'e' },
] as const satisfies readonly { action: EventType; key: string }[];

/**
 * The office's screens on an order and the events each writes: a screen is
 * offered when the rules offer any of its events (`availableActions`), so
 * the rule table is asked, never copied.
 */
export const OFFICE_ACTIONS = {
  dispatch: ['dispatch'],
  review: ['review_pass', 'review_reject'],
  extension_decide: ['extension_approve', 'extension_refuse'],
  callback: ['callback'],
  reopen: ['reopen'],
  supervise: ['supervise'],
  archive: ['archive'],
  merge: ['merge'],
} as const satisfies Record<string, readonly EventType[]>;
export type OfficeAction = keyof typeof OFFICE_ACTIONS;

/** The office screens to offer, most pressing first, given the actions the rules allow now. */
export function officeActionsOffered(actions: readonly EventType[]): OfficeAction[] {
  return (Object.keys(OFFICE_ACTIONS) as OfficeAction[]).filter((key) => OFFICE_ACTIONS[key].some((type: EventType) => actions.includes(type)));
}
