import { describe, expect, it } from 'vitest';
import { availableActions } from '#shared/order/actions.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import type { User } from '#shared/org/roles.ts';
import { waitingOn } from '#shared/order/waiting-on.ts';
import { HOUR, History, T0, intake, payloads, users } from '../support/builders.ts';

const order = intake();

/** What `user` is told the order waits for, after `history`, with the actions the rules offer them. */
function told(history: History, user: User) {
  const view = deriveOrder(order, history.events, T0 + 3 * HOUR);
  return waitingOn(view, availableActions(view, user));
}

describe('waitingOn', () => {
  it("tells everyone but the street's office that a 待派单 order waits for the street's 派单", () => {
    const h = new History();
    expect(deriveOrder(order, h.events, T0).status).toBe('pending_dispatch');
    expect(told(h, users.worker)).toEqual({ on: 'street_dispatch' });
    // A community passes on only what it was sent: the street dispatches first.
    expect(told(h, users.community)).toEqual({ on: 'street_dispatch' });
    expect(told(h, users.clerk)).toBeNull();
  });

  it("tells the grid's worker that an order sent to the community waits for the community's 签收, and not the community", () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: { unitId: users.community.unitId, unitKind: 'community' } }, T0);
    expect(told(h, users.worker)).toEqual({ on: 'unit', unitId: users.community.unitId });
    expect(told(h, users.community)).toBeNull();
  });

  it('tells a colleague whose grid it is that an accepted order is with its handler, and not the handler', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    expect(told(h, users.worker)).toBeNull();
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    expect(told(h, users.worker2)).toEqual({ on: 'handler', userId: users.worker.id });
    expect(told(h, users.worker)).toBeNull();
  });

  it("tells the worker who returned an order that it waits for the street's 派单 again", () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'return', payload: { code: 'wrong_jurisdiction', reason: '不在本网格范围' } }, T0 + HOUR);
    expect(told(h, users.worker)).toEqual({ on: 'street_dispatch' });
    expect(told(h, users.clerk)).toBeNull();
  });

  it('says nothing once the order is closed: the office’s queues say what comes next', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + HOUR);
    h.by(users.worker).do({ type: 'close', payload: payloads.close() }, T0 + 2 * HOUR);
    expect(deriveOrder(order, h.events, T0 + 3 * HOUR).status).toBe('closed');
    expect(told(h, users.worker2)).toBeNull();
    expect(told(h, users.clerk)).toBeNull();
  });
});
