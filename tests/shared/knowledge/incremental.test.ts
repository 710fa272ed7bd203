/**
 * Property: whatever sequence of puts, replacements, withdrawals and removals
 * reaches an index, it answers exactly as an index built fresh from the
 * entries that remain, and so do its serialised copies (JSON and bytes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { KnowledgeIndex, buildIndex, highlight, type SerialisedIndex } from '#shared/knowledge/search.ts';
import { DEMO_SYNONYMS, demoKnowledge } from '#demo/knowledge/generate.ts';

const NOW = Date.UTC(2026, 11, 1);
const POOL = demoKnowledge({ now: NOW }).filter((_, i) => i % 10 === 0);
const QUERIES = ['公租房', '加装电梯补贴', '身份证丢了', '噪音', '营业执照多少钱', '失业金'];

type Step = { kind: 'put'; at: number; retitle: boolean } | { kind: 'withdraw'; at: number } | { kind: 'remove'; at: number };

const step = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), at: fc.nat(POOL.length - 1), retitle: fc.boolean() }),
  fc.record({ kind: fc.constant('withdraw' as const), at: fc.nat(POOL.length - 1) }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat(POOL.length - 1) }),
);

describe('incremental knowledge index', () => {
  it('answers as a fresh build after any sequence of updates', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps: Step[]) => {
        const index = new KnowledgeIndex();
        index.setSynonyms(DEMO_SYNONYMS);
        const live = new Map<string, KnowledgeEntry>();
        for (const s of steps) {
          const base = POOL[s.at] as KnowledgeEntry;
          if (s.kind === 'put') {
            const entry = s.retitle ? { ...base, title: `${base.title}（修订）`, version: base.version + 1 } : base;
            index.put(entry);
            live.set(entry.id, entry);
          } else if (s.kind === 'withdraw') {
            index.put({ ...base, withdrawn: true, version: base.version + 1 });
            live.delete(base.id);
          } else {
            index.remove(base.id);
            live.delete(base.id);
          }
        }
        const fresh = buildIndex([...live.values()], { synonyms: DEMO_SYNONYMS });
        const copy = KnowledgeIndex.fromJSON(JSON.parse(JSON.stringify(index.toJSON())) as SerialisedIndex);
        const loaded = KnowledgeIndex.load(index.save());
        expect(index.size).toBe(live.size);
        expect(loaded.size).toBe(live.size);
        for (const q of QUERIES) {
          expect(index.search(q)).toEqual(fresh.search(q));
          expect(copy.search(q)).toEqual(fresh.search(q));
          expect(loaded.search(q)).toEqual(fresh.search(q));
        }
        // An update after loading is folded in as in the index it came from.
        const first = POOL[0] as KnowledgeEntry;
        loaded.put({ ...first, title: `${first.title}（再次修订）`, version: first.version + 5 });
        fresh.put({ ...first, title: `${first.title}（再次修订）`, version: first.version + 5 });
        for (const q of QUERIES) expect(loaded.search(q)).toEqual(fresh.search(q));
      }),
      { numRuns: 60 },
    );
  });

  it('highlights the query words in a demo answer', () => {
    const index = buildIndex(demoKnowledge({ now: NOW }));
    const entry = demoKnowledge({ now: NOW }).find((e) => e.id === 'kb-hj-sfzbl-fee') as KnowledgeEntry;
    const { terms } = index.search('补办身份证多少钱');
    const marked = highlight(entry.answer, terms).map(([a, b]) => entry.answer.slice(a, b));
    expect(marked).toContain('身份证');
    expect(marked.every((m) => m.length >= 2 || !'的了吗'.includes(m))).toBe(true);
  });

  it('keeps a worker to the entries of their area', () => {
    const entries = demoKnowledge({ now: NOW });
    const index = buildIndex(entries);
    const chain = new Set(['d2-s1-c1', 'd2-s1', 'd2', 'city']);
    const areas = new Set(
      index.search('怎么办理', { unitChain: chain }, 300).hits.map((h) => entries.find((e) => e.id === h.id)?.area),
    );
    expect([...areas].every((a) => a === 'city' || a === 'd2')).toBe(true);
    expect(areas.has('city')).toBe(true);
  });
});
