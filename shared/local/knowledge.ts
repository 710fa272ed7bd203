/**
 * The knowledge base on the device (docs/KNOWLEDGE.md "On the device"):
 *
 * - `knowledge`: the entries that apply to the user, each with the seq of the
 *   page of changes it arrived in;
 * - `knowledgeGone`: ids removed (withdrawn, moved out of the user's area)
 *   with the seq of their removal, so an index saved at an older seq can
 *   catch up without a rebuild (another tab's worker may hold an older index
 *   in memory, so they are kept: an id each, cleared on reset and sign-out);
 * - `knowledgeMeta`: the device's seq and the synonyms ('sync'), and the
 *   serialised search index with the seq it reflects ('index').
 *
 * `pullKnowledge` asks the server for what changed since the device's seq,
 * page by page, and applies each page in one transaction. `catchUpIndex`
 * brings a search service's index to the stored seq (the worker runs it).
 */
import type { KnowledgeEntry } from '../knowledge/entry.ts';
import type { KnowledgeReply, KnowledgeRequest, KnowledgeService } from '../knowledge/service.ts';
import type { LianxinDb } from './db.ts';

export interface KnowledgeRow {
  readonly id: string;
  readonly entry: KnowledgeEntry;
  /** The device seq after the page that brought this version. */
  readonly seq: number;
}

export interface KnowledgeGoneRow {
  readonly id: string;
  readonly seq: number;
}

/** The index as the search service saves and loads it: bytes (`KnowledgeIndex.save`), stored as they are by IndexedDB. */
export type SavedIndex = Extract<KnowledgeReply, { type: 'savedBytes' }>['bytes'];

export type KnowledgeMetaRow =
  | { readonly key: 'sync'; readonly seq: number; readonly synonyms: readonly (readonly string[])[]; readonly syncedAt: number }
  | { readonly key: 'index'; readonly seq: number; readonly provider: string; readonly index: SavedIndex };

/** One page of GET /api/knowledge/changes. */
export interface KnowledgeChangesPage {
  readonly seq: number;
  readonly more: boolean;
  readonly reset: boolean;
  readonly entries: readonly KnowledgeEntry[];
  readonly removed: readonly string[];
  readonly synonyms: readonly (readonly string[])[];
}

export interface KnowledgeSyncState {
  readonly seq: number;
  readonly synonyms: readonly (readonly string[])[];
  /** Device time of the last successful pull; null before the first. */
  readonly syncedAt: number | null;
}

export async function knowledgeSyncState(db: LianxinDb): Promise<KnowledgeSyncState> {
  const row = await db.knowledgeMeta.get('sync');
  return row?.key === 'sync' ? { seq: row.seq, synonyms: row.synonyms, syncedAt: row.syncedAt } : { seq: 0, synonyms: [], syncedAt: null };
}

/** Apply one page in one transaction: withdrawn and removed entries go, the others are stored; the seq moves on. */
export async function applyKnowledgePage(db: LianxinDb, page: KnowledgeChangesPage, now: number): Promise<{ readonly stored: number; readonly removed: number }> {
  return db.transaction('rw', [db.knowledge, db.knowledgeGone, db.knowledgeMeta], async () => {
    if (page.reset) await Promise.all([db.knowledge.clear(), db.knowledgeGone.clear(), db.knowledgeMeta.delete('index')]);
    const keep = page.entries.filter((e) => !e.withdrawn);
    const gone = [...page.entries.filter((e) => e.withdrawn).map((e) => e.id), ...page.removed];
    await db.knowledge.bulkPut(keep.map((entry) => ({ id: entry.id, entry, seq: page.seq })));
    await db.knowledge.bulkDelete(gone);
    await db.knowledgeGone.bulkPut(gone.map((id) => ({ id, seq: page.seq })));
    // An id stored again after it went is no longer gone.
    await db.knowledgeGone.bulkDelete(keep.map((e) => e.id));
    await db.knowledgeMeta.put({ key: 'sync', seq: page.seq, synonyms: page.synonyms, syncedAt: now });
    return { stored: keep.length, removed: gone.length };
  });
}

/** Pull every page of changes since the device's seq. Throws what `fetchPage` throws (offline: the device keeps what it has). */
export async function pullKnowledge(
  db: LianxinDb,
  fetchPage: (since: number) => Promise<KnowledgeChangesPage>,
  now: () => number,
): Promise<{ readonly seq: number; readonly stored: number; readonly removed: number }> {
  let { seq } = await knowledgeSyncState(db);
  let stored = 0;
  let removed = 0;
  for (;;) {
    const page = await fetchPage(seq);
    const applied = await applyKnowledgePage(db, page, now());
    stored += applied.stored;
    removed += applied.removed;
    seq = page.seq;
    if (!page.more) return { seq, stored, removed };
  }
}

/** What the index's saved form depends on besides the entries: rebuilt when it changes. */
export const INDEX_FORMAT = 'bytes-pinyin-pro-1';

/**
 * Bring a search service's index to the device's seq: load the saved index
 * (when it was made by this format), put the entries that arrived after it,
 * remove those that went, set the synonyms, and save it again when anything
 * changed. Without a usable saved index, build from every entry. Returns the
 * seq the index now reflects and whether it was rebuilt.
 */
export interface IndexState {
  service: KnowledgeService | null;
  /** The seq the service's index reflects; null before it was loaded or built. */
  indexSeq: number | null;
}

export async function catchUpIndex(db: LianxinDb, state: IndexState, create: () => KnowledgeService): Promise<{ readonly seq: number; readonly rebuilt: boolean; readonly size: number }> {
  let next = 1;
  const sync = await knowledgeSyncState(db);
  // The device started again (reset, another user): the index in memory is of something else.
  if (state.service === null || (state.indexSeq !== null && state.indexSeq > sync.seq)) {
    state.service = create();
    state.indexSeq = null;
  }
  const service = state.service;
  const call = (request: KnowledgeRequest): KnowledgeReply => {
    const reply = service.handle(request);
    if (reply.type === 'error') throw new Error(reply.message);
    return reply;
  };
  let rebuilt = false;
  let from = state.indexSeq;
  if (from === null) {
    const saved = await db.knowledgeMeta.get('index');
    if (saved?.key === 'index' && saved.provider === INDEX_FORMAT && saved.seq <= sync.seq) {
      call({ seq: next++, type: 'loadBytes', bytes: saved.index });
      from = saved.seq;
    }
  }
  let changed = false;
  if (from === null) {
    const rows = await db.knowledge.toArray();
    call({ seq: next++, type: 'put', entries: rows.map((r) => r.entry) });
    rebuilt = true;
    changed = true;
  } else if (from < sync.seq) {
    const [rows, gone] = await Promise.all([db.knowledge.where('seq').above(from).toArray(), db.knowledgeGone.where('seq').above(from).toArray()]);
    if (gone.length > 0) call({ seq: next++, type: 'remove', ids: gone.map((g) => g.id) });
    if (rows.length > 0) call({ seq: next++, type: 'put', entries: rows.map((r) => r.entry) });
    changed = true;
  }
  const done = call({ seq: next++, type: 'synonyms', groups: sync.synonyms });
  state.indexSeq = sync.seq;
  if (changed) {
    const saved = call({ seq: next, type: 'saveBytes' });
    if (saved.type === 'savedBytes') {
      await db.knowledgeMeta.put({ key: 'index', seq: sync.seq, provider: INDEX_FORMAT, index: saved.bytes });
    }
  }
  return { seq: sync.seq, rebuilt, size: done.type === 'done' ? done.size : 0 };
}
