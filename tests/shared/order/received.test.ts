/**
 * The server records when it received each event (the order doc's `received`
 * map, docs/THREAT-MODEL.md "Time and content written by clients"), and the
 * reducer measures deadlines with the later of the event's own `at` and that
 * time: a writer cannot move a close, an accept or a reply back before the
 * moment the server had it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveOrder } from '#shared/order/reducer.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { DAY, HOUR, History, T0, intake, payloads, users } from '../support/builders.ts';
import { ArrayPeer, CAST, runSimulation, skewArb, stepArb } from '../support/simulation.ts';

const order = intake({ deadline: T0 + 5 * DAY });
const receivedFrom = (times: ReadonlyMap<string, number>) => (id: string) => times.get(id);

/** Dispatched, accepted, a photo, closed at `closeAt`. */
function closedOrder(closeAt: number): OrderEvent[] {
  const history = new History();
  history.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + HOUR);
  history.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 2 * HOUR);
  history.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + 3 * HOUR);
  history.by(users.worker).do({ type: 'close', payload: payloads.close() }, closeAt);
  return history.events;
}

describe('deadlines measured with the time the server received an event', () => {
  it('counts an order closed when the server had the close, not at the time the close claims', () => {
    const events = closedOrder(order.deadline - HOUR);
    const close = events.at(-1)!;
    const late = order.deadline + 2 * DAY;
    const onTime = deriveOrder(order, events, late + DAY);
    expect(onTime).toMatchObject({ closedAt: close.at, overdue: false });

    const view = deriveOrder(order, events, late + DAY, { receivedAt: receivedFrom(new Map([[close.id, late]])) });
    expect(view).toMatchObject({ status: 'closed', closedAt: late, overdue: true, timeLeftMs: order.deadline - late });
    // The close itself is unchanged: what the worker wrote, and when the server got it.
    expect(view.result?.at).toBe(close.at);
    expect(view.timeline.at(-1)).toMatchObject({ event: close, applied: true, receivedAt: late });
  });

  it('keeps the time an event claims when the server received it earlier (a clock behind) or never said', () => {
    const events = closedOrder(T0 + 4 * HOUR);
    const close = events.at(-1)!;
    const view = deriveOrder(order, events, T0 + DAY, { receivedAt: receivedFrom(new Map([[close.id, close.at - 60_000]])) });
    expect(view.closedAt).toBe(close.at);
    expect(deriveOrder(order, events, T0 + DAY).timeline.every((entry) => entry.receivedAt === null)).toBe(true);
  });

  it('moves the accept deadline with the dispatch the server received, and the accept with its own receipt', () => {
    const events = closedOrder(T0 + 4 * HOUR);
    const [dispatch, accept] = events as [OrderEvent, OrderEvent];
    const received = new Map([
      [dispatch.id, T0 + 90 * 60_000],
      [accept.id, T0 + 5 * HOUR],
    ]);
    const view = deriveOrder(order, events.slice(0, 2), T0 + DAY, { receivedAt: receivedFrom(received) });
    expect(view).toMatchObject({ dispatchedAt: T0 + 90 * 60_000, acceptedAt: T0 + 5 * HOUR });
    expect(view.acceptDueAt).toBe(T0 + 90 * 60_000 + 2 * HOUR);
  });

  it('on random histories, receipts never reorder events, change the status or make an order less overdue', () => {
    const peers = CAST.length;
    fc.assert(
      fc.property(
        fc.array(stepArb(peers), { minLength: 1, maxLength: 120 }),
        skewArb(peers),
        fc.array(fc.integer({ min: -2 * HOUR, max: 6 * DAY }), { minLength: 1, maxLength: 40 }),
        (steps, skews, delays) => {
          const cast = CAST.map((user) => new ArrayPeer(user));
          runSimulation(order, cast, steps, skews);
          const all = new Map<string, OrderEvent>();
          for (const peer of cast) for (const event of peer.events()) all.set(event.id, event);
          const events = [...all.values()];
          // Some events have a receipt, earlier or (mostly) later than their own time.
          const received = new Map<string, number>();
          events.forEach((event, i) => {
            const delay = delays[i % delays.length]!;
            if (i % 3 !== 2) received.set(event.id, event.at + delay);
          });
          const now = T0 + 8 * DAY;
          const plain = deriveOrder(order, events, now);
          const view = deriveOrder(order, events, now, { receivedAt: receivedFrom(received) });
          expect(view.timeline.map((t) => [t.event.id, t.applied])).toEqual(plain.timeline.map((t) => [t.event.id, t.applied]));
          expect(view.status).toBe(plain.status);
          expect(view.conflicts).toEqual(plain.conflicts);
          if (plain.overdue) expect(view.overdue).toBe(true);
          if (plain.closedAt !== null) expect(view.closedAt).toBeGreaterThanOrEqual(plain.closedAt);
          const close = view.result ? all.get(view.result.eventId) : undefined;
          if (close) expect(view.closedAt).toBe(Math.max(close.at, received.get(close.id) ?? close.at));
          for (const entry of view.timeline) expect(entry.receivedAt).toBe(received.get(entry.event.id) ?? null);
        },
      ),
      { numRuns: 150, seed: 20261205 },
    );
  });
});
