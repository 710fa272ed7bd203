/**
 * Issue 18: finished orders leave the live index docs (what every device of
 * the scope syncs) for their month's archive docs: archived and merged ones
 * at once, called-back ones once their time in the live index has run out,
 * found by the server's sweep (tests/server/reindex.test.ts: with the default
 * window); the archive docs are read-only and authorised like the live ones.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { cstMonthOf } from '#shared/order/index-placement.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import { archiveIndexDocName, gridIndexDocName, INDEX_ORDERS_MAP, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { createOrder, login, waitFor } from './support/client.ts';
import { acceptedOrder } from './support/orders-in-progress.ts';
import { outsideClerk, outsider, places, users } from './support/fixture.ts';
import { serverForFile } from './support/suite.ts';
import { payloads } from '../shared/support/builders.ts';

// Closed orders stay live for a second: the sweep (as often as that) moves them.
const suite = serverForFile({ env: { INDEX_LIVE: '1s' } });
const { connect } = suite;

describe('archive index docs', () => {
  it('moves an archived order from the live street and grid indexes to their archives of its month, and keeps an open one live', async () => {
    const closing = await createOrder(suite.server.url);
    const open = await createOrder(suite.server.url);
    const clerk = await connect(users.clerk, 51);
    const worker = await connect(users.worker, 52);
    const live = (await clerk.open(streetIndexDocName('d1-s1'), new Y.Doc()).synced()).doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
    await waitFor(() => live.has(closing.id) && live.has(open.id), 'both orders in the live index');

    const { c, w } = await acceptedOrder(clerk, worker, closing.id);
    w.append(worker.write(w, { type: 'close', payload: payloads.close([]) }, worker.at(2000)));
    expect(await w.settled()).toBeNull();
    // 已办结 stays live (the desk's 审核 queue) however old; replied and archived, nothing is left to do.
    await waitFor(() => live.get(closing.id)?.status === 'closed', 'the close indexed');
    await waitFor(() => c.events().length === 3, 'the close at the clerk');
    c.append(clerk.write(c, { type: 'portal_reply', payload: {} }, clerk.at(3000)));
    c.append(clerk.write(c, { type: 'archive', payload: {} }, clerk.at(4000)));
    expect(await c.settled()).toBeNull();

    await waitFor(() => !live.has(closing.id), 'the closed order gone from the live index');
    expect(live.has(open.id)).toBe(true);

    const month = cstMonthOf(worker.at(2000));
    const archive = (await clerk.open(archiveIndexDocName(streetIndexDocName('d1-s1'), month), new Y.Doc()).synced()).doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
    await waitFor(() => archive.get(closing.id)?.status === 'archived', 'the order in the street archive of its month');
    expect(archive.has(open.id)).toBe(false);
    const gridArchive = await worker.open(archiveIndexDocName(gridIndexDocName(places.grid1.gridId), month), new Y.Doc()).synced();
    await waitFor(() => gridArchive.doc.getMap(INDEX_ORDERS_MAP).has(closing.id), 'the order in the grid archive');
    const gridLive = await worker.open(gridIndexDocName(places.grid1.gridId), new Y.Doc()).synced();
    expect(gridLive.doc.getMap(INDEX_ORDERS_MAP).has(closing.id)).toBe(false);

    const stranger = await connect(outsider, 53);
    expect(await stranger.open(archiveIndexDocName(streetIndexDocName('d1-s1'), month)).deniedReason()).toMatch(/^out_of_scope/);
  }, 90_000);

  it('gives a street’s archives to its own clerk and to nobody of another street, over the socket and the bulk read', async () => {
    const month = cstMonthOf(Date.now());
    const s1 = archiveIndexDocName(streetIndexDocName('d1-s1'), month);
    const s2 = archiveIndexDocName(streetIndexDocName('d1-s2'), month);
    const g1 = archiveIndexDocName(gridIndexDocName(places.grid1.gridId), month);
    const otherClerk = await connect(outsideClerk, 54);
    expect(await otherClerk.open(s1).deniedReason()).toMatch(/^out_of_scope/);
    expect(await otherClerk.open(g1).deniedReason()).toMatch(/^out_of_scope/);
    // Their own street's archive opens.
    await otherClerk.open(s2, new Y.Doc()).synced();
    const worker = await connect(users.worker, 55);
    // A grid worker reads their grid's archive, not the street's.
    expect(await worker.open(s1).deniedReason()).toMatch(/^out_of_scope/);

    const bulk = async (user: string, names: string[]) => {
      const res = await fetch(`${suite.server.url}/api/docs`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${await login(suite.server.url, user)}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ names }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { docs: Record<string, { update?: string; error?: { code: string } }> }).docs;
    };
    const asOther = await bulk(outsideClerk.id, [s1, g1, s2]);
    expect(asOther[s1]?.error?.code).toBe('out_of_scope');
    expect(asOther[g1]?.error?.code).toBe('out_of_scope');
    expect(asOther[s2]?.update).toBeTypeOf('string');
    const asClerk = await bulk(users.clerk.id, [s1, s2]);
    expect(asClerk[s1]?.update).toBeTypeOf('string');
    expect(asClerk[s2]?.error?.code).toBe('out_of_scope');
  }, 60_000);
});
