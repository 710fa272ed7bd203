/** 已回复 from the panel: offered and written only where the reducer applies it — a closed order too. */
import { describe, expect, it } from 'vitest';
import { markReplied, type ActsOnOrders } from '#extension/entrypoints/background/reply-rule.ts';
import { RequestError } from '#extension/lib/messaging.ts';
import type { EventDraft } from '#shared/order/events.ts';
import { deriveOrder, type OrderView } from '#shared/order/reducer.ts';
import { HOUR, History, T0, intake, payloads, sha, users } from '../shared/support/builders.ts';

/** The order repository over an in-memory history, written as the clerk. */
function ordersOver(h: History): ActsOnOrders & { written: EventDraft[]; view(): OrderView } {
  const written: EventDraft[] = [];
  const view = () => deriveOrder(intake(), h.events, T0 + 10 * HOUR);
  return {
    written,
    view,
    act: async (_orderId, draft, allow) => {
      allow?.(view());
      written.push(draft);
      h.by(users.clerk).do(draft, T0 + 9 * HOUR);
      return view();
    },
  };
}

function closedOrder(): History {
  const h = new History();
  h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
  h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
  h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + HOUR);
  h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 2 * HOUR);
  return h;
}

describe('markReplied', () => {
  it('writes 已回复 for an order a worker closed, with no review in between, and it applies', async () => {
    const orders = ordersOver(closedOrder());
    expect(await markReplied(orders, 'o1', 'demo-element-plus', users.clerk)).toEqual({ status: 'replied' });
    expect(orders.written).toEqual([{ type: 'portal_reply', payload: { portal: 'demo-element-plus' } }]);
  });

  it('refuses, writing nothing, where the reducer would only record a conflict', async () => {
    const h = closedOrder();
    h.by(users.clerk).do({ type: 'review_reject', payload: { reason: '照片不清楚' } }, T0 + 3 * HOUR);
    const orders = ordersOver(h);
    const refused = await markReplied(orders, 'o1', 'demo-element-plus', users.clerk).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RequestError);
    expect((refused as RequestError).code).toBe('reply_refused');
    expect((refused as RequestError).message).toContain('不能标记已回复');
    // Worded in the clerk's language by the panel: the reducer's reason in both.
    expect((refused as RequestError).params).toEqual({ whyZh: expect.stringMatching(/[\u4e00-\u9fff]/), whyEn: expect.stringMatching(/^[^\u4e00-\u9fff]+$/) });
    expect(orders.written).toEqual([]);
    expect(orders.view().status).toBe('in_progress');
  });
});
