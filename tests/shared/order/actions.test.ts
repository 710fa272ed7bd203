import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availableActions, canDo } from '#shared/order/actions.ts';
import { CLOSE_MISSING_ORDER, closeGaps, closeMissing } from '#shared/order/close-check.ts';
import type { ConflictReason } from '#shared/order/conflicts.ts';
import { deriveOrder, orderEvents, type OrderView } from '#shared/order/reducer.ts';
import { ClosePayloadSchema, EVENT_TYPES, type EventDraft, type EventType, type OrderEvent } from '#shared/order/events.ts';
import { validate } from '#shared/validation/result.ts';
import type { User } from '#shared/org/roles.ts';
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

  describe('agrees with the reducer, on random multi-device histories', () => {
    /** Every user of the simulation, and one role it never plays. */
    const ACTORS = [...CAST, users.admin];
    const NOW = T0 + 20 * DAY;
    // No shrinking: the message names the user, the action and the status, and shrinking these histories takes minutes.
    const RUNS = { numRuns: 150, seed: 20261102, endOnFailure: true };

    /**
     * Actions the walk below never takes (nor a re-dispatch of an order
     * someone holds): offered almost everywhere and changing nothing, ending
     * the order, or sending it back a step, so that the walk gets far in a few
     * steps and can end in the one state that refuses archiving (an
     * unsatisfied call-back). The histories take them often enough.
     */
    const NOT_WALKED: readonly EventType[] = ['phone_reveal', 'supervise', 'merge', 'return', 'review_reject', 'reopen'];

    /**
     * A view one device may hold: the first events, in clock order, of a
     * random multi-device history (which brings races and conflicts), then a
     * short walk of actions offered to someone, which reaches the passing
     * states (a pending extension, a call-back not yet archived) that the end
     * of a history rarely shows.
     */
    const views = fc
      .tuple(
        fc.array(stepArb(CAST.length), { maxLength: 150, size: 'max' }),
        skewArb(CAST.length),
        fc.nat(1000),
        fc.array(fc.nat(1000), { maxLength: 24, size: 'max' }),
      )
      .map(([steps, skews, cut, walk]) => {
        const peers = CAST.map((u) => new ArrayPeer(u));
        runSimulation(order, peers, steps, skews);
        const all = orderEvents(peers.flatMap((p) => p.events()));
        const events = all.slice(0, Math.round((cut / 1000) * all.length));
        const writers = ACTORS.map((user, i) => new Writer(user, 500 + i));
        for (const pick of walk) {
          const view = deriveOrder(order, events, NOW);
          const offers = ACTORS.map((user) => availableActions(view, user).filter((type) => !NOT_WALKED.includes(type) && (type !== 'dispatch' || view.target === null)));
          const types = [...new Set(offers.flat())];
          const type = types[pick % Math.max(types.length, 1)];
          const who = offers.findIndex((offered) => type !== undefined && offered.includes(type));
          if (type && who >= 0) events.push(writers[who]!.write(type === 'close' ? witness(type, view) : draftFor(type, view, pick), NOW, events));
        }
        return { events, view: deriveOrder(order, events, NOW) };
      });

    /**
     * The payload most likely to apply: the pending request, an open conflict,
     * only photos already added. If the reducer refuses this one, it refuses
     * every payload of the type on this view.
     */
    function witness(type: EventType, view: OrderView): EventDraft {
      if (type === 'close') return { type, payload: payloads.close(view.photos.map((p) => p.sha256)) };
      return draftFor(type, view, 1);
    }

    /** Why `type`, written by `user` on this view, would land as a conflict; null if it would apply. */
    function refusal(events: readonly OrderEvent[], user: User, writerSeed: number, type: EventType): ConflictReason | null {
      const event = new Writer(user, writerSeed).write(witness(type, deriveOrder(order, events, NOW)), NOW, events);
      const after = deriveOrder(order, [...events, event], NOW);
      expect(after.timeline.at(-1)?.event.id, 'the new event sorts after everything seen').toBe(event.id);
      return after.conflicts.find((c) => c.eventId === event.id)?.reason ?? null;
    }

    it('every offered action, stamped and applied by the reducer as that user, lands without a conflict', () => {
      const offeredSomewhere = new Set<EventType>();
      fc.assert(
        fc.property(views, ({ events, view }) => {
          ACTORS.forEach((user, i) => {
            for (const type of availableActions(view, user)) {
              offeredSomewhere.add(type);
              expect(refusal(events, user, 77 + i, type), `${user.id} offered ${type} at ${view.status}`).toBeNull();
            }
          });
        }),
        RUNS,
      );
      // Guards the generator: an action never offered would make this property vacuous for it.
      expect([...offeredSomewhere].sort()).toEqual([...EVENT_TYPES].sort());
    });

    it('every event type the reducer would apply for that user at that view is offered', () => {
      const appliedSomewhere = new Set<EventType>();
      const refusedFor = new Set<ConflictReason['code']>();
      fc.assert(
        fc.property(views, ({ events, view }) => {
          ACTORS.forEach((user, i) => {
            const offered = availableActions(view, user);
            for (const type of EVENT_TYPES) {
              const reason = refusal(events, user, 77 + i, type);
              if (reason) {
                refusedFor.add(reason.code);
                continue;
              }
              appliedSomewhere.add(type);
              expect(offered, `${user.id} could ${type} at ${view.status}`).toContain(type);
            }
          });
        }),
        RUNS,
      );
      // Guards the generator: every type applied somewhere, and every way the reducer can refuse
      // whatever the payload was met, so that availableActions had to say no for each of them.
      expect([...appliedSomewhere].sort()).toEqual([...EVENT_TYPES].sort());
      expect([...refusedFor].sort()).toEqual(
        ['callback_unsatisfied', 'extension_pending', 'no_pending_extension', 'not_handler', 'role_not_allowed', 'unknown_conflict', 'wrong_state'],
      );
    });
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

  it("lists them in the close form's order through closeMissing, photos after the texts", () => {
    const close = { ...payloads.close([sha(9)]), resolution: 'partly' as const, unresolvedReason: '', contact: { contacted: true, method: 'visit' as const } };
    const gaps = closeGaps(withPhoto(), close, { handlingPhoto: true, checkIn: true });
    expect(closeMissing(gaps, [])).toEqual(['unresolved_reason', 'contact_record', 'handling_photo', 'contact_proof', 'check_in']);
    expect(new Set(CLOSE_MISSING_ORDER).size).toBe(CLOSE_MISSING_ORDER.length);
  });

  it('accepts a close without contact when the reason is recorded', () => {
    const close = { ...payloads.close([sha(1)]), contact: { contacted: false, note: '群众电话无人接听，已留言' } };
    expect(closeGaps(withPhoto(), close)).toEqual([]);
  });
});

describe('closeMissing', () => {
  it("lists what an empty close form misses in the form's order, contact after 属实 and 解决, each once", () => {
    // The form as it opens (OrderCloseForm): contacted, the time set, nothing else; the order has no photo.
    const empty = { beyondRemit: false, unresolvedReason: '', contact: { contacted: true, at: T0 }, actions: '', publicReply: '', photos: { handling: [], contact: [], document: [] } };
    const checked = validate(ClosePayloadSchema, empty);
    const fields = checked.ok ? [] : checked.errors.map((error) => error.field);
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    const gaps = closeGaps(deriveOrder(order, h.events, T0 + 2 * HOUR), { ...empty, resolution: 'resolved' });
    expect(gaps).toEqual(['handling_photo', 'contact_record']);
    expect(closeMissing(gaps, fields)).toEqual(['founded', 'resolution', 'contact_record', 'actions', 'public_reply', 'handling_photo']);
  });

  it('reads the gaps and the fields saying the same as one line, and a field without words as other, last', () => {
    expect(closeMissing(['unresolved_reason', 'check_in'], ['photos.handling.0', 'contact.at', 'unresolvedReason', 'contact.note', 'contact.number'])).toEqual([
      'unresolved_reason',
      'contact_record',
      'contact_number',
      'check_in',
      'other',
    ]);
  });
});

