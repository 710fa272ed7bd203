/** The search terms the server computes once (shared/knowledge/terms.ts) index exactly as the entries themselves do. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoKnowledge, DEMO_SYNONYMS } from '#demo/knowledge/generate.ts';
import { PINYIN } from '#shared/knowledge/pinyin.ts';
import { buildIndex, KnowledgeIndex } from '#shared/knowledge/search.ts';
import { currentTerms, decodeTerms, encodeTerms, entryTerms, fieldTerms, stampTerms, TERMS_VERSION } from '#shared/knowledge/terms.ts';
import { testEntry } from '../../support/knowledge-files.ts';

const NOW = Date.UTC(2026, 11, 1);

describe('entryTerms', () => {
  it('holds the tokens and pinyin of each field, repeats counted', () => {
    const terms = entryTerms(testEntry('kb-a', { title: '公租房申请', tags: ['公租房'], questions: ['公租房'], answer: '公租房，公租房。' }), PINYIN);
    const [title, questions, tags, answer, pinyin] = terms.split('|');
    expect(title).toBe('公 公租 租 租房 房 房申 申 申请'); // 请 is a stop character: its bigram counts, it does not
    expect(questions).toBe(tags);
    expect(answer).toBe('公*2 公租*2 租*2 租房*2 房*2');
    expect(pinyin?.split(' ')).toEqual(expect.arrayContaining(['gzf', 'gongzufang', 'gz*2', 'gongzu*2', 'sq', 'shenqing'])); // 公租 from the tag and the title
  });

  it('decodes to the counts and lengths it was encoded from', () => {
    const term = fc.constantFrom('公', '公租', '租', 'gzf', 'a1', '电梯');
    fc.assert(
      fc.property(fc.array(fc.array(term, { maxLength: 12 }), { minLength: 5, maxLength: 5 }), (fields) => {
        const decoded = decodeTerms(encodeTerms(fields));
        expect(decoded.lengths).toEqual(fields.map((f) => f.length));
        fields.forEach((f, fi) => {
          for (const t of new Set(f)) expect(decoded.counts.get(t)?.[fi]).toBe(f.filter((x) => x === t).length);
        });
      }),
    );
  });

  it('refuses text that is not in the form', () => {
    expect(() => decodeTerms('a|b')).toThrow(/fields/);
    expect(() => decodeTerms('a*0||||')).toThrow(/bad item/);
    expect(() => decodeTerms('a*x||||')).toThrow(/bad item/);
  });

  it('is stamped with its recipe, and another recipe is not used', () => {
    expect(currentTerms(stampTerms('a||||'))).toBe('a||||');
    expect(currentTerms(`${TERMS_VERSION + 1}:a||||`)).toBeNull();
    expect(currentTerms(null)).toBeNull();
  });

  it('builds, without a pinyin provider on the device, the index the entries build with one (the same bytes, so the same quality)', () => {
    const entries = demoKnowledge({ now: NOW, seed: 1 });
    const fromEntries = buildIndex(entries, { pinyin: PINYIN, synonyms: DEMO_SYNONYMS });
    const fromTerms = new KnowledgeIndex();
    fromTerms.setSynonyms(DEMO_SYNONYMS);
    for (const e of entries) fromTerms.putTerms(e, entryTerms(e, PINYIN));
    expect(fromTerms.save()).toEqual(fromEntries.save());
    // And `gzf` finds 公租房 through the server's pinyin alone.
    expect(fromTerms.search('gzf').hits[0]?.id).toMatch(/^kb-zf-gzf-/);
    expect(fieldTerms(entries[0]!, undefined)[4]).toEqual([]);
  });
});
