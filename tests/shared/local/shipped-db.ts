/**
 * The device database as each shipped version of the app made it, and what a database of that version must
 * read as once today's `LianxinDb` has opened it: for the upgrade's tests in fake-indexeddb
 * (tests/shared/local/db.test.ts) and in Chromium's IndexedDB (tests/e2e/pwa/db-upgrade.e2e.ts).
 */
import Dexie from 'dexie';
import type { LianxinDb, OrderRow } from '#shared/local/db.ts';

/** shared/local/db.ts's declarations as each version shipped them, before they were collapsed to the upgrades. */
const HISTORY: readonly (readonly [number, Readonly<Record<string, string>>])[] = [
  [1, {
    orders: 'id, &orderNo, status, [tab+deadline], [tab+closedAt], deadline, receivedAt, updatedAt, *terms',
    photos: 'sha256, orderId',
    uploads: 'sha256, orderId, state, nextAttemptAt',
    journal: 'id, orderId, durableAt, unsynced',
    intakes: 'orderId, durableAt, unsynced',
    session: 'key',
  }],
  [2, { notifications: 'id, orderId, at, unread' }],
  [3, { knowledge: 'id, seq', knowledgeGone: 'id, seq', knowledgeMeta: 'key' }],
  [4, { knowledge: 'id, seq, pack', knowledgePacks: 'key', knowledgeTerms: 'key, seq' }],
  [5, { docSeeds: 'name' }],
  [6, { orders: 'id, &orderNo, status, [tab+deadline], [tab+closedAt], receivedAt, *terms' }],
];

export const SHIPPED_VERSIONS = HISTORY.map(([version]) => version);

/** Declares on `db` every version up to `version` as the app of that version did. */
export function declareShipped(db: Dexie, version: number): void {
  for (const [n, stores] of HISTORY) if (n <= version) db.version(n).stores(stores);
}

/** The database `name` as the app of `version` created it, with a row in each table that version had. */
export async function createShipped(name: string, version: number, rows: readonly OrderRow[], now: number): Promise<void> {
  const db = new Dexie(name);
  declareShipped(db, version);
  await db.table('orders').bulkPut([...rows]);
  await db.table('session').put({ key: 'serverOffsetMs', value: -1200 });
  if (version >= 2) await db.table('notifications').put({ id: 'n1', orderId: rows[0]!.id, at: now, unread: 1 });
  if (version >= 3) await db.table('knowledge').put({ id: 'k1', seq: 1, pack: 'p1' });
  if (version >= 5) await db.table('docSeeds').put({ name: 'order:o1', update: new Uint8Array([1, 2, 3]), at: now });
  db.close();
}

/** What an upgraded database reads as: what the upgrade's tests compare with `expectedAfterUpgrade`. */
export async function readUpgraded(db: LianxinDb, rows: readonly OrderRow[]) {
  const row = rows[0]!;
  return {
    verno: db.verno,
    schema: schemaOf(db.backendDB()),
    orders: await db.orders.toArray(),
    byInboxIndex: (await db.orders.where('[tab+deadline]').equals([row.tab, row.deadline]).primaryKeys()).includes(row.id),
    byTerm: (await db.orders.where('terms').equals(row.terms[0]!).primaryKeys()).includes(row.id),
    serverOffsetMs: (await db.session.get('serverOffsetMs'))?.value,
    notifications: await db.notifications.count(),
    knowledge: await db.knowledge.count(),
    docSeeds: await db.docSeeds.count(),
  };
}

/** Every row kept, but version 3's knowledge entries (version 4's upgrade drops them: pulled again from 0). */
export function expectedAfterUpgrade(version: number, rows: readonly OrderRow[], freshSchema: Schema) {
  return {
    verno: 7,
    schema: freshSchema,
    orders: [...rows].sort((a, b) => (a.id < b.id ? -1 : 1)),
    byInboxIndex: true,
    byTerm: true,
    serverOffsetMs: -1200,
    notifications: version >= 2 ? 1 : 0,
    knowledge: version >= 4 ? 1 : 0,
    docSeeds: version >= 5 ? 1 : 0,
  };
}

export type Schema = Record<string, { key: unknown; indexes: Record<string, { keyPath: unknown; unique: boolean; multiEntry: boolean }> }>;

/** The object stores and their indexes as IndexedDB has them (not as Dexie declares them). */
export function schemaOf(idb: IDBDatabase): Schema {
  const tx = idb.transaction([...idb.objectStoreNames], 'readonly');
  return Object.fromEntries(
    [...idb.objectStoreNames].map((name) => {
      const store = tx.objectStore(name);
      const indexes = Object.fromEntries([...store.indexNames].map((index) => {
        const { keyPath, unique, multiEntry } = store.index(index);
        return [index, { keyPath, unique, multiEntry }];
      }));
      return [name, { key: store.keyPath, indexes }];
    }),
  );
}
