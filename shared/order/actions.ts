/**
 * What a user can do to an order right now, from the same rules the reducer
 * applies: a UI offers only these, so a valid-looking button never produces
 * a conflict on this device. (Other devices may still race it; that is what
 * conflicts are for.)
 */
import type { User } from '../org/roles.ts';
import { EVENT_TYPES, type EventType } from './events.ts';
import { refusal, type OrderView } from './reducer.ts';

/** The actions a handler takes in the field, in the order they are usually taken (the order page's action bar). */
export const FIELD_ACTIONS = ['check_in', 'photo_added', 'progress', 'extension_request', 'return', 'accept', 'close'] as const satisfies readonly EventType[];
export type FieldAction = (typeof FIELD_ACTIONS)[number];

export function canDo(view: OrderView, user: Pick<User, 'id' | 'role' | 'unitId'>, type: EventType): boolean {
  if (refusal(view, { role: user.role, actor: user.id, unit: user.unitId }, type) !== null) return false;
  // Past `refusal`, the reducer refuses only a payload, and a screen can always
  // choose one it accepts (a later date, photos already added, the pending
  // request) — except a conflict to settle, which must exist.
  return type !== 'conflict_resolve' || view.conflicts.some((c) => c.resolvedBy === null);
}

export function availableActions(view: OrderView, user: Pick<User, 'id' | 'role' | 'unitId'>): EventType[] {
  return EVENT_TYPES.filter((type) => canDo(view, user, type));
}
