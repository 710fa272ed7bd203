import { describe, expect, it } from 'vitest';
import { compareNotifications, notificationsFor, wantsSystemNotification } from '#shared/notify/notifications.ts';
import { DAY, HOUR, History, T0, intake, payloads, sha, users } from '../support/builders.ts';

const order = intake();
const kinds = (user: (typeof users)[keyof typeof users], h: History, since?: number) =>
  notificationsFor(user, order, h.events, since === undefined ? {} : { since }).map((n) => n.kind);

describe('notificationsFor', () => {
  it('tells every member of the unit about a dispatch to the unit, and nobody else', () => {
    const h = new History();
    const dispatch = h.by(users.clerk).do({ type: 'dispatch', payload: { ...payloads.dispatchToGrid(), note: '请今天到场' } }, T0 + HOUR);
    expect(notificationsFor(users.worker, order, h.events)).toEqual([
      { id: dispatch.id, kind: 'dispatch', orderId: order.id, orderNo: order.orderNo, title: order.title, actor: users.clerk.id, at: T0 + HOUR, text: '请今天到场' },
    ]);
    expect(kinds(users.worker2, h)).toEqual(['dispatch']);
    expect(kinds(users.otherGridWorker, h)).toEqual([]);
    // The clerk wrote it: nothing for the clerk.
    expect(kinds(users.clerk, h)).toEqual([]);
  });

  it('tells only the person named when a dispatch names one', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: { ...payloads.dispatchToGrid(), assignee: users.worker2.id } }, T0 + HOUR);
    expect(kinds(users.worker2, h)).toEqual(['dispatch']);
    expect(kinds(users.worker, h)).toEqual([]);
  });

  it('tells the handler about 督办: the unit before 签收, the assignee after', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + HOUR);
    h.by(users.clerk).do({ type: 'supervise', payload: { level: 'reminder', note: '请尽快签收' } }, T0 + 2 * HOUR);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 3 * HOUR);
    const listed = h.by(users.clerk).do({ type: 'supervise', payload: { level: 'listed', note: '挂牌督办，今日办结' } }, T0 + 4 * HOUR);
    expect(kinds(users.worker, h)).toEqual(['dispatch', 'supervise', 'supervise']);
    expect(kinds(users.worker2, h)).toEqual(['dispatch', 'supervise']);
    expect(notificationsFor(users.worker, order, h.events).at(-1)).toMatchObject({ id: listed.id, level: 'listed', text: '挂牌督办，今日办结' });
  });

  it('tells the one who closed about 审核退回 and 回访不满意, and the requester about the extension decision', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + HOUR);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 2 * HOUR);
    const request = h.by(users.worker).do({ type: 'extension_request', payload: { reason: '需协调施工方', until: T0 + 8 * DAY } }, T0 + 3 * HOUR);
    h.by(users.clerk).do({ type: 'extension_approve', payload: { requestId: request.id } }, T0 + 4 * HOUR);
    const second = h.by(users.worker).do({ type: 'extension_request', payload: { reason: '材料未到', until: T0 + 9 * DAY } }, T0 + 5 * HOUR);
    h.by(users.clerk).do({ type: 'extension_refuse', payload: { requestId: second.id, reason: '不符合延期条件' } }, T0 + 6 * HOUR);
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + 7 * HOUR);
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 8 * HOUR);
    h.by(users.clerk).do({ type: 'review_reject', payload: { reason: '照片不清楚' } }, T0 + 9 * HOUR);
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 10 * HOUR);
    h.by(users.clerk).do({ type: 'portal_reply', payload: {} }, T0 + 11 * HOUR);
    h.by(users.clerk).do({ type: 'callback', payload: { satisfaction: 'unsatisfied', note: '井盖仍松动' } }, T0 + 12 * HOUR);
    expect(kinds(users.worker, h)).toEqual(['dispatch', 'extension_approved', 'extension_refused', 'review_reject', 'callback_unsatisfied']);
    // Another member of the grid was told of the dispatch only.
    expect(kinds(users.worker2, h)).toEqual(['dispatch']);
    expect(kinds(users.worker, h, T0 + 9 * HOUR)).toEqual(['review_reject', 'callback_unsatisfied']);
  });

  it('ignores events the reducer refused', () => {
    const h = new History();
    // 督办 before any dispatch targets nobody; a dispatch by a grid worker is a conflict.
    h.by(users.worker2).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + HOUR);
    expect(kinds(users.worker, h)).toEqual([]);
  });

  it('orders newest first and marks dispatch and 督办 for system notifications', () => {
    expect([{ at: 1, id: 'b' }, { at: 2, id: 'a' }, { at: 1, id: 'a' }].sort(compareNotifications)).toEqual([{ at: 2, id: 'a' }, { at: 1, id: 'a' }, { at: 1, id: 'b' }]);
    expect(wantsSystemNotification('dispatch')).toBe(true);
    expect(wantsSystemNotification('supervise')).toBe(true);
    expect(wantsSystemNotification('review_reject')).toBe(false);
  });
});
