/**
 * The knowledge base on the device (docs/KNOWLEDGE.md "On the device"), stored
 * compactly (40,000 entries in well under 30 MB):
 *
 * - `knowledge`: per entry that applies to the user, the seq of the page that
 *   brought it, the pack holding its text, and what the index's filters need
 *   (category, area, validity), so facets and a catch-up read no text;
 * - `knowledgePacks`: the entries' text, gzipped (CompressionStream) in packs
 *   of up to `PACK_SIZE` entries of one page; a pack is deleted when none of
 *   its entries is current any more (an entry changed since lives in a newer pack);
 * - `knowledgeTerms`: the search terms the server computed (shared/knowledge/terms.ts)
 *   of the entries that arrived after the saved index, gzipped per pack (same
 *   key), so a catch-up indexes them without tokenising or pinyin; dropped once
 *   a saved index holds them (stored plain, a first sync's terms were ten times
 *   the rest and IndexedDB's files grew by as much before they were dropped);
 * - `knowledgeGone`: ids removed (withdrawn, moved out of the user's area)
 *   with the seq of their removal, so an index saved at an older seq can
 *   catch up without a rebuild (another tab's worker may hold an older index
 *   in memory, so they are kept: an id each, cleared on reset and sign-out);
 * - `knowledgeMeta`: the device's seq and the synonyms ('sync'), and the
 *   search index as gzipped bytes with the seq it reflects ('index').
 *
 * `pullKnowledge` asks the server for what changed since the device's seq,
 * page by page, and applies each page in one transaction. `catchUpIndex`
 * brings a search service's index to the stored seq (the worker runs it);
 * `readKnowledgeEntries` reads entries back from their packs.
 */
import type { KnowledgeEntry } from '../knowledge/entry.ts';
import type { IndexedFields } from '../knowledge/search.ts';
import type { KnowledgeReply, KnowledgeRequest, KnowledgeService } from '../knowledge/service.ts';
import { TERMS_VERSION } from '../knowledge/terms.ts';
import { gunzipBytes, gzipBytes } from './gzip.ts';
import type { LianxinDb } from './db.ts';

export interface KnowledgeRow {
  readonly id: string;
  /** The device seq after the page that brought this version. */
  readonly seq: number;
  /** The `knowledgePacks` key of the pack holding the entry's text. */
  readonly pack: string;
  readonly category: string;
  readonly area: string;
  readonly validFrom: number | null;
  readonly validUntil: number | null;
}

export interface KnowledgePackRow {
  /** `<page seq>:<n>`: packs are written once and never changed, only deleted. */
  readonly key: string;
  readonly seq: number;
  /** gzip of the JSON array of the pack's entries. */
  readonly data: Uint8Array;
}

export interface KnowledgeTermsRow {
  /** The key of the pack whose entries' terms these are. */
  readonly key: string;
  readonly seq: number;
  /** gzip of the JSON object id → `encodeTerms` text, for the pack's entries that came with terms. */
  readonly data: Uint8Array;
}

export interface KnowledgeGoneRow {
  readonly id: string;
  readonly seq: number;
}

/** The index as the search service saves it (`KnowledgeIndex.save`), gzipped, stored as bytes by IndexedDB. */
export type SavedIndex = Extract<KnowledgeReply, { type: 'savedBytes' }>['bytes'];

export type KnowledgeMetaRow =
  /** `epoch`: how many resets the device's copy went through (absent: none); an index of another epoch is of entries that are gone. */
  | { readonly key: 'sync'; readonly seq: number; readonly synonyms: readonly (readonly string[])[]; readonly syncedAt: number; readonly epoch?: number }
  | { readonly key: 'index'; readonly seq: number; readonly provider: string; readonly index: SavedIndex; readonly epoch?: number };

/** One page of GET /api/knowledge/changes. */
export interface KnowledgeChangesPage {
  readonly seq: number;
  readonly more: boolean;
  readonly reset: boolean;
  readonly entries: readonly KnowledgeEntry[];
  /** Each entry's search terms (`terms[i]` for `entries[i]`), from a server that computes them. */
  readonly terms?: readonly (string | null)[] | undefined;
  readonly termsVersion?: number | undefined;
  readonly removed: readonly string[];
  readonly synonyms: readonly (readonly string[])[];
}

export interface KnowledgeSyncState {
  readonly seq: number;
  readonly synonyms: readonly (readonly string[])[];
  /** Device time of the last successful pull; null before the first. */
  readonly syncedAt: number | null;
  /** Resets the device's copy went through: an index of another epoch holds entries that are gone. */
  readonly epoch: number;
}

/**
 * Entries per pack: gzip finds the repeats across a pack's entries (on the scaled base 100 give
 * 200 bytes an entry, 50 225, against 1.7 kB of JSON), but a search's hits each decode their
 * whole pack: 100 made a search in Chromium at 40,000 entries read 1,000 entries.
 */
export const PACK_SIZE = 25;

export async function knowledgeSyncState(db: LianxinDb): Promise<KnowledgeSyncState> {
  const row = await db.knowledgeMeta.get('sync');
  return row?.key === 'sync' ? { seq: row.seq, synonyms: row.synonyms, syncedAt: row.syncedAt, epoch: row.epoch ?? 0 } : { seq: 0, synonyms: [], syncedAt: null, epoch: 0 };
}

/**
 * A page of the first sync, handed to the search worker instead of storing its terms
 * (`pullKnowledge`'s `feed`): the worker indexes it if its index is at `from`.
 */
export interface FedPage {
  /** The device's seq before the page (0 for a reset page). */
  readonly from: number;
  readonly seq: number;
  /** The device copy's epoch after the page (`KnowledgeSyncState.epoch`). */
  readonly epoch: number;
  readonly reset: boolean;
  readonly items: ReadonlyArray<{ readonly entry: IndexedFields; readonly terms: string }>;
  readonly gone: readonly string[];
  readonly synonyms: readonly (readonly string[])[];
}

/** Hands a first sync's page to the search worker; true when it indexed it (false, or a throw: its terms are stored instead). */
export type KnowledgeFeed = (page: FedPage) => Promise<boolean>;

/** What the index needs of an entry besides its terms. */
const indexedFields = (e: KnowledgeEntry): IndexedFields => ({ id: e.id, category: e.category, area: e.area, validFrom: e.validFrom, validUntil: e.validUntil, withdrawn: false });

/**
 * Apply one page in one transaction: withdrawn and removed entries go, the others are stored in packs; the seq moves on.
 * With `storeTerms: false` the server's terms are not stored but returned (`fed`) for a feed to the worker.
 */
export async function applyKnowledgePage(
  db: LianxinDb,
  page: KnowledgeChangesPage,
  now: number,
  options: { readonly storeTerms?: boolean; readonly from?: number } = {},
): Promise<{ readonly stored: number; readonly removed: number; readonly fed: FedPage; readonly terms: readonly KnowledgeTermsRow[]; readonly sparse: readonly string[] }> {
  const storeTerms = options.storeTerms ?? true;
  const withTerms = page.termsVersion === TERMS_VERSION && page.terms?.length === page.entries.length;
  const keep: KnowledgeEntry[] = [];
  const termsOf = new Map<string, string>();
  page.entries.forEach((entry, i) => {
    if (entry.withdrawn) return;
    keep.push(entry);
    const text = withTerms ? page.terms?.[i] : null;
    if (typeof text === 'string') termsOf.set(entry.id, text);
  });
  const gone = [...page.entries.filter((e) => e.withdrawn).map((e) => e.id), ...page.removed];
  // Compressed before the transaction: awaiting anything but IndexedDB inside one would commit it.
  const packs: KnowledgePackRow[] = [];
  const terms: KnowledgeTermsRow[] = [];
  const rows: KnowledgeRow[] = [];
  for (let at = 0; at < keep.length; at += PACK_SIZE) {
    const chunk = keep.slice(at, at + PACK_SIZE);
    const key = `${page.seq}:${at / PACK_SIZE}`;
    packs.push({ key, seq: page.seq, data: await gzipBytes(JSON.stringify(chunk)) });
    const chunkTerms = chunk.flatMap((e) => (termsOf.has(e.id) ? [[e.id, termsOf.get(e.id)] as const] : []));
    if (chunkTerms.length > 0) terms.push({ key, seq: page.seq, data: await gzipBytes(JSON.stringify(Object.fromEntries(chunkTerms))) });
    for (const e of chunk) rows.push({ id: e.id, seq: page.seq, pack: key, category: e.category, area: e.area, validFrom: e.validFrom, validUntil: e.validUntil });
  }
  return db.transaction('rw', [db.knowledge, db.knowledgePacks, db.knowledgeTerms, db.knowledgeGone, db.knowledgeMeta], async () => {
    const previous = await db.knowledgeMeta.get('sync');
    const epoch = (previous?.key === 'sync' ? (previous.epoch ?? 0) : 0) + (page.reset ? 1 : 0);
    if (page.reset) {
      await Promise.all([db.knowledge.clear(), db.knowledgePacks.clear(), db.knowledgeTerms.clear(), db.knowledgeGone.clear(), db.knowledgeMeta.delete('index')]);
    }
    const touched = [...keep.map((e) => e.id), ...gone];
    const before = await db.knowledge.bulkGet(touched);
    const oldPacks = new Set(before.flatMap((row) => (row ? [row.pack] : [])));
    await db.knowledgePacks.bulkPut(packs);
    await db.knowledge.bulkPut(rows);
    await db.knowledge.bulkDelete(gone);
    // Terms are looked up by the entry's current pack: an older version's, in its old pack's terms, are never read.
    if (storeTerms) await db.knowledgeTerms.bulkPut(terms);
    await db.knowledgeGone.bulkPut(gone.map((id) => ({ id, seq: page.seq })));
    // An id stored again after it went is no longer gone.
    await db.knowledgeGone.bulkDelete(keep.map((e) => e.id));
    // One query for the packs still in use (one count per pack was a round trip each: 100 of them for 100 changes).
    const liveCount = new Map<string, number>();
    for (const key of await db.knowledge.where('pack').anyOf([...oldPacks]).keys()) liveCount.set(String(key), (liveCount.get(String(key)) ?? 0) + 1);
    const dead = [...oldPacks].filter((key) => !liveCount.has(key));
    // Packs now mostly stale copies: rewritten after the transaction (`compactPacks`).
    const sparse = [...liveCount].filter(([, n]) => n <= SPARSE_PACK).map(([key]) => key);
    await db.knowledgePacks.bulkDelete(dead);
    await db.knowledgeTerms.bulkDelete(dead);
    await db.knowledgeMeta.put({ key: 'sync', seq: page.seq, synonyms: page.synonyms, syncedAt: now, epoch });
    const items = keep.flatMap((e) => {
      const text = termsOf.get(e.id);
      return text === undefined ? [] : [{ entry: indexedFields(e), terms: text }];
    });
    const fed: FedPage = { from: page.reset ? 0 : (options.from ?? 0), seq: page.seq, epoch, reset: page.reset, items, gone, synonyms: page.synonyms };
    return { stored: keep.length, removed: gone.length, fed, terms, sparse };
  });
}

/** Whether the device holds a saved index (a count: the row's value, megabytes, is not read). */
async function hasSavedIndex(db: LianxinDb): Promise<boolean> {
  return (await db.knowledgeMeta.where(':id').equals('index').count()) > 0;
}

/**
 * Pull every page of changes since the device's seq. Throws what `fetchPage` throws (offline: the device keeps what it has).
 *
 * With a `feed` (the PWA's knowledge worker), while the device has no saved index (a first sync, or
 * after a reset) each page's terms go to the worker after the page is stored, instead of into
 * `knowledgeTerms`: IndexedDB's files kept what a first sync wrote and deleted (the terms, twice
 * the packs), so storing them only to drop them after the build doubled the device's storage as the
 * browser counts it. A page the worker did not index (its index is elsewhere, it failed) has its
 * terms stored as before; `fed` counts the pages it indexed (the caller then asks the worker to
 * save its index). A crash between a page's transaction and its feed leaves that page's
 * entries without terms: the worker indexes those from their text (slower, nothing lost).
 */
export async function pullKnowledge(
  db: LianxinDb,
  fetchPage: (since: number) => Promise<KnowledgeChangesPage>,
  now: () => number,
  options: { readonly feed?: KnowledgeFeed } = {},
): Promise<{ readonly seq: number; readonly stored: number; readonly removed: number; readonly fed: number }> {
  let { seq } = await knowledgeSyncState(db);
  let stored = 0;
  let removed = 0;
  let fed = 0;
  const feed = options.feed;
  let building = feed !== undefined && !(await hasSavedIndex(db));
  for (;;) {
    const page = await fetchPage(seq);
    if (page.reset && feed) building = true;
    const applied = await applyKnowledgePage(db, page, now(), { storeTerms: !building, from: seq });
    stored += applied.stored;
    removed += applied.removed;
    seq = page.seq;
    if (building && feed) {
      const indexed = await feed(applied.fed).catch(() => false);
      if (indexed) fed++;
      else {
        // Not indexed: its terms are stored for the worker's catch-up, unless a newer page replaced them.
        const current = new Set(await db.knowledge.where('pack').anyOf(applied.terms.map((t) => t.key)).keys());
        await db.knowledgeTerms.bulkPut(applied.terms.filter((t) => current.has(t.key)));
      }
    }
    if (applied.sparse.length > 0) await compactPacks(db, applied.sparse, page.seq);
    if (!page.more) return { seq, stored, removed, fed };
  }
}

/** A pack with this many current entries or fewer (of `PACK_SIZE`) is rewritten with only them. */
export const SPARSE_PACK = Math.floor(PACK_SIZE / 4);

/**
 * Rewrite packs that hold mostly stale copies (entries changed or gone since): their current
 * entries go into new packs (keys `<seq>:c<first id>`), their rows point there (each row keeps its
 * seq: the index does not see the move), the old packs go. A pack whose entries still have stored
 * terms (`knowledgeTerms`, same key) is left until a saved index holds them. Rows that changed
 * since they were read keep their own pack. Returns the packs rewritten.
 */
export async function compactPacks(db: LianxinDb, keys: readonly string[], seq: number): Promise<readonly string[]> {
  const withTerms = new Set((await db.knowledgeTerms.bulkGet([...keys])).flatMap((row) => (row ? [row.key] : [])));
  const candidates = keys.filter((key) => !withTerms.has(key));
  if (candidates.length === 0) return [];
  const rows = await db.knowledge.where('pack').anyOf(candidates).toArray();
  const cache = new PackCache(candidates.length);
  const entries = (await readKnowledgeEntries(db, rows.map((r) => r.id), cache)).filter((e): e is KnowledgeEntry => e !== undefined);
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const packs: KnowledgePackRow[] = [];
  const packOf = new Map<string, string>();
  for (let at = 0; at < entries.length; at += PACK_SIZE) {
    const chunk = entries.slice(at, at + PACK_SIZE);
    const key = `${seq}:c${chunk[0]!.id}`;
    packs.push({ key, seq, data: await gzipBytes(JSON.stringify(chunk)) });
    for (const e of chunk) packOf.set(e.id, key);
  }
  const oldPack = new Map(rows.map((r) => [r.id, r.pack]));
  return db.transaction('rw', [db.knowledge, db.knowledgePacks, db.knowledgeTerms], async () => {
    // Only rows still where they were read move (a pull in another tab may have changed them).
    const now = await db.knowledge.bulkGet([...packOf.keys()]);
    const moved = now.flatMap((row) => (row && oldPack.get(row.id) === row.pack ? [{ ...row, pack: packOf.get(row.id)! }] : []));
    await db.knowledgePacks.bulkPut(packs);
    await db.knowledge.bulkPut(moved);
    const still = new Set((await db.knowledge.where('pack').anyOf(candidates).keys()).map(String));
    const gone = candidates.filter((key) => !still.has(key));
    await db.knowledgePacks.bulkDelete(gone);
    // A new pack none of whose rows moved would only hold copies.
    const used = new Set(moved.map((r) => r.pack));
    await db.knowledgePacks.bulkDelete(packs.map((p) => p.key).filter((key) => !used.has(key)));
    return gone;
  });
}

/**
 * The worker's side of a feed: index a first sync's page if the index in memory is at the page's
 * `from` (a reset page starts a new index), so the index never skips a page; otherwise false (the
 * page's terms are then stored and a catch-up reads them).
 */
export function feedIndex(state: IndexState, create: () => KnowledgeService, page: FedPage): boolean {
  if (page.reset || (state.service === null && page.from === 0)) {
    state.service = create();
    state.indexSeq = 0;
    state.epoch = page.epoch;
  }
  const service = state.service;
  if (service === null || state.indexSeq !== page.from || state.epoch !== page.epoch) return false;
  const call = (request: KnowledgeRequest): void => {
    const reply = service.handle(request);
    if (reply.type === 'error') throw new Error(reply.message);
  };
  if (page.gone.length > 0) call({ seq: 1, type: 'remove', ids: page.gone });
  if (page.items.length > 0) call({ seq: 2, type: 'putTerms', items: page.items });
  call({ seq: 3, type: 'synonyms', groups: page.synonyms });
  state.indexSeq = page.seq;
  return true;
}

/** Decoded packs, most recently used last: a search reads the packs of its ten hits, mostly the same ones again. */
export class PackCache {
  private readonly packs = new Map<string, ReadonlyMap<string, KnowledgeEntry>>();
  constructor(private readonly max = 64) {}

  /**
   * These packs, decoded, in order: the ones not cached are read in one request and gunzipped
   * at once (one after the other, a round trip and a gunzip each, they were most of a search's time).
   */
  async getMany(db: LianxinDb, keys: readonly string[]): Promise<Array<ReadonlyMap<string, KnowledgeEntry> | undefined>> {
    const missing = [...new Set(keys.filter((key) => !this.packs.has(key)))];
    const rows = missing.length > 0 ? await db.knowledgePacks.bulkGet(missing) : [];
    const decoded = await Promise.all(
      rows.map(async (row) => (row ? (JSON.parse(new TextDecoder().decode(await gunzipBytes(row.data))) as KnowledgeEntry[]) : null)),
    );
    const found = new Map<string, ReadonlyMap<string, KnowledgeEntry>>();
    missing.forEach((key, i) => {
      const entries = decoded[i];
      if (entries) found.set(key, new Map(entries.map((e) => [e.id, e])));
    });
    return keys.map((key) => {
      const pack = this.packs.get(key) ?? found.get(key);
      if (!pack) return undefined;
      // Most recently used last; the oldest goes past `max`.
      this.packs.delete(key);
      this.packs.set(key, pack);
      if (this.packs.size > this.max) this.packs.delete(this.packs.keys().next().value as string);
      return pack;
    });
  }
}

/** The stored entries of these ids, in order (undefined for an id not on the device). */
export async function readKnowledgeEntries(db: LianxinDb, ids: readonly string[], cache = new PackCache()): Promise<Array<KnowledgeEntry | undefined>> {
  const rows = await db.knowledge.bulkGet([...ids]);
  const packs = await cache.getMany(db, rows.map((row) => row?.pack ?? ''));
  return rows.map((row, i) => (row ? packs[i]?.get(row.id) : undefined));
}

/** What the index's saved form depends on besides the entries: rebuilt when it changes. */
export const INDEX_FORMAT = 'gzip-bytes-pinyin-pro-2';

/** Entries indexed since the saved index beyond which the index is saved again (each costs a `putTerms` at a cold start). */
export const SAVE_BACKLOG = 500;

/**
 * Bring a search service's index to the device's seq: load the saved index
 * (when it was made by this format), put the entries that arrived after it
 * (from their stored terms; from their text, with the service's pinyin, only
 * for entries that came without terms), remove those that went, set the
 * synonyms. The index is saved again (gzipped) when it was rebuilt or when
 * more than `SAVE_BACKLOG` entries arrived since the saved one: a small
 * update is searchable at once, and a cold start replays it from its terms.
 * Without a usable saved index, build from every entry.
 */
export interface IndexState {
  service: KnowledgeService | null;
  /** The seq the service's index reflects; null before it was loaded or built. */
  indexSeq: number | null;
  /** The device copy's epoch the index is of (absent: 0). */
  epoch?: number;
}

export async function catchUpIndex(
  db: LianxinDb,
  state: IndexState,
  create: () => KnowledgeService,
): Promise<{ readonly seq: number; readonly rebuilt: boolean; readonly saved: boolean; readonly size: number }> {
  let next = 1;
  const sync = await knowledgeSyncState(db);
  // The device started again (a reset, another user): the index in memory is of something else. A
  // reset is told by the epoch: its seq may well be past the index's (the seq alone missed that).
  if (state.service === null || (state.indexSeq !== null && state.indexSeq > sync.seq) || (state.epoch ?? 0) !== sync.epoch) {
    state.service = create();
    state.indexSeq = null;
  }
  state.epoch = sync.epoch;
  const service = state.service;
  const call = (request: KnowledgeRequest): KnowledgeReply => {
    const reply = service.handle(request);
    if (reply.type === 'error') throw new Error(reply.message);
    return reply;
  };
  const savedRow = await db.knowledgeMeta.get('index');
  const saved = savedRow?.key === 'index' && savedRow.provider === INDEX_FORMAT && savedRow.seq <= sync.seq && (savedRow.epoch ?? 0) === sync.epoch ? savedRow : null;
  let rebuilt = false;
  let from = state.indexSeq;
  if (from === null && saved) {
    call({ seq: next++, type: 'loadBytes', bytes: await gunzipBytes(saved.index) });
    from = saved.seq;
  }
  const put = async (rows: readonly KnowledgeRow[]) => {
    const keys = [...new Set(rows.map((r) => r.pack))];
    const termRows = await db.knowledgeTerms.bulkGet(keys);
    const termsByPack = new Map<string, Record<string, string>>();
    for (const row of termRows) if (row) termsByPack.set(row.key, JSON.parse(new TextDecoder().decode(await gunzipBytes(row.data))) as Record<string, string>);
    const items: Array<{ entry: IndexedFields; terms: string }> = [];
    const missing: string[] = [];
    for (const row of rows) {
      const terms = termsByPack.get(row.pack)?.[row.id];
      if (typeof terms === 'string') items.push({ entry: { id: row.id, category: row.category, area: row.area, validFrom: row.validFrom, validUntil: row.validUntil, withdrawn: false }, terms });
      else missing.push(row.id);
    }
    if (items.length > 0) call({ seq: next++, type: 'putTerms', items });
    if (missing.length > 0) {
      const entries = (await readKnowledgeEntries(db, missing)).filter((e): e is KnowledgeEntry => e !== undefined);
      call({ seq: next++, type: 'put', entries });
    }
  };
  if (from === null) {
    await put(await db.knowledge.toArray());
    rebuilt = true;
  } else if (from < sync.seq) {
    const [rows, gone] = await Promise.all([db.knowledge.where('seq').above(from).toArray(), db.knowledgeGone.where('seq').above(from).toArray()]);
    if (gone.length > 0) call({ seq: next++, type: 'remove', ids: gone.map((g) => g.id) });
    if (rows.length > 0) await put(rows);
  }
  const done = call({ seq: next++, type: 'synonyms', groups: sync.synonyms });
  state.indexSeq = sync.seq;
  // Entries and removals the saved index lacks: each would be replayed at a cold start.
  const behind = saved ? (await db.knowledge.where('seq').above(saved.seq).count()) + (await db.knowledgeGone.where('seq').above(saved.seq).count()) : Infinity;
  let wrote = false;
  if (sync.seq > 0 && (rebuilt || behind > SAVE_BACKLOG)) {
    const bytes = call({ seq: next, type: 'saveBytes' });
    if (bytes.type === 'savedBytes') {
      const index = await gzipBytes(bytes.bytes);
      await db.transaction('rw', [db.knowledgeMeta, db.knowledgeTerms], async () => {
        // Stamped with the epoch read at the start: a reset since makes it unusable, not wrong.
        await db.knowledgeMeta.put({ key: 'index', seq: sync.seq, provider: INDEX_FORMAT, index, epoch: sync.epoch });
        await db.knowledgeTerms.where('seq').belowOrEqual(sync.seq).delete();
      });
      wrote = true;
    }
  }
  return { seq: sync.seq, rebuilt, saved: wrote, size: done.type === 'done' ? done.size : 0 };
}
