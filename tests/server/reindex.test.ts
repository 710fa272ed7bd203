/**
 * Index entries an older server wrote (an older `SUMMARY_VERSION`: fields
 * missing, an index doc that did not exist yet) are written again at start,
 * in the background, without waiting for their orders' next change.
 */
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { SUMMARY_VERSION } from '#shared/order/summary.ts';
import { communityIndexDocName, INDEX_ORDERS_MAP, orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { mergeState } from '#server/sync/merge-state.ts';
import { writeReindexMarker } from '#server/sync/reindex.ts';
import { TestClient, createOrder, waitFor } from './support/client.ts';
import { users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

const dirs: string[] = [];
const clients: TestClient[] = [];
afterAll(async () => {
  for (const client of clients) client.close();
  await stopAll(dirs);
});

type Entry = Record<string, unknown>;

/** Rewrite a stored index doc as an older server would have left it, with the server stopped. */
async function rewriteStored(store: SqliteStore, name: string, change: (map: Y.Map<Entry>) => void): Promise<void> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, mergeState(await store.loadDoc(name)));
  const before = Y.encodeStateVector(doc);
  doc.transact(() => change(doc.getMap<Entry>(INDEX_ORDERS_MAP)));
  await store.appendUpdate(name, Y.encodeStateAsUpdate(doc, before));
  doc.destroy();
}

/** An entry as the first servers wrote it: no version, none of the fields added since. */
function versionOne(entry: Entry): Entry {
  const { summaryVersion: _version, dispatchedAt: _dispatchedAt, selfHandled: _selfHandled, returnReason: _returnReason, ...rest } = entry;
  return rest;
}

describe('re-indexing at start', () => {
  it('writes current summaries over the entries of an older summary version, and fills index docs that are new', async () => {
    let server: ServerProcess = await startServer();
    dirs.push(server.dataDir);
    const ids = [(await createOrder(server.url)).id, (await createOrder(server.url)).id, (await createOrder(server.url, { place: { districtId: 'd1', streetId: 'd1-s1' } })).id];
    const clerk = await TestClient.connect(server, users.clerk, 41);
    clients.push(clerk);
    const street = await clerk.open(streetIndexDocName('d1-s1'), new Y.Doc()).synced();
    const streetMap = street.doc.getMap<Entry>(INDEX_ORDERS_MAP);
    await waitFor(() => ids.every((id) => streetMap.get(id)?.summaryVersion === SUMMARY_VERSION), 'the orders indexed');
    // An order dispatched to a grid of the community, so its entry carries a dispatch time.
    const doc = await clerk.open(orderDocName(ids[0]!), new Y.Doc()).synced();
    doc.append(clerk.write(doc, { type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, clerk.at()));
    await doc.acked();
    await waitFor(() => typeof streetMap.get(ids[0]!)?.dispatchedAt === 'number', 'the dispatch in the index');
    const current = new Map(ids.map((id) => [id, streetMap.get(id)!]));
    clerk.close();
    await server.kill();

    const store = new SqliteStore(join(server.dataDir, 'lianxin.sqlite'));
    try {
      await rewriteStored(store, streetIndexDocName('d1-s1'), (map) => {
        for (const [id, entry] of current) map.set(id, versionOne(entry));
      });
      // The store as an older server left it: its re-index marker (if any) names an older version, so the start reads the docs.
      await writeReindexMarker(store, { version: SUMMARY_VERSION - 1, liveMs: null, nextDueAt: null, at: Date.now() });
      // Before community indexes, no community doc listed them.
      await rewriteStored(store, communityIndexDocName(users.community.unitId), (map) => {
        for (const id of ids) map.delete(id);
      });
    } finally {
      await store.close();
    }

    server = await server.restart();
    const again = await TestClient.connect(server, users.clerk, 42);
    const handler = await TestClient.connect(server, users.community, 43);
    clients.push(again, handler);
    const restarted = (await again.open(streetIndexDocName('d1-s1'), new Y.Doc()).synced()).doc.getMap<Entry>(INDEX_ORDERS_MAP);
    const community = (await handler.open(communityIndexDocName(users.community.unitId), new Y.Doc()).synced()).doc.getMap<Entry>(INDEX_ORDERS_MAP);
    await waitFor(() => ids.every((id) => restarted.get(id)?.summaryVersion === SUMMARY_VERSION), 'current summaries in the street index');
    for (const id of ids) expect(restarted.get(id)).toEqual(current.get(id));
    // The order placed at the street alone is not the community's.
    await waitFor(() => community.has(ids[0]!) && community.has(ids[1]!), 'the community index filled');
    expect(community.has(ids[2]!)).toBe(false);
    await server.logged(/"event":"reindex_done"/);
    expect(server.logs()).toMatch(new RegExp(`"event":"reindex_started".*"stale":${ids.length}`));
    expect(server.logs()).toMatch(new RegExp(`"event":"reindex_done".*"orders":${ids.length},"of":${ids.length}`));
  }, 90_000);

  it('skips the pass on a start when the store is current (its marker), and reads again when the live window changes', async () => {
    let server: ServerProcess = await startServer();
    dirs.push(server.dataDir);
    await createOrder(server.url);
    await server.logged(/"event":"reindex_(none|done)"/);
    await server.kill();

    server = await server.restart();
    await server.logged(/"event":"reindex_current"/);
    expect(server.logs()).not.toMatch(/"event":"reindex_(none|started)"/);
    // The duplicate detector reads the stored orders once the server listens, not before.
    await server.logged(/"event":"duplicates_warm"/);
    expect(server.logs().indexOf('"event":"listening"')).toBeGreaterThanOrEqual(0);
    expect(server.logs().indexOf('"event":"listening"')).toBeLessThan(server.logs().indexOf('"event":"duplicates_warm"'));
    await server.kill();

    server = await server.restart({ env: { INDEX_LIVE: '7d' } });
    await server.logged(/"event":"reindex_(none|done)"/);
    expect(server.logs()).not.toMatch(/"event":"reindex_current"/);
    await server.kill();
  }, 90_000);
});
