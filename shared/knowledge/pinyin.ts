/**
 * The pinyin of Chinese text for the knowledge search (gzf / gongzufang →
 * 公租房), backed by pinyin-pro. A module of its own because pinyin-pro
 * carries its dictionary (about 320 kB): the worker imports it, the search
 * core (search.ts) and the PWA's first paint do not.
 *
 *   import { PINYIN } from '#shared/knowledge/pinyin.ts';
 *   const index = buildIndex(entries, { pinyin: PINYIN });   // or KnowledgeIndex.load(bytes, PINYIN)
 */
import { pinyin } from 'pinyin-pro';
import type { PinyinProvider } from './search.ts';

const SYLLABLE = /^[a-z]+$/;
const MEMO_MAX = 50_000;
const memo = new Map<string, string[]>();

/**
 * One toneless syllable per character (the array is shared: do not change it), ü written v (绿化 → lv hua), '' for a
 * character pinyin-pro has no reading for. Polyphones are read in context
 * (重庆 → chong qing, 银行 → yin hang), as pinyin-pro does.
 */
export const PINYIN: PinyinProvider = {
  syllables(text: string): string[] {
    if (text === '') return [];
    // Tags and titles repeat across entries (公租房 in hundreds): pinyin-pro takes ~0.1 ms a call.
    const known = memo.get(text);
    if (known) return known;
    if (memo.size >= MEMO_MAX) memo.clear();
    const read = readSyllables(text);
    memo.set(text, read);
    return read;
  },
};

function readSyllables(text: string): string[] {
  const out = pinyin(text, { toneType: 'none', type: 'array', v: true });
  const chars = [...text];
  // pinyin-pro returns one item per character; guard the contract anyway.
  if (out.length !== chars.length) return chars.map((c) => syllableOf(c));
  return out.map((s) => (SYLLABLE.test(s) ? s : ''));
}

function syllableOf(char: string): string {
  const [s] = pinyin(char, { toneType: 'none', type: 'array', v: true });
  return s !== undefined && SYLLABLE.test(s) ? s : '';
}
