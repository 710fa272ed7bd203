/**
 * The demo portals' orders: open orders of the demo city (demo/), as a
 * hotline portal holds them. Each portal gets its own few, so no two ever
 * show the same order number.
 */
import { createDemo } from '#demo/index.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import { ORDER_TYPE_WORDS, CHANNEL_WORDS } from '#shared/portal/vocabulary.ts';

export const PORTALS = ['element-plus', 'element-ui', 'layui', 'ueditor', 'legacy'] as const;
export type PortalName = (typeof PORTALS)[number];

/** An order as the demo portals store and show it. */
export interface PortalOrder {
  readonly orderNo: string;
  readonly receivedAt: number;
  readonly deadline: number;
  readonly citizenName: string;
  readonly citizenPhone: string;
  /** 求助 / 咨询 / 投诉 … */
  readonly type: string;
  readonly channel: string;
  readonly category: string;
  readonly title: string;
  readonly content: string;
  readonly address: string;
  readonly handlingUnit: string;
  /** 区县 / 街道 / 社区 by name, as the city's units call them. */
  readonly district: string;
  readonly street: string;
  readonly community: string;
  /** The intake it came from (tests compare imports with it). */
  readonly intake: OrderIntake;
}

export const ORDERS_PER_PORTAL = 6;

export function portalOrders(now: number): Record<PortalName, PortalOrder[]> {
  const demo = createDemo({ now, seed: 12345, count: 60, openCount: 60 });
  const open = [...demo.orders()].map((o) => o.intake);
  const names = new Map(demo.units.map((u) => [u.id, u.name]));
  const result = {} as Record<PortalName, PortalOrder[]>;
  PORTALS.forEach((portal, p) => {
    result[portal] = open.slice(p * ORDERS_PER_PORTAL, (p + 1) * ORDERS_PER_PORTAL).map((intake) => toPortalOrder(intake, names));
  });
  result.legacy = legacyOrders(now);
  return result;
}

/**
 * The legacy portal serves one street: the demo clerk's (d1-s1, the same
 * names as the server's demo city, which depend only on its size), so that
 * imports land in the communities the portal names. Its last order is a
 * citizen calling again about an earlier one: another number, the same case.
 */
function legacyOrders(now: number): PortalOrder[] {
  const demo = createDemo({ now, seed: 54321, org: { districts: 1, streetsPerDistrict: 1 }, count: ORDERS_PER_PORTAL - 1, openCount: ORDERS_PER_PORTAL - 1, realCases: false });
  const names = new Map(demo.units.map((u) => [u.id, u.name]));
  const orders = [...demo.orders()].map((o) => toPortalOrder(o.intake, names));
  const first = orders.find((o) => o.intake.type !== 'enquiry' && o.intake.type !== 'praise');
  if (!first) return orders;
  const again = { ...first.intake, id: `${first.intake.id}-again`, orderNo: `${first.orderNo.slice(0, -4)}${String((Number(first.orderNo.slice(-4)) + 1) % 10_000).padStart(4, '0')}`, receivedAt: first.receivedAt + 2 * 3600_000 };
  return [...orders, toPortalOrder(again, names)];
}

export function toPortalOrder(intake: OrderIntake, names: ReadonlyMap<string, string>): PortalOrder {
  const name = (id: string | undefined) => (id ? (names.get(id) ?? '') : '');
  return {
    district: name(intake.place.districtId),
    street: name(intake.place.streetId),
    community: name(intake.place.communityId),
    orderNo: intake.orderNo,
    receivedAt: intake.receivedAt,
    deadline: intake.deadline,
    citizenName: intake.citizen.name,
    citizenPhone: intake.citizen.phone ?? '',
    type: ORDER_TYPE_WORDS[intake.type][0] ?? '其他',
    channel: CHANNEL_WORDS[intake.channel][0] ?? '其他',
    category: intake.category,
    title: intake.title,
    content: intake.content,
    address: intake.address,
    handlingUnit: intake.handlingUnit ?? '',
    intake,
  };
}
