import { describe, expect, it } from 'vitest';
import { followChain, followMaster, followedSummary } from '#shared/duplicates/follow.ts';
import { summarizeOrder } from '#shared/order/summary.ts';
import { deriveOrder, type OrderView } from '#shared/order/reducer.ts';
import { DAY, HOUR, History, T0, intake, payloads, sha, users } from '../support/builders.ts';

const master = intake(); // 250912101108115409, deadline T0 + 5 days
const duplicate = intake({
  id: 'o-250912111508115410',
  orderNo: '250912111508115410',
  receivedAt: T0 + HOUR,
  deadline: T0 + 2 * DAY,
  citizen: { name: '李女士', phone: '15903791122' },
  content: '中州路北海路路口西南角那个井盖缺了一块，晚上骑车差点掉进去。',
});

function merged(into = master.orderNo, note = '与该工单反映同一问题，并单处理。'): OrderView {
  const h = new History();
  h.by(users.clerk).do({ type: 'merge', payload: { intoOrderNo: into, note } }, T0 + 2 * HOUR);
  return deriveOrder(duplicate, h.events, T0 + 2 * HOUR);
}

/** The master's history up to its close, `closeAt` after T0. */
function masterClosed(closeAt: number): History {
  const h = new History();
  h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
  h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 30 * 60_000);
  h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + HOUR);
  h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + closeAt);
  return h;
}

describe('followMaster', () => {
  it('shows the master’s progress on the duplicate, on the duplicate’s own clock', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 30 * 60_000);
    const now = T0 + DAY;
    const followed = followMaster(merged(), deriveOrder(master, h.events, now), now);
    expect(followed).toEqual({
      ok: true,
      order: {
        orderId: duplicate.id,
        orderNo: duplicate.orderNo,
        master: { orderId: master.id, orderNo: master.orderNo },
        status: 'in_progress',
        result: null,
        resolution: null,
        publicReply: null,
        closedAt: null,
        masterRepliedAt: null,
        deadline: duplicate.deadline,
        timeLeftMs: DAY,
        overdue: false,
        mergedAt: T0 + 2 * HOUR,
        mergeNote: '与该工单反映同一问题，并单处理。',
      },
    });
    // Past the duplicate's deadline while the master is still open: the duplicate is late.
    const later = T0 + 3 * DAY;
    const late = followMaster(merged(), deriveOrder(master, h.events, later), later);
    expect(late.ok && late.order).toMatchObject({ status: 'in_progress', timeLeftMs: -DAY, overdue: true });
  });

  it('closes the duplicate with the master’s result and replies with the master’s reply', () => {
    const h = masterClosed(3 * HOUR);
    const now = T0 + DAY;
    const view = deriveOrder(master, h.events, now);
    const followed = followMaster(merged(), view, now);
    expect(followed.ok).toBe(true);
    if (!followed.ok) return;
    expect(followed.order).toMatchObject({
      status: 'closed',
      result: view.result,
      resolution: 'resolved',
      publicReply: payloads.close().publicReply,
      closedAt: T0 + 3 * HOUR,
      timeLeftMs: 2 * DAY - 3 * HOUR,
      overdue: false,
    });
    // The reply entered for the master and the archive carry over; the clock stays stopped at the close.
    h.by(users.clerk).do({ type: 'review_pass', payload: {} }, T0 + 4 * HOUR);
    h.by(users.clerk).do({ type: 'portal_reply', payload: {} }, T0 + 5 * HOUR);
    h.by(users.clerk).do({ type: 'archive', payload: {} }, T0 + 6 * HOUR);
    const archived = followMaster(merged(), deriveOrder(master, h.events, T0 + 30 * DAY), T0 + 30 * DAY);
    expect(archived.ok && archived.order).toMatchObject({ status: 'archived', masterRepliedAt: T0 + 5 * HOUR, timeLeftMs: 2 * DAY - 3 * HOUR, overdue: false });
  });

  it('is late when the master was closed after the duplicate’s deadline', () => {
    const view = deriveOrder(master, masterClosed(3 * DAY).events, T0 + 4 * DAY);
    const followed = followMaster(merged(), view, T0 + 4 * DAY);
    expect(followed.ok && followed.order).toMatchObject({ status: 'closed', closedAt: T0 + 3 * DAY, timeLeftMs: -DAY, overdue: true });
  });

  it('takes the result away again when the master is reopened', () => {
    const h = masterClosed(3 * HOUR);
    h.by(users.clerk).do({ type: 'reopen', payload: { reason: '回访不满意：井盖仍有松动。' } }, T0 + 5 * HOUR);
    const followed = followMaster(merged(), deriveOrder(master, h.events, T0 + DAY), T0 + DAY);
    expect(followed.ok && followed.order).toMatchObject({ status: 'in_progress', result: null, publicReply: null, closedAt: null });
  });

  it('refuses a duplicate that is not merged, or merged into another order', () => {
    const masterView = deriveOrder(master, [], T0 + DAY);
    expect(followMaster(deriveOrder(duplicate, [], T0 + DAY), masterView, T0 + DAY)).toEqual({ ok: false, reason: 'not_merged' });
    expect(followMaster(merged('250912999999000001'), masterView, T0 + DAY)).toEqual({ ok: false, reason: 'other_master' });
  });

  it('says where to go on when the master was itself merged', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'merge', payload: { intoOrderNo: '250913080000000007' } }, T0 + 3 * HOUR);
    const masterView = deriveOrder(master, h.events, T0 + DAY);
    expect(followMaster(merged(), masterView, T0 + DAY)).toEqual({ ok: false, reason: 'master_merged', next: '250913080000000007' });
  });
});

describe('followChain', () => {
  const last = intake({ id: 'o-250913080000000007', orderNo: '250913080000000007', receivedAt: T0 + 2 * HOUR, deadline: T0 + 5 * DAY });

  it('follows merged masters to the one that is handled', () => {
    const middle = new History();
    middle.by(users.clerk).do({ type: 'merge', payload: { intoOrderNo: last.orderNo } }, T0 + 3 * HOUR);
    const views = new Map<string, OrderView>([
      [master.orderNo, deriveOrder(master, middle.events, T0 + DAY)],
      [last.orderNo, deriveOrder(last, masterClosed(5 * HOUR).events, T0 + DAY)],
    ]);
    const followed = followChain(merged(), (orderNo) => views.get(orderNo), T0 + DAY);
    expect(followed.ok && followed.order).toMatchObject({
      orderNo: duplicate.orderNo,
      master: { orderNo: last.orderNo },
      status: 'closed',
      deadline: duplicate.deadline,
      mergedAt: T0 + 2 * HOUR,
    });
  });

  it('stops at an unknown order number and at a cycle', () => {
    expect(followChain(merged(), () => undefined, T0 + DAY)).toEqual({ ok: false, reason: 'master_unknown', orderNo: master.orderNo });
    const back = new History();
    back.by(users.clerk).do({ type: 'merge', payload: { intoOrderNo: duplicate.orderNo } }, T0 + 3 * HOUR);
    const masterView = deriveOrder(master, back.events, T0 + DAY);
    expect(followChain(merged(), (orderNo) => (orderNo === master.orderNo ? masterView : undefined), T0 + DAY)).toEqual({ ok: false, reason: 'cycle' });
    expect(followChain(deriveOrder(duplicate, [], T0), () => undefined, T0)).toEqual({ ok: false, reason: 'not_merged' });
  });
});

describe('followedSummary', () => {
  it('moves the duplicate\'s row with its master: 待派单, then 已办结 at the master\'s close, back when the master is reopened', () => {
    const own = summarizeOrder(duplicate, merged());
    expect(own).toMatchObject({ status: 'merged', mergedInto: master.orderNo, tab: 'other' });
    const lookup = (h: History, now: number) => (orderNo: string) => (orderNo === master.orderNo ? deriveOrder(master, h.events, now) : undefined);

    const open = new History();
    const pending = followedSummary(own, followChain(merged(), lookup(open, T0 + DAY), T0 + DAY));
    expect(pending).toMatchObject({ status: 'pending_dispatch', tab: 'other', closedAt: null, mergedInto: master.orderNo, deadline: duplicate.deadline });

    const h = masterClosed(3 * HOUR);
    const closed = followedSummary(own, followChain(merged(), lookup(h, T0 + DAY), T0 + DAY));
    expect(closed).toMatchObject({ status: 'closed', tab: 'done', closedAt: T0 + 3 * HOUR, urgency: 0, id: duplicate.id, orderNo: duplicate.orderNo });

    h.by(users.clerk).do({ type: 'review_reject', payload: { reason: '照片不清楚' } }, T0 + 4 * HOUR);
    const rejected = followedSummary(own, followChain(merged(), lookup(h, T0 + DAY), T0 + DAY));
    expect(rejected).toMatchObject({ status: 'in_progress', tab: 'doing', closedAt: null });
  });

  it('stays 已并单 when the master is unknown', () => {
    const own = summarizeOrder(duplicate, merged());
    expect(followedSummary(own, followChain(merged(), () => undefined, T0 + DAY))).toBe(own);
  });
});
