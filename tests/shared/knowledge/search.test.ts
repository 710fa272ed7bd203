import { describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { KnowledgeIndex, buildIndex, highlight, tokenize, type PinyinProvider } from '#shared/knowledge/search.ts';
import { PINYIN } from '#shared/knowledge/pinyin.ts';

const T0 = Date.UTC(2024, 0, 1);
const entry = (id: string, title: string, over: Partial<KnowledgeEntry> = {}): KnowledgeEntry => ({
  id,
  title,
  questions: [title],
  answer: `您好，关于${title}，请携带身份证到办事大厅办理。`,
  basis: [],
  department: { name: '市某局', contact: '' },
  category: '住房',
  tags: [],
  area: 'city',
  validFrom: null,
  validUntil: null,
  source: '',
  updated: T0,
  version: 1,
  withdrawn: false,
  ...over,
});

const ENTRIES = [
  entry('gzf', '公租房申请条件', { tags: ['公租房', '保障房'] }),
  entry('lift', '老旧小区加装电梯补贴', { category: '物业', area: 'd1', tags: ['加装电梯'] }),
  entry('school', '小学入学报名材料', { category: '教育', area: 'd2-s1' }),
  entry('noise', '夜间施工噪声投诉', { category: '环境' }),
];

describe('knowledge search', () => {
  it('tokenises Chinese into unigrams and bigrams and Latin into words', () => {
    expect(tokenize('电梯ABC 12').map((t) => t.term)).toEqual(['电', '电梯', '梯', 'abc', '12']);
  });

  it('ranks the entry with the words first, and a partial word or a typo still finds it', () => {
    const index = buildIndex(ENTRIES);
    expect(index.search('公租房怎么申请').hits[0]?.id).toBe('gzf');
    expect(index.search('租房').hits[0]?.id).toBe('gzf');
    expect(index.search('噪音施工').hits[0]?.id).toBe('noise');
  });

  it('expands the query with synonyms an admin adds', () => {
    const index = buildIndex(ENTRIES);
    // Without the synonym only the shared character 梯 matches, weakly.
    const before = index.search('升降梯').hits[0]?.score ?? 0;
    index.setSynonyms([['电梯', '升降梯']]);
    expect(index.search('升降梯').hits[0]?.id).toBe('lift');
    expect(index.search('升降梯').hits[0]?.score).toBeGreaterThan(3 * before);
  });

  it('filters by category, area and validity', () => {
    const index = buildIndex([...ENTRIES, entry('old', '公租房旧规定', { validUntil: T0 })]);
    expect(index.search('电梯', { category: '住房' }).hits).toEqual([]);
    expect(index.search('电梯', { unitChain: new Set(['d2', 'city']) }).hits).toEqual([]);
    expect(index.search('电梯', { unitChain: new Set(['d1-s1', 'd1', 'city']) }).hits[0]?.id).toBe('lift');
    expect(index.search('公租房', { now: T0 + 1 }).hits.map((h) => h.id)).toEqual(['gzf']);
  });

  it('updates one entry at a time and serialises to the same answers', () => {
    const index = buildIndex(ENTRIES);
    const renamed = { ...(ENTRIES[0] as KnowledgeEntry), title: '廉租房申请条件', questions: ['廉租房'], answer: '您好，廉租房请到区住房保障中心申请。' };
    index.put({ ...renamed, version: 2 });
    expect(index.search('廉租房').hits[0]?.id).toBe('gzf');
    index.put({ ...(ENTRIES[3] as KnowledgeEntry), withdrawn: true });
    expect(index.has('noise')).toBe(false);
    const fresh = buildIndex([{ ...renamed, version: 2 }, ENTRIES[1] as KnowledgeEntry, ENTRIES[2] as KnowledgeEntry]);
    const copy = KnowledgeIndex.fromJSON(JSON.parse(JSON.stringify(index.toJSON())));
    for (const q of ['廉租房', '公租房', '电梯补贴', '入学材料', '身份证', '噪声']) {
      expect(copy.search(q)).toEqual(index.search(q));
      expect(fresh.search(q)).toEqual(index.search(q));
    }
  });

  it('finds pinyin and initials through a provider', () => {
    // A stand-in for pinyin-pro in this test only: three characters, not a table.
    const sounds: Record<string, string> = { 公: 'gong', 租: 'zu', 房: 'fang' };
    const provider: PinyinProvider = { syllables: (text) => [...text].map((c) => sounds[c] ?? '') };
    const index = buildIndex(ENTRIES, { pinyin: provider });
    expect(index.search('gzf').hits[0]?.id).toBe('gzf');
    expect(index.search('gongzufang').hits[0]?.id).toBe('gzf');
  });

  it('reads pinyin with pinyin-pro: one toneless syllable per character, polyphones in context', () => {
    expect(PINYIN.syllables('公租房')).toEqual(['gong', 'zu', 'fang']);
    expect(PINYIN.syllables('绿化')).toEqual(['lv', 'hua']);
    expect(PINYIN.syllables('银行')).toEqual(['yin', 'hang']);
    expect(PINYIN.syllables('')).toEqual([]);
    const index = buildIndex(ENTRIES, { pinyin: PINYIN });
    for (const q of ['gzf', 'gongzufang', 'GZF', 'bzf']) expect(index.search(q).hits[0]?.id).toBe('gzf');
    expect(index.search('jzdt').hits[0]?.id).toBe('lift');
    expect(buildIndex(ENTRIES).search('gzf').hits).toEqual([]);
  });

  it('highlights the matched words, not stray characters', () => {
    const index = buildIndex(ENTRIES);
    const { terms } = index.search('加装电梯的补贴');
    const text = '老旧小区加装电梯补贴的标准';
    expect(highlight(text, terms).map(([a, b]) => text.slice(a, b))).toEqual(['加装电梯补贴']);
  });
});
