import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getSessionValue, setSessionValue, type LianxinDb } from '#shared/local/db.ts';
import { createHlc } from '#shared/clock/hlc.ts';
import { users } from '../support/builders.ts';
import { openTestDb } from './helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
beforeEach(() => ({ db, close } = openTestDb()));
afterEach(() => close());

describe('LianxinDb', () => {
  it('opens at version 5 with the indexes the inbox, the queue, the journal, the knowledge base and the downloaded docs query', async () => {
    await db.open();
    expect(db.verno).toBe(5);
    const indexes = Object.fromEntries(db.tables.map((t) => [t.name, [t.schema.primKey.name, ...t.schema.indexes.map((i) => i.name)]]));
    expect(indexes).toEqual({
      orders: ['id', 'orderNo', 'status', '[tab+deadline]', '[tab+closedAt]', 'deadline', 'receivedAt', 'updatedAt', 'terms'],
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
