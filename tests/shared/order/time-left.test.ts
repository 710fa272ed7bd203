/** What a card says about time; a returned order counts nothing down. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STATUSES, isOpenStatus } from '#shared/order/status.ts';
import { nextTimeLeftChange, timeLeftOf, type Timing } from '#shared/order/time-left.ts';

const NOW = Date.UTC(2026, 11, 5, 2);
const DAY = 24 * 60 * 60 * 1000;

describe('timeLeftOf', () => {
  it('counts down an order being worked on', () => {
    expect(timeLeftOf({ status: 'in_progress', deadline: NOW + 3 * DAY, acceptDueAt: null, closedAt: null }, NOW)).toEqual({ kind: 'left', ms: 3 * DAY, urgency: 'normal' });
  });

  it('shows no countdown for a returned order, only that it is overdue when it is', () => {
    expect(timeLeftOf({ status: 'returned', deadline: NOW + 3 * DAY, acceptDueAt: null, closedAt: null }, NOW)).toBeNull();
    expect(timeLeftOf({ status: 'returned', deadline: NOW - DAY, acceptDueAt: null, closedAt: null }, NOW)?.kind).toBe('overdue');
  });

  it('says on time or late once closed, nothing once merged', () => {
    expect(timeLeftOf({ status: 'closed', deadline: NOW, acceptDueAt: null, closedAt: NOW - 1 }, NOW)?.kind).toBe('closed_on_time');
    expect(timeLeftOf({ status: 'closed', deadline: NOW, acceptDueAt: null, closedAt: NOW + DAY }, NOW)).toEqual({ kind: 'closed_late', ms: DAY, urgency: 'overdue' });
    expect(timeLeftOf({ status: 'merged', deadline: NOW, acceptDueAt: null, closedAt: null }, NOW)).toBeNull();
  });

  it('counts 签收 time while dispatched', () => {
    expect(timeLeftOf({ status: 'dispatched', deadline: NOW + DAY, acceptDueAt: NOW + 10 * 60_000, closedAt: null }, NOW)?.urgency).toBe('soon');
  });
});

describe('nextTimeLeftChange', () => {
  const timing = fc.record({
    status: fc.constantFrom(...STATUSES),
    deadline: fc.integer({ min: NOW - 3 * DAY, max: NOW + 3 * DAY }),
    acceptDueAt: fc.option(fc.integer({ min: NOW - DAY, max: NOW + DAY })),
    closedAt: fc.option(fc.integer({ min: NOW - 3 * DAY, max: NOW + 3 * DAY })),
  });
  /** What a drawn card shows that is not the number: its words' kind, its colour, and whether the inbox counts it late. */
  const drawn = (o: Timing, at: number) => {
    const facts = timeLeftOf(o, at);
    return [facts?.kind ?? null, facts?.urgency ?? null, isOpenStatus(o.status) && o.deadline < at];
  };

  it('names an instant before which the card is drawn the same, and at which it changes', () => {
    fc.assert(
      fc.property(timing, fc.integer({ min: NOW - 4 * DAY, max: NOW + 4 * DAY }), fc.double({ min: 0, max: 1, noNaN: true }), (o, now, fraction) => {
        const next = nextTimeLeftChange(o, now);
        const until = next ?? now + 10 * DAY;
        expect(until).toBeGreaterThan(now);
        const between = now + Math.floor((until - 1 - now) * fraction);
        expect(drawn(o, between)).toEqual(drawn(o, now));
        expect(drawn(o, until - 1)).toEqual(drawn(o, now));
        if (next !== null && isOpenStatus(o.status)) expect(drawn(o, next)).not.toEqual(drawn(o, next - 1));
      }),
    );
  });

  it('is one millisecond after the deadline for an order being worked on a day ahead of it', () => {
    expect(nextTimeLeftChange({ status: 'in_progress', deadline: NOW + 3 * DAY, acceptDueAt: null, closedAt: null }, NOW)).toBe(NOW + 2 * DAY + 1);
    expect(nextTimeLeftChange({ status: 'in_progress', deadline: NOW + 3 * DAY, acceptDueAt: null, closedAt: null }, NOW + 2 * DAY + 1)).toBe(NOW + 3 * DAY + 1);
    expect(nextTimeLeftChange({ status: 'closed', deadline: NOW, acceptDueAt: null, closedAt: NOW - 1 }, NOW)).toBeNull();
  });
});
