/**
 * Demo data on first start, so `npm start` gives working accounts for every
 * role: the demo organisation, its staff with the demo password and orders
 * with histories, all from demo/. Written straight to the store before
 * the server listens: order docs, their rows and photo references, and the
 * index docs that list them.
 */
import { randomInt } from 'node:crypto';
import * as Y from 'yjs';
import type { Role, User } from '#shared/org/roles.ts';
import { buildOrgTree, type Unit } from '#shared/org/units.ts';
import { demoKnowledge, DEMO_SYNONYMS } from '#demo/knowledge/generate.ts';
import { storedTerms } from './knowledge/terms.ts';
import { createDemo, DEMO_ACCOUNTS, DEMO_PASSWORD, generateDemo, type DemoOrder, type OrgSize } from '#demo/index.ts';
import { availableActions } from '#shared/order/actions.ts';
import type { EventType, OrderEvent } from '#shared/order/events.ts';
import type { OpenStatus } from '#shared/order/status.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { SUMMARY_VERSION, summarizeOrder, type OrderSummary } from '#shared/order/summary.ts';
import { archiveIndexDocName, INDEX_ORDERS_MAP, orderDocName } from '#shared/sync/doc-names.ts';
import { indexPlacement, liveUntil, PLACEMENT_VERSION } from '#shared/order/index-placement.ts';
import { appendEvents, initOrderDoc } from '#shared/sync/order-doc.ts';
import { hashPassword } from './auth/password.ts';
import type { Store } from './store/store.ts';
import { SERVER_WRITER } from './sync/client-claims.ts';
import { orderRowFrom, photoRefsOf } from './sync/order-row.ts';
import { writeReindexMarker } from './sync/reindex.ts';
import { log } from './log.ts';
import type { PhotoStore } from './photos/photo-store.ts';
import { withStoredPhotos } from './seed-photos.ts';

export { DEMO_PASSWORD };

export interface SeedReport {
  readonly password: string;
  readonly accounts: readonly Pick<User, 'id' | 'name' | 'role' | 'unitId'>[];
  readonly orders: number;
}

export interface DemoData {
  readonly units: readonly Unit[];
  readonly users: readonly User[];
  /** The accounts to print: one per role. */
  readonly accounts: readonly User[];
  readonly orders: readonly Pick<DemoOrder, 'intake' | 'events'>[];
}

export interface SeedOptions {
  /** Orders to generate (default: the demo's own, about a month of a small city). */
  readonly count?: number;
  /** Of those, exactly this many open (default: the demo's share). */
  readonly openCount?: number;
  /** The organisation's size (default: the demo's city); `{ districts: 1, streetsPerDistrict: 1, … }` puts every order in the demo worker's grid. */
  readonly org?: Partial<OrgSize>;
  readonly seed?: number;
  /** Orders are received over this many days before now (default: the demo's 30). */
  readonly periodDays?: number;
  /** The present the demo is built around (default: the server's clock when it seeds). */
  readonly now?: number;
  /** Put orders closed longer ago than this in their months' archive index docs, as the server does (`--index-live`). */
  readonly indexLiveMs?: number | null;
}

/** The street whose seeded photos get bytes: the demo street clerk's. */
const PHOTO_STREET = DEMO_ACCOUNTS.find((a) => a.role === 'street_clerk')?.unitId ?? null;

/** Orders added to the demo that wait for the demo grid worker's 签收, so every demo can show it. */
export const AWAITING_ACCEPT = 3;
/** Orders added to the demo that wait for the demo street clerk's 派单, whatever the hour of the seed. */
export const AWAITING_DISPATCH = 3;

export async function seedIfNeeded(store: Store, mode: 'auto' | 'always' | 'never', options: SeedOptions & { readonly now: number }, photos?: PhotoStore): Promise<SeedReport | null> {
  if (mode === 'never') return null;
  if (mode === 'auto' && (await store.countUsers()) > 0) return null;
  const { now } = options;
  const seedValue = options.seed ?? 1;
  const demo = generateDemo({
    now,
    seed: seedValue,
    ...(options.count === undefined ? {} : { count: options.count }),
    ...(options.openCount === undefined ? {} : { openCount: options.openCount }),
    ...(options.org === undefined ? {} : { org: options.org }),
    ...(options.periodDays === undefined ? {} : { periodDays: options.periodDays }),
  });
  const report = await seed(store, { ...demo, orders: [...demo.orders, ...awaitingAccept(now, seedValue), ...awaitingDispatch(now, seedValue)], accounts: DEMO_ACCOUNTS }, now, photos, options.indexLiveMs ?? null);
  await seedKnowledge(store, now, seedValue);
  return report;
}

/** The 300 demo knowledge entries and the demo synonyms, once (a store that has entries keeps its own). */
export async function seedKnowledge(store: Store, now: number, seedValue: number): Promise<void> {
  if ((await store.countKnowledge()) > 0) return;
  const { stored } = await store.putKnowledge(demoKnowledge({ now, seed: seedValue }), storedTerms);
  await store.setKnowledgeSynonyms(DEMO_SYNONYMS);
  log.info('demo_knowledge_seeded', { entries: stored.length, synonyms: DEMO_SYNONYMS.length });
}

/**
 * A few orders dispatched to the demo grid worker's grid and not yet
 * accepted. The general demo rarely leaves one in that grid; these come from
 * a one-grid demo of the same place and staff (so the same ids) whose open
 * orders all stop at 待签收. Which of them the worker can take depends only
 * on the seed (the route and the assignee are drawn from it, never from the
 * time), so the same seed gives the same orders at every instant.
 */
export function awaitingAccept(now: number, seedValue: number): DemoOrder[] {
  return waitingFor('grid_worker', 'accept', 'dispatched', AWAITING_ACCEPT, now, seedValue + 7_000);
}

/**
 * A few orders taken in in the demo street clerk's street and not yet
 * dispatched. The general demo's 待派单 are its last hours' calls (orders come
 * in working hours), so a demo seeded at night had none for the clerk's desk
 * to show 派单 on; these come from a one-grid demo as `awaitingAccept`'s do.
 */
export function awaitingDispatch(now: number, seedValue: number): DemoOrder[] {
  return waitingFor('street_clerk', 'dispatch', 'pending_dispatch', AWAITING_DISPATCH, now, seedValue + 8_000);
}

/** `count` orders of a one-grid demo (its open ones all at `status`) on which the demo account of `role` can `action`. */
function waitingFor(role: Role, action: EventType, status: OpenStatus, count: number, now: number, seedValue: number): DemoOrder[] {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) return [];
  const oneGrid = createDemo({
    now,
    // Another seed than the main set's: other order numbers.
    seed: seedValue,
    org: { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 1, gridsPerCommunity: 1 },
    count: 20,
    openCount: 20,
    openStatus: status,
    periodDays: 0.25,
    realCases: false,
  });
  const picked: DemoOrder[] = [];
  for (const order of oneGrid.orders()) {
    if (!availableActions(deriveOrder(order.intake, order.events, now), account).includes(action)) continue;
    picked.push(order);
    if (picked.length === count) return picked;
  }
  throw new Error(`demo seed ${seedValue}: only ${picked.length} of ${count} orders on which ${account.id} can ${action}`);
}

/**
 * A seeded order's doc as its writers would have made it: the intake under a
 * client id of the server's (a field report's under its reporter's), each
 * event under a client id of its actor's, every one claimed for its writer as
 * a client's first write claims its own, so no user can write under another's.
 */
function seededDoc(intake: OrderIntake, events: readonly OrderEvent[]): { update: Uint8Array; claims: Map<number, string> } {
  // A guid given, not drawn: Yjs draws one with 31 webcrypto calls, about 1 ms a doc in Node — most of
  // a demo seed's time. The guid names a subdocument only; nothing of it is in the update.
  const doc = new Y.Doc({ guid: orderDocName(intake.id) });
  const clientOf = new Map<string, number>();
  const claims = new Map<number, string>();
  const as = (writer: string) => {
    let client = clientOf.get(writer);
    while (client === undefined || (claims.has(client) && claims.get(client) !== writer)) client = randomInt(1, 0xffff_ffff);
    clientOf.set(writer, client);
    claims.set(client, writer);
    doc.clientID = client;
  };
  as(intake.reportedBy ?? SERVER_WRITER);
  initOrderDoc(doc, intake);
  for (const event of events) {
    as(event.actor);
    appendEvents(doc, [event]);
  }
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return { update, claims };
}

/**
 * With `photos`, the photos of the demo street clerk's orders (the street the
 * demo portals serve, tests/portals/from-server.ts) get real bytes on the
 * server (seed-photos.ts), so a new user can fill those orders into a portal.
 * Only that street's: bytes for the whole city would take seconds at every
 * first start.
 */
export async function seed(store: Store, data: DemoData, now: number, photos?: PhotoStore, indexLiveMs: number | null = null): Promise<SeedReport> {
  const tree = buildOrgTree([...(await store.listUnits()).filter((u) => !data.units.some((d) => d.id === u.id)), ...data.units]);
  await store.upsertUnits(data.units);
  const hash = await hashPassword(DEMO_PASSWORD);
  await store.upsertUsers(data.users.map((u) => ({ id: u.id, name: u.name, role: u.role, unitId: u.unitId, passwordHash: hash, disabled: false })));

  const indexes = new Map<string, Map<string, OrderSummary>>();
  let created = 0;
  // A store seeded from empty is current: its first start need not read the index docs again (server/sync/reindex.ts).
  const fresh = (await store.countOrders()) === 0;
  let nextDueAt: number | null = null;
  const one = async (order: DemoData['orders'][number]): Promise<void> => {
    const withPhotos = photos && order.intake.place.streetId === PHOTO_STREET && (await store.getOrder(order.intake.id)) === null;
    const { intake, events } = withPhotos ? await withStoredPhotos(order, photos, store, now) : order;
    const { update, claims } = seededDoc(intake, events);
    const view = deriveOrder(intake, events, now);
    const summary = summarizeOrder(intake, view);
    const placement = indexPlacement(summary, now, indexLiveMs);
    const unplaced = orderRowFrom(intake, view, tree, now, now);
    const row = placement.live ? unplaced : { ...unplaced, indexDocs: unplaced.indexDocs.map((name) => archiveIndexDocName(name, placement.month)) };
    const result = await store.createOrder(row, orderDocName(intake.id), update, { claims });
    if (!result.created) return;
    created += 1;
    const due = placement.live ? liveUntil(summary, indexLiveMs) : null;
    if (due !== null && (nextDueAt === null || due < nextDueAt)) nextDueAt = due;
    await store.addPhotoRefs(intake.id, photoRefsOf(intake, events));
    for (const name of row.indexDocs) {
      const entries = indexes.get(name) ?? new Map<string, OrderSummary>();
      entries.set(intake.id, summary);
      indexes.set(name, entries);
    }
  };
  // In batches: the store commits each batch's writes together.
  for (let i = 0; i < data.orders.length; i += 200) await Promise.all(data.orders.slice(i, i + 200).map(one));
  await Promise.all(
    [...indexes].map(async ([name, entries]) => {
      const doc = new Y.Doc({ guid: name }); // as in seededDoc
      const map = doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
      doc.transact(() => {
        for (const [id, summary] of entries) map.set(id, summary);
      });
      await store.appendUpdate(name, Y.encodeStateAsUpdate(doc));
      doc.destroy();
    }),
  );
  if (fresh) await writeReindexMarker(store, { version: SUMMARY_VERSION, placement: PLACEMENT_VERSION, liveMs: indexLiveMs, nextDueAt, at: now });
  log.info('demo_seeded', { units: data.units.length, users: data.users.length, orders: created });
  return { password: DEMO_PASSWORD, accounts: data.accounts.map(({ id, name, role, unitId }) => ({ id, name, role, unitId })), orders: created };
}
