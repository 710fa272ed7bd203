import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveOrder, type OrderView } from '#shared/order/reducer.ts';
import { isFinalStatus } from '#shared/order/status.ts';
import { DEFAULT_WARNING_WINDOW_MS, QUEUES_OF_CLOSED_ORDERS, QUEUE_KEYS, compareForQueue, queueCounts, queueOf, warningWindowMsFor, type QueueKey, type QueueOptions } from '#shared/order/queues.ts';
import { summarizeOrder, OrderSummarySchema } from '#shared/order/summary.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import * as v from 'valibot';
import { DAY, HOUR, T0, Writer, intake, users } from '../support/builders.ts';
import { ArrayPeer, CAST, runSimulation, skewArb, stepArb } from '../support/simulation.ts';

const PEERS = CAST.length;

interface Generated {
  readonly intake: OrderIntake;
  readonly events: readonly OrderEvent[];
}

/** One order: its intake (deadline, source, 督办 at intake vary) and every event of a random history. */
const orderArb = (index: number): fc.Arbitrary<Generated> =>
  fc
    .record({
      steps: fc.array(stepArb(PEERS), { minLength: 0, maxLength: 120, size: 'max' }),
      toCommunity: fc.boolean(),
      skews: skewArb(PEERS),
      deadlineHours: fc.integer({ min: 1, max: 10 * 24 }),
      source: fc.constantFrom('hotline', 'portal_import', 'field_report'),
      supervision: fc.constantFrom('none', 'none', 'none', 'reminder', 'listed'),
    })
    .map(({ steps, skews, deadlineHours, source, supervision, toCommunity }) => {
      const no = String(250912101108115409n + BigInt(index));
      const order = intake({ id: `o-${no}`, orderNo: no, source, supervision, deadline: T0 + deadlineHours * HOUR, ...(source === 'field_report' ? { reportedBy: users.worker.id } : {}) });
      const peers = CAST.map((user) => new ArrayPeer(user));
      // The simulation dispatches to grids only: half the orders start sent to the community, for its handler's 待派单.
      if (toCommunity) {
        const first = new Writer(users.clerk, 7).write({ type: 'dispatch', payload: { unitId: users.community.unitId, unitKind: 'community' } }, T0);
        for (const peer of peers) peer.append(first);
      }
      runSimulation(order, peers, steps, skews);
      const all = new Map<string, OrderEvent>();
      for (const peer of peers) for (const event of peer.events()) all.set(event.id, event);
      return { intake: order, events: [...all.values()] };
    });

const ordersArb = fc.integer({ min: 0, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => orderArb(i))));

const optionsArb: fc.Arbitrary<QueueOptions> = fc.record({
  now: fc.integer({ min: T0, max: T0 + 12 * DAY }),
  warningWindowMs: fc.integer({ min: 0, max: 3 * DAY }),
  acceptWarningMs: fc.integer({ min: 0, max: 2 * HOUR }),
  viewer: fc.constantFrom(null, { role: users.clerk.role, unitId: users.clerk.unitId }, { role: users.community.role, unitId: users.community.unitId }, { role: users.community.role, unitId: 'd1-s1-c2' }),
});

const OPEN = new Set(['pending_dispatch', 'dispatched', 'returned', 'in_progress']);

/** Written from the derived view alone, as the office would count by hand. */
function bruteForce(key: QueueKey, view: OrderView, options: QueueOptions): boolean {
  const { now } = options;
  const open = OPEN.has(view.status);
  const acceptLate = view.status === 'dispatched' && view.acceptDueAt !== null && view.acceptDueAt < now;
  const late = open && (view.deadline < now || acceptLate);
  switch (key) {
    case 'dispatch':
      if (options.viewer?.role === 'community_handler') {
        return (view.status === 'dispatched' || view.status === 'in_progress') && view.target?.unitKind === 'community' && view.target.unitId === options.viewer.unitId;
      }
      return view.status === 'pending_dispatch' || view.status === 'returned';
    case 'review':
      return view.status === 'closed';
    case 'extension':
      return open && view.pendingExtension !== null;
    case 'reply':
      return view.status === 'reviewed';
    case 'callback':
      return view.status === 'replied';
    case 'overdue':
      return late || (open && view.supervision !== 'none');
    case 'warning': {
      if (!open || late || view.supervision !== 'none') return false;
      const nearDeadline = view.deadline - now <= (options.warningWindowMs ?? 0);
      const nearAccept = view.status === 'dispatched' && view.acceptDueAt !== null && view.acceptDueAt - now <= (options.acceptWarningMs ?? 0);
      return nearDeadline || nearAccept;
    }
    case 'conflicts':
      return view.conflicts.some((c) => c.resolvedBy === null);
  }
}

describe('desk queues', () => {
  it('count and hold exactly the orders a brute-force pass over the derived orders finds', () => {
    fc.assert(
      fc.property(ordersArb, optionsArb, (orders, options) => {
        const derived = orders.map((o) => ({ intake: o.intake, view: deriveOrder(o.intake, o.events, options.now) }));
        // As a device holds them: summaries read back from an index doc.
        const summaries = derived.map((d) => v.parse(OrderSummarySchema, JSON.parse(JSON.stringify(summarizeOrder(d.intake, d.view)))));
        const counts = queueCounts(summaries, options);
        for (const key of QUEUE_KEYS) {
          const expected = derived.filter((d) => bruteForce(key, d.view, options)).map((d) => d.intake.id);
          const queue = queueOf(key, summaries, options);
          expect(queue.map((s) => s.id).sort(), key).toEqual([...expected].sort());
          expect(counts[key], key).toBe(expected.length);
          for (let i = 1; i < queue.length; i += 1) expect(compareForQueue(key, queue[i - 1]!, queue[i]!, options.now)).toBeLessThan(0);
        }
        expect(queueOf('warning', summaries, options).filter((s) => queueOf('overdue', summaries, options).includes(s))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('holds a closed order not archived or merged (in 已办) only in the queues said to arrive after the open tabs (QUEUES_OF_CLOSED_ORDERS)', () => {
    fc.assert(
      fc.property(ordersArb, optionsArb, (orders, options) => {
        for (const o of orders) {
          const summary = summarizeOrder(o.intake, deriveOrder(o.intake, o.events, options.now));
          if (summary.tab !== 'done' || isFinalStatus(summary.status)) continue;
          for (const key of QUEUE_KEYS) if (queueOf(key, [summary], options).length > 0) expect(QUEUES_OF_CLOSED_ORDERS, key).toContain(key);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('puts late orders before the rest, then listed 督办 before none', () => {
    const base = summarizeOrder(intake(), deriveOrder(intake(), [], T0));
    const now = T0 + DAY;
    const late = { ...base, id: 'o-late', deadline: now - 1 };
    const listed = { ...base, id: 'o-listed', supervision: 'listed' as const, urgency: 3 };
    const soon = { ...base, id: 'o-soon', deadline: now + HOUR };
    expect(queueOf('overdue', [soon, listed, late], { now }).map((s) => s.id)).toEqual(['o-late', 'o-listed']);
    expect(queueOf('dispatch', [soon, listed, late], { now }).map((s) => s.id)).toEqual(['o-late', 'o-listed', 'o-soon']);
  });

  it("keeps a duplicate that follows its master out of the office's queues, but not out of 有冲突", () => {
    const base = summarizeOrder(intake(), deriveOrder(intake(), [], T0));
    // The index shows a merged duplicate with its master's status (followedSummary): here, still 待派单.
    const follower = { ...base, id: 'o-follower', mergedInto: '250912101108115499', conflictCount: 1 };
    const counts = queueCounts([base, follower], { now: T0 });
    expect(counts.dispatch).toBe(1);
    expect(queueOf('dispatch', [base, follower], { now: T0 }).map((s) => s.id)).toEqual([base.id]);
    expect(queueOf('conflicts', [base, follower], { now: T0 }).map((s) => s.id)).toEqual(['o-follower']);
  });

  it('reads summaries written before the queue fields existed', () => {
    const { returnReason: _r, extensionUntil: _u, extensionReason: _e, ...old } = summarizeOrder(intake(), deriveOrder(intake(), [], T0));
    const read = v.parse(OrderSummarySchema, old);
    expect(read.returnReason).toBeNull();
    expect(queueCounts([old], { now: T0 }).dispatch).toBe(1);
  });
});

describe('the office 预警 window', () => {
  const units = [
    { id: 'city', parentId: null },
    { id: 'd1', parentId: 'city', warningHours: 48 },
    { id: 'd1-s1', parentId: 'd1', warningHours: 12 },
    { id: 'd1-s1-c1', parentId: 'd1-s1' },
    { id: 'd1-s2', parentId: 'd1' },
    { id: 'd2', parentId: 'city' },
  ];

  it('is the nearest set on the unit or above it, else the default', () => {
    expect(warningWindowMsFor(units, 'd1-s1-c1')).toBe(12 * HOUR);
    expect(warningWindowMsFor(units, 'd1-s2')).toBe(48 * HOUR);
    expect(warningWindowMsFor(units, 'd2')).toBe(DEFAULT_WARNING_WINDOW_MS);
    expect(warningWindowMsFor([], 'd1-s1')).toBe(DEFAULT_WARNING_WINDOW_MS);
  });

  it('decides what is 预警', () => {
    const base = summarizeOrder(intake(), deriveOrder(intake(), [], T0));
    const now = base.deadline - 20 * HOUR;
    expect(queueCounts([base], { now, warningWindowMs: warningWindowMsFor(units, 'd1-s1') }).warning).toBe(0);
    expect(queueCounts([base], { now, warningWindowMs: warningWindowMsFor(units, 'd1-s2') }).warning).toBe(1);
  });
});
