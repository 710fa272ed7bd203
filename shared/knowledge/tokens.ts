/**
 * The knowledge search's tokens (shared by the index, shared/knowledge/search.ts,
 * and the terms the server computes, shared/knowledge/terms.ts): normalisation,
 * character unigrams and bigrams of Chinese runs, Latin words, pinyin terms.
 * Pure; no dependency.
 */
/** Turns Chinese text into pinyin; `PINYIN` in ./pinyin.ts is backed by pinyin-pro. */
export interface PinyinProvider {
  /** One toneless, lower-case syllable per character of `text` ('' for a character with none). */
  syllables(text: string): string[];
}

export const FIELDS = ['title', 'questions', 'tags', 'answer', 'pinyin'] as const;
export type Field = (typeof FIELDS)[number];
/** Characters that carry no meaning on their own in a question (their bigrams still count). */
export const STOP_CHARS = new Set('的了吗呢啊吧呀么我你他她它们是在有和与及或就都也还要想能可会该去到给把被让这那哪个什怎办请问下一里上'.split(''));

export const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

export interface Token {
  readonly term: string;
  /** Offset in the normalised text (same length as the input: NFKC never changes a CJK character's length). */
  readonly start: number;
  readonly end: number;
}

/** Full-width to half-width, lower case. Keeps every character in place (one for one) so offsets stay valid. */
export function normalise(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0).toLowerCase();
    else if (ch.length === 1) out += ch.toLowerCase().length === 1 ? ch.toLowerCase() : ch;
    else out += ch;
  }
  return out;
}

/** Unigrams and bigrams of Chinese runs, words of Latin letters and digits. */
export function tokenize(text: string): Token[] {
  const s = normalise(text);
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i] ?? '';
    if (CJK.test(ch)) {
      let j = i;
      while (j < s.length && CJK.test(s[j] ?? '')) j++;
      for (let k = i; k < j; k++) {
        tokens.push({ term: s[k] ?? '', start: k, end: k + 1 });
        if (k + 1 < j) tokens.push({ term: s.slice(k, k + 2), start: k, end: k + 2 });
      }
      i = j;
    } else if (/[a-z0-9]/.test(ch)) {
      let j = i;
      while (j < s.length && /[a-z0-9]/.test(s[j] ?? '')) j++;
      tokens.push({ term: s.slice(i, j), start: i, end: j });
      i = j;
    } else i++;
  }
  return tokens;
}

/** Pinyin terms of a text's Chinese runs: initials and full spellings of every 2–`longest` (at most 4) character stretch. */
export function pinyinTerms(text: string, provider: PinyinProvider, longest = 4): string[] {
  const out: string[] = [];
  for (const run of normalise(text).match(/[\u3400-\u9fff\uf900-\ufaff]+/g) ?? []) {
    const syl = provider.syllables(run);
    for (let i = 0; i < syl.length; i++) {
      for (let n = 2; n <= longest && i + n <= syl.length; n++) {
        const part = syl.slice(i, i + n);
        if (part.some((p) => p === '')) break;
        out.push(part.map((p) => p[0]).join(''), part.join(''));
      }
    }
  }
  return out;
}

const isCjkCode = (c: number): boolean => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
const isWordCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * The terms `tokenize` gives for a text, as strings only (the index's hot
 * path). Without `unigrams`, single characters are left out where a bigram
 * covers them (an answer's single characters are not indexed: see
 * docs/KNOWLEDGE.md, "Size").
 */
export function indexTerms(text: string, unigrams: boolean, out: string[]): void {
  const s = normalise(text);
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isCjkCode(c)) {
      let j = i + 1;
      while (j < s.length && isCjkCode(s.charCodeAt(j))) j++;
      for (let k = i; k < j; k++) {
        if ((unigrams || j - i === 1) && !STOP_CHARS.has(s.charAt(k))) out.push(s.charAt(k));
        if (k + 1 < j) out.push(s.slice(k, k + 2));
      }
      i = j;
    } else if (isWordCode(c)) {
      let j = i + 1;
      while (j < s.length && isWordCode(s.charCodeAt(j))) j++;
      out.push(s.slice(i, j));
      i = j;
    } else i++;
  }
}

