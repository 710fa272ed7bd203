import { describe, expect, it } from 'vitest';
import { deriveOrder } from '#shared/order/reducer.ts';
import { describeConflict } from '#shared/order/conflicts.ts';
import { DAY, HOUR, History, T0, Writer, intake, payloads, sha, users } from '../support/builders.ts';

function fullDay(h: History) {
  h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
  h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 30 * 60_000);
  h.by(users.worker).do(
    { type: 'check_in', payload: { location: { kind: 'fix', position: { lat: 34.6, lng: 112.4, accuracy: 8 } } } },
    T0 + HOUR,
  );
  h.by(users.worker).do({ type: 'progress', payload: { text: '已通知区城管局' } }, T0 + HOUR + 60_000);
  h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + HOUR + 120_000);
  return h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 3 * HOUR);
}

describe('deriveOrder', () => {
  it('starts awaiting dispatch with the intake deadline', () => {
    const view = deriveOrder(intake(), [], T0 + HOUR);
    expect(view.status).toBe('pending_dispatch');
    expect(view.deadline).toBe(T0 + 5 * DAY);
    expect(view.timeLeftMs).toBe(5 * DAY - HOUR);
    expect(view.overdue).toBe(false);
    expect(view.conflicts).toEqual([]);
  });

  it('walks the whole lifecycle from dispatch to archive', () => {
    const h = new History();
    const close = fullDay(h);
    expect(deriveOrder(intake(), h.events, T0 + 4 * HOUR)).toMatchObject({
      status: 'closed',
      assignee: 'grid1',
      closedAt: close.at,
      resolution: 'resolved',
      photos: [expect.objectContaining({ sha256: sha(1) })],
      checkIns: [expect.objectContaining({ actor: 'grid1' })],
    });
    h.by(users.clerk).do({ type: 'review_pass', payload: {} }, T0 + 5 * HOUR);
    h.by(users.clerk).do({ type: 'portal_reply', payload: {} }, T0 + 6 * HOUR);
    h.by(users.clerk).do({ type: 'callback', payload: { satisfaction: 'satisfied' } }, T0 + DAY);
    h.by(users.clerk).do({ type: 'archive', payload: {} }, T0 + 2 * DAY);
    const view = deriveOrder(intake(), h.events, T0 + 3 * DAY);
    expect(view.status).toBe('archived');
    expect(view.result?.publicReply).toContain('已于当日修复');
    expect(view.callback?.satisfaction).toBe('satisfied');
    expect(view.conflicts).toEqual([]);
    expect(view.timeline).toHaveLength(h.events.length);
  });

  it('shows each photo under the kind the close filed it under, from then on', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 30 * 60_000);
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + HOUR);
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(2) }, T0 + HOUR + 60_000);
    expect(deriveOrder(intake(), h.events, T0 + 2 * HOUR).photos.map((p) => p.kind)).toEqual(['handling', 'handling']);
    h.by(users.worker).do({ type: 'close', payload: { ...payloads.close([sha(1)]), photos: { handling: [sha(1)], contact: [sha(2)], document: [] } } }, T0 + 3 * HOUR);
    expect(deriveOrder(intake(), h.events, T0 + 4 * HOUR).photos.map((p) => [p.sha256, p.kind])).toEqual([
      [sha(1), 'handling'],
      [sha(2), 'contact'],
    ]);
  });

  it("counts a clerk's reply to a closed order as its review: replied, no conflict; a review arriving after it is the conflict", () => {
    const h = new History();
    fullDay(h);
    const reply = h.by(users.clerk).do({ type: 'portal_reply', payload: { portal: 'demo-element-plus' } }, T0 + 4 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + 5 * HOUR);
    expect(view).toMatchObject({ status: 'replied', repliedAt: reply.at, conflicts: [] });
    expect(view.result?.publicReply).toContain('已于当日修复');
    // Someone's review, written elsewhere before it saw the reply, finds the order already replied.
    const late = h.by(users.clerk).do({ type: 'review_pass', payload: {} }, T0 + 5 * HOUR);
    expect(deriveOrder(intake(), h.events, T0 + 6 * HOUR).conflicts.map((c) => [c.eventId, c.reason.code])).toEqual([[late.id, 'wrong_state']]);
  });

  it('refuses a reply to an order whose result the review sent back', () => {
    const h = new History();
    fullDay(h);
    h.by(users.clerk).do({ type: 'review_reject', payload: { reason: '照片不清楚' } }, T0 + 4 * HOUR);
    const reply = h.by(users.clerk).do({ type: 'portal_reply', payload: {} }, T0 + 5 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + 6 * HOUR);
    expect(view.status).toBe('in_progress');
    expect(view.conflicts.map((c) => [c.eventId, c.reason.code])).toEqual([[reply.id, 'wrong_state']]);
  });

  it('times an open order against now and a closed one against its close', () => {
    const h = new History();
    fullDay(h);
    const closed = deriveOrder(intake(), h.events, T0 + 30 * DAY);
    expect(closed.overdue).toBe(false);
    expect(closed.timeLeftMs).toBe(5 * DAY - 3 * HOUR);
    const open = deriveOrder(intake(), h.events.slice(0, 2), T0 + 6 * DAY);
    expect(open.overdue).toBe(true);
    expect(open.timeLeftMs).toBe(-DAY);
  });

  it('keeps the second of two concurrent accepts as a conflict, never dropping it', () => {
    const clerk = new Writer(users.clerk, 1);
    const dispatch = clerk.write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    // Both workers saw only the dispatch: they were offline in the same grid.
    const a = new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch]);
    const b = new Writer(users.worker2, 3).write({ type: 'accept', payload: {} }, T0 + HOUR + 1, [dispatch]);
    const view = deriveOrder(intake(), [b, dispatch, a], T0 + 2 * HOUR);
    expect(view.assignee).toBe('grid1');
    expect(view.timeline.map((t) => t.event.id)).toEqual([dispatch.id, a.id, b.id]);
    expect(view.conflicts).toEqual([
      { eventId: b.id, type: 'accept', actor: 'grid2', reason: { code: 'wrong_state', status: 'in_progress' }, resolvedBy: null },
    ]);
    expect(describeConflict(view.conflicts[0]!.reason)).toBe('工单当时为「处理中」，不能进行此操作');
  });

  it('flags a close written after the order was reassigned elsewhere', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + 2 * HOUR);
    const before = [...h.events];
    h.by(users.clerk).do({ type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, T0 + 3 * HOUR);
    // The worker was offline and did not see the reassignment.
    const lateClose = new Writer(users.worker, 9).write({ type: 'close', payload: payloads.close() }, T0 + 4 * HOUR, [
      ...before,
      h.events[h.events.length - 1]!,
    ]);
    const view = deriveOrder(intake(), [...h.events, lateClose], T0 + 5 * HOUR);
    expect(view.status).toBe('dispatched');
    expect(view.target).toEqual({ unitId: 'd1-s1-c1-g2', unitKind: 'grid' });
    expect(view.conflicts.map((c) => [c.eventId, c.reason.code])).toEqual([[lateClose.id, 'wrong_state']]);
  });

  it('lets only a worker of the dispatched grid accept', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    const stranger = h.by(users.otherGridWorker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    const view = deriveOrder(intake(), h.events, T0 + HOUR);
    expect(view.status).toBe('dispatched');
    expect(view.conflicts[0]).toMatchObject({ eventId: stranger.id, reason: { code: 'not_handler', assignee: null } });
  });

  it('lets only the named assignee accept when dispatched to a person', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: { ...payloads.dispatchToGrid(), assignee: 'grid2' } }, T0);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    h.by(users.worker2).do({ type: 'accept', payload: {} }, T0 + 2 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + 2 * HOUR);
    expect(view.assignee).toBe('grid2');
    expect(view.conflicts.map((c) => c.reason.code)).toEqual(['not_handler']);
  });

  it('flags an event written by a role that may not write it', () => {
    const h = new History();
    h.by(users.worker).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    const view = deriveOrder(intake(), h.events, T0);
    expect(view.status).toBe('pending_dispatch');
    expect(view.conflicts[0]?.reason).toEqual({ code: 'role_not_allowed', role: 'grid_worker' });
  });

  it('moves the deadline only when an extension is approved', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    const request = h.by(users.worker).do(
      { type: 'extension_request', payload: { reason: '需协调产权单位', until: T0 + 10 * DAY } },
      T0 + DAY,
    );
    expect(deriveOrder(intake(), h.events, T0 + DAY).pendingExtension).toMatchObject({ eventId: request.id });
    const second = h.by(users.worker).do(
      { type: 'extension_request', payload: { reason: '再次申请', until: T0 + 12 * DAY } },
      T0 + DAY + HOUR,
    );
    h.by(users.clerk).do({ type: 'extension_approve', payload: { requestId: request.id } }, T0 + 2 * DAY);
    const view = deriveOrder(intake(), h.events, T0 + 6 * DAY);
    expect(view.deadline).toBe(T0 + 10 * DAY);
    expect(view.deadlineExtended).toBe(true);
    expect(view.overdue).toBe(false);
    expect(view.pendingExtension).toBeNull();
    expect(view.conflicts.map((c) => [c.eventId, c.reason.code])).toEqual([[second.id, 'extension_pending']]);
  });

  it('keeps the deadline when an extension is refused', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    const request = h.by(users.worker).do(
      { type: 'extension_request', payload: { reason: '需协调产权单位', until: T0 + 10 * DAY } },
      T0 + DAY,
    );
    h.by(users.clerk).do({ type: 'extension_refuse', payload: { requestId: request.id, reason: '可在期限内办结' } }, T0 + 2 * DAY);
    const view = deriveOrder(intake(), h.events, T0 + 2 * DAY);
    expect(view.deadline).toBe(T0 + 5 * DAY);
    expect(view.pendingExtension).toBeNull();
  });

  it('refuses a close that names a photo never added', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(7)]) }, T0 + 2 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + 2 * HOUR);
    expect(view.status).toBe('in_progress');
    expect(view.result).toBeNull();
    expect(view.conflicts[0]?.reason).toEqual({ code: 'unknown_photo', sha256: sha(7) });
  });

  it('reopens after an unsatisfied call-back and refuses to archive it', () => {
    const h = new History();
    fullDay(h);
    h.by(users.clerk).do({ type: 'review_pass', payload: {} }, T0 + 5 * HOUR);
    h.by(users.clerk).do({ type: 'portal_reply', payload: {} }, T0 + 6 * HOUR);
    h.by(users.clerk).do({ type: 'callback', payload: { satisfaction: 'unsatisfied', note: '井盖松动' } }, T0 + DAY);
    const archive = h.by(users.clerk).do({ type: 'archive', payload: {} }, T0 + DAY + HOUR);
    expect(deriveOrder(intake(), h.events, T0 + DAY).conflicts.map((c) => [c.eventId, c.reason.code])).toEqual([
      [archive.id, 'callback_unsatisfied'],
    ]);
    h.by(users.clerk).do({ type: 'reopen', payload: { reason: '回访不满意，重办' } }, T0 + DAY + 2 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + DAY + 3 * HOUR);
    expect(view).toMatchObject({ status: 'in_progress', assignee: 'grid1', result: null, reopenCount: 1 });
  });

  it('sends a rejected review back to the same handler without the result', () => {
    const h = new History();
    fullDay(h);
    h.by(users.clerk).do({ type: 'review_reject', payload: { reason: '照片不清晰' } }, T0 + 5 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + 5 * HOUR);
    expect(view).toMatchObject({ status: 'in_progress', assignee: 'grid1', result: null, reviewRejections: 1 });
  });

  it('marks a conflict resolved by a clerk, and refuses resolving it twice', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    const bad = h.by(users.otherGridWorker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    const fix = h.by(users.clerk).do({ type: 'conflict_resolve', payload: { eventId: bad.id, note: '已电话确认' } }, T0 + 2 * HOUR);
    const again = h.by(users.clerk).do({ type: 'conflict_resolve', payload: { eventId: bad.id, note: '重复处理' } }, T0 + 3 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + 3 * HOUR);
    expect(view.conflicts.map((c) => [c.eventId, c.resolvedBy])).toEqual([
      [bad.id, fix.id],
      [again.id, null],
    ]);
  });

  it('returns to the clerk with the reason, and can be dispatched again', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    h.by(users.worker).do({ type: 'return', payload: { code: 'wrong_jurisdiction', reason: '该地址属于相邻街道' } }, T0 + HOUR);
    const returned = deriveOrder(intake(), h.events, T0 + HOUR);
    expect(returned).toMatchObject({ status: 'returned', assignee: null, target: null, returned: { reason: '该地址属于相邻街道' } });
    h.by(users.clerk).do({ type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, T0 + 2 * HOUR);
    expect(deriveOrder(intake(), h.events, T0 + 2 * HOUR).status).toBe('dispatched');
  });

  it('records every phone reveal and the supervision level', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'phone_reveal', payload: { purpose: '联系群众' } }, T0);
    h.by(users.supervisor).do({ type: 'supervise', payload: { level: 'listed', note: '挂牌督办' } }, T0 + HOUR);
    h.by(users.admin).do({ type: 'phone_reveal', payload: {} }, T0 + 2 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + 2 * HOUR);
    expect(view.phoneRevealedBy).toEqual([{ actor: 'clerk1', at: T0 }]);
    expect(view.supervision).toBe('listed');
    expect(view.conflicts.map((c) => c.reason.code)).toEqual(['role_not_allowed']);
  });

  it('derives the same view from duplicated events', () => {
    const h = new History();
    fullDay(h);
    const once = deriveOrder(intake(), h.events, T0 + DAY);
    const twice = deriveOrder(intake(), [...h.events, ...h.events], T0 + DAY);
    expect(twice).toEqual(once);
  });
});
