/**
 * From the record read on a portal's order page (shared/portal/order-record.ts)
 * to a Lianxin intake request: what the page cannot say — the place in the
 * organisation, the source, where it was read — is added here; the server
 * gives the order its id. A page without
 * a received time is taken as received now; one without a deadline gets the
 * policy's deadline for its type (shared/order/deadline.ts). Pure.
 */
import { DEFAULT_POLICY, deadlineFor } from '#shared/order/deadline.ts';
import type { OrderIntakeRequest } from '#shared/order/intake.ts';
import type { PortalOrder } from '../../lib/protocol.ts';

export interface IntakeContext {
  readonly place: { readonly districtId: string; readonly streetId: string; readonly communityId?: string };
  readonly adapterId: string;
  readonly url: string;
  readonly now: number;
}

export function intakeFromPortal(order: PortalOrder, ctx: IntakeContext): OrderIntakeRequest {
  const receivedAt = order.receivedAt ?? ctx.now;
  const deadline = order.deadline ?? deadlineFor(receivedAt, order.type, order.category, DEFAULT_POLICY);
  return {
    orderNo: order.orderNo,
    source: 'portal_import',
    channel: order.channel,
    type: order.type,
    category: order.category,
    title: order.title,
    content: order.content,
    citizen: { name: order.citizen.name, ...(order.citizen.phone ? { phone: order.citizen.phone } : {}) },
    address: order.address,
    place: { districtId: ctx.place.districtId, streetId: ctx.place.streetId, ...(ctx.place.communityId ? { communityId: ctx.place.communityId } : {}) },
    receivedAt,
    deadline: Math.max(deadline, receivedAt),
    ...(order.handlingUnit ? { handlingUnit: order.handlingUnit } : {}),
    portal: { adapterId: ctx.adapterId, url: ctx.url.slice(0, 2000) },
  };
}
