/** The desk's live rows: read once, then only the rows each write touched; always equal to a fresh read. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LianxinDb, OrderRow } from '#shared/local/db.ts';
import { NOT_FINAL_STATUSES } from '#shared/order/status.ts';
import { deskRows, forgetOrders, projectMany, watchDeskRows } from '#shared/local/projection.ts';
import { waitFor } from '../../support/wait.ts';
import { T0 } from '../support/builders.ts';
import { openTestDb, syntheticSummaries } from './helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
beforeEach(() => ({ db, close } = openTestDb()));
afterEach(() => close());

const ids = (rows: readonly OrderRow[]) => rows.map((row) => row.id).sort();

describe('watchDeskRows', () => {
  it('follows single writes, deletions and bulk writes, and never lists an archived order', async () => {
    const summaries = syntheticSummaries(120);
    await projectMany(db, summaries.slice(0, 100).map((summary) => ({ summary })), T0);
    let latest: OrderRow[] | null = null;
    let emitted = 0;
    const stop = watchDeskRows(db, (rows) => ((latest = rows), (emitted += 1)), (error) => {
      throw error;
    });
    const agrees = async () => {
      const fresh = await deskRows(db);
      return latest !== null && JSON.stringify(ids(latest)) === JSON.stringify(ids(fresh)) && latest.every((row) => JSON.stringify(row) === JSON.stringify(fresh.find((f) => f.id === row.id)));
    };
    try {
      await waitFor(agrees, 'the first read');
      expect(latest!.some((row) => row.status === 'archived')).toBe(false);

      // One order moves on: archived (leaves the desk), another gets a new title.
      const open = summaries.find((s) => s.status === 'in_progress')!;
      const other = summaries.find((s) => s.status === 'dispatched')!;
      const before = emitted;
      await projectMany(db, [{ summary: { ...open, status: 'archived', tab: 'done', eventCount: 9 } }], T0 + 1);
      await projectMany(db, [{ summary: { ...other, title: '新的标题', eventCount: 9 } }], T0 + 2);
      await waitFor(async () => emitted >= before + 2 && (await agrees()), 'single writes followed');
      expect(latest!.find((row) => row.id === open.id)).toBeUndefined();
      expect(latest!.find((row) => row.id === other.id)?.title).toBe('新的标题');

      // A deletion, then a bulk write of more than Dexie names key by key.
      await forgetOrders(db, [other.id]);
      await projectMany(db, summaries.slice(100).map((summary) => ({ summary })), T0 + 3);
      await projectMany(db, syntheticSummaries(60, 11).map((summary) => ({ summary: { ...summary, id: `bulk-${summary.id}`, orderNo: `9${summary.orderNo.slice(1)}` } })), T0 + 4);
      await waitFor(agrees, 'deletion and bulk writes followed');
      expect(latest!.find((row) => row.id === other.id)).toBeUndefined();
    } finally {
      stop();
    }
  });

  it('shows rows written into an empty table at once, as the whole table: current with no read of them, and still follows later writes', async () => {
    const emits: { readonly rows: OrderRow[]; readonly current: boolean }[] = [];
    const errors: unknown[] = [];
    const stop = watchDeskRows(db, (rows, current) => emits.push({ rows, current }), (error) => errors.push(error));
    try {
      // A database just created signals every table as written (Dexie's own signal on creation), so the first
      // read may answer before the one made for that signal: the watch is current when the last answers.
      await waitFor(() => emits.at(-1)?.current === true, 'the first read');
      expect(emits.at(-1)).toEqual({ rows: [], current: true });
      const summaries = syntheticSummaries(100);
      await projectMany(db, summaries.map((summary) => ({ summary })), T0);
      await waitFor(() => emits.at(-1)!.rows.length > 0, 'the rows told');
      const told = emits.at(-1)!;
      expect(told.current).toBe(true);
      expect(ids(told.rows)).toEqual(ids(await deskRows(db)));
      // Never a list shorter than the table after it, and nothing read for it that changes what is shown.
      await db.orders.count();
      expect(emits.slice(emits.indexOf(told)).every(({ rows }) => rows.length === told.rows.length)).toBe(true);

      const open = summaries.find((s) => s.status === 'in_progress')!;
      await projectMany(db, [{ summary: { ...open, status: 'archived', tab: 'done', eventCount: 9 } }], T0 + 1);
      await waitFor(async () => emits.at(-1)!.current && ids(emits.at(-1)!.rows).join() === ids(await deskRows(db)).join(), 'a later write followed');
      expect(emits.at(-1)!.rows.find((row) => row.id === open.id)).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      stop();
    }
  });

  it('before its first read answers, shows no rows written into a table that holds others (a queue would be shown incomplete)', async () => {
    const summaries = syntheticSummaries(100);
    await projectMany(db, summaries.slice(0, 99).map((summary) => ({ summary })), T0);
    const all = (await deskRows(db)).length;
    const emits: { readonly rows: OrderRow[]; readonly current: boolean }[] = [];
    const stop = watchDeskRows(db, (rows, current) => emits.push({ rows, current }), (error) => {
      throw error;
    });
    try {
      await projectMany(db, [{ summary: summaries[99]! }, { summary: { ...summaries[0]!, title: '新的标题', eventCount: 9 } }], T0 + 1);
      await waitFor(async () => emits.at(-1)?.current === true && emits.at(-1)!.rows.length === (await deskRows(db)).length, 'read back');
      expect(emits.every(({ rows }) => rows.length >= all)).toBe(true);
    } finally {
      stop();
    }
  });

  it('reads every order not archived or merged, in the status index’s order (status, then id), as one anyOf over it did', async () => {
    await projectMany(db, syntheticSummaries(200).map((summary) => ({ summary })), T0);
    const byIndex = await db.orders.where('status').anyOf([...NOT_FINAL_STATUSES]).toArray();
    expect(byIndex.length).toBeGreaterThan(0);
    expect((await deskRows(db)).map((row) => row.id)).toEqual(byIndex.map((row) => row.id));
    expect(await db.orders.count()).toBeGreaterThan(byIndex.length);
  });
});
