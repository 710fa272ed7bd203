/**
 * 已回复 (portal_reply) from the extension: written only where the reducer
 * applies it — to an order a worker closed or whose review passed
 * (shared/order/rules.ts; the clerk's reply counts as the review). Pure: the
 * reducer's own `refusal` decides, so the panel's offer, this check and the
 * server's view of the event agree.
 */
import { describeConflict } from '#shared/order/conflicts.ts';
import type { EventDraft } from '#shared/order/events.ts';
import { refusal, type OrderView } from '#shared/order/reducer.ts';
import type { Status } from '#shared/order/status.ts';
import type { User } from '#shared/org/roles.ts';
import { RequestError } from '../../lib/messaging.ts';
import { inBothLanguages, type InBothLanguages } from '../../lib/protocol.ts';

type Writer = Pick<User, 'id' | 'role' | 'unitId'>;

/** Writes an event on an order after `allow` saw the order's current view (the repository's act). */
export interface ActsOnOrders {
  act(orderId: string, draft: EventDraft, allow?: (view: OrderView) => void): Promise<OrderView>;
}

/** Why this user's 已回复 would not apply to the order as it is (the reducer's reason, in both languages), or null. */
export function replyRefusal(view: OrderView, user: Writer): InBothLanguages | null {
  const refused = refusal(view, { role: user.role, actor: user.id, unit: user.unitId }, 'portal_reply');
  return refused ? inBothLanguages((locale) => describeConflict(refused, locale)) : null;
}

/** 已回复, refused (nothing written) where it would only be recorded as a conflict. */
export async function markReplied(orders: ActsOnOrders, orderId: string, portal: string, user: Writer): Promise<{ status: Status }> {
  const view = await orders.act(orderId, { type: 'portal_reply', payload: { portal } }, (current) => {
    const why = replyRefusal(current, user);
    if (!why) return;
    const { 'zh-CN': whyZh, en: whyEn } = why;
    throw new RequestError('reply_refused', `不能标记已回复：${whyZh}`, null, { whyZh, whyEn });
  });
  return { status: view.status };
}
