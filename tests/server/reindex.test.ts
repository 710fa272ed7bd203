/**
 * Index entries an older server wrote (an older `SUMMARY_VERSION`: fields
 * missing, an index doc that did not exist yet) are written again at start,
 * in the background, without waiting for their orders' next change.
 */
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { cstMonthOf, PLACEMENT_VERSION } from '#shared/order/index-placement.ts';
import { SUMMARY_VERSION } from '#shared/order/summary.ts';
import { archiveIndexDocName, communityIndexDocName, INDEX_ORDERS_MAP, orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { mergeState } from '#server/sync/merge-state.ts';
import { writeReindexMarker } from '#server/sync/reindex.ts';
import { TestClient, createOrder, waitFor } from './support/client.ts';
import { acceptedOrder } from './support/orders-in-progress.ts';
import { users } from './support/fixture.ts';
import { payloads } from '../shared/support/builders.ts';
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
      await writeReindexMarker(store, { version: SUMMARY_VERSION - 1, placement: PLACEMENT_VERSION, liveMs: null, nextDueAt: null, at: Date.now() });
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
  it('with the default window, moves an archived order out of the live index at once, keeps a called-back one, and migrates a store the older rule left at its next start', async () => {
    let server: ServerProcess = await startServer();
    dirs.push(server.dataDir);
    const archived = await createOrder(server.url);
    const calledBack = await createOrder(server.url);
    const clerk = await TestClient.connect(server, users.clerk, 44);
    const worker = await TestClient.connect(server, users.worker, 45);
    clients.push(clerk, worker);
    const street = streetIndexDocName('d1-s1');
    const live = (await clerk.open(street, new Y.Doc()).synced()).doc.getMap<Entry>(INDEX_ORDERS_MAP);
    await waitFor(() => live.has(archived.id) && live.has(calledBack.id), 'both orders listed live');
    for (const [i, id] of [archived.id, calledBack.id].entries()) {
      const { c, w } = await acceptedOrder(clerk, worker, id);
      w.append(worker.write(w, { type: 'close', payload: payloads.close([]) }, worker.at(2000)));
      expect(await w.settled()).toBeNull();
      await waitFor(() => c.events().length === 3, 'the close at the clerk');
      c.append(clerk.write(c, { type: 'portal_reply', payload: {} }, clerk.at(3000)));
      c.append(clerk.write(c, { type: 'callback', payload: { satisfaction: 'satisfied' } }, clerk.at(4000)));
      if (i === 0) c.append(clerk.write(c, { type: 'archive', payload: {} }, clerk.at(5000)));
      expect(await c.settled()).toBeNull();
    }
    // Archived: nothing left to do, gone from the live index the moment it is indexed; 已回访 still waits for 归档.
    await waitFor(() => live.get(calledBack.id)?.status === 'called_back', 'the callback indexed');
    await waitFor(() => !live.has(archived.id), 'the archived order gone from the live index');
    const month = cstMonthOf(Date.now());
    const archive = (await clerk.open(archiveIndexDocName(street, month), new Y.Doc()).synced()).doc.getMap<Entry>(INDEX_ORDERS_MAP);
    await waitFor(() => archive.get(archived.id)?.status === 'archived', 'the order in its month’s archive');
    const entry = archive.get(archived.id)!;
    clerk.close();
    worker.close();
    await server.kill();

    // The store as the older rule (archived orders live for 30 days after closing) left it, with its marker.
    const store = new SqliteStore(join(server.dataDir, 'lianxin.sqlite'));
    try {
      // Its row names the live docs, which list it; its month's archives do not.
      const row = (await store.getOrder(archived.id))!;
      const liveDocs = row.indexDocs.map((name) => name.replace(/:archive:\d{4}-\d{2}$/, ''));
      expect(liveDocs).toContain(street);
      for (const name of row.indexDocs) await rewriteStored(store, name, (map) => map.delete(archived.id));
      for (const name of liveDocs) await rewriteStored(store, name, (map) => map.set(archived.id, entry));
      expect(await store.saveOrder({ ...row, indexDocs: liveDocs })).toBe(true);
      await writeReindexMarker(store, { version: SUMMARY_VERSION, placement: 1, liveMs: 30 * 86_400_000, nextDueAt: Date.now() + 29 * 86_400_000, at: Date.now() });
    } finally {
      await store.close();
    }

    server = await server.restart();
    const again = await TestClient.connect(server, users.clerk, 46);
    clients.push(again);
    const restarted = (await again.open(street, new Y.Doc()).synced()).doc.getMap<Entry>(INDEX_ORDERS_MAP);
    await waitFor(() => !restarted.has(archived.id), 'the archived order moved out by the start’s pass');
    expect(restarted.get(calledBack.id)?.status).toBe('called_back');
    await waitFor(() => /"event":"reindex_done"/.test(server.logs()), 'the pass logged');
    expect(server.logs()).not.toMatch(/"event":"reindex_current"/);
    const kept = (await again.open(archiveIndexDocName(street, month), new Y.Doc()).synced()).doc.getMap<Entry>(INDEX_ORDERS_MAP);
    expect(kept.get(archived.id)?.status).toBe('archived');
    await server.kill();
  }, 120_000);
});
