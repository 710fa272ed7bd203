/**
 * What the panel and the popup do with orders: import one read from a portal
 * (the server's intake API, idempotent by order number), look orders up in
 * the device's projection, and write the clerk's events (派单, 已回复) through
 * the order repository — the same path every other Lianxin client takes.
 */
import type { LianxinDb, OrderRow } from '#shared/local/db.ts';
import { searchOrders } from '#shared/local/projection.ts';
import type { EventDraft } from '#shared/order/events.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import type { OrderView } from '#shared/order/reducer.ts';
import { EVENT_RULES } from '#shared/order/rules.ts';
import type { User } from '#shared/org/roles.ts';
import type { Status } from '#shared/order/status.ts';
import { RequestError } from '../../lib/messaging.ts';
import type { OrderBrief, OrderDetail, PortalOrder } from '../../lib/protocol.ts';
import { orgUnits } from './org.ts';
import { streetPlaceOf } from './org-tree.ts';
import { intakeFromPortal } from './portal-intake.ts';
import { replyRefusal } from './reply-rule.ts';
import { asRequestError, type ActiveSession } from './session.ts';

/** The order repository as the background uses it (shared/client's, once wired). */
export interface OrderActions {
  /** The order's intake and derived view from its doc on this device (synced first when online), or null. */
  load(orderId: string): Promise<{ intake: OrderIntake; view: OrderView } | null>;
  /**
   * Stamp, journal (awaited), append and sync an event; the new view. `allow`
   * sees the current view first (same open of the doc) and throws to refuse.
   */
  act(orderId: string, draft: EventDraft, allow?: (view: OrderView) => void): Promise<OrderView>;
}

export async function importOrder(session: ActiveSession, order: PortalOrder, adapterId: string, url: string, now: number) {
  const place = streetPlaceOf(await orgUnits(session), session.user.unitId);
  if (!place) throw new RequestError('not_a_street', '只有街道账号可以从门户导入工单（当前账号不属于某个街道）');
  const intake = intakeFromPortal(order, { place, adapterId, url, now });
  try {
    const result = await session.api.createOrders(session.token, intake);
    return { orderId: result.id, orderNo: result.orderNo, created: result.created };
  } catch (error) {
    throw asRequestError(error);
  }
}

export function briefOf(row: OrderRow): OrderBrief {
  return {
    id: row.id,
    orderNo: row.orderNo,
    title: row.title,
    address: row.address,
    category: row.category,
    status: row.status,
    deadline: row.deadline,
    closedAt: row.closedAt,
  };
}

/**
 * Orders whose result waits to be written into the portal: those a reply may
 * be written from (shared/order/rules.ts: a worker's close, or a passed review).
 */
export async function awaitingReply(db: LianxinDb): Promise<OrderBrief[]> {
  const from = EVENT_RULES.portal_reply.from;
  const rows = from === 'any' ? [] : await db.orders.where('status').anyOf([...from]).toArray();
  return rows.sort((a, b) => (a.closedAt ?? 0) - (b.closedAt ?? 0)).map(briefOf);
}

export async function search(db: LianxinDb, query: string): Promise<OrderBrief[]> {
  return (await searchOrders(db, query, 20)).map(briefOf);
}

export async function detail(db: LianxinDb, orders: OrderActions, orderNo: string, user: Pick<User, 'id' | 'role' | 'unitId'>): Promise<OrderDetail | null> {
  const row = await db.orders.where('orderNo').equals(orderNo).first();
  if (!row) return null;
  const loaded = await orders.load(row.id);
  if (!loaded) return null;
  const { intake, view } = loaded;
  return {
    ...briefOf(row),
    status: view.status,
    closedAt: view.closedAt,
    deadline: view.deadline,
    type: intake.type,
    channel: intake.channel,
    receivedAt: intake.receivedAt,
    handlingUnit: intake.handlingUnit ?? null,
    target: view.target,
    repliedAt: view.repliedAt,
    replyRefusal: replyRefusal(view, user),
    result: view.result,
    photos: view.photos.map((p) => ({ sha256: p.sha256, kind: p.kind, mime: p.mime, size: p.size })),
  };
}

export async function dispatchTo(orders: OrderActions, orderId: string, unitId: string): Promise<{ status: Status }> {
  const view = await orders.act(orderId, { type: 'dispatch', payload: { unitId, unitKind: 'grid' } });
  return { status: view.status };
}

