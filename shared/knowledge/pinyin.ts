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

/**
 * One toneless syllable per character, ü written v (绿化 → lv hua), '' for a
 * character pinyin-pro has no reading for. Polyphones are read in context
 * (重庆 → chong qing, 银行 → yin hang), as pinyin-pro does.
 */
export const PINYIN: PinyinProvider = {
  syllables(text: string): string[] {
    if (text === '') return [];
    const out = pinyin(text, { toneType: 'none', type: 'array', v: true });
    const chars = [...text];
    // pinyin-pro returns one item per character; guard the contract anyway.
    if (out.length !== chars.length) return chars.map((c) => syllableOf(c));
    return out.map((s) => (SYLLABLE.test(s) ? s : ''));
  },
};

function syllableOf(char: string): string {
  const [s] = pinyin(char, { toneType: 'none', type: 'array', v: true });
  return s !== undefined && SYLLABLE.test(s) ? s : '';
}
