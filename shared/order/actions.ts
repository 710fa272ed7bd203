/**
 * What a user can do to an order right now, from the same rules the reducer
 * applies: a UI offers only these, so a valid-looking button never produces
 * a conflict on this device. (Other devices may still race it; that is what
 * conflicts are for.)
 */
import type { User } from '../org/roles.ts';
import type { EventType } from './events.ts';
import { isHandler, type OrderView } from './reducer.ts';
import { EVENT_RULES } from './rules.ts';

export function canDo(view: OrderView, user: Pick<User, 'id' | 'role' | 'unitId'>, type: EventType): boolean {
  const rule = EVENT_RULES[type];
  if (!rule.roles.includes(user.role)) return false;
  if (rule.from !== 'any' && !rule.from.includes(view.status)) return false;
  if (rule.actor === 'handler' && !isHandler(view, user.id, user.unitId)) return false;
  switch (type) {
    case 'extension_request':
      return view.pendingExtension === null;
    case 'extension_approve':
    case 'extension_refuse':
      return view.pendingExtension !== null;
    case 'archive':
      return view.callback?.satisfaction !== 'unsatisfied';
    case 'conflict_resolve':
      return view.conflicts.some((c) => c.resolvedBy === null);
    default:
      return true;
  }
}

export function availableActions(view: OrderView, user: Pick<User, 'id' | 'role' | 'unitId'>): EventType[] {
  return (Object.keys(EVENT_RULES) as EventType[]).filter((type) => canDo(view, user, type));
}
