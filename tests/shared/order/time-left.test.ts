/** What a card says about time; a returned order counts nothing down. */
import { describe, expect, it } from 'vitest';
import { timeLeftOf } from '#shared/order/time-left.ts';

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
