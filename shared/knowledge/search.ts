/**
 * Chinese search over knowledge entries: pure, framework-free, so that it
 * can run in a Web Worker, on the server and in tests alike.
 *
 * Tokens: Chinese runs become character unigrams and bigrams (no segmenter:
 * see docs/KNOWLEDGE.md for why), Latin letters and digits become words.
 * Ranking: BM25F over four fields (title weighted highest, then questions
 * and tags, then the answer), bigrams counting more than unigrams, so that a
 * whole word wins and a homophone typo or a partial word still finds
 * something through its single characters.
 * Synonyms an admin adds (电梯 / 升降梯) expand the query. Pinyin and
 * initials (gzf → 公租房) come from a `PinyinProvider` the index is given
 * (pinyin-pro's is shared/knowledge/pinyin.ts, a module of its own so that
 * this one stays small).
 *
 * The index holds no entry text: it maps ids to postings. It serialises to
 * plain JSON (`toJSON` / `KnowledgeIndex.fromJSON`) so that it can be built
 * once and loaded, and it is updated one entry at a time (`put`, `remove`).
 */
import { isInForce, type KnowledgeEntry } from './entry.ts';

/** Turns Chinese text into pinyin; `PINYIN` in ./pinyin.ts is backed by pinyin-pro. */
export interface PinyinProvider {
  /** One toneless, lower-case syllable per character of `text` ('' for a character with none). */
  syllables(text: string): string[];
}

export const FIELDS = ['title', 'questions', 'tags', 'answer', 'pinyin'] as const;
export type Field = (typeof FIELDS)[number];
const FIELD_WEIGHT: Record<Field, number> = { title: 3, questions: 2, tags: 2, answer: 1, pinyin: 2 };
const K1 = 1.2;
const B = 0.75;
/** A query's single characters count less than its bigrams: they are the fallback, not the match. */
const UNIGRAM_WEIGHT = 0.35;
const SYNONYM_WEIGHT = 0.9;

/** Characters that carry no meaning on their own in a question (their bigrams still count). */
const STOP_CHARS = new Set('的了吗呢啊吧呀么我你他她它们是在有和与及或就都也还要想能可会该去到给把被让这那哪个什怎办请问下一里上'.split(''));

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

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

/** Pinyin terms of a text's Chinese runs: initials and full spellings of every 2–4 character stretch. */
export function pinyinTerms(text: string, provider: PinyinProvider): string[] {
  const out: string[] = [];
  for (const run of normalise(text).match(/[\u3400-\u9fff\uf900-\ufaff]+/g) ?? []) {
    const syl = provider.syllables(run);
    for (let i = 0; i < syl.length; i++) {
      for (let n = 2; n <= 4 && i + n <= syl.length; n++) {
        const part = syl.slice(i, i + n);
        if (part.some((p) => p === '')) break;
        out.push(part.map((p) => p[0]).join(''), part.join(''));
      }
    }
  }
  return out;
}

interface DocInfo {
  readonly category: string;
  readonly area: string;
  readonly validFrom: number | null;
  readonly validUntil: number | null;
  readonly lengths: readonly number[];
  /** The terms this document has postings under, to remove it again. */
  readonly terms: readonly string[];
}

/** Postings: for each term, per document, the term's count in each field (FIELDS order). */
type Postings = Map<string, Map<string, number[]>>;

export interface SearchFilter {
  /** Only entries in this category (or one of these). */
  readonly category?: string | readonly string[];
  /** The user's unit and every unit above it: only entries whose area is among them. */
  readonly unitChain?: ReadonlySet<string>;
  /** Only entries valid at this time. */
  readonly now?: number;
}

export interface SearchHit {
  readonly id: string;
  readonly score: number;
}

export interface SearchResult {
  readonly hits: SearchHit[];
  /** The query's terms (with synonyms), for `highlight`. */
  readonly terms: readonly string[];
}

/**
 * The index as plain JSON. Postings refer to documents by their position in
 * `docs`; each row is [term, then per document: (gap from the previous
 * position × 32 + mask of the fields that hold the term), the nonzero counts
 * of those fields in FIELDS order]. Most postings are one field, once: two
 * small numbers.
 */
export interface SerialisedIndex {
  readonly format: 2;
  readonly synonyms: string[][];
  /** [id, category, area, validFrom, validUntil, ...field lengths] */
  readonly docs: Array<[string, string, string, number | null, number | null, ...number[]]>;
  readonly postings: Array<[string, ...number[]]>;
}

export class KnowledgeIndex {
  private readonly docs = new Map<string, DocInfo>();
  private readonly postings: Postings = new Map();
  private readonly totals: number[] = FIELDS.map(() => 0);
  private synonymGroups: string[][] = [];

  constructor(private readonly pinyin?: PinyinProvider) {}

  get size(): number {
    return this.docs.size;
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  /** Admin synonyms: each group is words that mean the same (['电梯', '升降梯']). */
  setSynonyms(groups: readonly (readonly string[])[]): void {
    this.synonymGroups = groups.map((g) => g.map(normalise).filter((w) => w !== '')).filter((g) => g.length > 1);
  }

  /** Add or replace one entry; a withdrawn entry is removed. */
  put(entry: KnowledgeEntry): void {
    this.remove(entry.id);
    if (entry.withdrawn) return;
    const fieldTerms: Record<Field, string[]> = {
      title: tokenize(entry.title).map((t) => t.term),
      questions: entry.questions.flatMap((q) => tokenize(q).map((t) => t.term)),
      tags: entry.tags.flatMap((t) => tokenize(t).map((x) => x.term)),
      answer: tokenize(entry.answer).map((t) => t.term),
      pinyin: this.pinyin ? [entry.title, ...entry.tags].flatMap((t) => pinyinTerms(t, this.pinyin as PinyinProvider)) : [],
    };
    const lengths = FIELDS.map((f) => fieldTerms[f].length);
    const counts = new Map<string, number[]>();
    FIELDS.forEach((f, fi) => {
      for (const term of fieldTerms[f]) {
        let c = counts.get(term);
        if (!c) counts.set(term, (c = FIELDS.map(() => 0)));
        c[fi] = (c[fi] ?? 0) + 1;
      }
    });
    this.addDoc(entry.id, {
      category: entry.category,
      area: entry.area,
      validFrom: entry.validFrom,
      validUntil: entry.validUntil,
      lengths,
      terms: [...counts.keys()],
    }, counts);
  }

  private addDoc(id: string, info: DocInfo, counts: Map<string, number[]>): void {
    this.docs.set(id, info);
    info.lengths.forEach((n, i) => (this.totals[i] = (this.totals[i] ?? 0) + n));
    for (const [term, c] of counts) {
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = new Map()));
      p.set(id, c);
    }
  }

  /** Remove one entry (withdrawn or deleted); unknown ids are ignored. */
  remove(id: string): void {
    const info = this.docs.get(id);
    if (!info) return;
    this.docs.delete(id);
    info.lengths.forEach((n, i) => (this.totals[i] = (this.totals[i] ?? 0) - n));
    for (const term of info.terms) {
      const p = this.postings.get(term);
      p?.delete(id);
      if (p && p.size === 0) this.postings.delete(term);
    }
  }

  /** The weighted terms of a query, synonyms and pinyin included. */
  queryTerms(query: string): Map<string, number> {
    const weights = new Map<string, number>();
    const add = (term: string, w: number) => weights.set(term, Math.max(weights.get(term) ?? 0, w));
    const addText = (textIn: string, factor: number) => {
      const tokens = tokenize(textIn);
      const cjk = tokens.filter((t) => CJK.test(t.term));
      for (const t of tokens) {
        if (!CJK.test(t.term)) add(t.term, factor);
        else if (t.term.length === 2) add(t.term, factor);
        else if (!STOP_CHARS.has(t.term) || cjk.length === 1) add(t.term, factor * UNIGRAM_WEIGHT);
      }
    };
    addText(query, 1);
    const q = normalise(query);
    for (const group of this.synonymGroups) {
      if (!group.some((w) => q.includes(w))) continue;
      for (const w of group) if (!q.includes(w)) addText(w, SYNONYM_WEIGHT);
    }
    if (this.pinyin) {
      // A query in pinyin ("gzf", "gongzufang") matches the pinyin field as a Latin word already;
      // a query in characters with a homophone typo (公组房) matches through its own spelling.
      for (const term of pinyinTerms(query, this.pinyin)) add(term, UNIGRAM_WEIGHT);
    }
    return weights;
  }

  search(query: string, filter: SearchFilter = {}, limit = 10): SearchResult {
    const terms = this.queryTerms(query);
    const n = this.docs.size;
    const avg = this.totals.map((t) => (n === 0 ? 1 : Math.max(t / n, 1e-9)));
    const scores = new Map<string, number>();
    const categories =
      filter.category === undefined ? undefined : new Set(typeof filter.category === 'string' ? [filter.category] : filter.category);
    const allowed = (id: string): boolean => {
      const d = this.docs.get(id);
      if (!d) return false;
      if (categories && !categories.has(d.category)) return false;
      if (filter.unitChain && !filter.unitChain.has(d.area)) return false;
      if (filter.now !== undefined) {
        if (d.validFrom !== null && filter.now < d.validFrom) return false;
        if (d.validUntil !== null && filter.now > d.validUntil) return false;
      }
      return true;
    };
    for (const [term, qw] of terms) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = Math.log(1 + (n - p.size + 0.5) / (p.size + 0.5));
      for (const [id, counts] of p) {
        const d = this.docs.get(id);
        if (!d) continue;
        let tf = 0;
        counts.forEach((c, fi) => {
          if (c === 0) return;
          const field = FIELDS[fi] as Field;
          const len = d.lengths[fi] ?? 0;
          tf += (FIELD_WEIGHT[field] * c) / (1 - B + (B * len) / (avg[fi] ?? 1));
        });
        scores.set(id, (scores.get(id) ?? 0) + qw * idf * (tf / (K1 + tf)));
      }
    }
    const hits = [...scores]
      .filter(([id]) => allowed(id))
      .map(([id, score]) => ({ id, score }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit);
    return { hits, terms: [...terms.keys()] };
  }

  toJSON(): SerialisedIndex {
    const ids = [...this.docs.keys()];
    const position = new Map(ids.map((id, i) => [id, i]));
    const docs: SerialisedIndex['docs'] = [...this.docs].map(([id, d]) => [id, d.category, d.area, d.validFrom, d.validUntil, ...d.lengths]);
    const postings = [...this.postings].map(([term, p]): [string, ...number[]] => {
      const row: [string, ...number[]] = [term];
      const byPosition = [...p].map(([id, counts]) => [position.get(id) ?? 0, counts] as const).sort((a, b) => a[0] - b[0]);
      let previous = 0;
      for (const [at, counts] of byPosition) {
        let mask = 0;
        counts.forEach((c, fi) => (mask |= c > 0 ? 1 << fi : 0));
        row.push((at - previous) * 32 + mask, ...counts.filter((c) => c > 0));
        previous = at;
      }
      return row;
    });
    return { format: 2, synonyms: this.synonymGroups.map((g) => [...g]), docs, postings };
  }

  /** An index from `toJSON`'s output; give the same pinyin provider it was built with. */
  static fromJSON(data: SerialisedIndex, pinyin?: PinyinProvider): KnowledgeIndex {
    if (data.format !== 2) throw new Error(`unknown index format ${String(data.format)}`);
    const index = new KnowledgeIndex(pinyin);
    index.setSynonyms(data.synonyms);
    const ids = data.docs.map((d) => d[0]);
    const termsOf = ids.map((): string[] => []);
    const countsOf = ids.map(() => new Map<string, number[]>());
    for (const [term, ...cells] of data.postings) {
      let at = 0;
      for (let i = 0; i < cells.length; ) {
        const head = cells[i++] ?? 0;
        at += Math.floor(head / 32);
        const mask = head % 32;
        const counts = FIELDS.map((_, fi) => ((mask & (1 << fi)) !== 0 ? (cells[i++] ?? 0) : 0));
        countsOf[at]?.set(term, counts);
        termsOf[at]?.push(term);
      }
    }
    data.docs.forEach(([id, category, area, validFrom, validUntil, ...lengths], at) => {
      index.addDoc(id, { category, area, validFrom, validUntil, lengths, terms: termsOf[at] ?? [] }, countsOf[at] ?? new Map());
    });
    return index;
  }
}

/** An index of the entries in force at `now` (withdrawn and expired ones left out). */
export function buildIndex(entries: readonly KnowledgeEntry[], options: { now?: number; pinyin?: PinyinProvider; synonyms?: readonly (readonly string[])[] } = {}): KnowledgeIndex {
  const index = new KnowledgeIndex(options.pinyin);
  if (options.synonyms) index.setSynonyms(options.synonyms);
  for (const e of entries) if (options.now === undefined || isInForce(e, options.now)) index.put(e);
  return index;
}

/**
 * Where the query's terms occur in a text, as merged [start, end) ranges for
 * the UI to mark (as text, never as HTML). Single characters are marked only
 * when the query had no longer match in that stretch, so a question's 的 and
 * 么 do not light up the whole answer.
 */
export function highlight(textIn: string, terms: readonly string[]): Array<[number, number]> {
  const wanted = new Set(terms);
  const tokens = tokenize(textIn).filter((t) => wanted.has(t.term));
  const long = tokens.filter((t) => t.end - t.start > 1 || !CJK.test(t.term));
  const covered = (t: Token) => long.some((l) => l.start <= t.start && t.end <= l.end);
  const singles = tokens.filter((t) => t.end - t.start === 1 && CJK.test(t.term) && !STOP_CHARS.has(t.term) && !covered(t));
  const ranges = [...long, ...singles].map((t): [number, number] => [t.start, t.end]).sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
