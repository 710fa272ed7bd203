import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeIndicators, type Indicators } from '#shared/indicators/indicators.ts';
import type { Count, Mean, Rate } from '#shared/indicators/measures.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { summarizeOrder } from '#shared/order/summary.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { ORDER_TYPES, SUPERVISION_LEVELS } from '#shared/order/intake.ts';
import { DAY, HOUR, T0, Writer, intake, users } from '../support/builders.ts';
import { ArrayPeer, CAST, runSimulation, skewArb, stepArb } from '../support/simulation.ts';
import { referenceIndicators, type RawOrder } from './reference.ts';

const PEERS = CAST.length;

/** One order: a random intake, a random multi-peer history, and receipts for some of its events. */
const orderArb = (index: number) =>
  fc
    .record({
      steps: fc.array(stepArb(PEERS), { minLength: 0, maxLength: 120, size: 'max' }),
      skews: skewArb(PEERS),
      receivedBefore: fc.integer({ min: 0, max: 4 * DAY }),
      deadlineAfter: fc.integer({ min: 0, max: 5 * DAY }),
      type: fc.constantFrom(...ORDER_TYPES),
      supervision: fc.constantFrom(...SUPERVISION_LEVELS, 'none', 'none'),
      field: fc.boolean(),
      extend: fc.boolean(),
      receiptDelays: fc.array(fc.option(fc.integer({ min: -HOUR, max: 2 * DAY })), { minLength: 1, maxLength: 20 }),
    })
    .map((g) => {
      const receivedAt = T0 - g.receivedBefore;
      const order = intake({
        id: `o-${index}`,
        orderNo: `ORDER-${index}`,
        type: g.type,
        receivedAt,
        deadline: receivedAt + g.deadlineAfter,
        supervision: g.supervision,
        ...(g.field ? { source: 'field_report' as const, channel: 'field' as const, reportedBy: users.worker.id } : {}),
      });
      const peers = CAST.map((user) => new ArrayPeer(user));
      runSimulation(order, peers, g.steps, g.skews);
      const all = new Map<string, OrderEvent>();
      for (const peer of peers) for (const event of peer.events()) all.set(event.id, event);
      const events = [...all.values()];
      // Extensions need a handler's request and a clerk's approval in turn, which random steps seldom give: add them.
      const after = T0 + 2 * DAY;
      const view = deriveOrder(order, events, after);
      const handler = CAST.find((u) => u.id === view.assignee);
      if (g.extend && handler && view.status === 'in_progress' && !view.pendingExtension) {
        const request = new Writer(handler, 77).write({ type: 'extension_request', payload: { reason: '需协调', until: view.deadline + 2 * DAY } }, after, events);
        events.push(request);
        events.push(new Writer(users.clerk, 78).write({ type: 'extension_approve', payload: { requestId: request.id } }, after + HOUR, events));
      }
      const receipts = new Map<string, number>();
      events.forEach((e, i) => {
        const delay = g.receiptDelays[i % g.receiptDelays.length];
        if (delay !== null && delay !== undefined) receipts.set(e.id, e.at + delay);
      });
      return { intake: order, events, receipts };
    });

const worldArb = fc
  .integer({ min: 1, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => orderArb(i))))
  .chain((orders) =>
    fc.record({
      orders: fc.constant(orders),
      from: fc.integer({ min: T0 - 5 * DAY, max: T0 + 2 * DAY }),
      length: fc.integer({ min: HOUR, max: 8 * DAY }),
      now: fc.integer({ min: T0 - DAY, max: T0 + 6 * DAY }),
    }),
  );

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

function expectRate(actual: Rate, expected: { num: string[]; den: string[] }, name: string): void {
  expect(sorted(actual.ids), `${name} numerator`).toEqual(expected.num);
  expect(sorted(actual.baseIds), `${name} denominator`).toEqual(expected.den);
  expect(actual.rate, name).toBe(expected.den.length === 0 ? null : expected.num.length / expected.den.length);
}

function expectMean(actual: Mean, expected: number | null, name: string): void {
  if (expected === null) expect(actual.value, name).toBeNull();
  else expect(actual.value, name).toBeCloseTo(expected, 9);
}

function expectCount(actual: Count, expected: string[], name: string): void {
  expect(sorted(actual.ids), name).toEqual(expected);
  expect(actual.value, name).toBe(expected.length);
}

describe('indicators against a brute-force reference from raw events', () => {
  it('agree on every indicator over random histories, periods and present times', () => {
    fc.assert(
      fc.property(worldArb, ({ orders, from, length, now }) => {
        const to = from + length;
        const raws: RawOrder[] = [];
        const rows = orders.map((o) => {
          const view = deriveOrder(o.intake, o.events, now, { receivedAt: (id) => o.receipts.get(id) });
          raws.push({ intake: o.intake, applied: view.timeline.filter((t) => t.applied).map((t) => t.event), receipts: o.receipts });
          return summarizeOrder(o.intake, view);
        });
        const got: Indicators = computeIndicators(rows, { from, to }, now);
        const ref = referenceIndicators(raws, from, to, now);
        expectCount(got.received, ref.received, '受理量');
        expectCount(got.closed, ref.closed, '办结量');
        expectRate(got.closeRate, ref.closeRate, '办结率');
        expectRate(got.onTimeRate, ref.onTimeRate, '按期办结率');
        expectRate(got.acceptOnTimeRate, ref.acceptOnTimeRate, '签收及时率');
        expectCount(got.overdue, ref.overdue, '超期件数');
        expectCount(got.overdueOpen, ref.overdueOpen, '当前超期');
        expectMean(got.durationDays, ref.durationDays, '平均办理时长(自然日)');
        expectMean(got.durationWorkingDays, ref.durationWorkingDays, '平均办理时长(工作日)');
        expectRate(got.callbackRate, ref.callbackRate, '回访率');
        expectRate(got.satisfactionRate, ref.satisfactionRate, '回访满意率');
        expectRate(got.reopenRate, ref.reopenRate, '重办率');
        expectRate(got.returnRate, ref.returnRate, '退单率');
        expect(got.redispatches.value, '改派次数').toBe(ref.redispatches);
        expectCount(got.supervised, ref.supervised, '督办件数');
        expectMean(got.supervisionResponseHours, ref.supervisionResponseHours, '督办响应时长');
        expectRate(got.checkInRate, ref.checkInRate, '现场核实率');
        expectRate(got.photoRate, ref.photoRate, '照片取证率');
        expectCount(got.fieldReports, ref.fieldReports, '事件上报量');
        expectCount(got.selfHandled, ref.selfHandled, '自行处置量');
      }),
      { numRuns: 150 },
    );
  });

  it('generates the histories the definitions are about', () => {
    // Guards the generator, on a fixed seed: a generator that never merged or reopened would make the property vacuous.
    const seen = new Set<string>();
    fc.assert(
      fc.property(worldArb, ({ orders, now }) => {
        for (const o of orders) for (const t of deriveOrder(o.intake, o.events, now).timeline) seen.add(t.applied ? t.event.type : 'conflict');
      }),
      { numRuns: 150, seed: 42 },
    );
    expect([...seen]).toEqual(
      expect.arrayContaining(['conflict', 'reopen', 'review_reject', 'merge', 'extension_approve', 'return', 'callback', 'supervise', 'check_in', 'close']),
    );
  });
});
