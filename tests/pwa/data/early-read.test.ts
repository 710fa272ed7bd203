/**
 * index.html's first read (pwa/scripts/early-read.ts): the raw IndexedDB
 * script, written from the names the Dexie schema is built from, reads the
 * same session and the same first-screen rows as the app's Dexie reads
 * (`loadSession`, `inboxRows`), and never creates the database.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { earlyReadScript } from '../../../pwa/scripts/early-read.ts';
import { STORED_KEYS } from '../../../pwa/src/data/storage-keys.ts';
import { loadSession, saveSession, sessionFromRows } from '#shared/client/session.ts';
import { LianxinDb, type OrderRow, type SessionRow } from '#shared/local/db.ts';
import { sortForInbox } from '#shared/order/inbox-order.ts';
import { DB_NAME } from '#shared/local/first-read.ts';
import { inboxRows, projectMany } from '#shared/local/projection.ts';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import { T0, users } from '../../shared/support/builders.ts';
import { syntheticSummaries } from '../../shared/local/helpers.ts';
import { declareShipped } from '../../shared/local/shipped-db.ts';

type FirstRead = { tab: string | null; rows: { id: string }[] | null; session: (SessionRow | undefined)[] } | null;

const TAB_KEY = STORED_KEYS.inboxTab.key;

/** Runs the inline script as index.html does, with `tab` as the stored inbox tab; resolves with what it read. */
function runScript(tab: string | null): Promise<FirstRead> {
  const page: { __lianxinFirstRead?: Promise<FirstRead> } = {};
  const storage = { getItem: (key: string) => (key === TAB_KEY ? tab : null) };
  new Function('window', 'sessionStorage', earlyReadScript({ tabKey: TAB_KEY, localeKey: STORED_KEYS.locale.key, build: '' }))(page, storage);
  expect(page.__lianxinFirstRead).toBeDefined();
  return page.__lianxinFirstRead!;
}

afterEach(async () => {
  await Dexie.delete(DB_NAME);
});

describe("index.html's first read", () => {
  it('reads the stored session and the tab’s rows exactly as Dexie does', async () => {
    const db = new LianxinDb();
    await saveSession(db, { user: users.worker, token: 'token-1', expiresAt: T0 + 3_600_000, serverTime: T0 + 5_000, receivedAt: T0, place: null }, seededRandomBytes(1));
    await projectMany(db, syntheticSummaries(300).map((summary) => ({ summary })), T0);
    const expected = await loadSession(db);
    const todo = await inboxRows(db, 'todo', T0);
    const doing = await inboxRows(db, 'doing', T0);
    db.close();
    expect(expected?.token).toBe('token-1');
    expect(todo.length).toBeGreaterThan(0);

    const read = await runScript(null);
    expect(read?.tab).toBe('todo');
    expect(sessionFromRows(read!.session)).toEqual(expected);
    expect(new Set(read!.rows!.map((row) => row.id))).toEqual(new Set(todo.map((row) => row.id)));
    // The first screen shows them in the inbox's order (pwa/src/data/index.ts sorts them without Dexie): the live query's.
    expect(sortForInbox(read!.rows as OrderRow[], T0).map((row) => row.id)).toEqual(todo.map((row) => row.id));

    const second = await runScript('doing');
    expect(new Set(second!.rows!.map((row) => row.id))).toEqual(new Set(doing.map((row) => row.id)));
    // 'all' (every row) is read by the app itself; the session still comes from the first read.
    const all = await runScript('all');
    expect(all?.rows).toBeNull();
    expect(sessionFromRows(all!.session)).toEqual(expected);
  });

  it('reads no session when none is stored, and creates no database on a first visit', async () => {
    expect(await runScript(null)).toBeNull();
    expect(await Dexie.exists(DB_NAME)).toBe(false);
    const db = new LianxinDb();
    await db.open();
    db.close();
    const read = await runScript(null);
    expect(read).not.toBeNull();
    expect(sessionFromRows(read!.session)).toBeNull();
    expect(read!.rows).toEqual([]);
  });

  it('reads a store at the previous schema version, and Dexie then upgrades it with the same session and rows', async () => {
    // A device last opened by a build at schema version 3 (db.ts): its orders and session stores were already there.
    const previous = previousDb();
    await saveSession(previous as unknown as LianxinDb, { user: users.worker, token: 'token-old', expiresAt: T0 + 3_600_000, serverTime: T0, receivedAt: T0, place: null }, seededRandomBytes(2));
    await projectMany(previous as unknown as LianxinDb, syntheticSummaries(50).map((summary) => ({ summary })), T0);
    previous.close();

    const read = await runScript(null);
    expect(sessionFromRows(read!.session)?.token).toBe('token-old');
    expect(read!.rows!.length).toBeGreaterThan(0);

    // The first read has closed its connection: Dexie's upgrade is not blocked, and reads the same.
    const db = new LianxinDb();
    await db.open();
    expect(db.verno).toBeGreaterThan(3); // upgraded past the previous version, whatever the current one is
    expect(await loadSession(db)).toEqual(sessionFromRows(read!.session));
    expect((await inboxRows(db, 'todo', T0)).map((row) => row.id)).toEqual(sortForInbox(read!.rows as OrderRow[], T0).map((row) => row.id));
    db.close();
  });
});

/** The device's database as schema version 3 declared it (shared/local/db.ts, before the knowledge packs). */
function previousDb(): Dexie {
  const db = new Dexie(DB_NAME);
  declareShipped(db, 3);
  return db;
}
