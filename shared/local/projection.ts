/**
 * The inbox projection: one Dexie row per order, written from its summary, so
 * lists, search and counts never open a Y.Doc.
 *
 * Why search uses a bigram index, with the measurements: bench/README.md, "The inbox search index".
 */
import Dexie, { RangeSet, type IntervalTree, type ObservabilitySet } from 'dexie';
import type { OrderIntake } from '../order/intake.ts';
import type { OrderView } from '../order/reducer.ts';
import { NOT_FINAL_STATUSES, isFinalStatus, type InboxTab } from '../order/status.ts';
import { summarizeOrder, type OrderSummary } from '../order/summary.ts';
import { sortForInbox } from '../order/inbox-order.ts';

export { sortForInbox };
import type { LianxinDb, OrderRow } from './db.ts';
import { INBOX_INDEX } from './first-read.ts';
import { ORDER_NO_SUFFIX_MAX, ORDER_NO_SUFFIX_MIN, matchesRuns, orderNoTerms, searchRuns, searchTextOf, termsOf } from './search.ts';

export interface ProjectionSource {
  readonly summary: OrderSummary;
  /** 诉求内容, when the order doc is on the device; index-doc summaries never carry it. */
  readonly content?: string;
}

export interface ProjectionResult {
  /** Rows written. */
  readonly written: number;
  /** Summaries identical to the stored row, not rewritten. */
  readonly unchanged: number;
  /** Summaries older than the row already stored, left out. */
  readonly stale: number;
  /** Ids whose row could not be written (e.g. an order number another stored order already has). */
  readonly failed: readonly string[];
}

/**
 * The row for `source`, keeping the content text of `previous` when the
 * source has none. Once an order is archived or merged its doc leaves the
 * device, and the citizen's words leave the row with it. `searchIndex`: the
 * row carries its search terms (`LianxinDbOptions.searchIndex`); none when false.
 */
export function toOrderRow(source: ProjectionSource, previous: OrderRow | undefined, now: number, searchIndex = true): OrderRow {
  const { summary } = source;
  const contentText = isFinalStatus(summary.status) ? null : contentTextOf(source, previous);
  const runs = searchRuns([summary.title, summary.address, summary.category].join(' '));
  if (contentText) runs.push(...contentText.split(' '));
  const terms = searchIndex ? [...termsOf(runs), ...orderNoTerms(summary.orderNo)] : [];
  // The number is in the checked text (not in the bigram terms: its digits are in every row), so a
  // list filtered in memory finds an order by its full number and by its last digits.
  const searchText = searchTextOf([...summary.orderNo.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean), ...runs]);
  return { ...summary, terms, searchText, contentText, updatedAt: now };
}

function contentTextOf(source: ProjectionSource, previous: OrderRow | undefined): string | null {
  return source.content !== undefined ? searchTextOf(searchRuns(source.content)) : (previous?.contentText ?? null);
}

/**
 * True when the stored row reflects more of the order than `incoming`. An
 * index doc lags behind events made on this device; without this check a sync
 * would put an order just accepted offline back into 待签收.
 */
export function isNewerThan(stored: Pick<OrderSummary, 'lastHlc' | 'eventCount'>, incoming: Pick<OrderSummary, 'lastHlc' | 'eventCount'>): boolean {
  if (stored.lastHlc !== incoming.lastHlc) return stored.lastHlc > incoming.lastHlc;
  return stored.eventCount > incoming.eventCount;
}

/** Project one order from its intake and derived view (an order doc on the device). */
export function projectOrder(db: LianxinDb, intake: OrderIntake, view: OrderView, now: number): Promise<ProjectionResult> {
  return projectMany(db, [{ summary: summarizeOrder(intake, view), content: intake.content }], now);
}

/**
 * Project many orders in one transaction, e.g. the first sync of a device.
 * Rows that would not change are not rewritten: re-reading a whole index doc
 * on start then costs reads, not 10,000 index updates.
 */
export async function projectMany(db: LianxinDb, sources: readonly ProjectionSource[], now: number): Promise<ProjectionResult> {
  // Inside a caller's transaction nothing is committed when this returns: the rows are not told then.
  const own = Dexie.currentTransaction === null;
  let put: readonly OrderRow[] = [];
  let whole = false;
  const result = await db.transaction('rw', db.orders, async () => {
    const ids = sources.map((s) => s.summary.id);
    // An empty table (a first sync) is not asked for each id: a `bulkGet` is a request and an event on the
    // page per id (bench/README.md, "First sync, part 9").
    whole = ids.length > 1 && (await db.orders.limit(1).primaryKeys()).length === 0;
    const previous = whole ? [] : await db.orders.bulkGet(ids);
    const rows: OrderRow[] = [];
    let stale = 0;
    sources.forEach((source, i) => {
      const stored = previous[i];
      if (stored && isNewerThan(stored, source.summary)) {
        stale += 1;
        return;
      }
      const row = toOrderRow(keepFollowed(source, stored), stored, now, db.searchIndex);
      if (!stored || !sameRow(stored, row, db.searchIndex)) rows.push(row);
    });
    const failed = await putAll(db, rows);
    const left = new Set(failed);
    put = left.size === 0 ? rows : rows.filter((row) => !left.has(row.id));
    return { written: rows.length - failed.length, unchanged: sources.length - stale - rows.length, stale, failed };
  });
  if (own && put.length > 0) tellWritten(db, { rows: put, whole });
  return result;
}

export interface RowsWritten {
  readonly rows: readonly OrderRow[];
  /** Written into an empty table: these rows are the whole table. */
  readonly whole: boolean;
}

type WrittenListener = (written: RowsWritten) => void;
const writtenListeners = new WeakMap<LianxinDb, Set<WrittenListener>>();

/**
 * The rows `projectMany` has just committed in this page, as it wrote them: the desk's watch shows them
 * at once instead of waiting for its read of them (bench/README.md, "First sync, part 12"). Returns the
 * unsubscribe.
 */
export function onRowsWritten(db: LianxinDb, listener: WrittenListener): () => void {
  let listeners = writtenListeners.get(db);
  if (!listeners) writtenListeners.set(db, (listeners = new Set()));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function tellWritten(db: LianxinDb, written: RowsWritten): void {
  for (const listener of writtenListeners.get(db) ?? []) listener(written);
}

/**
 * A merged order's doc derives 已并单 on the device; the server's index says
 * what it shows by following its master (`followedSummary`), which the device
 * cannot derive without the master's doc. The same events projected again
 * from the doc keep the followed status the index gave.
 */
function keepFollowed(source: ProjectionSource, stored: OrderRow | undefined): ProjectionSource {
  const { summary } = source;
  if (summary.status !== 'merged' || !stored || stored.status === 'merged' || stored.mergedInto !== summary.mergedInto) return source;
  if (stored.lastHlc !== summary.lastHlc || stored.eventCount !== summary.eventCount) return source;
  return { ...source, summary: { ...summary, status: stored.status, tab: stored.tab, closedAt: stored.closedAt, urgency: stored.urgency } };
}

/** Without a search index the terms are no data: a row stored with them (before) is not rewritten for them. */
function sameRow(stored: OrderRow, row: OrderRow, searchIndex: boolean): boolean {
  const unterm = (r: OrderRow) => (searchIndex ? r : { ...r, terms: [] });
  return JSON.stringify({ ...unterm(stored), updatedAt: 0 }) === JSON.stringify({ ...unterm(row), updatedAt: 0 });
}

/** bulkPut that keeps the rows it could write: a caught BulkError does not abort the transaction. */
async function putAll(db: LianxinDb, rows: readonly OrderRow[]): Promise<string[]> {
  try {
    await db.orders.bulkPut(rows);
    return [];
  } catch (error) {
    if (!(error instanceof Dexie.BulkError)) throw error;
    return Object.keys(error.failuresByPos).map((pos) => rows[Number(pos)]!.id);
  }
}

/** Drop rows of orders no longer in this device's scope (e.g. dispatched to another grid). */
export async function forgetOrders(db: LianxinDb, ids: readonly string[]): Promise<void> {
  await db.orders.bulkDelete([...ids]);
}

export interface PageOptions {
  readonly limit: number;
  readonly offset?: number;
  /** Device time: overdue is judged against it. */
  readonly now: number;
}

/**
 * One page of a tab in inbox order (`compareForInbox`). The done tab can hold
 * a year of orders and pages straight off the [tab+closedAt] index; the open
 * tabs hold what is being worked on (tens to a few hundred orders) and are
 * sorted in memory, because "overdue first" depends on the time.
 */
export async function inboxPage(db: LianxinDb, tab: InboxTab, { limit, offset = 0, now }: PageOptions): Promise<OrderRow[]> {
  if (tab === 'done') {
    return tabRange(db, '[tab+closedAt]', tab).reverse().offset(offset).limit(limit).toArray();
  }
  return (await inboxRows(db, tab, now)).slice(offset, offset + limit);
}

/**
 * Every row of one tab in inbox order, read by the [tab+deadline] index so
 * that the other tabs' rows are never deserialised; 'all' reads every row.
 */
export async function inboxRows(db: LianxinDb, tab: InboxTab | 'all', now: number): Promise<OrderRow[]> {
  return sortForInbox(tab === 'all' ? await db.orders.toArray() : await tabRange(db, INBOX_INDEX, tab).toArray(), now);
}


function tabRange(db: LianxinDb, index: typeof INBOX_INDEX | '[tab+closedAt]', tab: InboxTab) {
  return db.orders.where(index).between([tab, Dexie.minKey], [tab, Dexie.maxKey]);
}

/**
 * The rows the desk's queues are drawn from (shared/order/queues.ts): every
 * order not yet archived or merged, read by the status index, so that a
 * street's year of archived orders is never deserialised. (A conflict on an
 * archived order is therefore not in the desk's 有冲突; it shows on the order.)
 */
export function deskRows(db: LianxinDb, signal?: AbortSignal): Promise<OrderRow[]> {
  // One getAll per status in one read transaction, not Dexie's anyOf: anyOf walks a cursor, a request
  // and an event on the page per row (bench/README.md, "First sync, part 11"). Statuses in index order,
  // so the rows come in the order anyOf gave them (status, then id).
  const statuses = [...NOT_FINAL_STATUSES].sort();
  return db.transaction('r', db.orders, async (tx) => {
    // Aborted while queued behind other transactions, it leaves the queue (Chromium runs them one at a time).
    signal?.throwIfAborted();
    signal?.addEventListener('abort', () => tx.abort(), { once: true });
    return (await Promise.all(statuses.map((status) => db.orders.where('status').equals(status).toArray()))).flat();
  });
}

/**
 * The desk's rows, live and incremental: read once, then after each write to
 * the orders table only the rows it touched are read again (Dexie's
 * `storagemutated` names them, in this tab and, through Dexie's broadcast,
 * in the others). A liveQuery would read all of them again on every write:
 * thousands of rows each time an order is opened (its row gains its content
 * text) or a summary arrives. A write Dexie does not name key by key (a bulk
 * put of 50 rows or more, a clear) reads them all again.
 *
 * Rows this page's projection writes are shown as written the moment they are
 * committed (`onRowsWritten`), before that read answers: on a first sync the
 * read of a street's 1,400 rows answered 0.3–1.3 s after their commit
 * (bench/README.md, "First sync, part 12"). `current` says the rows emitted
 * hold every write signalled so far: false from a write's signal to the answer
 * of its read, or to a write into an empty table told after it (the whole
 * table: the reads queued before it are not made, or left unanswered).
 */
export function watchDeskRows(db: LianxinDb, listener: (rows: OrderRow[], current: boolean) => void, onError: (error: unknown) => void): () => void {
  const rows = new Map<string, OrderRow>();
  const parts = [`idb://${db.name}/orders/`, `idb://${db.name}/orders/:dels`];
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  /** Writes signalled; the reads queued for them answer in order. */
  let signalled = 0;
  let answered = 0;
  /**
   * Signals up to this one are covered by a write into an empty table, told after them: every write they
   * signal committed before it (in this page, the signal comes at the commit; from another tab, a message
   * after it, and read-write transactions on one table do not overlap), so the rows it wrote are the table.
   */
  let covered = -1;
  /** What this page wrote since the running read was sent: that read may predate it. */
  let told: (readonly OrderRow[])[] = [];
  let shown: OrderRow[] | null = null;
  /** The rows held are every row of the desk as of some moment: read once, or written into an empty table. */
  let complete = false;
  let running: { readonly upTo: number; readonly abort: AbortController } | null = null;
  const run = (read: (signal: AbortSignal) => Promise<() => void>) => {
    const upTo = signalled;
    chain = chain
      .then(async () => {
        if (stopped || upTo <= covered) return;
        told = [];
        const abort = new AbortController();
        running = { upTo, abort };
        try {
          const apply = await read(abort.signal);
          if (upTo <= covered) return;
          apply();
        } catch (error) {
          if (upTo <= covered) return;
          throw error;
        } finally {
          running = null;
        }
        answered = Math.max(answered, upTo);
        complete = true;
        for (const written of told) keep(written);
        emit();
      })
      .catch((error: unknown) => onError(error));
  };
  const keep = (written: readonly OrderRow[]) => {
    for (const row of written) {
      if (isFinalStatus(row.status)) rows.delete(row.id);
      else rows.set(row.id, row);
    }
  };
  const emit = () => {
    if (stopped) return;
    shown = [...rows.values()];
    listener(shown, answered === signalled);
  };
  const readAll = async (signal: AbortSignal) => {
    const all = await deskRows(db, signal);
    return () => {
      rows.clear();
      for (const row of all) rows.set(row.id, row);
    };
  };
  const readSome = (ids: readonly string[]) => async () => {
    const found = await db.orders.bulkGet([...ids]);
    return () =>
      ids.forEach((id, i) => {
        const row = found[i];
        if (row && !isFinalStatus(row.status)) rows.set(id, row);
        else rows.delete(id);
      });
  };
  const onMutated = (mutated: ObservabilitySet) => {
    const trees = parts.flatMap((part) => (mutated[part] ? [mutated[part]] : []));
    if (trees.length === 0) return;
    const wasCurrent = answered === signalled;
    signalled += 1;
    const ids = singleKeys(trees);
    run(ids === null ? readAll : readSome(ids));
    if (wasCurrent && shown && !stopped) listener(shown, false);
  };
  const onWritten = ({ rows: written, whole }: RowsWritten) => {
    if (whole) {
      rows.clear();
      covered = answered = signalled;
      complete = true;
      // A read still queued for what this write covers would only hold back the transactions behind it.
      if (running && running.upTo <= covered) running.abort.abort();
    }
    told.push(written);
    keep(written);
    // Before the first read, part of the table would be a queue shown incomplete. After the writer's own
    // continuation (the sync engine's next steps, which a first sync waits for): the render that the emit
    // schedules then comes after them, and not a task later (bench/README.md, "First sync, part 12").
    if (complete) queueMicrotask(emit);
  };
  run(readAll);
  Dexie.on('storagemutated', onMutated);
  const stopWritten = onRowsWritten(db, onWritten);
  return () => {
    stopped = true;
    Dexie.on('storagemutated').unsubscribe(onMutated);
    stopWritten();
  };
}

/** The string keys of these ranges when every range is one key; null when any is wider. */
function singleKeys(trees: readonly IntervalTree[]): string[] | null {
  const keys = new Set<string>();
  for (const tree of trees) {
    for (const node of RangeSet(tree)) {
      if (typeof node.from !== 'string' || node.from !== node.to) return null;
      keys.add(node.from);
    }
  }
  return [...keys];
}

export async function countsByTab(db: LianxinDb): Promise<Record<InboxTab, number>> {
  const [todo, doing, done, other] = await Promise.all(
    (['todo', 'doing', 'done', 'other'] as const).map((tab) => tabRange(db, INBOX_INDEX, tab).count()),
  );
  return { todo: todo!, doing: doing!, done: done!, other: other! };
}

/**
 * Orders whose number starts with `query` or ends with it (4 to 8 digits);
 * then, unless the query is all digits, orders whose title, address,
 * category or (where known) content holds every run of it, newest first.
 * Case and full-width forms do not matter.
 */
export async function searchOrders(db: LianxinDb, query: string, limit: number): Promise<OrderRow[]> {
  const normalised = query.normalize('NFKC').trim().toLowerCase();
  const runs = searchRuns(normalised);
  if (runs.length === 0 || limit <= 0) return [];
  const digitsOnly = /^[0-9]{4,}$/.test(normalised);
  const found = await Promise.all([
    numberMatches(db, normalised, limit),
    digitsOnly ? Promise.resolve([]) : textMatches(db, runs, limit),
  ]);
  return uniqueById(found.flat()).slice(0, limit);
}

function uniqueById(rows: readonly OrderRow[]): OrderRow[] {
  const byId = new Map<string, OrderRow>();
  for (const row of rows) if (!byId.has(row.id)) byId.set(row.id, row);
  return [...byId.values()];
}

async function numberMatches(db: LianxinDb, query: string, limit: number): Promise<OrderRow[]> {
  if (!/^[a-z0-9-]+$/.test(query)) return [];
  // Order numbers are digits and capitals (FR-…); the query was lower-cased.
  const byPrefix = db.orders.where('orderNo').startsWithAnyOf([...new Set([query, query.toUpperCase()])]).limit(limit).toArray();
  const suffixFits = query.length >= ORDER_NO_SUFFIX_MIN && query.length <= ORDER_NO_SUFFIX_MAX;
  const bySuffix = !suffixFits
    ? []
    : db.searchIndex
      ? db.orders.where('terms').equals(`#${query}`).limit(limit).toArray()
      : newestFirst(db).filter((row) => row.orderNo.toLowerCase().endsWith(query)).limit(limit).toArray();
  return [...(await byPrefix), ...(await bySuffix)];
}

async function textMatches(db: LianxinDb, runs: readonly string[], limit: number): Promise<OrderRow[]> {
  const terms = db.searchIndex ? termsOf(runs) : [];
  const matches = (row: OrderRow) => matchesRuns(row.searchText, runs);
  // Single characters, or rows without terms: scanned newest first, up to the limit.
  if (terms.length === 0) return newestFirst(db).filter(matches).limit(limit).toArray();
  const candidates = await candidatesFor(db, terms);
  if (candidates.size === 0) return [];
  const ordered = (await newestFirst(db).primaryKeys()).filter((id) => candidates.has(id));
  return firstMatches(db, ordered, matches, limit);
}

/** Newest received first, ties by id: the order search results are shown in. */
function newestFirst(db: LianxinDb) {
  return db.orders.orderBy('receivedAt').reverse();
}

/** Ids of the rows holding every term. Index keys are cheap to read; rows are not. */
async function candidatesFor(db: LianxinDb, terms: readonly string[]): Promise<Set<string>> {
  const lists = await Promise.all(terms.map((term) => db.orders.where('terms').equals(term).primaryKeys()));
  lists.sort((a, b) => a.length - b.length);
  let ids = new Set(lists[0]);
  for (const list of lists.slice(1)) {
    if (ids.size === 0) break;
    const next = new Set(list);
    ids = new Set([...ids].filter((id) => next.has(id)));
  }
  return ids;
}

/**
 * Read candidate rows in `ids` order, a chunk at a time, until `limit` of
 * them match: reading a row costs ~45 µs in Chromium, so a query whose
 * bigrams are common does not read every row that holds them.
 */
async function firstMatches(db: LianxinDb, ids: readonly string[], matches: (row: OrderRow) => boolean, limit: number): Promise<OrderRow[]> {
  const found: OrderRow[] = [];
  for (let start = 0; start < ids.length && found.length < limit; start += 2 * limit) {
    const rows = await db.orders.bulkGet(ids.slice(start, start + 2 * limit));
    for (const row of rows) if (row && matches(row) && found.length < limit) found.push(row);
  }
  return found;
}

export interface UnsyncedCounts {
  /** Events recorded here that the server has not confirmed durable. */
  readonly events: number;
  /** Orders created here (field reports) whose intake the server has not confirmed. */
  readonly intakes: number;
  /** Photos whose upload the server has not confirmed by hash. */
  readonly photos: number;
}

export async function unsyncedCounts(db: LianxinDb): Promise<UnsyncedCounts> {
  const [events, intakes, photos] = await Promise.all([
    db.journal.where('unsynced').equals(1).count(),
    db.intakes.where('unsynced').equals(1).count(),
    db.uploads.where('state').anyOf(['queued', 'uploading', 'failed']).count(),
  ]);
  return { events, intakes, photos };
}

/** True when nothing on this device is waiting for the server: the condition for signing out. */
export async function allSynced(db: LianxinDb): Promise<boolean> {
  const counts = await unsyncedCounts(db);
  return counts.events === 0 && counts.intakes === 0 && counts.photos === 0;
}
