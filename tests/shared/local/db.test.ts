import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toOrderRow } from '#shared/local/projection.ts';
import { getSessionValue, setSessionValue, type LianxinDb } from '#shared/local/db.ts';
import { createHlc } from '#shared/clock/hlc.ts';
import { T0, users } from '../support/builders.ts';
import { openTestDb, syntheticSummaries } from './helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
beforeEach(() => ({ db, close } = openTestDb()));
afterEach(() => close());

describe('LianxinDb', () => {
  it('opens at version 6 with the indexes the inbox, the queue, the journal, the knowledge base and the downloaded docs query', async () => {
    await db.open();
    expect(db.verno).toBe(6);
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
    });
    expect(db.orders.schema.idxByName['orderNo']?.unique).toBe(true);
    expect(db.orders.schema.idxByName['terms']?.multi).toBe(true);
  });

  it('upgrades a version 5 database without losing a row: only the unread deadline and updatedAt indexes go', async () => {
    const name = db.name;
    const rows = syntheticSummaries(20).map((summary) => toOrderRow({ summary }, undefined, T0));
    // The orders table as version 5 declared it (the other tables as they were too: the upgrade adds none).
    const v5 = new Dexie(name);
    v5.version(5).stores({ orders: 'id, &orderNo, status, [tab+deadline], [tab+closedAt], deadline, receivedAt, updatedAt, *terms' });
    await v5.table('orders').bulkPut(rows);
    v5.close();
    await db.open();
    expect(db.verno).toBe(6);
    expect(await db.orders.toArray()).toEqual([...rows].sort((a, b) => (a.id < b.id ? -1 : 1)));
    const row = rows[0]!;
    expect((await db.orders.where('[tab+deadline]').equals([row.tab, row.deadline]).primaryKeys())).toContain(row.id);
    expect(await db.orders.where('terms').equals(row.terms[0]!).primaryKeys()).toContain(row.id);
    expect(db.orders.schema.idxByName['deadline']).toBeUndefined();
    expect(db.orders.schema.idxByName['updatedAt']).toBeUndefined();
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
