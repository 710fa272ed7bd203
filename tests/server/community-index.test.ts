/**
 * What a community handler sees (issue 14): every order placed in their
 * community or dispatched to it or to one of its grids, through the index
 * docs their device reads (`indexDocNamesFor`), including an order placed at
 * the street alone and dispatched to the community.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { indexDocNamesFor } from '#shared/client/sync.ts';
import { communityIndexDocName, INDEX_ORDERS_MAP, orderDocName } from '#shared/sync/doc-names.ts';
import { createOrder, waitFor, type DocHandle, type TestClient } from './support/client.ts';
import { outsider, units, users } from './support/fixture.ts';
import { serverForFile } from './support/suite.ts';

const suite = serverForFile();
const { connect } = suite;

/** The grids of the handler's community, as the PWA learns them from the organisation. */
const communityGrids = units.filter((u) => u.kind === 'grid' && u.parentId === users.community.unitId).map((u) => u.id);

/** The index docs the community handler's device reads, open. */
async function handlerIndexes(handler: TestClient): Promise<DocHandle[]> {
  return Promise.all(indexDocNamesFor(users.community, communityGrids).map((name) => handler.open(name, new Y.Doc()).synced()));
}

/** The street clerk sends the order to the handler's community. */
async function dispatchToCommunity(orderId: string, seed: number): Promise<void> {
  const clerk = await connect(users.clerk, seed);
  const doc = await clerk.open(orderDocName(orderId), new Y.Doc()).synced();
  doc.append(clerk.write(doc, { type: 'dispatch', payload: { unitId: users.community.unitId, unitKind: 'community' } }, clerk.at()));
  expect(await doc.settled()).toBeNull();
}

const lists = (indexes: readonly DocHandle[], orderId: string) => indexes.some((index) => index.doc.getMap(INDEX_ORDERS_MAP).has(orderId));

describe("a community handler's index", () => {
  it('lists an order placed at the street alone once it is dispatched to the community, and the handler opens it', async () => {
    const { id } = await createOrder(suite.server.url, { place: { districtId: 'd1', streetId: 'd1-s1' } });
    const handler = await connect(users.community, 31);
    const indexes = await handlerIndexes(handler);
    expect(lists(indexes, id)).toBe(false);

    await dispatchToCommunity(id, 32);

    await waitFor(() => lists(indexes, id), 'the order in the community handler’s index');
    const order = await handler.open(orderDocName(id), new Y.Doc()).synced();
    expect(order.events()).toHaveLength(1);
  }, 60_000);

  it('lists the orders placed in the community’s grids and the ones it passed to a grid, and stays closed to other communities', async () => {
    const placed = await createOrder(suite.server.url);
    const handler = await connect(users.community, 33);
    const indexes = await handlerIndexes(handler);
    await waitFor(() => lists(indexes, placed.id), 'an order placed in a grid of the community');

    // Sent to the community and passed on to a grid by the handler, it stays listed (with its new target).
    await dispatchToCommunity(placed.id, 35);
    const doc = await handler.open(orderDocName(placed.id), new Y.Doc()).synced();
    doc.append(handler.write(doc, { type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, handler.at()));
    expect(await doc.settled()).toBeNull();
    const target = () => indexes.map((index) => index.doc.getMap<{ target: { unitId: string } | null }>(INDEX_ORDERS_MAP).get(placed.id)?.target?.unitId).find(Boolean);
    await waitFor(() => target() === 'd1-s1-c1-g2', 'the new target in the handler’s index');

    expect(await handler.open(communityIndexDocName('d1-s2-c1')).deniedReason()).toMatch(/^out_of_scope/);
    const stranger = await connect(outsider, 34);
    expect(await stranger.open(communityIndexDocName(users.community.unitId)).deniedReason()).toMatch(/^out_of_scope/);
  }, 60_000);
});
