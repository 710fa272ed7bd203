/** The definitions of docs/INDICATORS.md, pinned on hand-written orders. */
import { describe, expect, it } from 'vitest';
import { computeIndicators } from '#shared/indicators/indicators.ts';
import { monthPeriod, parseMonth, periodOf, previousPeriod } from '#shared/indicators/period.ts';
import { indicatorRow } from '#shared/indicators/row.ts';
import { workingDaysBetween } from '#shared/order/deadline.ts';
import type { OrderIntakeInput } from '#shared/order/intake.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { summarizeOrder, type OrderSummary } from '#shared/order/summary.ts';
import { DAY, HOUR, History, T0, intake, payloads, sha, users } from '../support/builders.ts';

const WEEK = periodOf('week', T0); // Monday 2 November 2026, CST
const NOW = T0 + 20 * DAY;

let serial = 0;

function summary(h: History, overrides: Partial<OrderIntakeInput> = {}, receipts: ReadonlyMap<string, number> = new Map()): OrderSummary {
  const order = intake({ id: `o-table-${(serial += 1)}`, ...overrides });
  return summarizeOrder(order, deriveOrder(order, h.events, NOW, { receivedAt: (id) => receipts.get(id) }));
}

/** Dispatched 10 min after intake, accepted at +1 h, checked in and photographed, closed at `closeAt`. */
function handled(closeAt: number, options: { checkIn?: boolean; accept?: number } = {}): History {
  const h = new History();
  h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
  h.by(users.worker).do({ type: 'accept', payload: {} }, options.accept ?? T0 + HOUR);
  if (options.checkIn !== false) h.by(users.worker).do({ type: 'check_in', payload: { location: { kind: 'none', reason: 'indoors' } } }, T0 + 2 * HOUR);
  h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + 2 * HOUR);
  h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, closeAt);
  return h;
}

function repliedAndCalledBack(h: History, at: number, satisfaction: 'satisfied' | 'basic' | 'unsatisfied'): void {
  h.by(users.clerk).do({ type: 'portal_reply', payload: {} }, at - HOUR);
  h.by(users.clerk).do({ type: 'callback', payload: { satisfaction } }, at);
}

describe('indicators on hand-written orders', () => {
  it('counts a plain order handled on time in every rate', () => {
    const row = summary(handled(T0 + DAY));
    const ind = computeIndicators([row], WEEK, NOW);
    expect(ind.received.value).toBe(1);
    expect(ind.closed.value).toBe(1);
    expect(ind.closeRate.rate).toBe(1);
    expect(ind.onTimeRate.rate).toBe(1);
    expect(ind.acceptOnTimeRate.rate).toBe(1);
    expect(ind.checkInRate.rate).toBe(1);
    expect(ind.photoRate.rate).toBe(1);
    expect(ind.overdue.value).toBe(0);
    expect(ind.durationDays.value).toBe(1);
    expect(ind.durationWorkingDays.value).toBe(1);
    expect(ind.callbackRate.rate).toBe(0);
    expect(ind.satisfactionRate.rate).toBeNull();
  });

  it('measures working days without the weekend: Friday 17:00 to Monday 09:00 is two thirds of a day', () => {
    const friday = T0 + 4 * DAY + 7.5 * HOUR; // Friday 17:00 CST
    expect(workingDaysBetween(friday, friday + 2 * DAY + 16 * HOUR)).toBeCloseTo(16 / 24, 9);
  });

  it('counts a close written offline on time but received after the deadline as late and overdue', () => {
    const deadline = T0 + 2 * DAY;
    const h = handled(deadline - HOUR);
    const close = h.events.at(-1)!;
    const row = summary(h, { deadline }, new Map([[close.id, deadline + HOUR]]));
    const ind = computeIndicators([row], WEEK, NOW);
    expect(row.closedAt).toBe(deadline + HOUR);
    expect(ind.onTimeRate.rate).toBe(0);
    expect(ind.overdue.ids).toEqual([row.id]);
  });

  it('counts a close after the first deadline but before the approved extension as on time', () => {
    const deadline = T0 + 2 * DAY;
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    const request = h.by(users.worker).do({ type: 'extension_request', payload: { reason: '需协调', until: deadline + 2 * DAY } }, T0 + DAY);
    h.by(users.clerk).do({ type: 'extension_approve', payload: { requestId: request.id } }, T0 + DAY + HOUR);
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + 2 * DAY);
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, deadline + DAY);
    const row = summary(h, { deadline });
    const ind = computeIndicators([row], WEEK, NOW);
    expect(ind.onTimeRate.rate).toBe(1);
    expect(ind.overdue.value).toBe(0);
    expect(ind.checkInRate.rate).toBe(0);
  });

  it('counts a reopened order once, at its last close, and keeps the unsatisfied call-back that reopened it', () => {
    const h = handled(T0 + DAY);
    repliedAndCalledBack(h, T0 + 2 * DAY, 'unsatisfied');
    h.by(users.clerk).do({ type: 'reopen', payload: { reason: '群众不满意' } }, T0 + 2 * DAY + HOUR);
    const row = summary(h);
    let ind = computeIndicators([row], WEEK, NOW);
    expect(ind.closed.value).toBe(0); // open again
    expect(ind.satisfactionRate).toMatchObject({ numerator: 0, denominator: 1 });
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 3 * DAY);
    ind = computeIndicators([summary(h)], WEEK, NOW);
    expect(ind.closed.value).toBe(1);
    expect(ind.reopenRate.rate).toBe(1);
    expect(ind.callbackRate.rate).toBe(0); // the new close has not been called back
    expect(ind.durationDays.value).toBe(3);
  });

  it('counts 满意 and 基本满意 as satisfied', () => {
    const a = handled(T0 + DAY);
    repliedAndCalledBack(a, T0 + 2 * DAY, 'satisfied');
    const b = handled(T0 + DAY);
    repliedAndCalledBack(b, T0 + 2 * DAY, 'basic');
    const c = handled(T0 + DAY);
    repliedAndCalledBack(c, T0 + 2 * DAY, 'unsatisfied');
    const ind = computeIndicators([summary(a), summary(b), summary(c)], WEEK, NOW);
    expect(ind.satisfactionRate).toMatchObject({ numerator: 2, denominator: 3 });
    expect(ind.callbackRate.rate).toBe(1);
  });

  it('leaves a merged order out of every count', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'merge', payload: { intoOrderNo: '250912101108115400' } }, T0 + HOUR);
    const ind = computeIndicators([summary(h, { deadline: T0 + HOUR })], WEEK, NOW);
    expect(ind.received.value).toBe(0);
    expect(ind.overdue.value).toBe(0);
    expect(ind.overdueOpen.value).toBe(0);
  });

  it('counts returns, re-dispatches and late 签收', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
    h.by(users.worker).do({ type: 'return', payload: { code: 'wrong_jurisdiction', reason: '不属于本网格' } }, T0 + HOUR);
    h.by(users.clerk).do({ type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, T0 + 2 * HOUR);
    h.by(users.otherGridWorker).do({ type: 'accept', payload: {} }, T0 + 5 * HOUR); // due at +4 h
    const ind = computeIndicators([summary(h)], WEEK, NOW);
    expect(ind.returnRate.rate).toBe(1);
    expect(ind.redispatches.value).toBe(1);
    expect(ind.acceptOnTimeRate).toMatchObject({ numerator: 0, denominator: 1 });
  });

  it('counts an open order past its deadline as overdue in the period of the deadline, and now', () => {
    const deadline = T0 + 3 * DAY;
    const row = summary(new History(), { deadline });
    expect(computeIndicators([row], WEEK, NOW).overdue.value).toBe(1);
    expect(computeIndicators([row], WEEK, NOW).overdueOpen.value).toBe(1);
    expect(computeIndicators([row], previousPeriod(WEEK, 'week'), NOW).overdue.value).toBe(0);
    // Not yet overdue before the deadline.
    expect(computeIndicators([row], WEEK, deadline - 1).overdue.value).toBe(0);
  });

  it('times the response to 督办 from the first 督办 to the handler’s next action', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
    h.by(users.supervisor).do({ type: 'supervise', payload: { level: 'warning', note: '请尽快办理' } }, T0 + HOUR);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 4 * HOUR);
    const ind = computeIndicators([summary(h)], WEEK, NOW);
    expect(ind.supervised.value).toBe(1);
    expect(ind.supervisionResponseHours.value).toBe(3);
  });

  it('counts field reports, and of them those the worker settled on the spot (自行处置)', () => {
    const report = { source: 'field_report', channel: 'field', reportedBy: users.worker.id } as const;
    const ind = computeIndicators([summary(new History(), report), summary(new History(), { ...report, selfHandled: true })], WEEK, NOW);
    expect(ind.fieldReports.value).toBe(2);
    expect(ind.selfHandled.value).toBe(1);
  });

  it('reads a summary stored before the indicator fields with their defaults', () => {
    const { dispatchCount: _d, selfHandled: _s, callback: _c, closeCalledBack: _cc, ...old } = summary(handled(T0 + DAY));
    const row = indicatorRow(old);
    expect(row).toMatchObject({ dispatchCount: 0, selfHandled: false, callback: null, closeCalledBack: false });
    expect(computeIndicators([row], WEEK, NOW).closed.value).toBe(1);
  });

  it('has CST calendar periods', () => {
    expect(parseMonth('2026-11')).toEqual(monthPeriod(2026, 11));
    expect(parseMonth('2026-13')).toBeNull();
    expect(previousPeriod(monthPeriod(2026, 3), 'month')).toEqual(monthPeriod(2026, 2));
    expect(WEEK.to - WEEK.from).toBe(7 * DAY);
    expect(new Date(WEEK.from + 8 * HOUR).getUTCDay()).toBe(1);
  });
});
