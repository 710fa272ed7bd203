/**
 * Whom an open order waits for, when the user looking at it can do nothing to move it on: a grid worker who
 * opens an order of their grid by a link saw a countdown and no button, and no why. The order page says it
 * under the title (待街道派单; 已派至 株洲路社区，由其签收办理; 由 王伟 办理中).
 */
import { FIELD_ACTIONS } from './actions.ts';
import type { EventType } from './events.ts';
import type { OrderView } from './reducer.ts';

export type WaitingOn =
  /** 待派单, or back from a handler (已退回): the street office dispatches it (a community passes on only what it was sent). */
  | { readonly on: 'street_dispatch' }
  /** 待签收 by a unit this user does not handle it for. */
  | { readonly on: 'unit'; readonly unitId: string }
  /** 处理中 with another handler. */
  | { readonly on: 'handler'; readonly userId: string };

/**
 * `offered`: what this user may do on the order now (`availableActions`). Null when the user moves it on
 * (派单 offered while it waits for one, a field action once it is dispatched) or when it waits for no one
 * in the field (closed and after: the office's queues say what comes next).
 */
export function waitingOn(view: Pick<OrderView, 'status' | 'target' | 'assignee'>, offered: readonly EventType[]): WaitingOn | null {
  const inHand = offered.some((type) => (FIELD_ACTIONS as readonly EventType[]).includes(type));
  switch (view.status) {
    case 'pending_dispatch':
    case 'returned':
      return offered.includes('dispatch') ? null : { on: 'street_dispatch' };
    case 'dispatched':
      return !inHand && view.target ? { on: 'unit', unitId: view.target.unitId } : null;
    case 'in_progress':
      return !inHand && view.assignee ? { on: 'handler', userId: view.assignee } : null;
    default:
      return null;
  }
}
