/** The knowledge base on the device: pulling pages of changes, tombstones, and an index that catches up from its saved copy. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { createKnowledgeService, type KnowledgeService } from '#shared/knowledge/service.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { catchUpIndex, knowledgeSyncState, pullKnowledge, type IndexState, type KnowledgeChangesPage } from '#shared/local/knowledge.ts';
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
    expect(await knowledgeSyncState(db)).toEqual({ seq: 3, synonyms: [['电梯', '升降梯']], syncedAt: 100 });

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
