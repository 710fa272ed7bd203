/**
 * The PWA's device work in a first sync, in Chromium with the app's own code (bundled by
 * `bench/profile/first-sync-device.ts`): what the Node device of the `first-sync` case does not do.
 * Each function takes the states as the bulk read delivered them (base64) and returns its marks in ms.
 */
import Dexie from 'dexie';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { LianxinDb } from '#shared/local/db.ts';
import { INBOX_INDEX } from '#shared/local/first-read.ts';
import { storeDocSeeds } from '#shared/local/doc-seeds.ts';
import { projectMany, toOrderRow, type ProjectionSource } from '#shared/local/projection.ts';
import { isFinalStatus } from '#shared/order/status.ts';
import { readIndexSummary } from '#shared/order/summary.ts';
import { INDEX_ORDERS_MAP } from '#shared/sync/doc-names.ts';
import { readEvents, readIntake } from '#shared/sync/order-doc.ts';

type Marks = Record<string, number>;
/** As `LianxinApi.fetchDocs` decodes (shared/client/api.ts): the native decoder where there is one. */
const native = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64?.bind(Uint8Array);
const bytesOf = (base64: string) => (native ? native(base64) : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));

function marker(): { marks: Marks; mark: (label: string) => void } {
  const marks: Marks = {};
  let at = performance.now();
  return { marks, mark: (label) => (marks[label] = -at + (at = performance.now())) };
}

/** The street index as `SyncEngine.openIndex` takes it: y-indexeddb, the bulk read's state, every entry validated and projected. */
async function index(name: string, base64: string): Promise<Marks> {
  const { marks, mark } = marker();
  const update = bytesOf(base64);
  mark('base64');
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  mark('y-indexeddb open');
  Y.applyUpdate(doc, update, 'lianxin:bootstrap');
  mark('applyUpdate');
  const sources: ProjectionSource[] = [];
  doc.getMap<unknown>(INDEX_ORDERS_MAP).forEach((raw, id) => {
    const summary = readIndexSummary(id, raw);
    if (summary.ok) sources.push({ summary: summary.value });
  });
  mark('validate entries');
  const db = new LianxinDb();
  await projectMany(db, sources, Date.now());
  mark('project rows (Dexie)');
  await persistence.destroy();
  doc.destroy();
  db.close();
  mark('close (y-indexeddb write)');
  return marks;
}

/** The open orders as `SyncEngine.prefetch` stored them before issue 18's download: a Y.Doc and a y-indexeddb database each. */
async function perDocDatabases(docs: Record<string, string>): Promise<Marks> {
  const { marks, mark } = marker();
  const updates = Object.entries(docs).map(([name, b]) => [name, bytesOf(b)] as const);
  mark('base64');
  for (const [name, update] of updates) {
    const probe = new Y.Doc();
    Y.applyUpdate(probe, update);
    if (readIntake(probe) === null) continue;
    probe.destroy();
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(name, doc);
    await persistence.whenSynced;
    Y.applyUpdate(doc, update, 'lianxin:prefetch');
    readEvents(doc); // the notifications' read (`notice`)
    await persistence.destroy();
    doc.destroy();
  }
  mark(`${updates.length} docs: decode + a database each`);
  return marks;
}

/** The open orders as `SyncEngine.download` stores them: as sent, one transaction. */
async function seeds(docs: Record<string, string>): Promise<Marks> {
  const { marks, mark } = marker();
  const updates = Object.entries(docs).map(([name, b]) => ({ name, update: bytesOf(b) }));
  mark('base64');
  const db = new LianxinDb();
  await storeDocSeeds(db, updates, Date.now());
  mark(`${updates.length} docs: one transaction`);
  db.close();
  return marks;
}

/** The baseline's storage: the same bytes, one put in one object store (strict durability, as LianxinDb). */
async function plainPut(docs: Record<string, string>): Promise<Marks> {
  const { marks, mark } = marker();
  const parts = Object.values(docs).map(bytesOf);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) all.set(p, (at += p.length) - p.length);
  mark('base64');
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('plain-put');
    open.onupgradeneeded = () => open.result.createObjectStore('blobs');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('blobs', 'readwrite', { durability: 'strict' });
    tx.objectStore('blobs').put(all, 'all');
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  mark(`one put of ${(all.length / 1024).toFixed(0)} KB`);
  db.close();
  return marks;
}

/** Open one order as the detail screen does (`OrderDocs.acquire`) and read it: the cost moved from the sync to the open. */
async function openOrder(orderId: string): Promise<Marks> {
  const { marks, mark } = marker();
  const db = new LianxinDb();
  const docs = new OrderDocs({ db });
  const handle = await docs.acquire(orderId);
  const ok = readIntake(handle.doc)?.ok === true;
  readEvents(handle.doc);
  mark(ok ? 'open + read' : 'open: NO INTAKE');
  handle.release();
  await docs.closeAll();
  db.close();
  return marks;
}

async function wipe(): Promise<void> {
  for (const info of await indexedDB.databases()) if (info.name) await new Promise((resolve) => Object.assign(indexedDB.deleteDatabase(info.name!), { onsuccess: resolve, onerror: resolve, onblocked: resolve }));
}

/**
 * The index's rows written in different ways, each on a fresh database (bench/README.md, "First sync,
 * part 5"): what the bigram terms cost, and what the finished orders' rows cost, in one transaction
 * with its commit.
 */
let rowRounds = 0;

/** The index's entries as the engine reads them from the bulk read's state: decoded, validated. */
function sourcesOf(base64: string): ProjectionSource[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, bytesOf(base64));
  const sources: ProjectionSource[] = [];
  doc.getMap<unknown>(INDEX_ORDERS_MAP).forEach((raw, id) => {
    const summary = readIndexSummary(id, raw);
    if (summary.ok) sources.push({ summary: summary.value });
  });
  doc.destroy();
  return sources;
}

async function rowVariants(base64: string): Promise<Marks> {
  const { marks, mark } = marker();
  const sources = sourcesOf(base64);
  const now = Date.now();
  const open = sources.filter((s) => !isFinalStatus(s.summary.status));
  mark('decode + validate (not counted)');
  const write = async (label: string, durability: 'strict' | 'relaxed', rows: () => ReturnType<typeof toOrderRow>[]) => {
    await wipe();
    const db = new LianxinDb('lianxin', { durability });
    await db.open();
    mark('(wipe)');
    await db.transaction('rw', db.orders, () => db.orders.bulkPut(rows()));
    mark(label);
    db.close();
  };
  await wipe();
  const db = new LianxinDb();
  await projectMany(db, sources, now);
  mark(`projectMany, ${sources.length} rows (as now)`);
  db.close();
  // The PWA's database (no search terms), its live rows (part 9): projectMany into the empty table, against the
  // same with the `bulkGet` of every id first, as projectMany did before part 9.
  const live: [string, (db: LianxinDb) => Promise<unknown>][] = [
    ['projectMany (no read of an empty table)', (db) => projectMany(db, open, now)],
    [
      'bulkGet of every id, then bulkPut (before part 9)',
      (db) =>
        db.transaction('rw', db.orders, async () => {
          await db.orders.bulkGet(open.map((s) => s.summary.id));
          await db.orders.bulkPut(open.map((s) => toOrderRow(s, undefined, now, false)));
        }),
    ],
  ];
  // Alternated between rounds: neither is always the first after the wipe.
  if (rowRounds++ % 2 === 1) live.reverse();
  for (const [label, project] of live) {
    await wipe();
    const pwaDb = new LianxinDb('lianxin', { searchIndex: false });
    await pwaDb.open();
    mark('(wipe)');
    await project(pwaDb);
    mark(`PWA, the ${open.length} live rows: ${label}`);
    pwaDb.close();
  }
  await write(`rows only, ${sources.length}, terms kept`, 'strict', () => sources.map((s) => toOrderRow(s, undefined, now)));
  await write(`rows only, ${sources.length}, relaxed durability`, 'relaxed', () => sources.map((s) => toOrderRow(s, undefined, now)));
  await write(`rows only, ${sources.length}, no terms`, 'strict', () => sources.map((s) => ({ ...toOrderRow(s, undefined, now), terms: [] })));
  await write(`rows only, finished without terms`, 'strict', () => sources.map((s) => (isFinalStatus(s.summary.status) ? { ...toOrderRow(s, undefined, now), terms: [] } : toOrderRow(s, undefined, now))));
  await write(`rows only, the ${open.length} not finished`, 'strict', () => open.map((s) => toOrderRow(s, undefined, now)));
  const t = performance.now();
  const terms = sources.map((s) => toOrderRow(s, undefined, now).terms.length);
  marks['toOrderRow x all (compute only)'] = performance.now() - t;
  marks['mean terms per row'] = terms.reduce((a, b) => a + b, 0) / terms.length;
  return marks;
}

/**
 * The PWA's live rows (every order not archived or merged) written in one transaction each way, on a fresh
 * database (bench/README.md, "First sync, part 13"): what the table's indexes, the row count and the rows'
 * structured clones cost against one put of the same data.
 */
let liveRounds = 0;

async function liveRowVariants(base64: string): Promise<Marks> {
  const { marks, mark } = marker();
  const live = sourcesOf(base64).filter((s) => !isFinalStatus(s.summary.status));
  const now = Date.now();
  const openTabs = live.filter((s) => s.summary.tab !== 'done');
  const closed = live.filter((s) => s.summary.tab === 'done');
  const rows = live.map((s) => toOrderRow(s, undefined, now, false));
  mark('decode + validate (not counted)');
  const t = performance.now();
  live.map((s) => toOrderRow(s, undefined, now, false));
  marks[`toOrderRow x ${live.length} (compute only, no terms)`] = performance.now() - t;
  const u = performance.now();
  structuredClone(rows);
  marks[`structuredClone of the ${live.length} rows (page only)`] = performance.now() - u;
  marks['bytes of the rows as JSON (KB)'] = JSON.stringify(rows).length / 1024;
  const withDb = (schema: string, write: (table: Dexie.Table<unknown, string>) => Promise<unknown>) => async () => {
    await wipe();
    const db = new Dexie('variant');
    db.version(1).stores({ orders: schema });
    await db.open();
    const u = performance.now();
    await db.transaction('rw', 'orders', () => write(db.table('orders')));
    const took = performance.now() - u;
    db.close();
    return took;
  };
  const variants: [string, () => Promise<number>][] = [
    [
      `projectMany into the PWA's database, ${live.length} rows (as now)`,
      async () => {
        await wipe();
        const db = new LianxinDb('lianxin', { searchIndex: false });
        await db.open();
        const u = performance.now();
        await projectMany(db, live, now);
        const took = performance.now() - u;
        db.close();
        return took;
      },
    ],
    [`bulkPut, the PWA's schema (6 indexes), ${live.length} rows`, withDb(PWA_ORDERS, (t) => t.bulkPut(rows))],
    [`bulkPut, primary key only, ${live.length} rows`, withDb('id', (t) => t.bulkPut(rows))],
    [`bulkPut, the PWA's schema, rows with terms (the extension's)`, withDb(PWA_ORDERS, (t) => t.bulkPut(live.map((s) => toOrderRow(s, undefined, now, true))))],
    [`bulkPut, the PWA's schema, the ${openTabs.length} open tabs' rows`, withDb(PWA_ORDERS, (t) => t.bulkPut(rows.filter((r) => r.tab !== 'done')))],
    [`bulkPut, the PWA's schema, the ${closed.length} closed live rows`, withDb(PWA_ORDERS, (t) => t.bulkPut(rows.filter((r) => r.tab === 'done')))],
    [
      `projectMany into the PWA's database, the ${openTabs.length} open tabs' rows (the app's first write)`,
      async () => {
        await wipe();
        const db = new LianxinDb('lianxin', { searchIndex: false });
        await db.open();
        const u = performance.now();
        await projectMany(db, openTabs, now);
        const took = performance.now() - u;
        db.close();
        return took;
      },
    ],
    [
      `raw IndexedDB puts, the PWA's database, the ${openTabs.length} open tabs' rows (no Dexie between)`,
      async () => {
        await wipe();
        const db = new LianxinDb('lianxin', { searchIndex: false });
        await db.open();
        const open = rows.filter((r) => r.tab !== 'done');
        const u = performance.now();
        await new Promise<void>((resolve, reject) => {
          const tx = db.backendDB().transaction('orders', 'readwrite', { durability: 'strict' });
          const store = tx.objectStore('orders');
          for (const row of open) store.put(row);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        const took = performance.now() - u;
        db.close();
        return took;
      },
    ],
    [`one put: the ${live.length} rows as one value`, withDb('id', (t) => t.put({ id: 'all', rows }))],
    [`one put: the rows' JSON as a Blob`, withDb('id', (t) => t.put({ id: 'all', blob: new Blob([JSON.stringify(rows)]) }))],
  ];
  // Rotated between rounds: none is always the first after a wipe.
  const shift = liveRounds++ % variants.length;
  for (const [label, run] of [...variants.slice(shift), ...variants.slice(0, shift)]) marks[label] = await run();
  return marks;
}

/** The PWA's orders table as of db.ts version 6 (its terms are empty there: `searchIndex: false`). */
const PWA_ORDERS = `id, &orderNo, status, ${INBOX_INDEX}, [tab+closedAt], receivedAt, *terms`;

Object.assign(globalThis, { firstSyncDevice: { index, rowVariants, liveRowVariants, perDocDatabases, seeds, plainPut, openOrder, wipe } });
