import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, addWorkingDays, cstDate, deadlineFor, isWorkingDay, proposedExtensionUntil, workingDaysBetween } from '#shared/order/deadline.ts';

// 2026-11-06 is a Friday. 10:00 CST = 02:00 UTC.
const FRIDAY_10AM = Date.UTC(2026, 10, 6, 2);

describe('working-day deadlines', () => {
  it('reads the calendar day in China Standard Time', () => {
    expect(cstDate(Date.UTC(2026, 10, 6, 17))).toBe('2026-11-07'); // 01:00 CST on Saturday
  });

  it('skips the weekend', () => {
    const deadline = addWorkingDays(FRIDAY_10AM, 1, DEFAULT_POLICY);
    expect(cstDate(deadline)).toBe('2026-11-09');
    expect(deadline).toBe(Date.UTC(2026, 10, 9, 15, 59, 59, 999)); // 23:59:59.999 CST Monday
  });

  it('skips holidays and counts 调休 weekend working days', () => {
    const policy = { ...DEFAULT_POLICY, holidays: ['2026-11-09'], workingWeekends: ['2026-11-07'] };
    expect(isWorkingDay(Date.UTC(2026, 10, 7, 4), policy)).toBe(true);
    expect(cstDate(addWorkingDays(FRIDAY_10AM, 2, policy))).toBe('2026-11-10');
  });

  it('gives enquiries 1, help 5 and complaints 10 working days by default, with category overrides', () => {
    expect(cstDate(deadlineFor(FRIDAY_10AM, 'enquiry', '公共服务'))).toBe('2026-11-09');
    expect(cstDate(deadlineFor(FRIDAY_10AM, 'help', '市政'))).toBe('2026-11-13');
    expect(cstDate(deadlineFor(FRIDAY_10AM, 'complaint', '噪声污染'))).toBe('2026-11-20');
    const policy = { ...DEFAULT_POLICY, categoryWorkingDays: { 营商环境: 3 } };
    expect(cstDate(deadlineFor(FRIDAY_10AM, 'complaint', '营商环境', policy))).toBe('2026-11-11');
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => addWorkingDays(FRIDAY_10AM, -1, DEFAULT_POLICY)).toThrow(/whole number/);
    expect(() => addWorkingDays(FRIDAY_10AM, 1.5, DEFAULT_POLICY)).toThrow(/whole number/);
  });
});

describe('the date 申请延期 proposes', () => {
  it('is a working day, counted in working days from the deadline (never a Saturday)', () => {
    // Deadline Wednesday 2026-11-04 23:59:59.999 CST: three calendar days would be Saturday.
    const deadline = Date.UTC(2026, 10, 4, 15, 59, 59, 999);
    const until = proposedExtensionUntil(deadline);
    expect(cstDate(until)).toBe('2026-11-09');
    expect(isWorkingDay(until, DEFAULT_POLICY)).toBe(true);
  });

  it('skips holidays of the policy', () => {
    const policy = { ...DEFAULT_POLICY, holidays: ['2026-11-09', '2026-11-10'] };
    expect(cstDate(proposedExtensionUntil(Date.UTC(2026, 10, 4, 15, 59, 59, 999), policy))).toBe('2026-11-11');
  });

  it('counts working time by arithmetic as a walk over the calendar does, with or without holidays', () => {
    const HOUR = 3_600_000;
    // The reference: hour by hour (every boundary of a CST day is one of an hour), each hour's part asked of the calendar.
    const walk = (from: number, to: number, policy: typeof DEFAULT_POLICY): number => {
      let ms = 0;
      for (let t = from; t < to; ) {
        const next = Math.min(to, Math.floor(t / HOUR) * HOUR + HOUR);
        if (isWorkingDay(t, policy)) ms += next - t;
        t = next;
      }
      return ms / (24 * HOUR);
    };
    const holidays = { ...DEFAULT_POLICY, holidays: ['2026-11-09', '2026-10-01'], workingWeekends: ['2026-11-07'] };
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1969, 11, 20), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: -2 * HOUR, max: 40 * 24 * HOUR }),
        fc.boolean(),
        (from, length, special) => {
          const policy = special ? holidays : DEFAULT_POLICY;
          expect(workingDaysBetween(from, from + length, policy)).toBeCloseTo(length <= 0 ? 0 : walk(from, from + length, policy), 9);
        },
      ),
      { numRuns: 300 },
    );
  });
});
