/**
 * Search quality on the labelled queries: the share with the right entry
 * first and in the top three, overall and by kind, and the share whose first
 * hit is at least the right matter (any of its six aspects). The floors are
 * what was measured when the set was written (docs/KNOWLEDGE.md), rounded
 * down a little so that a harmless change of ranking does not fail while a
 * real regression does. The index has the pinyin provider the worker uses
 * (pinyin-pro, shared/knowledge/pinyin.ts); pinyin queries have floors of
 * their own.
 */
import { describe, expect, it } from 'vitest';
import { KnowledgeIndex, buildIndex, type SerialisedIndex } from '#shared/knowledge/search.ts';
import { PINYIN } from '#shared/knowledge/pinyin.ts';
import { DEMO_SYNONYMS, demoKnowledge } from '#demo/knowledge/generate.ts';
import { QUERIES, type LabelledQuery } from './queries.ts';

const NOW = Date.UTC(2026, 11, 1);
const matterOf = (id: string | undefined) => id?.replace(/-[a-z]+$/, '');

function measure(index: KnowledgeIndex, queries: readonly LabelledQuery[]) {
  let first = 0;
  let top3 = 0;
  let matter = 0;
  const misses: string[] = [];
  for (const { query, expected } of queries) {
    const ids = index.search(query, {}, 3).hits.map((h) => h.id);
    if (ids[0] === expected) first++;
    if (matterOf(ids[0]) === matterOf(expected)) matter++;
    if (ids.includes(expected)) top3++;
    else misses.push(`${query} → ${ids.join(', ') || '(nothing)'} (want ${expected})`);
  }
  const n = queries.length;
  return { n, first: first / n, top3: top3 / n, matter: matter / n, misses };
}

describe('knowledge search quality', () => {
  const entries = demoKnowledge({ now: NOW });
  const index = buildIndex(entries, { synonyms: DEMO_SYNONYMS, pinyin: PINYIN });

  it('has at least 100 labelled queries whose entries exist', () => {
    const ids = new Set(entries.map((e) => e.id));
    expect(QUERIES.length).toBeGreaterThanOrEqual(100);
    for (const { expected } of QUERIES) expect(ids).toContain(expected);
  });

  it('finds the right entry first / in the top three', () => {
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    const line = (name: string, m: ReturnType<typeof measure>) =>
      `${name} (${m.n}): first ${pct(m.first)}, top 3 ${pct(m.top3)}, right matter first ${pct(m.matter)}`;
    const all = measure(index, QUERIES);
    const chinese = measure(index, QUERIES.filter((q) => q.kind !== 'pinyin'));
    const pinyin = measure(index, QUERIES.filter((q) => q.kind === 'pinyin'));
    const kinds = [...new Set(QUERIES.map((q) => q.kind))];
    // Baseline: what a plain substring scan (the whole query inside title, questions or answer) finds first.
    const scan = (query: string) =>
      entries.filter((e) => [e.title, ...e.questions, e.answer].some((t) => t.includes(query))).map((e) => e.id);
    const scanned = QUERIES.filter((q) => q.kind !== 'pinyin').map((q) => ({ q, ids: scan(q.query) }));
    const scanFirst = scanned.filter(({ q, ids }) => ids[0] === q.expected).length / scanned.length;
    const scanAny = scanned.filter(({ ids }) => ids.length > 0).length / scanned.length;
    console.log(
      [
        line('all', all),
        line('without pinyin', chinese),
        `baseline substring scan (without pinyin): first ${pct(scanFirst)}, finds anything ${pct(scanAny)}`,
        ...kinds.map((k) => line(k, measure(index, QUERIES.filter((q) => q.kind === k)))),
        'not in the top 3:',
        ...all.misses,
      ].join('\n'),
    );
    expect(chinese.first).toBeGreaterThanOrEqual(0.74);
    expect(chinese.top3).toBeGreaterThanOrEqual(0.9);
    expect(chinese.matter).toBeGreaterThanOrEqual(0.95);
    expect(pinyin.first).toBeGreaterThanOrEqual(0.6);
    expect(pinyin.top3).toBeGreaterThanOrEqual(0.7);
    expect(pinyin.matter).toBeGreaterThanOrEqual(0.92);
  });
});

describe('the prebuilt index', () => {
  it('answers every labelled query as the index it was saved from', () => {
    const index = buildIndex(demoKnowledge({ now: NOW }), { synonyms: DEMO_SYNONYMS, pinyin: PINYIN });
    const loaded = KnowledgeIndex.fromJSON(JSON.parse(JSON.stringify(index.toJSON())) as SerialisedIndex, PINYIN);
    const bytes = KnowledgeIndex.load(index.save(), PINYIN);
    for (const { query } of QUERIES) {
      expect(loaded.search(query, {}, 5)).toEqual(index.search(query, {}, 5));
      expect(bytes.search(query, {}, 5)).toEqual(index.search(query, {}, 5));
    }
    expect(() => KnowledgeIndex.load(new Uint8Array([1, 2, 3, 4]))).toThrow(/not a knowledge index/);
  });
});
