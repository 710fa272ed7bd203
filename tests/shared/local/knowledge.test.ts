/** The knowledge base on the device: pulling pages of changes, tombstones, and an index that catches up from its saved copy. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { createKnowledgeService, type KnowledgeService } from '#shared/knowledge/service.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { PINYIN } from '#shared/knowledge/pinyin.ts';
import { entryTerms, TERMS_VERSION } from '#shared/knowledge/terms.ts';
import {
  catchUpIndex,
  compactPacks,
  feedIndex,
  INDEX_FORMAT,
  knowledgeSyncState,
  PACK_SIZE,
  pullKnowledge,
  readKnowledgeEntries,
  SAVE_BACKLOG,
  SPARSE_PACK,
  type FedPage,
  type IndexState,
  type KnowledgeChangesPage,
} from '#shared/local/knowledge.ts';
import { gunzipBytes } from '#shared/local/gzip.ts';
import { testEntry } from '../../support/knowledge-files.ts';
import { openTestDb } from './helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
beforeEach(() => ({ db, close } = openTestDb()));
afterEach(() => close());

const page = (seq: number, entries: KnowledgeEntry[], more = false, extra: Partial<KnowledgeChangesPage> = {}): KnowledgeChangesPage => ({
  seq,
  more,
  reset: false,
  entries,
  removed: [],
  synonyms: [['电梯', '升降梯']],
  ...extra,
});

const hitIds = (service: KnowledgeService, query: string): string[] => {
  const reply = service.handle({ seq: 1, type: 'search', query });
  return reply.type === 'hits' ? reply.hits.map((h) => h.id) : [];
};

describe('pullKnowledge', () => {
  it('asks from the device seq, follows pages, deletes withdrawn and removed entries', async () => {
    const asked: number[] = [];
    const pages = [
      page(2, [testEntry('kb-a'), testEntry('kb-b', { title: '公租房申请条件', tags: ['公租房'] })], true),
      page(3, [testEntry('kb-c', { title: '噪声扰民投诉' })]),
    ];
    await pullKnowledge(db, async (since) => (asked.push(since), pages.shift()!), () => 100);
    expect(asked).toEqual([0, 2]);
    expect((await db.knowledge.toCollection().primaryKeys()).sort()).toEqual(['kb-a', 'kb-b', 'kb-c']);
    expect(await knowledgeSyncState(db)).toEqual({ seq: 3, synonyms: [['电梯', '升降梯']], syncedAt: 100, epoch: 0 });

    await pullKnowledge(db, async (since) => (asked.push(since), page(5, [testEntry('kb-a', { withdrawn: true, version: 2 })], false, { removed: ['kb-b'] })), () => 200);
    expect(asked).toEqual([0, 2, 3]);
    expect(await db.knowledge.toCollection().primaryKeys()).toEqual(['kb-c']);
  });

  it('starts again on reset', async () => {
    await pullKnowledge(db, async () => page(4, [testEntry('kb-a')]), () => 1);
    await pullKnowledge(db, async () => page(1, [testEntry('kb-z')], false, { reset: true }), () => 2);
    expect(await db.knowledge.toCollection().primaryKeys()).toEqual(['kb-z']);
  });
});

describe('catchUpIndex', () => {
  it('builds once, saves, then loads the saved index and applies only what changed since', async () => {
    await pullKnowledge(db, async () => page(2, [testEntry('kb-lift'), testEntry('kb-gzf', { title: '公租房申请条件', tags: ['公租房'], questions: ['公租房怎么申请'] })]), () => 1);
    const first: IndexState = { service: null, indexSeq: null };
    expect(await catchUpIndex(db, first, () => createKnowledgeService())).toMatchObject({ seq: 2, rebuilt: true, size: 2 });
    expect(hitIds(first.service!, '升降梯')[0]).toBe('kb-lift');
    expect(hitIds(first.service!, '公租房')[0]).toBe('kb-gzf');

    await pullKnowledge(db, async () => page(4, [testEntry('kb-gzf', { withdrawn: true, version: 2 }), testEntry('kb-noise', { title: '噪声扰民投诉', tags: ['噪声'], questions: ['楼下太吵了'] })]), () => 2);
    // A cold start: a new service from the saved index (seq 2), caught up to seq 4 without a rebuild.
    const cold: IndexState = { service: null, indexSeq: null };
    expect(await catchUpIndex(db, cold, () => createKnowledgeService())).toMatchObject({ seq: 4, rebuilt: false, size: 2 });
    expect(hitIds(cold.service!, '公租房')).not.toContain('kb-gzf');
    expect(hitIds(cold.service!, '噪声扰民')[0]).toBe('kb-noise');
    // The warm one catches up in memory the same way.
    expect(await catchUpIndex(db, first, () => createKnowledgeService())).toMatchObject({ seq: 4, rebuilt: false, size: 2 });
    expect(hitIds(first.service!, '噪声扰民')[0]).toBe('kb-noise');
    expect(hitIds(first.service!, '公租房')).not.toContain('kb-gzf');
  });
});

describe('a reset under a warm index', () => {
  it('drops the index in memory and the saved one even when the reset\'s seq is past theirs', async () => {
    await pullKnowledge(db, async () => page(4, [testEntry('kb-gzf', { title: '公租房申请条件', tags: ['公租房'] })]), () => 1);
    const warm: IndexState = { service: null, indexSeq: null };
    await catchUpIndex(db, warm, () => createKnowledgeService());
    expect(await db.knowledgeMeta.get('index')).toMatchObject({ seq: 4, epoch: 0 });
    // Another server (or a restored backup): from 0 again, to a seq past the warm index's.
    await pullKnowledge(db, async () => page(9, [testEntry('kb-noise', { title: '噪声扰民投诉', tags: ['噪声'] })], false, { reset: true }), () => 2);
    expect(await knowledgeSyncState(db)).toMatchObject({ seq: 9, epoch: 1 });
    expect(await catchUpIndex(db, warm, () => createKnowledgeService())).toMatchObject({ seq: 9, rebuilt: true, size: 1 });
    expect(hitIds(warm.service!, '公租房')).not.toContain('kb-gzf');
    expect(hitIds(warm.service!, '噪声扰民')[0]).toBe('kb-noise');
    // An index saved before the reset (another tab's worker, late) is not loaded: its entries are gone.
    const stale = (await db.knowledgeMeta.get('index'))!;
    await db.knowledgeMeta.put({ ...stale, key: 'index', seq: 4, epoch: 0 } as typeof stale);
    const cold: IndexState = { service: null, indexSeq: null };
    expect(await catchUpIndex(db, cold, () => createKnowledgeService())).toMatchObject({ seq: 9, rebuilt: true, size: 1 });
  });
});

/** A page as the server sends it: each entry with the terms it computed (pinyin included). */
const withTerms = (seq: number, entries: KnowledgeEntry[], extra: Partial<KnowledgeChangesPage> = {}): KnowledgeChangesPage =>
  page(seq, entries, false, { terms: entries.map((e) => (e.withdrawn ? null : entryTerms(e, PINYIN))), termsVersion: TERMS_VERSION, ...extra });

describe('the compact store', () => {
  it('stores entries gzipped in packs, reads them back, and drops a pack once none of its entries is current', async () => {
    const many = Array.from({ length: PACK_SIZE + 5 }, (_, i) => testEntry(`kb-${String(i).padStart(3, '0')}`, { title: `第${i}条` }));
    await pullKnowledge(db, async () => withTerms(2, many), () => 1);
    const packs = await db.knowledgePacks.toArray();
    expect(packs.map((p) => p.key)).toEqual(['2:0', '2:1']);
    // gzip, not JSON: a full pack is a fraction of its entries' text.
    expect(packs[0]!.data.length * 5).toBeLessThan(JSON.stringify(many.slice(0, PACK_SIZE)).length);
    expect(JSON.parse(new TextDecoder().decode(await gunzipBytes(packs[1]!.data)))).toEqual(many.slice(PACK_SIZE));
    const last = many[PACK_SIZE + 4]!;
    expect(await readKnowledgeEntries(db, [last.id, 'kb-nope', 'kb-000'])).toEqual([last, undefined, many[0]]);

    // The second pack's five entries change (one withdrawn): the pack goes, the first stays.
    const changed = many.slice(PACK_SIZE).map((e, i) => (i === 0 ? { ...e, withdrawn: true, version: 2 } : { ...e, title: `${e.title}（修订）`, version: 2 }));
    await pullKnowledge(db, async () => withTerms(3, changed), () => 2);
    expect((await db.knowledgePacks.toCollection().primaryKeys()).sort()).toEqual(['2:0', '3:0']);
    expect((await readKnowledgeEntries(db, [many[PACK_SIZE + 1]!.id]))[0]?.title).toBe(`第${PACK_SIZE + 1}条（修订）`);
    expect(await db.knowledge.get(many[PACK_SIZE]!.id)).toBeUndefined();
  });

  it('indexes incoming entries from the server\'s terms: a device without pinyin finds gzf', async () => {
    await pullKnowledge(db, async () => withTerms(2, [testEntry('kb-gzf', { title: '公租房申请条件', tags: ['公租房'] }), testEntry('kb-lift')]), () => 1);
    const state: IndexState = { service: null, indexSeq: null };
    // No provider: any pinyin in the index came with the terms.
    expect(await catchUpIndex(db, state, () => createKnowledgeService())).toMatchObject({ rebuilt: true, saved: true, size: 2 });
    expect(hitIds(state.service!, 'gzf')[0]).toBe('kb-gzf');
    // The saved index holds them: their terms are dropped.
    expect(await db.knowledgeTerms.count()).toBe(0);

    // A small update is indexed from its terms and not saved: the terms wait for the next cold start.
    await pullKnowledge(db, async () => withTerms(3, [testEntry('kb-wyf', { title: '物业费收费标准', tags: ['物业费'] })]), () => 2);
    expect(await catchUpIndex(db, state, () => createKnowledgeService())).toMatchObject({ seq: 3, rebuilt: false, saved: false, size: 3 });
    expect(hitIds(state.service!, 'wyf')[0]).toBe('kb-wyf');
    expect(await db.knowledgeTerms.count()).toBe(1);
    const cold: IndexState = { service: null, indexSeq: null };
    expect(await catchUpIndex(db, cold, () => createKnowledgeService())).toMatchObject({ seq: 3, rebuilt: false, saved: false, size: 3 });
    expect(hitIds(cold.service!, 'wyf')[0]).toBe('kb-wyf');
    expect((await db.knowledgeMeta.get('index'))).toMatchObject({ seq: 2, provider: INDEX_FORMAT });
  });

  it('saves the index again once more than SAVE_BACKLOG entries arrived since the saved one', async () => {
    await pullKnowledge(db, async () => withTerms(2, [testEntry('kb-a')]), () => 1);
    const state: IndexState = { service: null, indexSeq: null };
    await catchUpIndex(db, state, () => createKnowledgeService());
    const more = Array.from({ length: SAVE_BACKLOG + 1 }, (_, i) => testEntry(`kb-m${i}`, { title: `事项${i}` }));
    await pullKnowledge(db, async () => withTerms(3, more), () => 2);
    expect(await catchUpIndex(db, state, () => createKnowledgeService())).toMatchObject({ seq: 3, saved: true, size: SAVE_BACKLOG + 2 });
    expect(await db.knowledgeMeta.get('index')).toMatchObject({ seq: 3 });
    expect(await db.knowledgeTerms.count()).toBe(0);
  });

  it('indexes an entry that came without terms (an older server) from its text', async () => {
    await pullKnowledge(db, async () => page(2, [testEntry('kb-gzf', { title: '公租房申请条件', tags: ['公租房'] })]), () => 1);
    expect(await db.knowledgeTerms.count()).toBe(0);
    const state: IndexState = { service: null, indexSeq: null };
    await catchUpIndex(db, state, () => createKnowledgeService(PINYIN));
    expect(hitIds(state.service!, 'gzf')[0]).toBe('kb-gzf');
  });
});

describe('the first sync fed to the worker', () => {
  const gzf = testEntry('kb-gzf', { title: '公租房申请条件', tags: ['公租房'] });
  const wyf = testEntry('kb-wyf', { title: '物业费收费标准', tags: ['物业费'] });
  const lift = testEntry('kb-lift');
  /** The worker's side, in the test: `feedIndex` on a state of its own; `refuse` makes it answer false. */
  const worker = (state: IndexState, log: FedPage[] = [], refuse = () => false) => async (fed: FedPage) => (log.push(fed), !refuse() && feedIndex(state, () => createKnowledgeService(), fed));

  it('stores no terms: the worker indexes each page as it arrives, then saves once', async () => {
    const pages = [{ ...withTerms(2, [gzf, lift]), more: true }, withTerms(5, [wyf, { ...lift, withdrawn: true, version: 2 }])];
    const state: IndexState = { service: null, indexSeq: null };
    const log: FedPage[] = [];
    const result = await pullKnowledge(db, async () => pages.shift()!, () => 1, { feed: worker(state, log) });
    expect(result).toMatchObject({ seq: 5, fed: 2 });
    expect(log.map((p) => [p.from, p.seq])).toEqual([[0, 2], [2, 5]]);
    expect(await db.knowledgeTerms.count()).toBe(0);
    expect(state).toMatchObject({ indexSeq: 5 });
    expect(hitIds(state.service!, 'gzf')[0]).toBe('kb-gzf');
    expect(hitIds(state.service!, '升降梯')).not.toContain('kb-lift');
    // The catch-up after the pull has nothing to put: it saves what was fed.
    expect(await catchUpIndex(db, state, () => createKnowledgeService())).toMatchObject({ seq: 5, rebuilt: false, saved: true, size: 2 });
    const cold: IndexState = { service: null, indexSeq: null };
    expect(await catchUpIndex(db, cold, () => createKnowledgeService())).toMatchObject({ seq: 5, rebuilt: false, saved: false, size: 2 });
    expect(hitIds(cold.service!, 'wyf')[0]).toBe('kb-wyf');
    // With a saved index, later pulls store their terms as before and feed nothing.
    const later = await pullKnowledge(db, async () => withTerms(6, [lift]), () => 2, { feed: worker(state, log) });
    expect(later.fed).toBe(0);
    expect(log).toHaveLength(2);
    expect(await db.knowledgeTerms.count()).toBe(1);
  });

  it('stores the terms of a page the worker did not index, and the catch-up reads them', async () => {
    const state: IndexState = { service: null, indexSeq: null };
    await pullKnowledge(db, async () => withTerms(2, [gzf, lift]), () => 1, { feed: worker(state, [], () => true) });
    expect(await db.knowledgeTerms.count()).toBe(1);
    // No pinyin provider: gzf is found only if the terms were read.
    expect(await catchUpIndex(db, state, () => createKnowledgeService())).toMatchObject({ seq: 2, rebuilt: true, saved: true, size: 2 });
    expect(hitIds(state.service!, 'gzf')[0]).toBe('kb-gzf');
  });

  it('resumes after a crash mid-sync: nothing is pulled again, the pages the lost worker had indexed are indexed from their text', async () => {
    const pages = [{ ...withTerms(2, [gzf, lift]), more: true }, withTerms(3, [wyf])];
    const before: IndexState = { service: null, indexSeq: null };
    // The first page is stored and fed; the app dies while fetching the second.
    await expect(pullKnowledge(db, async (since) => (since === 0 ? pages[0]! : Promise.reject(new Error('killed'))), () => 1, { feed: worker(before) })).rejects.toThrow('killed');
    expect(await knowledgeSyncState(db)).toMatchObject({ seq: 2 });
    // A new app: a new worker, whose index is not at seq 2, refuses the next page; its terms are stored.
    const after: IndexState = { service: null, indexSeq: null };
    const asked: number[] = [];
    const log: FedPage[] = [];
    await pullKnowledge(db, async (since) => (asked.push(since), pages[1]!), () => 2, { feed: worker(after, log) });
    expect(asked).toEqual([2]);
    expect(log.map((p) => p.from)).toEqual([2]);
    expect(after.service).toBeNull();
    expect(await catchUpIndex(db, after, () => createKnowledgeService(PINYIN))).toMatchObject({ seq: 3, rebuilt: true, size: 3 });
    expect(hitIds(after.service!, 'gzf')[0]).toBe('kb-gzf');
    expect(hitIds(after.service!, 'wyf')[0]).toBe('kb-wyf');
  });

  it('starts a new index on a reset page', async () => {
    const state: IndexState = { service: null, indexSeq: null };
    await pullKnowledge(db, async () => withTerms(4, [gzf]), () => 1, { feed: worker(state) });
    await catchUpIndex(db, state, () => createKnowledgeService());
    expect(await db.knowledgeMeta.get('index')).toBeDefined();
    await pullKnowledge(db, async () => withTerms(1, [wyf], { reset: true }), () => 2, { feed: worker(state) });
    expect(await db.knowledgeTerms.count()).toBe(0);
    expect(state.indexSeq).toBe(1);
    expect(hitIds(state.service!, 'gzf')).not.toContain('kb-gzf');
    expect(hitIds(state.service!, 'wyf')[0]).toBe('kb-wyf');
    expect(await catchUpIndex(db, state, () => createKnowledgeService())).toMatchObject({ seq: 1, saved: true, size: 1 });
  });
});

describe('pack compaction', () => {
  const many = Array.from({ length: PACK_SIZE }, (_, i) => testEntry(`kb-${String(i).padStart(3, '0')}`, { title: `第${i}条`, tags: ['公租房'] }));
  const revise = (entries: KnowledgeEntry[]) => entries.map((e) => ({ ...e, title: `${e.title}（修订）`, version: 2 }));

  it('rewrites a pack once it holds SPARSE_PACK current entries or fewer; rows keep their seq, reads and the index are unchanged', async () => {
    await pullKnowledge(db, async () => withTerms(2, many), () => 1);
    const state: IndexState = { service: null, indexSeq: null };
    await catchUpIndex(db, state, () => createKnowledgeService());
    // One change fewer than the threshold: the pack stays as it is.
    const keepLive = SPARSE_PACK + 1;
    await pullKnowledge(db, async () => withTerms(3, revise(many.slice(keepLive))), () => 2);
    expect((await db.knowledgePacks.toCollection().primaryKeys()).sort()).toEqual(['2:0', '3:0']);
    // One more change: 2:0 is sparse (its terms went with the saved index) and rewritten.
    await pullKnowledge(db, async () => withTerms(4, revise(many.slice(0, 1))), () => 3);
    const keys = (await db.knowledgePacks.toCollection().primaryKeys()).sort();
    expect(keys).not.toContain('2:0');
    const moved = (await db.knowledge.bulkGet(many.slice(1, keepLive).map((e) => e.id)))!;
    expect(moved.every((row) => row?.pack === `4:c${many[1]!.id}` && row.seq === 2)).toBe(true);
    expect(await readKnowledgeEntries(db, [many[1]!.id, many[0]!.id, many[keepLive]!.id])).toEqual([many[1], revise(many.slice(0, 1))[0], revise([many[keepLive]!])[0]]);
    // The index did not see the move: a catch-up puts only the changed entries and finds all.
    expect(await catchUpIndex(db, state, () => createKnowledgeService())).toMatchObject({ seq: 4, size: PACK_SIZE });
    expect(hitIds(state.service!, '第1条')[0]).toBe(many[1]!.id);
  });

  it('leaves a pack whose entries still have stored terms, and a row already in another pack where it is', async () => {
    await pullKnowledge(db, async () => withTerms(2, many), () => 1);
    expect(await db.knowledgeTerms.get('2:0')).toBeDefined();
    expect(await compactPacks(db, ['2:0'], 3)).toEqual([]);
    await db.knowledgeTerms.clear();
    // A row already elsewhere (another tab's pull): it is not moved back.
    await db.knowledge.update(many[0]!.id, { pack: '9:0' });
    expect(await compactPacks(db, ['2:0'], 3)).toEqual(['2:0']);
    expect((await db.knowledge.get(many[0]!.id))?.pack).toBe('9:0');
    expect((await db.knowledge.get(many[1]!.id))?.pack).toBe(`3:c${many[1]!.id}`);
  });
});
