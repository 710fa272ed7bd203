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
import { inBothLanguages, type ImportPreview, type OrderBrief, type OrderDetail, type PortalOrder } from '../../lib/protocol.ts';
import { suggestDuplicates, WINDOW_MS } from '#shared/duplicates/detect.ts';
import { describeDuplicateReasons } from '#shared/duplicates/reasons.ts';
import { placeByNames, type Placement } from '#shared/org/placement.ts';
import { suggestUnit } from '#shared/org/suggest-unit.ts';
import { buildOrgTree, type Unit } from '#shared/org/units.ts';
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

/** Where a portal's order lands: the 街道 / 社区 it names when they are the clerk's, else the clerk's street. */
function placementOf(units: readonly Unit[], session: ActiveSession, order: PortalOrder): Placement {
  const home = streetPlaceOf(units, session.user.unitId);
  const placement = home ? placeByNames(units, order.place ?? {}, home.streetId) : null;
  if (!placement) throw new RequestError('not_a_street', '只有街道账号可以从门户导入工单（当前账号不属于某个街道）');
  return placement;
}

export async function importOrder(session: ActiveSession, order: PortalOrder, adapterId: string, url: string, now: number) {
  const placement = placementOf(await orgUnits(session), session, order);
  const place = { districtId: placement.districtId, streetId: placement.streetId, ...(placement.communityId ? { communityId: placement.communityId } : {}) };
  const intake = intakeFromPortal(order, { place, adapterId, url, now });
  try {
    const result = await session.api.createOrders(session.token, intake);
    return { orderId: result.id, orderNo: result.orderNo, created: result.created };
  } catch (error) {
    throw asRequestError(error);
  }
}

/**
 * The grid to suggest for an imported order: `suggestUnit` scoped to the
 * community it is placed in (so only that community's grids), from the
 * orders this device knows; null without a community or a usable tree.
 */
function suggestImportGrid(units: readonly Unit[], placement: Placement, address: string, known: readonly OrderRow[], orderId: string | null): string | null {
  const { communityId } = placement;
  if (!communityId) return null;
  let tree;
  try {
    tree = buildOrgTree(units);
  } catch {
    return null;
  }
  const place = { districtId: placement.districtId, streetId: placement.streetId, communityId };
  return suggestUnit(tree, { order: { id: orderId ?? '', address, place }, scopeUnitId: communityId, history: known })?.unitId ?? null;
}

/**
 * What the clerk sees before importing: where the order will land, the grid
 * to suggest for 派单, and the orders this device knows that are likely the
 * same case (shared/duplicates), with what matched.
 */
export async function previewImport(db: LianxinDb, session: ActiveSession, order: PortalOrder, now: number): Promise<ImportPreview> {
  const units = await orgUnits(session);
  const placement = placementOf(units, session, order);
  const name = (id: string | null) => (id ? (units.find((u) => u.id === id)?.name ?? id) : null);
  const rows = (await db.orders.where('receivedAt').above(now - WINDOW_MS).toArray()).filter((r) => r.streetId === placement.streetId);
  const existing = (await db.orders.where('orderNo').equals(order.orderNo).first()) ?? null;
  const receivedAt = order.receivedAt ?? now;
  const probe = { receivedAt, type: order.type, category: order.category, title: order.title, content: order.content, address: order.address, phone: order.citizen.phone ?? null };
  const candidates = rows.filter((r) => r.orderNo !== order.orderNo).map((r) => ({ id: r.id, orderNo: r.orderNo, receivedAt: r.receivedAt, status: r.status, closedAt: r.closedAt, type: r.type, category: r.category, title: r.title, address: r.address }));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const gridId = suggestImportGrid(units, placement, order.address, rows, existing?.id ?? null);
  return {
    existing: existing ? { orderId: existing.id, orderNo: existing.orderNo } : null,
    place: {
      streetId: placement.streetId,
      streetName: name(placement.streetId) ?? placement.streetId,
      communityId: placement.communityId,
      communityName: name(placement.communityId),
      notes: placement.notes.map(({ code, name }) => ({ code, name })),
    },
    grid: gridId ? { id: gridId, name: name(gridId) ?? gridId } : null,
    duplicates: suggestDuplicates(probe, candidates, now, { limit: 5 }).map((d) => ({
      orderId: d.id,
      orderNo: d.orderNo,
      title: byId.get(d.id)?.title ?? '',
      status: d.status,
      likely: d.likely,
      reasons: inBothLanguages((locale) => describeDuplicateReasons(d.reasons, locale)),
    })),
  };
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

