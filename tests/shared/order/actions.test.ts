import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availableActions, canDo } from '#shared/order/actions.ts';
import { closeGaps } from '#shared/order/close-check.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { DAY, HOUR, History, T0, Writer, intake, payloads, sha, users } from '../support/builders.ts';
import { ArrayPeer, CAST, draftFor, runSimulation, skewArb, stepArb } from '../support/simulation.ts';

const order = intake();

describe('availableActions', () => {
  it('offers a dispatched order to the workers of its grid and not to others', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    const view = deriveOrder(order, h.events, T0);
    expect(availableActions(view, users.worker)).toEqual(['accept', 'return', 'phone_reveal']);
    expect(availableActions(view, users.otherGridWorker)).toEqual(['phone_reveal']);
    expect(availableActions(view, users.clerk)).toEqual(expect.arrayContaining(['dispatch', 'supervise', 'merge']));
  });

  it('agrees with the reducer: an offered action never lands as a conflict on the same view', () => {
    fc.assert(
      fc.property(fc.array(stepArb(CAST.length), { maxLength: 80, size: 'max' }), skewArb(CAST.length), (steps, skews) => {
        const peers = CAST.map((u) => new ArrayPeer(u));
        runSimulation(order, peers, steps, skews);
        const events = [...new Map(peers.flatMap((p) => p.events()).map((e) => [e.id, e] as const)).values()];
        const now = T0 + 20 * DAY;
        const view = deriveOrder(order, events, now);
        CAST.forEach((user, i) => {
          for (const type of availableActions(view, user)) {
            if (type === 'close' && view.photos.length === 0) continue; // needs photos the UI makes you add first
            const event: OrderEvent = new Writer(user, 77 + i).write(draftFor(type, view, 1), now, events);
            const after = deriveOrder(order, [...events, event], now);
            expect(after.conflicts.find((c) => c.eventId === event.id), `${user.id} ${type}`).toBeUndefined();
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('does not offer archiving after an unsatisfied call-back', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + HOUR);
    h.by(users.worker).do({ type: 'close', payload: payloads.close() }, T0 + 2 * HOUR);
    h.by(users.clerk).do({ type: 'review_pass', payload: {} }, T0 + 3 * HOUR);
    h.by(users.clerk).do({ type: 'portal_reply', payload: {} }, T0 + 3 * HOUR);
    h.by(users.clerk).do({ type: 'callback', payload: { satisfaction: 'unsatisfied' } }, T0 + 4 * HOUR);
    const view = deriveOrder(order, h.events, T0 + 5 * HOUR);
    expect(canDo(view, users.clerk, 'archive')).toBe(false);
    expect(canDo(view, users.clerk, 'reopen')).toBe(true);
  });
});

describe('closeGaps', () => {
  const withPhoto = () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + HOUR);
    return deriveOrder(order, h.events, T0 + 2 * HOUR);
  };

  it('finds nothing missing in a complete close', () => {
    expect(closeGaps(withPhoto(), payloads.close([sha(1)]))).toEqual([]);
  });

  it('lists every gap at once', () => {
    const close = {
      ...payloads.close([sha(9)]),
      resolution: 'partly' as const,
      unresolvedReason: '',
      contact: { contacted: true, method: 'visit' as const },
    };
    expect(closeGaps(withPhoto(), close, { handlingPhoto: true, checkIn: true })).toEqual([
      'handling_photo',
      'contact_proof',
      'unresolved_reason',
      'contact_record',
      'check_in',
    ]);
  });

  it('accepts a close without contact when the reason is recorded', () => {
    const close = { ...payloads.close([sha(1)]), contact: { contacted: false, note: '群众电话无人接听，已留言' } };
    expect(closeGaps(withPhoto(), close)).toEqual([]);
  });
});
