/**
 * A download's states are one pack (shared/local/doc-seeds.ts), which goes with its last seed: an order that
 * leaves the user's index (sent to another unit: its entry deleted, not moving to an archive, no local work)
 * must take its seed with its row, or that one name keeps the whole download's pack on the device.
 */
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { SyncEngine, indexDocNamesFor } from '#shared/client/sync.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { seededDocNames, storeDocSeeds } from '#shared/local/doc-seeds.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { T0, users } from '../support/builders.ts';
import { openTestDb } from '../local/helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;
beforeEach(() => {
  ({ db, close } = openTestDb());
  docs = new OrderDocs({ db });
});
afterEach(async () => {
  await docs.closeAll();
  await close();
});

/** The engine's projection of an index doc's changed keys (what its map observer runs), without a server. */
type Projecting = { project(map: Y.Map<unknown>, keys: readonly string[]): Promise<void> };

it('drops the seed of an order that left the index, so its download\'s pack goes once the others are finished', async () => {
  const ids = Array.from({ length: 20 }, (_, i) => `left-${i}`);
  const source = new Y.Doc();
  source.getArray('events').push([{ from: 'server' }]);
  await storeDocSeeds(db, ids.map((id) => ({ name: orderDocName(id), update: Y.encodeStateAsUpdate(source) })), T0);
  await docs.forgetFinished(ids.slice(1));
  expect([...(await seededDocNames(db))]).toEqual([orderDocName(ids[0]!)]);

  const engine = new SyncEngine({ db, docs, url: 'ws://127.0.0.1:9', token: 'never-used', user: users.worker, indexDocs: indexDocNamesFor(users.worker) });
  // The first order's entry deleted from the worker's index (sent to another grid): an empty map has no such key.
  await (engine as unknown as Projecting).project(new Y.Doc().getMap<unknown>('orders'), [ids[0]!]);

  expect(await seededDocNames(db)).toEqual(new Set());
  expect(await db.docSeedPacks.count()).toBe(0);
  await engine.stop();
});
