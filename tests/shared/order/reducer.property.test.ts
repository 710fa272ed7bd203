import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveOrder, orderEvents } from '#shared/order/reducer.ts';
import { EVENT_RULES } from '#shared/order/rules.ts';
import { isResultStatus } from '#shared/order/status.ts';
import { DAY, T0, intake } from '../support/builders.ts';
import { historyArb } from '../support/simulation.ts';

const order = intake();

/** Every event written by every peer in one random history. */
const histories = historyArb(order, 150);

const NOW = T0 + 3 * DAY;

function shuffle<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % keys.length]! * 1000 + i }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

describe('deriveOrder properties', () => {
  it('gives the same view for every arrival order of the same events', () => {
    fc.assert(
      fc.property(histories, fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (events, keys) => {
        expect(deriveOrder(order, shuffle(events, keys), NOW)).toEqual(deriveOrder(order, events, NOW));
      }),
      { numRuns: 200 },
    );
  });

  it('never loses an event from the timeline', () => {
    fc.assert(
      fc.property(histories, (events) => {
        const view = deriveOrder(order, events, NOW);
        expect(view.timeline.map((t) => t.event.id).sort()).toEqual(events.map((e) => e.id).sort());
        expect(view.timeline.map((t) => t.event)).toEqual(orderEvents(events));
      }),
      { numRuns: 200 },
    );
  });

  it('gives a result to every closed order and archives only closed ones', () => {
    fc.assert(
      fc.property(histories, (events) => {
        const view = deriveOrder(order, events, NOW);
        if (isResultStatus(view.status)) expect(view.result).not.toBeNull();
        else expect(view.result).toBeNull();
        if (view.status === 'archived') {
          expect(view.timeline.some((t) => t.applied && t.event.type === 'close')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists exactly the events that changed nothing as conflicts', () => {
    fc.assert(
      fc.property(histories, (events) => {
        const view = deriveOrder(order, events, NOW);
        const notApplied = view.timeline.filter((t) => !t.applied).map((t) => t.event.id);
        expect(view.conflicts.map((c) => c.eventId)).toEqual(notApplied);
        for (const conflict of view.conflicts) {
          const event = events.find((e) => e.id === conflict.eventId)!;
          const roleAllowed = EVENT_RULES[event.type].roles.includes(event.role);
          expect(conflict.reason.code === 'role_not_allowed').toBe(!roleAllowed);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('derives the same state from the applied events alone: conflicts are inert', () => {
    fc.assert(
      fc.property(histories, (events) => {
        const view = deriveOrder(order, events, NOW);
        const conflictIds = new Set(view.conflicts.map((c) => c.eventId));
        // conflict_resolve events refer to conflicts, so drop them too when checking the lifecycle.
        const kept = events.filter((e) => !conflictIds.has(e.id) && e.type !== 'conflict_resolve');
        const clean = deriveOrder(order, kept, NOW);
        expect(clean.conflicts).toEqual([]);
        const { timeline: _t, conflicts: _c, lastHlc: _l, ...state } = view;
        const { timeline: _t2, conflicts: _c2, lastHlc: _l2, ...cleanState } = clean;
        expect(cleanState).toEqual(state);
      }),
      { numRuns: 300 },
    );
  });

  it('reaches every status through generated histories', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(histories, (events) => {
        reached.add(deriveOrder(order, events, NOW).status);
      }),
      { numRuns: 400, seed: 42 },
    );
    // Guards the generator itself: a generator stuck at dispatch would make the properties above vacuous.
    expect([...reached].sort()).toEqual(
      expect.arrayContaining(['dispatched', 'in_progress', 'closed', 'reviewed', 'replied', 'called_back', 'archived', 'returned']),
    );
  });
});
