import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toOrderRow } from '#shared/local/projection.ts';
import { getSessionValue, setSessionValue, type LianxinDb } from '#shared/local/db.ts';
import { createHlc } from '#shared/clock/hlc.ts';
import { T0, users } from '../support/builders.ts';
import { openTestDb, syntheticSummaries } from './helpers.ts';
import { SHIPPED_VERSIONS, createShipped, expectedAfterUpgrade, readUpgraded, schemaOf } from './shipped-db.ts';

let db: LianxinDb;
let close: () => Promise<void>;
beforeEach(() => ({ db, close } = openTestDb()));
afterEach(() => close());

describe('LianxinDb', () => {
  it('opens at version 7 with the indexes the inbox, the queue, the journal, the knowledge base and the downloaded docs query', async () => {
    await db.open();
    expect(db.verno).toBe(7);
    const indexes = Object.fromEntries(db.tables.map((t) => [t.name, [t.schema.primKey.name, ...t.schema.indexes.map((i) => i.name)]]));
    expect(indexes).toEqual({
      orders: ['id', 'orderNo', 'status', '[tab+deadline]', '[tab+closedAt]', 'receivedAt', 'terms'],
      photos: ['sha256', 'orderId'],
      uploads: ['sha256', 'orderId', 'state', 'nextAttemptAt'],
      journal: ['id', 'orderId', 'durableAt', 'unsynced'],
      intakes: ['orderId', 'durableAt', 'unsynced'],
      session: ['key'],
      notifications: ['id', 'orderId', 'at', 'unread'],
      knowledge: ['id', 'seq', 'pack'],
      knowledgePacks: ['key'],
      knowledgeTerms: ['key', 'seq'],
      knowledgeGone: ['id', 'seq'],
      knowledgeMeta: ['key'],
      docSeeds: ['name'],
      docSeedPacks: ['id'],
      docSeedNames: ['id'],
    });
    expect(db.orders.schema.idxByName['orderNo']?.unique).toBe(true);
    expect(db.orders.schema.idxByName['terms']?.multi).toBe(true);
  });

  it.each(SHIPPED_VERSIONS)('opens a database of shipped version %i at version 7, the schema a new device gets, every row kept but version 3’s knowledge', async (shipped) => {
    const rows = syntheticSummaries(20).map((summary) => toOrderRow({ summary }, undefined, T0));
    await createShipped(db.name, shipped, rows, T0);
    await db.open();
    const fresh = openTestDb();
    await fresh.db.open();
    const freshSchema = schemaOf(fresh.db.backendDB());
    await fresh.close();
    expect(await readUpgraded(db, rows)).toEqual(expectedAfterUpgrade(shipped, rows, freshSchema));
  });

  it('keeps session values by key, typed', async () => {
    expect(await getSessionValue(db, 'user')).toBeUndefined();
    await setSessionValue(db, 'user', users.worker);
    await setSessionValue(db, 'serverOffsetMs', -1200);
    await setSessionValue(db, 'hlc', createHlc('dev-1', -1200));
    expect(await getSessionValue(db, 'user')).toEqual(users.worker);
    expect(await getSessionValue(db, 'serverOffsetMs')).toBe(-1200);
    expect((await getSessionValue(db, 'hlc'))?.node).toBe('dev-1');
  });
});

