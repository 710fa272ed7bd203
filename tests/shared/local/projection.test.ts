import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LianxinDb } from '#shared/local/db.ts';
import {
  countsByTab,
  forgetOrders,
  inboxPage,
  inboxRows,
  projectMany,
  projectOrder,
  searchOrders,
  unsyncedCounts,
} from '#shared/local/projection.ts';
import { matchesRuns, searchRuns } from '#shared/local/search.ts';
import { compareForInbox } from '#shared/order/summary.ts';
import { DAY, HOUR, History, T0, payloads, sha, users } from '../support/builders.ts';
import { openTestDb, orderAt, syntheticSummaries } from './helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
beforeEach(() => ({ db, close } = openTestDb()));
afterEach(() => close());

const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id);

function accepted(): History {
  const h = new History();
  h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
  h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
  return h;
}

describe('projectOrder', () => {
  it('writes the row of a derived order, in the right tab', async () => {
    const h = accepted();
    const { intake, view } = orderAt({}, h.events, T0 + 2 * HOUR);
    await projectOrder(db, intake, view, T0 + 2 * HOUR);
    const row = await db.orders.get(intake.id);
    expect(row).toMatchObject({
      id: intake.id,
      orderNo: '250912101108115409',
      status: 'in_progress',
      tab: 'doing',
      assignee: 'grid1',
      eventCount: 2,
      updatedAt: T0 + 2 * HOUR,
    });
    expect(row?.terms).toEqual(expect.arrayContaining(['中州', '州路', '井盖']));
    expect(row?.contentText).toContain('夜间行人容易踩空');
    expect(row).not.toHaveProperty('citizen');
  });

  it('puts the order number in the text a list filters on, so the full number and its last digits find it', async () => {
    const { intake, view } = orderAt({}, accepted().events, T0 + 2 * HOUR);
    await projectOrder(db, intake, view, T0 + 2 * HOUR);
    const row = (await db.orders.get(intake.id))!;
    for (const query of ['250912101108115409', '5409', '115409']) expect(matchesRuns(row.searchText, searchRuns(query)), query).toBe(true);
    expect(matchesRuns(row.searchText, searchRuns('999999'))).toBe(false);
  });

  it('moves the row between tabs as the order moves', async () => {
    const h = accepted();
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + 2 * HOUR);
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 3 * HOUR);
    const { intake, view } = orderAt({}, h.events, T0 + 4 * HOUR);
    await projectOrder(db, intake, view, T0 + 4 * HOUR);
    expect(await countsByTab(db)).toEqual({ todo: 0, doing: 0, done: 1, other: 0 });
  });

  it('keeps a newer local row when an older summary arrives from an index doc', async () => {
    const h = accepted();
    const local = orderAt({}, h.events, T0 + HOUR);
    await projectOrder(db, local.intake, local.view, T0 + HOUR);
    // The server's index has only seen the dispatch so far.
    const lagging = orderAt({}, h.events.slice(0, 1), T0 + HOUR).summary;
    const result = await projectMany(db, [{ summary: lagging }], T0 + 2 * HOUR);
    expect(result).toEqual({ written: 0, unchanged: 0, stale: 1, failed: [] });
    expect((await db.orders.get(local.intake.id))?.status).toBe('in_progress');
  });

  it('keeps it in a batch too (a batch into an empty table reads no rows: this one is not empty)', async () => {
    const h = accepted();
    const local = orderAt({}, h.events, T0 + HOUR);
    await projectOrder(db, local.intake, local.view, T0 + HOUR);
    const lagging = orderAt({}, h.events.slice(0, 1), T0 + HOUR).summary;
    const other = orderAt({ id: 'o-other', orderNo: 'FR-0002' }).summary;
    const result = await projectMany(db, [{ summary: lagging }, { summary: other }], T0 + 2 * HOUR);
    expect(result).toEqual({ written: 1, unchanged: 0, stale: 1, failed: [] });
    expect((await db.orders.get(local.intake.id))?.status).toBe('in_progress');
  });

  it('takes a newer summary from an index doc and keeps the content the doc gave', async () => {
    const h = accepted();
    const early = orderAt({}, h.events.slice(0, 1), T0);
    await projectOrder(db, early.intake, early.view, T0);
    const later = orderAt({}, h.events, T0 + HOUR).summary;
    await projectMany(db, [{ summary: later }], T0 + HOUR);
    const row = await db.orders.get(later.id);
    expect(row?.status).toBe('in_progress');
    expect(row?.contentText).toContain('夜间行人容易踩空');
    expect(ids(await searchOrders(db, '踩空', 10))).toEqual([later.id]);
  });

  it('writes the rest of a batch when one order number clashes, and says which failed', async () => {
    const a = orderAt({ id: 'o-a', orderNo: 'FR-0001' }).summary;
    const b = orderAt({ id: 'o-b', orderNo: 'FR-0002' }).summary;
    const clash = orderAt({ id: 'o-c', orderNo: 'FR-0001' }).summary;
    await projectMany(db, [{ summary: a }], T0);
    const result = await projectMany(db, [{ summary: b }, { summary: clash }], T0);
    expect(result).toEqual({ written: 1, unchanged: 0, stale: 0, failed: ['o-c'] });
    expect((await db.orders.toCollection().primaryKeys()).sort()).toEqual(['o-a', 'o-b']);
  });

  it('drops the citizen\'s words from the row once the order is archived', async () => {
    const h = accepted();
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + 2 * HOUR);
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 3 * HOUR);
    const closed = orderAt({}, h.events, T0 + 4 * HOUR);
    await projectOrder(db, closed.intake, closed.view, T0 + 4 * HOUR);
    expect(ids(await searchOrders(db, '踩空', 10))).toEqual([closed.intake.id]);
    for (const type of ['review_pass', 'portal_reply'] as const) h.by(users.clerk).do({ type, payload: {} }, T0 + 5 * HOUR);
    h.by(users.clerk).do({ type: 'archive', payload: {} }, T0 + 6 * HOUR);
    const archived = orderAt({}, h.events, T0 + 7 * HOUR);
    await projectMany(db, [{ summary: archived.summary }], T0 + 7 * HOUR);
    expect((await db.orders.get(closed.intake.id))?.contentText).toBeNull();
    expect(await searchOrders(db, '踩空', 10)).toEqual([]);
    expect(ids(await searchOrders(db, '井盖', 10))).toEqual([closed.intake.id]);
  });

  it('keeps the status a merged order follows its master with when its own doc is projected again', async () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'merge', payload: { intoOrderNo: '250912101108119999' } }, T0 + HOUR);
    const { intake, view, summary } = orderAt({}, h.events);
    expect(summary).toMatchObject({ status: 'merged', mergedInto: '250912101108119999' });
    // The server's index: closed with the master.
    await projectMany(db, [{ summary: { ...summary, status: 'closed', tab: 'done', closedAt: T0 + DAY } }], T0 + DAY);
    await projectOrder(db, intake, view, T0 + DAY);
    expect(await db.orders.get(intake.id)).toMatchObject({ status: 'closed', tab: 'done', closedAt: T0 + DAY, mergedInto: '250912101108119999' });
  });

  it('does not rewrite a row that would not change', async () => {
    const h = accepted();
    const { intake, view, summary } = orderAt({}, h.events, T0 + HOUR);
    await projectOrder(db, intake, view, T0 + HOUR);
    const again = await projectMany(db, [{ summary: JSON.parse(JSON.stringify(summary)) as typeof summary }], T0 + 2 * HOUR);
    expect(again).toEqual({ written: 0, unchanged: 1, stale: 0, failed: [] });
    expect((await db.orders.get(intake.id))?.updatedAt).toBe(T0 + HOUR);
  });

  it('forgets orders that left the scope', async () => {
    await projectMany(db, syntheticSummaries(3).map((summary) => ({ summary })), T0);
    await forgetOrders(db, ['syn-0', 'syn-2']);
    expect(await db.orders.toCollection().primaryKeys()).toEqual(['syn-1']);
  });
});

describe('inboxPage', () => {
  const now = T0 + 3 * DAY;

  async function todoTab() {
    const dispatch = (h: History) => h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    const make = (id: string, deadline: number, supervise?: 'warning' | 'listed') => {
      const h = new History();
      dispatch(h);
      if (supervise) h.by(users.clerk).do({ type: 'supervise', payload: { level: supervise, note: '督办' } }, T0 + HOUR);
      return { summary: orderAt({ id, orderNo: `NO-${id}`, deadline }, h.events, now).summary };
    };
    await projectMany(
      db,
      [
        make('far', T0 + 9 * DAY),
        make('listed', T0 + 8 * DAY, 'listed'),
        make('near', T0 + 4 * DAY),
        make('overdue', T0 + 2 * DAY),
        make('warning', T0 + 7 * DAY, 'warning'),
        make('overdue-more', T0 + DAY),
      ],
      now,
    );
  }

  it('lists a tab overdue first, then by supervision, then by nearest deadline', async () => {
    await todoTab();
    const page = await inboxPage(db, 'todo', { limit: 10, now });
    expect(ids(page)).toEqual(['overdue-more', 'overdue', 'listed', 'warning', 'near', 'far']);
  });

  it('pages with offset and limit', async () => {
    await todoTab();
    expect(ids(await inboxPage(db, 'todo', { limit: 2, offset: 2, now }))).toEqual(['listed', 'warning']);
    expect(ids(await inboxPage(db, 'todo', { limit: 4, offset: 4, now }))).toEqual(['near', 'far']);
    expect(await inboxPage(db, 'doing', { limit: 10, now })).toEqual([]);
  });

  it('pages the done tab newest close first, straight off the index', async () => {
    const summaries = syntheticSummaries(200).filter((s) => s.tab === 'done');
    await projectMany(db, summaries.map((summary) => ({ summary })), now);
    const expected = [...summaries].sort((a, b) => b.closedAt! - a.closedAt! || (a.id < b.id ? 1 : -1)).map((s) => s.id);
    const first = await inboxPage(db, 'done', { limit: 20, now });
    const second = await inboxPage(db, 'done', { limit: 20, offset: 20, now });
    expect([...ids(first), ...ids(second)]).toEqual(expected.slice(0, 40));
  });
});

describe('inboxRows', () => {
  it("reads one tab's rows, or every row for 'all', in inbox order", async () => {
    const now = T0;
    const summaries = syntheticSummaries(300);
    await projectMany(db, summaries.map((summary) => ({ summary })), now);
    const inOrder = (list: typeof summaries) => ids([...list].sort((a, b) => compareForInbox(a, b, now)));
    for (const tab of ['todo', 'doing', 'done'] as const) {
      const expected = inOrder(summaries.filter((s) => s.tab === tab));
      expect(expected.length).toBeGreaterThan(0);
      expect(ids(await inboxRows(db, tab, now))).toEqual(expected);
    }
    expect(ids(await inboxRows(db, 'all', now))).toEqual(inOrder(summaries));
  });
});

// The extension's rows carry search terms (the `*terms` index); the PWA's carry none and are scanned (db.ts).
describe.each([true, false])('searchOrders, search index %s', (searchIndex) => {
  beforeEach(async () => {
    if (!searchIndex) {
      await close();
      ({ db, close } = openTestDb({ searchIndex }));
    }
    const orders = [
      orderAt({ id: 'o-1', orderNo: '250912101108115409' }),
      orderAt({
        id: 'o-2',
        orderNo: '250912101108115410',
        title: '彭西四巷26号院8号楼地下室漏水',
        address: '彭西四巷26号院8号楼',
        content: '地下室常年积水，怀疑管道破裂，请物业公司检修。我的电话13987654321。',
        receivedAt: T0 + HOUR,
      }),
      orderAt({
        id: 'o-3',
        orderNo: '250913090000000001',
        title: '株洲路两家餐饮店用大喇叭播放录音揽客',
        address: '株洲路与中州路交叉口东侧',
        category: '噪声污染',
        content: '中午播放录音揽客，影响午休。',
        receivedAt: T0 + 2 * HOUR,
      }),
    ];
    for (const o of orders) await projectOrder(db, o.intake, o.view, T0);
  });

  it('finds by the start of an order number, or by its last 4 to 8 digits', async () => {
    expect(ids(await searchOrders(db, '2509121011081154', 10))).toEqual(['o-1', 'o-2']);
    expect(ids(await searchOrders(db, '250913', 10))).toEqual(['o-3']);
    expect(ids(await searchOrders(db, '5409', 10))).toEqual(['o-1']);
    expect(ids(await searchOrders(db, '08115410', 10))).toEqual(['o-2']);
    expect(await searchOrders(db, '0811541', 10)).toEqual([]); // neither start nor end
  });

  it('finds an order created on the device by its FR- number, whatever the case', async () => {
    const report = orderAt({ id: 'fr-1', orderNo: 'FR-20261102-01', source: 'field_report', channel: 'field', reportedBy: 'grid1' });
    await projectOrder(db, report.intake, report.view, T0);
    expect(ids(await searchOrders(db, 'fr-2026', 10))).toEqual(['fr-1']);
  });

  it('finds by a fragment of a Chinese address, newest first', async () => {
    expect(ids(await searchOrders(db, '中州路', 10))).toEqual(['o-3', 'o-1']);
    expect(ids(await searchOrders(db, '26号院', 10))).toEqual(['o-2']);
  });

  it('finds by words of the title, the category or the citizen text', async () => {
    expect(ids(await searchOrders(db, '大喇叭', 10))).toEqual(['o-3']);
    expect(ids(await searchOrders(db, '噪声', 10))).toEqual(['o-3']);
    expect(ids(await searchOrders(db, '管道破裂', 10))).toEqual(['o-2']);
    expect(ids(await searchOrders(db, '漏水 彭西', 10))).toEqual(['o-2']);
  });

  it('ignores full-width forms and never matches a citizen phone number', async () => {
    expect(ids(await searchOrders(db, '２６号院', 10))).toEqual(['o-2']);
    expect(await searchOrders(db, '13987654321', 10)).toEqual([]);
    expect(await searchOrders(db, '87654321', 10)).toEqual([]);
  });

  it('scans for a single character, up to the limit, and returns nothing for nothing', async () => {
    expect(await searchOrders(db, '巷', 10)).toHaveLength(1);
    expect(await searchOrders(db, '路', 2)).toHaveLength(2);
    expect(await searchOrders(db, '  ', 10)).toEqual([]);
    expect(await searchOrders(db, '不存在的地方', 10)).toEqual([]);
  });
});

describe('rows without a search index', () => {
  it('carry no terms, keep their search text, and a row stored with terms is not rewritten for them', async () => {
    await close();
    ({ db, close } = openTestDb({ searchIndex: false }));
    const [summary] = syntheticSummaries(1);
    await projectMany(db, [{ summary: summary! }], T0);
    const row = (await db.orders.get(summary!.id))!;
    expect(row.terms).toEqual([]);
    expect(row.searchText).toContain(searchRuns(summary!.title)[0]);
    // A row written with its terms before (an earlier version of the app): the same summary changes nothing.
    await db.orders.put({ ...row, terms: ['旧词'] });
    expect(await projectMany(db, [{ summary: summary! }], T0 + DAY)).toMatchObject({ written: 0, unchanged: 1 });
    expect((await db.orders.get(summary!.id))!.terms).toEqual(['旧词']);
  });
});

describe('counts', () => {
  it('counts orders by tab', async () => {
    const summaries = syntheticSummaries(100);
    await projectMany(db, summaries.map((summary) => ({ summary })), T0);
    const expected = { todo: 0, doing: 0, done: 0, other: 0 };
    for (const s of summaries) expected[s.tab] += 1;
    expect(await countsByTab(db)).toEqual(expected);
    expect(expected.todo + expected.doing + expected.done + expected.other).toBe(100);
  });

  it('has nothing unsynced on a fresh device', async () => {
    expect(await unsyncedCounts(db)).toEqual({ events: 0, intakes: 0, photos: 0 });
  });
});

describe('bulk projection', () => {
  it('projects 10,000 index-doc summaries in one transaction', { timeout: 300_000 }, async () => {
    const sources = syntheticSummaries(10_000).map((summary) => ({ summary }));
    let started = performance.now();
    const result = await projectMany(db, sources, T0);
    const bulkMs = performance.now() - started;
    expect(result).toEqual({ written: 10_000, unchanged: 0, stale: 0, failed: [] });
    started = performance.now();
    const again = await projectMany(db, sources, T0 + 1);
    const againMs = performance.now() - started;
    expect(again.unchanged).toBe(10_000);
    started = performance.now();
    const hits = await searchOrders(db, '中州路', 50);
    const searchMs = performance.now() - started;
    started = performance.now();
    const counts = await countsByTab(db);
    const countMs = performance.now() - started;
    started = performance.now();
    await inboxPage(db, 'done', { limit: 30, offset: 1000, now: T0 });
    const pageMs = performance.now() - started;
    console.log(
      `[fake-indexeddb] projectMany 10,000: ${bulkMs.toFixed(0)} ms, again unchanged: ${againMs.toFixed(0)} ms; search "中州路": ${searchMs.toFixed(0)} ms (${hits.length} shown); ` +
        `countsByTab: ${countMs.toFixed(0)} ms; done page at 1000: ${pageMs.toFixed(0)} ms`,
    );
    expect(counts.todo + counts.doing + counts.done + counts.other).toBe(10_000);
    expect(hits).toHaveLength(50);
  });
});
