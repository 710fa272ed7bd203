/** The draft 办理情况 / 公开答复 is written from the order's own record, in the register of official replies. */
import { describe, expect, it } from 'vitest';
import { deriveOrder } from '#shared/order/reducer.ts';
import { draftReply } from '#shared/order/reply-draft.ts';
import { HOUR, History, T0, intake, payloads, users } from '../support/builders.ts';

function worked() {
  const h = new History();
  h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
  h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 30 * 60_000);
  const order = intake({ location: { kind: 'fix', position: { lat: 34.6, lng: 112.4, accuracy: 20 } } });
  h.by(users.worker).do({ type: 'check_in', payload: { location: { kind: 'fix', position: { lat: 34.60072, lng: 112.4, accuracy: 9 } } } }, T0 + HOUR);
  h.by(users.worker).do({ type: 'progress', payload: { text: '已联系区城管局更换井盖' } }, T0 + HOUR + 60_000);
  h.by(users.worker).do({ type: 'photo_added', payload: { ...payloads.photo(1), stage: 'before' } }, T0 + HOUR + 120_000);
  h.by(users.worker).do({ type: 'photo_added', payload: { ...payloads.photo(2), stage: 'after' } }, T0 + 2 * HOUR);
  return { intake: order, view: deriveOrder(order, h.events, T0 + 3 * HOUR) };
}

describe('draftReply', () => {
  it('tells what was done from the record: arrival time and place, progress notes, photos, the resolution', () => {
    const { intake: order, view } = worked();
    const draft = draftReply({ intake: order, view, resolution: 'resolved', now: T0 + 3 * HOUR });
    expect(draft.actions).toMatch(/^\d+月\d+日 \d\d:\d\d到达现场（距事发地约 80 米）核实情况。/);
    expect(draft.actions).toContain('已联系区城管局更换井盖。');
    expect(draft.actions).toContain('现场拍照 2 张（处置前 1 张、处置后 1 张）。');
    expect(draft.actions).toMatch(/问题已解决。$/);
  });

  it('answers the citizen in the official register, naming the matter once', () => {
    const { intake: order, view } = worked();
    const reply = draftReply({ intake: { ...order, title: '井盖缺失问题' }, view, resolution: 'resolved', now: T0 + 3 * HOUR }).publicReply;
    expect(reply).toMatch(/^您好，您反映的井盖缺失问题，工作人员已到现场核实处理，已联系区城管局更换井盖。/);
    expect(reply).not.toContain('问题问题');
    expect(reply).toMatch(/感谢您对我们工作的支持与监督。$/);
  });

  it('gives the reason when not (fully) resolved, and says nothing it does not know', () => {
    const order = intake();
    const view = deriveOrder(order, [], T0);
    const draft = draftReply({ intake: order, view, resolution: 'unresolved', unresolvedReason: '需区住建局统一维修', now: T0 });
    expect(draft.actions).toBe('问题暂未解决，原因：需区住建局统一维修。');
    expect(draft.publicReply).toContain('原因是需区住建局统一维修');
    expect(draft.publicReply).not.toMatch(/到现场|拍照/);
    expect(draftReply({ intake: order, view, resolution: null, now: T0 }).actions).toBe('');
  });
});
