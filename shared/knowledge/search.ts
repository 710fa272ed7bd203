/**
 * Chinese search over knowledge entries: pure, framework-free, so that it
 * can run in a Web Worker, on the server and in tests alike.
 *
 * Tokens: Chinese runs become character unigrams and bigrams (no segmenter:
 * see docs/KNOWLEDGE.md for why), Latin letters and digits become words.
 * Ranking: BM25F over five fields (title weighted highest, then questions,
 * tags and pinyin, then the answer), bigrams counting more than unigrams, so that a
 * whole word wins and a homophone typo or a partial word still finds
 * something through its single characters.
 * Synonyms an admin adds (电梯 / 升降梯) expand the query. Pinyin and
 * initials (gzf → 公租房) come from a `PinyinProvider` the index is given
 * (pinyin-pro's is shared/knowledge/pinyin.ts, a module of its own so that
 * this one stays small).
 *
 * The index holds no entry text: it maps ids to postings, held in typed
 * arrays (40,000 entries: 18 M postings). It is saved as bytes (`save` /
 * `KnowledgeIndex.load`, what a device stores) or as JSON (`toJSON` /
 * `fromJSON`), so that it is built once and loaded, and it is updated one
 * entry at a time (`put`, `remove`) without a pass over the postings.
 */
import { isInForce, type KnowledgeEntry } from './entry.ts';
import { decodeTerms, fieldTerms } from './terms.ts';
import { CJK, FIELDS, normalise, pinyinTerms, STOP_CHARS, tokenize, type Field, type PinyinProvider, type Token } from './tokens.ts';

export { FIELDS, normalise, pinyinTerms, tokenize, type Field, type PinyinProvider, type Token };

/** What the index keeps of an entry besides its terms: the filters' fields. */
export type IndexedFields = Pick<KnowledgeEntry, 'id' | 'category' | 'area' | 'validFrom' | 'validUntil' | 'withdrawn'>;

const FIELD_WEIGHT: Record<Field, number> = { title: 3, questions: 2, tags: 2, answer: 1, pinyin: 2 };
const K1 = 1.2;
const B = 0.75;
/** A query's single characters count less than its bigrams: they are the fallback, not the match. */
const UNIGRAM_WEIGHT = 0.35;
const SYNONYM_WEIGHT = 0.9;
/** From this many entries on, fallback terms in more than a fifth of them are skipped (see `search`). */
const FALLBACK_SKIP_MIN = 1_000;

/**
 * A posting's counts per field, packed in 16 bits (title, questions, tags
 * 3 bits each, answer 4, pinyin 3) and capped there: BM25 saturates long
 * before 7 occurrences of a term in a title.
 */
const COUNT_SHIFT = [0, 3, 6, 9, 13] as const;
const COUNT_CAP = [7, 7, 7, 15, 7] as const;
const NF = FIELDS.length;

function packCounts(counts: readonly number[]): number {
  let packed = 0;
  for (let fi = 0; fi < NF; fi++) packed |= Math.min(counts[fi] ?? 0, COUNT_CAP[fi] ?? 0) << (COUNT_SHIFT[fi] ?? 0);
  return packed;
}
const countAt = (packed: number, fi: number): number => (packed >> (COUNT_SHIFT[fi] ?? 0)) & (COUNT_CAP[fi] ?? 0);

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
 * The index as plain JSON (small indexes, tests; devices use `save`/`load`).
 * Postings refer to documents by their position in `docs`; each row is
 * [term, then per document: (gap from the previous position × 32 + mask of
 * the fields that hold the term), the nonzero counts of those fields in
 * FIELDS order].
 */
export interface SerialisedIndex {
  readonly format: 2;
  readonly synonyms: string[][];
  /** [id, category, area, validFrom, validUntil, ...field lengths] */
  readonly docs: Array<[string, string, string, number | null, number | null, ...number[]]>;
  readonly postings: Array<[string, ...number[]]>;
}

/** The binary form's first bytes: "LXK" and the format number. */
const MAGIC = [0x4c, 0x58, 0x4b, 3] as const;

interface BinaryHeader {
  readonly synonyms: string[][];
  readonly ids: string[];
  readonly categories: string[];
  readonly category: number[];
  readonly areas: string[];
  readonly area: number[];
  readonly validFrom: Array<number | null>;
  readonly validUntil: Array<number | null>;
  /** Per document, its field lengths (document × FIELDS.length + field). */
  readonly lengths: number[];
  readonly postings: number;
}

/**
 * BM25F over postings held in typed arrays. Documents live in slots (a slot
 * is never reused; a removed entry leaves a hole until the index is saved
 * and loaded). Postings of the compacted part are in three arrays (per term
 * an offset range of slots, ascending, and packed counts); puts go to a
 * pending list per term and removals only mark their slot, both searched as
 * they are (the document frequency counts living postings only), so an
 * update costs the entry's own terms. `compact` folds them in with one pass
 * over the postings: on save, after a build, and when a search finds many.
 */
export class KnowledgeIndex {
  private readonly slotOf = new Map<string, number>();
  /** Per slot: the entry's id, undefined once removed. */
  private readonly ids: Array<string | undefined> = [];
  private readonly category: string[] = [];
  private readonly area: string[] = [];
  private readonly validFrom: Array<number | null> = [];
  private readonly validUntil: Array<number | null> = [];
  /** Per slot, each field's length in terms (slot × FIELDS.length + field). */
  private readonly lengths: number[] = [];
  private readonly totals: number[] = FIELDS.map(() => 0);
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Compacted postings: term t's are [start[t], start[t + 1]) of `slots` (ascending) and `counts`. */
  private start = new Uint32Array(1);
  private slots = new Uint32Array(0);
  private counts = new Uint16Array(0);
  /** Postings since the last compaction: term id → [slot, packed counts, slot, packed counts, …]. */
  private pending = new Map<number, number[]>();
  private pendingPostings = 0;
  /** Removals since the last compaction (their postings are still in the arrays). */
  private removals = 0;
  private norms: Float64Array | undefined;
  private synonymGroups: string[][] = [];

  constructor(private readonly pinyin?: PinyinProvider) {}

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Admin synonyms: each group is words that mean the same (['电梯', '升降梯']). */
  setSynonyms(groups: readonly (readonly string[])[]): void {
    this.synonymGroups = groups.map((g) => g.map(normalise).filter((w) => w !== '')).filter((g) => g.length > 1);
  }

  /** Add or replace one entry; a withdrawn entry is removed. Computes its terms (tokens, pinyin): see `putTerms` for terms computed elsewhere. */
  put(entry: KnowledgeEntry): void {
    if (entry.withdrawn) {
      this.remove(entry.id);
      return;
    }
    const fields = fieldTerms(entry, this.pinyin);
    const counts = new Map<string, number[]>();
    fields.forEach((list, fi) => {
      for (const term of list) {
        let c = counts.get(term);
        if (!c) counts.set(term, (c = FIELDS.map(() => 0)));
        c[fi] = (c[fi] ?? 0) + 1;
      }
    });
    this.putCounts(entry, counts, fields.map((l) => l.length));
  }

  /**
   * Add or replace one entry from its terms as the server computed them
   * (`entryTerms`, shared/knowledge/terms.ts): no tokenising, no pinyin. Only
   * the fields filters need are read from `entry`.
   */
  putTerms(entry: IndexedFields, terms: string): void {
    if (entry.withdrawn) {
      this.remove(entry.id);
      return;
    }
    const decoded = decodeTerms(terms);
    this.putCounts(entry, decoded.counts, decoded.lengths);
  }

  private putCounts(entry: IndexedFields, counts: ReadonlyMap<string, readonly number[]>, lengths: readonly number[]): void {
    this.remove(entry.id);
    const slot = this.addSlot(entry.id, entry.category, entry.area, entry.validFrom, entry.validUntil, lengths);
    for (const [term, c] of counts) {
      const t = this.termId(term);
      let list = this.pending.get(t);
      if (!list) this.pending.set(t, (list = []));
      list.push(slot, packCounts(c));
    }
    this.pendingPostings += counts.size;
  }

  private addSlot(id: string, category: string, area: string, validFrom: number | null, validUntil: number | null, lengths: readonly number[]): number {
    const slot = this.ids.length;
    this.norms = undefined;
    this.ids.push(id);
    this.slotOf.set(id, slot);
    this.category.push(category);
    this.area.push(area);
    this.validFrom.push(validFrom);
    this.validUntil.push(validUntil);
    for (let fi = 0; fi < NF; fi++) {
      const n = lengths[fi] ?? 0;
      this.lengths.push(n);
      this.totals[fi] = (this.totals[fi] ?? 0) + n;
    }
    return slot;
  }

  private termId(term: string): number {
    let t = this.termIds.get(term);
    if (t === undefined) {
      t = this.terms.length;
      this.termIds.set(term, t);
      this.terms.push(term);
    }
    return t;
  }

  /** Remove one entry (withdrawn or deleted); unknown ids are ignored. */
  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.norms = undefined;
    for (let fi = 0; fi < NF; fi++) this.totals[fi] = (this.totals[fi] ?? 0) - (this.lengths[slot * NF + fi] ?? 0);
    this.removals++;
  }

  /** Folds pending postings in and drops removed slots' postings: one pass, after a batch of updates. */
  compact(): void {
    if (this.pending.size === 0 && this.removals === 0) return;
    const { ids, start, slots, counts, pending } = this;
    const oldTerms = start.length - 1;
    const nTerms = this.terms.length;
    const checkBase = this.removals > 0;
    const newStart = new Uint32Array(nTerms + 1);
    let total = 0;
    for (let t = 0; t < nTerms; t++) {
      newStart[t] = total;
      if (t < oldTerms) {
        const a = start[t] ?? 0;
        const b = start[t + 1] ?? 0;
        if (!checkBase) total += b - a;
        else for (let i = a; i < b; i++) if (ids[slots[i] ?? 0] !== undefined) total++;
      }
      const p = pending.get(t);
      if (p) for (let j = 0; j < p.length; j += 2) if (ids[p[j] ?? 0] !== undefined) total++;
    }
    newStart[nTerms] = total;
    const newSlots = new Uint32Array(total);
    const newCounts = new Uint16Array(total);
    let at = 0;
    for (let t = 0; t < nTerms; t++) {
      if (t < oldTerms) {
        const a = start[t] ?? 0;
        const b = start[t + 1] ?? 0;
        if (!checkBase) {
          newSlots.set(slots.subarray(a, b), at);
          newCounts.set(counts.subarray(a, b), at);
          at += b - a;
        } else {
          for (let i = a; i < b; i++) {
            const slot = slots[i] ?? 0;
            if (ids[slot] === undefined) continue;
            newSlots[at] = slot;
            newCounts[at++] = counts[i] ?? 0;
          }
        }
      }
      const p = pending.get(t);
      if (p) {
        for (let j = 0; j < p.length; j += 2) {
          const slot = p[j] ?? 0;
          if (ids[slot] === undefined) continue;
          newSlots[at] = slot;
          newCounts[at++] = p[j + 1] ?? 0;
        }
      }
    }
    this.start = newStart;
    this.slots = newSlots;
    this.counts = newCounts;
    this.pending = new Map();
    this.pendingPostings = 0;
    this.removals = 0;
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
      // Two initials (sq, tj) are in thousands of titles and say little about a query typed in characters.
      for (const term of pinyinTerms(query, this.pinyin)) if (term.length > 2) add(term, UNIGRAM_WEIGHT);
    }
    return weights;
  }

  /** Each slot's field norms, weighted: weight / (1 − b + b · length / average length); kept until a document changes. */
  private fieldNorms(): Float64Array {
    if (this.norms) return this.norms;
    const n = this.slotOf.size;
    const avg = this.totals.map((t) => (n === 0 ? 1 : Math.max(t / n, 1e-9)));
    const weight = FIELDS.map((f) => FIELD_WEIGHT[f]);
    const norms = new Float64Array(this.ids.length * NF);
    for (let i = 0; i < norms.length; i++) norms[i] = (weight[i % NF] ?? 0) / (1 - B + (B * (this.lengths[i] ?? 0)) / (avg[i % NF] ?? 1));
    this.norms = norms;
    return norms;
  }

  search(query: string, filter: SearchFilter = {}, limit = 10): SearchResult {
    // Small batches of updates are searched where they are; big ones are folded in first.
    if (this.pendingPostings > Math.max(50_000, this.slots.length / 4) || this.removals > Math.max(500, this.slotOf.size / 10)) this.compact();
    const terms = this.queryTerms(query);
    const n = this.slotOf.size;
    const { start, slots, counts, ids } = this;
    const norms = this.fieldNorms();
    const scores = new Float64Array(ids.length);
    const touched: number[] = [];
    const holes = this.removals > 0;
    const score = (slot: number, packed: number, weight: number) => {
      const single = SINGLE_FIELD[packed] ?? -1;
      let tf = 0;
      if (single >= 0) tf = norms[slot * NF + single] ?? 0;
      else for (let fi = 0; fi < NF; fi++) tf += countAt(packed, fi) * (norms[slot * NF + fi] ?? 0);
      if (scores[slot] === 0) touched.push(slot);
      scores[slot] = (scores[slot] ?? 0) + weight * (tf / (K1 + tf));
    };
    for (const [term, qw] of terms) {
      const t = this.termIds.get(term);
      if (t === undefined) continue;
      const a = t + 1 < start.length ? (start[t] ?? 0) : 0;
      const b = t + 1 < start.length ? (start[t + 1] ?? 0) : 0;
      const p = this.pending.get(t);
      // Removed entries leave their postings until the next compaction: count only the living.
      let df = b - a + (p ? p.length / 2 : 0);
      if (holes) {
        df = 0;
        for (let i = a; i < b; i++) if (ids[slots[i] ?? 0] !== undefined) df++;
        if (p) for (let j = 0; j < p.length; j += 2) if (ids[p[j] ?? 0] !== undefined) df++;
      }
      if (df === 0) continue;
      // In a large index, a fallback term (a single character, a query's own pinyin) in more than a
      // fifth of the entries orders nothing worth its cost: its postings are the longest, its weight the least.
      if (qw <= UNIGRAM_WEIGHT && n >= FALLBACK_SKIP_MIN && df * 5 > n) continue;
      const w = qw * Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let i = a; i < b; i++) {
        const slot = slots[i] ?? 0;
        if (holes && ids[slot] === undefined) continue;
        score(slot, counts[i] ?? 0, w);
      }
      if (p) {
        for (let j = 0; j < p.length; j += 2) {
          const slot = p[j] ?? 0;
          if (holes && ids[slot] === undefined) continue;
          score(slot, p[j + 1] ?? 0, w);
        }
      }
    }
    const categories =
      filter.category === undefined ? undefined : new Set(typeof filter.category === 'string' ? [filter.category] : filter.category);
    const { unitChain, now } = filter;
    const top: SearchHit[] = [];
    const before = (score: number, id: string, hit: SearchHit) => score > hit.score || (score === hit.score && id < hit.id);
    for (const slot of touched) {
      const id = this.ids[slot];
      if (id === undefined) continue;
      if (categories && !categories.has(this.category[slot] ?? '')) continue;
      if (unitChain && !unitChain.has(this.area[slot] ?? '')) continue;
      if (now !== undefined) {
        const from = this.validFrom[slot] ?? null;
        const until = this.validUntil[slot] ?? null;
        if (from !== null && now < from) continue;
        if (until !== null && now > until) continue;
      }
      const score = scores[slot] ?? 0;
      const last = top[top.length - 1];
      if (top.length >= limit && (!last || !before(score, id, last))) continue;
      let at = top.length;
      while (at > 0 && before(score, id, top[at - 1] as SearchHit)) at--;
      top.splice(at, 0, { id, score });
      if (top.length > limit) top.pop();
    }
    return { hits: top, terms: [...terms.keys()] };
  }

  /** Live slots in order, and each one's position among them. */
  private positions(): { live: number[]; position: Int32Array } {
    const live: number[] = [];
    const position = new Int32Array(this.ids.length).fill(-1);
    this.ids.forEach((id, slot) => {
      if (id === undefined) return;
      position[slot] = live.length;
      live.push(slot);
    });
    return { live, position };
  }

  toJSON(): SerialisedIndex {
    this.compact();
    const { live, position } = this.positions();
    const docs = live.map((slot): SerialisedIndex['docs'][number] => [
      this.ids[slot] ?? '', this.category[slot] ?? '', this.area[slot] ?? '', this.validFrom[slot] ?? null, this.validUntil[slot] ?? null,
      ...this.lengths.slice(slot * NF, slot * NF + NF),
    ]);
    const postings: SerialisedIndex['postings'] = [];
    this.terms.forEach((term, t) => {
      const a = this.start[t] ?? 0;
      const b = this.start[t + 1] ?? 0;
      if (b <= a) return;
      const row: [string, ...number[]] = [term];
      let previous = 0;
      for (let i = a; i < b; i++) {
        const at = position[this.slots[i] ?? 0] ?? 0;
        const packed = this.counts[i] ?? 0;
        let mask = 0;
        const nonzero: number[] = [];
        for (let fi = 0; fi < NF; fi++) {
          const c = countAt(packed, fi);
          if (c > 0) {
            mask |= 1 << fi;
            nonzero.push(c);
          }
        }
        row.push((at - previous) * 32 + mask, ...nonzero);
        previous = at;
      }
      postings.push(row);
    });
    return { format: 2, synonyms: this.synonymGroups.map((g) => [...g]), docs, postings };
  }

  /** An index from `toJSON`'s output; give the same pinyin provider it was built with. */
  static fromJSON(data: SerialisedIndex, pinyin?: PinyinProvider): KnowledgeIndex {
    if (data.format !== 2) throw new Error(`unknown index format ${String(data.format)}`);
    const index = new KnowledgeIndex(pinyin);
    index.setSynonyms(data.synonyms);
    for (const [id, category, area, validFrom, validUntil, ...lengths] of data.docs) index.addSlot(id, category, area, validFrom, validUntil, lengths);
    for (const [term, ...cells] of data.postings) {
      const list: number[] = [];
      let at = 0;
      for (let i = 0; i < cells.length; ) {
        const head = cells[i++] ?? 0;
        at += Math.floor(head / 32);
        const mask = head % 32;
        const c = FIELDS.map((_, fi) => ((mask & (1 << fi)) !== 0 ? (cells[i++] ?? 0) : 0));
        list.push(at, packCounts(c));
      }
      index.pending.set(index.termId(term), list);
    }
    index.compact();
    return index;
  }

  /**
   * The index as bytes (format 3), for IndexedDB or a file: a header (JSON)
   * with the documents, the terms, then per term its postings as varints:
   * the number of postings, the packed counts most of them have, then per
   * posting (gap from the previous document × 2 + 1 if its counts differ,
   * followed by them). Most postings are one byte.
   */
  save(): Uint8Array {
    this.compact();
    // Documents in id order, whatever order they came in: the same bytes for the same entries, and
    // smaller ones where ids group similar entries (gaps and counts repeat): a device that indexed
    // a first sync page by page (seq order) saved 5.4 MB gzipped at 40,000, in id order 4.7 MB.
    const { live, position } = this.positions();
    live.sort((x, y) => ((this.ids[x] ?? '') < (this.ids[y] ?? '') ? -1 : (this.ids[x] ?? '') > (this.ids[y] ?? '') ? 1 : 0));
    live.forEach((slot, at) => (position[slot] = at));
    let sorted = new Float64Array(1024);
    const categories = [...new Set(live.map((s) => this.category[s] ?? ''))];
    const areas = [...new Set(live.map((s) => this.area[s] ?? ''))];
    const terms: number[] = [];
    this.terms.forEach((_, t) => {
      if ((this.start[t + 1] ?? 0) > (this.start[t] ?? 0)) terms.push(t);
    });
    const header: BinaryHeader = {
      synonyms: this.synonymGroups,
      ids: live.map((s) => this.ids[s] ?? ''),
      categories,
      category: live.map((s) => categories.indexOf(this.category[s] ?? '')),
      areas,
      area: live.map((s) => areas.indexOf(this.area[s] ?? '')),
      validFrom: live.map((s) => this.validFrom[s] ?? null),
      validUntil: live.map((s) => this.validUntil[s] ?? null),
      lengths: live.flatMap((s) => this.lengths.slice(s * NF, s * NF + NF)),
      postings: this.slots.length,
    };
    const out = new ByteWriter(this.slots.length * 2 + 1024);
    out.bytes(Uint8Array.from(MAGIC));
    out.string(JSON.stringify(header));
    out.varint(terms.length);
    out.string(terms.map((t) => this.terms[t]).join('\n'));
    for (const t of terms) {
      const a = this.start[t] ?? 0;
      const b = this.start[t + 1] ?? 0;
      out.varint(b - a);
      const usual = mostFrequent(this.counts, a, b);
      out.varint(usual);
      // The term's postings by their new position (position × 2^16 + counts: exact in a double).
      if (sorted.length < b - a) sorted = new Float64Array(Math.max(b - a, sorted.length * 2));
      for (let i = a; i < b; i++) sorted[i - a] = (position[this.slots[i] ?? 0] ?? 0) * 65536 + (this.counts[i] ?? 0);
      const postings = sorted.subarray(0, b - a).sort();
      let previous = 0;
      for (const value of postings) {
        const at = Math.floor(value / 65536);
        const packed = value % 65536;
        out.varint((at - previous) * 2 + (packed === usual ? 0 : 1));
        if (packed !== usual) out.varint(packed);
        previous = at;
      }
    }
    return out.result();
  }

  /** An index from `save`'s bytes; give the same pinyin provider it was built with. */
  static load(bytes: Uint8Array, pinyin?: PinyinProvider): KnowledgeIndex {
    if (bytes.length < 4 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('not a knowledge index (format 3)');
    const input = new ByteReader(bytes, MAGIC.length);
    const header = JSON.parse(input.string()) as BinaryHeader;
    const index = new KnowledgeIndex(pinyin);
    index.setSynonyms(header.synonyms);
    header.ids.forEach((id, i) =>
      index.addSlot(id, header.categories[header.category[i] ?? 0] ?? '', header.areas[header.area[i] ?? 0] ?? '', header.validFrom[i] ?? null, header.validUntil[i] ?? null, header.lengths.slice(i * NF, i * NF + NF)),
    );
    const termCount = input.varint();
    const joined = input.string();
    const terms = termCount === 0 ? [] : joined.split('\n');
    const start = new Uint32Array(terms.length + 1);
    const slots = new Uint32Array(header.postings);
    const counts = new Uint16Array(header.postings);
    let at = 0;
    terms.forEach((term, t) => {
      index.termId(term);
      start[t] = at;
      const n = input.varint();
      const usual = input.varint();
      let slot = 0;
      for (let k = 0; k < n; k++) {
        const head = input.varint();
        slot += Math.floor(head / 2);
        slots[at] = slot;
        counts[at++] = head % 2 === 0 ? usual : input.varint();
      }
    });
    start[terms.length] = at;
    index.start = start;
    index.slots = slots;
    index.counts = counts;
    return index;
  }
}

/** Packed counts of "once, in field f only" for f in FIELDS order, and back. */
const SINGLE_PACKED = FIELDS.map((_, fi) => 1 << (COUNT_SHIFT[fi] ?? 0));

/** The packed counts most of a term's postings have (a term is mostly in one field, once). */
function mostFrequent(counts: Uint16Array, a: number, b: number): number {
  const seen = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (let i = a; i < b; i++) {
    const c = counts[i] ?? 0;
    const n = (seen.get(c) ?? 0) + 1;
    seen.set(c, n);
    if (n > bestCount || (n === bestCount && c < best)) {
      best = c;
      bestCount = n;
    }
  }
  return best;
}
/** For each packed value, the field when it is "once, in that field only", else −1 (the search's fast path). */
const SINGLE_FIELD = new Int8Array(1 << 16).fill(-1);
SINGLE_PACKED.forEach((p, fi) => (SINGLE_FIELD[p] = fi));

class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;
  constructor(capacity: number) {
    this.buffer = new Uint8Array(Math.max(capacity, 64));
  }
  private room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }
  varint(value: number): void {
    this.room(8);
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
  }
  bytes(data: Uint8Array): void {
    this.room(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }
  /** A string as its UTF-16 code units, each a varint (no TextEncoder in the pure core; CJK takes 3 bytes, as in UTF-8). */
  string(text: string): void {
    this.varint(text.length);
    for (let i = 0; i < text.length; i++) this.varint(text.charCodeAt(i));
  }
  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

class ByteReader {
  constructor(
    private readonly data: Uint8Array,
    private at: number,
  ) {}
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.data[this.at++];
      if (b === undefined) throw new Error('knowledge index: truncated');
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
  }
  string(): string {
    const n = this.varint();
    const parts: string[] = [];
    const chunk: number[] = [];
    for (let i = 0; i < n; i++) {
      chunk.push(this.varint());
      if (chunk.length === 4096) parts.push(String.fromCharCode(...chunk.splice(0)));
    }
    parts.push(String.fromCharCode(...chunk));
    return parts.join('');
  }
}

/** An index of the entries in force at `now` (withdrawn and expired ones left out). */
export function buildIndex(entries: readonly KnowledgeEntry[], options: { now?: number; pinyin?: PinyinProvider; synonyms?: readonly (readonly string[])[] } = {}): KnowledgeIndex {
  const index = new KnowledgeIndex(options.pinyin);
  if (options.synonyms) index.setSynonyms(options.synonyms);
  for (const e of entries) if (options.now === undefined || isInForce(e, options.now)) index.put(e);
  index.compact();
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
