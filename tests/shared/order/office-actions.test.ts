/** The office's actions in the reducer: redo deadlines, 督办 records, community dispatch, 自行处置. */
import { describe, expect, it } from 'vitest';
import { deriveOrder } from '#shared/order/reducer.ts';
import { availableActions } from '#shared/order/actions.ts';
import { OrderIntakeSchema } from '#shared/order/intake.ts';
import { validate } from '#shared/validation/result.ts';
import { DAY, HOUR, History, T0, intake, payloads, sha, users } from '../support/builders.ts';

function closed(h: History, at = T0 + 3 * HOUR) {
  h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
  h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 30 * 60_000);
  h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + HOUR);
  return h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, at);
}

describe('审核退回 and 重办', () => {
  it('send the order back to the same handler with the new deadline, the rejected result kept in the timeline', () => {
    const h = new History();
    closed(h);
    h.by(users.clerk).do({ type: 'review_reject', payload: { reason: '照片不清楚，请补拍', until: T0 + 8 * DAY } }, T0 + 4 * HOUR);
    let view = deriveOrder(intake(), h.events, T0 + 5 * HOUR);
    expect(view).toMatchObject({ status: 'in_progress', assignee: 'grid1', deadline: T0 + 8 * DAY, result: null, reviewRejections: 1, conflicts: [] });
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 6 * HOUR);
    h.by(users.clerk).do({ type: 'review_pass', payload: {} }, T0 + 7 * HOUR);
    h.by(users.clerk).do({ type: 'portal_reply', payload: {} }, T0 + 8 * HOUR);
    h.by(users.clerk).do({ type: 'callback', payload: { satisfaction: 'unsatisfied', reached: 'phone', note: '井盖仍松动' } }, T0 + DAY);
    h.by(users.clerk).do({ type: 'reopen', payload: { reason: '回访不满意', until: T0 + 10 * DAY } }, T0 + DAY + HOUR);
    view = deriveOrder(intake(), h.events, T0 + 2 * DAY);
    expect(view).toMatchObject({ status: 'in_progress', assignee: 'grid1', deadline: T0 + 10 * DAY, reopenCount: 1, callback: null, conflicts: [] });
    expect(view.timeline.filter((e) => e.event.type === 'close')).toHaveLength(2);
  });

  it('keeps the deadline when none is given, and refuses a redo deadline before the decision', () => {
    const h = new History();
    closed(h);
    h.by(users.clerk).do({ type: 'review_reject', payload: { reason: '照片不清楚' } }, T0 + 4 * HOUR);
    expect(deriveOrder(intake(), h.events, T0 + 5 * HOUR).deadline).toBe(T0 + 5 * DAY);
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 6 * HOUR);
    const late = h.by(users.clerk).do({ type: 'review_reject', payload: { reason: '还是不行', until: T0 + 6 * HOUR } }, T0 + 7 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + 8 * HOUR);
    expect(view.status).toBe('closed');
    expect(view.conflicts.map((c) => [c.eventId, c.reason.code])).toEqual([[late.id, 'redo_deadline_past']]);
  });
});

describe('督办', () => {
  it('records who, when, why and by when, and the handler answering it', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 30 * 60_000);
    const s = h.by(users.clerk).do({ type: 'supervise', payload: { level: 'warning', note: '群众多次来电', respondWithinHours: 4 } }, T0 + HOUR);
    let view = deriveOrder(intake(), h.events, T0 + 2 * HOUR);
    expect(view.supervision).toBe('warning');
    expect(view.supervisions).toEqual([{ eventId: s.id, level: 'warning', note: '群众多次来电', actor: 'clerk1', at: s.at, respondBy: s.at + 4 * HOUR, respondedAt: null }]);
    // Another clerk's reveal answers nothing; the handler's progress does.
    h.by(users.clerk).do({ type: 'phone_reveal', payload: {} }, T0 + 2 * HOUR);
    const p = h.by(users.worker).do({ type: 'progress', payload: { text: '已到现场' } }, T0 + 3 * HOUR);
    view = deriveOrder(intake(), h.events, T0 + 4 * HOUR);
    expect(view.supervisions[0]?.respondedAt).toBe(p.at);
  });
});

describe('community dispatch', () => {
  it('lets a community handler pass on what was sent to the community, and nothing else', () => {
    const h = new History();
    expect(availableActions(deriveOrder(intake(), h.events, T0), users.community)).not.toContain('dispatch');
    h.by(users.clerk).do({ type: 'dispatch', payload: { unitId: 'd1-s1-c1', unitKind: 'community' } }, T0 + HOUR);
    expect(availableActions(deriveOrder(intake(), h.events, T0 + HOUR), users.community)).toContain('dispatch');
    h.by(users.community).do({ type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, T0 + 2 * HOUR);
    h.by(users.otherGridWorker).do({ type: 'accept', payload: {} }, T0 + 3 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + 4 * HOUR);
    expect(view).toMatchObject({ status: 'in_progress', assignee: 'grid9', target: { unitId: 'd1-s1-c1-g2' }, conflicts: [] });
    // Now it is the grid's: the community may not take it elsewhere.
    expect(availableActions(view, users.community)).not.toContain('dispatch');
  });

  it('shows a community dispatch of a street order it was never sent as a conflict', () => {
    const h = new History();
    const d = h.by(users.community).do({ type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, T0 + HOUR);
    expect(deriveOrder(intake(), h.events, T0 + 2 * HOUR).conflicts.map((c) => [c.eventId, c.reason.code])).toEqual([[d.id, 'not_handler']]);
  });
});

describe('自行处置', () => {
  const report = (selfHandled: boolean) =>
    intake({ id: 'fr-0123456789abcdef', orderNo: 'SB-D1-S1-C1-G1-20261102-ABC1', source: 'field_report', channel: 'field', reportedBy: 'grid1', fieldKind: 'facility', selfHandled });

  it('starts with the reporter, who closes it at once; a plain report waits for dispatch', () => {
    expect(deriveOrder(report(false), [], T0).status).toBe('pending_dispatch');
    const h = new History();
    const start = deriveOrder(report(true), [], T0);
    expect(start).toMatchObject({ status: 'in_progress', assignee: 'grid1', target: { unitId: 'd1-s1-c1-g1', unitKind: 'grid' } });
    expect(availableActions(start, users.worker)).toContain('close');
    expect(availableActions(start, users.worker2)).not.toContain('close');
    h.by(users.worker).do({ type: 'close', payload: payloads.close([]) }, T0 + 60_000);
    expect(deriveOrder(report(true), h.events, T0 + HOUR)).toMatchObject({ status: 'closed', conflicts: [] });
  });

  it('is a field report thing only: a hotline intake with a field kind or self-handled is refused', () => {
    const hotline = { ...intake(), fieldKind: 'facility', selfHandled: true };
    const result = validate(OrderIntakeSchema, hotline);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['fieldKind']);
    expect(validate(OrderIntakeSchema, { ...hotline, source: 'field_report', channel: 'field', reportedBy: 'grid1' }).ok).toBe(true);
  });
});
