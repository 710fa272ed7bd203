/**
 * Deadlines, the reducer and the projection asked about many moments —
 * year, month and day ends in China, weekends, the 春节 holiday — in time
 * zones far from China: every answer follows China's calendar and is the same
 * in every zone.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, cstDate, deadlineFor, isWorkingDay, DEFAULT_POLICY, type DeadlinePolicy } from '#shared/order/deadline.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { compareForInbox, summarizeOrder } from '#shared/order/summary.ts';
import { inboxRows, projectOrder } from '#shared/local/projection.ts';
import type { OrderType } from '#shared/order/intake.ts';
import { History, intake, payloads, sha, users } from '../support/builders.ts';
import { SPRING_FESTIVAL_POLICY, cst, inEachTimeZone, inTimeZone, sweepInstants } from '../support/instants.ts';
import { openTestDb } from '../local/helpers.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const POLICIES: readonly [string, DeadlinePolicy][] = [
  ['the default policy', DEFAULT_POLICY],
  ['the 春节 policy', SPRING_FESTIVAL_POLICY],
];
const TYPES: readonly OrderType[] = ['enquiry', 'help', 'complaint'];

/** The CST calendar day of `time`, worked out without Date's local-time methods. */
function cstDay(time: number): { date: string; weekday: number; start: number } {
  const start = Math.floor((time + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
  const days = Math.floor((time + 8 * HOUR) / DAY);
  // 1970-01-01 was a Thursday (4).
  return { date: new Date(start + 8 * HOUR).toISOString().slice(0, 10), weekday: (((days + 4) % 7) + 7) % 7, start };
}

function workingDaysBetween(from: number, until: number, policy: DeadlinePolicy): number {
  let count = 0;
  for (let day = cstDay(from).start + DAY; day <= until; day += DAY) if (isWorkingDay(day, policy)) count += 1;
  return count;
}

describe('deadlines at every instant, in every time zone', () => {
  const instants = sweepInstants();

  it('reads the CST calendar day and weekday, not the machine’s', () => {
    for (const { name, at } of instants) {
      const expected = cstDay(at);
      const weekend = expected.weekday === 0 || expected.weekday === 6;
      for (const [zone, date, working] of inEachTimeZone((zone) => [zone, cstDate(at), isWorkingDay(at, DEFAULT_POLICY)] as const)) {
        expect(date, `${name} in ${zone}`).toBe(expected.date);
        expect(working, `${name} in ${zone}`).toBe(!weekend);
      }
    }
  });

  it('ends every deadline at the end of a working day, the policy’s number of working days later', () => {
    for (const [policyName, policy] of POLICIES) {
      for (const { name, at } of instants) {
        for (const type of TYPES) {
          const results = inEachTimeZone(() => deadlineFor(at, type, '市政', policy));
          const deadline = results[0]!;
          expect(new Set(results).size, `${name}, ${type}, ${policyName}: same in every zone`).toBe(1);
          const label = `${name}, ${type}, ${policyName}`;
          expect(cstDay(deadline + 1).start, `${label}: ends at midnight CST`).toBe(deadline + 1);
          expect(isWorkingDay(deadline, policy), `${label}: on a working day`).toBe(true);
          expect(workingDaysBetween(at, deadline, policy), label).toBe(policy.workingDays[type]);
        }
      }
    }
  });

  it('pins the calendar on hand-counted cases', () => {
    const endOf = (y: number, m: number, d: number) => cst(y, m, d + 1) - 1;
    // 23:59 on New Year's Eve: 1 working day is Friday 1 January (the default policy has no holidays).
    expect(deadlineFor(cst(2026, 12, 31, 23, 59), 'enquiry', '', DEFAULT_POLICY)).toBe(endOf(2027, 1, 1));
    // One minute later it is 1 January: the next working day is Monday the 4th.
    expect(deadlineFor(cst(2027, 1, 1, 0, 0), 'enquiry', '', DEFAULT_POLICY)).toBe(endOf(2027, 1, 4));
    // Received on the eve of 春节 (a holiday Friday): the week off is skipped, 12 February counts, the weekend does not.
    expect(deadlineFor(cst(2027, 2, 5, 20), 'help', '', SPRING_FESTIVAL_POLICY)).toBe(endOf(2027, 2, 18));
    // The 调休 Saturday is a working day; the Sunday after it is not.
    expect(deadlineFor(cst(2027, 2, 19, 17), 'enquiry', '', SPRING_FESTIVAL_POLICY)).toBe(endOf(2027, 2, 20));
    expect(deadlineFor(cst(2027, 2, 20, 17), 'enquiry', '', SPRING_FESTIVAL_POLICY)).toBe(endOf(2027, 2, 22));
    // Month end in China (still the 28th in UTC until 16:00 UTC): counting starts from 1 March.
    expect(deadlineFor(cst(2027, 2, 28, 23, 59, 59), 'enquiry', '', DEFAULT_POLICY)).toBe(endOf(2027, 3, 1));
    // Ten working days across a month end and two weekends.
    expect(addWorkingDays(cst(2027, 3, 25, 9), 10, DEFAULT_POLICY)).toBe(endOf(2027, 4, 8));
  });
});

/** Dispatched an hour after `at`, accepted 90 minutes later, closed a day later. */
function historyFrom(at: number): History {
  const h = new History();
  h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, at + HOUR);
  h.by(users.worker).do({ type: 'accept', payload: {} }, at + HOUR + 90 * 60 * 1000);
  h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, at + 3 * HOUR);
  h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, at + DAY);
  return h;
}

describe('the reducer and the projection at every instant, in every time zone', () => {
  const instants = sweepInstants(24);

  it('gives the same view in every zone: 签收 due two hours after dispatch, overdue exactly past the deadline', () => {
    for (const { name, at } of instants) {
      const order = intake({ receivedAt: at, deadline: deadlineFor(at, 'help', '市政') });
      const events = historyFrom(at).events;
      for (const offset of [0, HOUR + 1, 3 * HOUR, order.deadline - at, order.deadline - at + 1]) {
        const now = at + offset;
        const open = events.filter((e) => e.at <= now);
        const views = inEachTimeZone(() => JSON.stringify(deriveOrder(order, open, now)));
        expect(new Set(views).size, `${name} + ${offset} ms: same in every zone`).toBe(1);
        const view = deriveOrder(order, open, now);
        if (open.length > 0) expect(view.acceptDueAt, name).toBe(at + HOUR + 2 * HOUR);
        if (view.status === 'closed') {
          expect(view.overdue, name).toBe(false);
        } else {
          expect(view.overdue, `${name} + ${offset} ms`).toBe(now > order.deadline);
          expect(view.timeLeftMs, name).toBe(order.deadline - now);
        }
      }
    }
  });

  it('projects the same rows in the same inbox order in every zone', async () => {
    const orders = instants.map(({ at }, i) => {
      const order = intake({ id: `o-2612010000000${String(i).padStart(5, '0')}`, orderNo: `2612010000000${String(i).padStart(5, '0')}`, receivedAt: at, deadline: deadlineFor(at, 'help', '市政') });
      // Every third order is still only dispatched, so the open list has overdue and on-time orders in it.
      const events = historyFrom(at).events.slice(0, i % 3 === 0 ? 1 : 4);
      return { order, events };
    });
    const now = cst(2027, 3, 1, 12);
    const listings: string[] = [];
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati']) {
      const restore = inTimeZone(zone);
      const { db, close } = openTestDb();
      try {
        for (const { order, events } of orders) await projectOrder(db, order, deriveOrder(order, events, now), now);
        const rows = await inboxRows(db, 'all', now);
        listings.push(JSON.stringify(rows.map(({ id, status, deadline, tab }) => ({ id, status, deadline, tab }))));
        const summaries = orders.map(({ order, events }) => summarizeOrder(order, deriveOrder(order, events, now)));
        const sorted = [...summaries].sort((a, b) => compareForInbox(a, b, now)).map((s) => s.id);
        expect(rows.map((r) => r.id), zone).toEqual(sorted);
      } finally {
        await close();
        restore();
      }
    }
    expect(new Set(listings).size).toBe(1);
  });
});
