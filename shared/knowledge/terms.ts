/**
 * An entry's search terms, computed once where it is cheap (the server, at
 * import) and carried to devices with the entry, so that a device indexes
 * incoming entries from their terms alone: no tokenising, no pinyin-pro (the
 * costly part of an update, see bench/README.md "Knowledge base at 40,000
 * entries"). The query side still tokenises and converts the query.
 *
 * The terms are exactly what `KnowledgeIndex.put` indexes for the entry
 * (character unigrams and bigrams of the title, questions, tags and answer,
 * Latin words, pinyin of the tags and the title), so an index built from
 * terms equals one built from the entries (tests/shared/knowledge/terms.test.ts).
 *
 * Compact text form (`encodeTerms`): the fields in `FIELDS` order separated by
 * `|`, each field's distinct terms in order of first occurrence separated by a
 * space, a term that occurs n > 1 times written `term*n`. Terms never hold
 * `|`, `*` or a space (they are CJK characters, [a-z0-9] words and pinyin).
 * `TERMS_VERSION` names the recipe: a device that holds terms of another
 * version does not use them.
 */
import type { KnowledgeEntry } from './entry.ts';
import { FIELDS, indexTerms, pinyinTerms, type PinyinProvider } from './tokens.ts';

/** Changes when the recipe below (or the tokeniser's) changes; sent with the terms. */
export const TERMS_VERSION = 1;

const NF = FIELDS.length;

/** Per field (FIELDS order), the terms of an entry as the index counts them, repeats included. */
export function fieldTerms(entry: Pick<KnowledgeEntry, 'title' | 'questions' | 'tags' | 'answer'>, pinyin: PinyinProvider | undefined): string[][] {
  const title: string[] = [];
  const questions: string[] = [];
  const tags: string[] = [];
  const answer: string[] = [];
  const py: string[] = [];
  indexTerms(entry.title, true, title);
  for (const q of entry.questions) indexTerms(q, true, questions);
  for (const t of entry.tags) indexTerms(t, true, tags);
  indexTerms(entry.answer, true, answer);
  if (pinyin) {
    // Tags (the matter's names: 公租房, 加装电梯) in stretches of 2–4 characters; the title's words of
    // two (条件 tiaojian, 材料 cl): its longer stretches are mostly place names, a fifth of the index.
    for (const t of entry.tags) py.push(...pinyinTerms(t, pinyin));
    py.push(...pinyinTerms(entry.title, pinyin, 2));
  }
  return [title, questions, tags, answer, py];
}

/** An entry's terms in the compact text form (the server's, at import). */
export function entryTerms(entry: Pick<KnowledgeEntry, 'title' | 'questions' | 'tags' | 'answer'>, pinyin: PinyinProvider | undefined): string {
  return encodeTerms(fieldTerms(entry, pinyin));
}

export function encodeTerms(fields: readonly (readonly string[])[]): string {
  const out: string[] = [];
  for (let fi = 0; fi < NF; fi++) {
    const counts = new Map<string, number>();
    for (const term of fields[fi] ?? []) counts.set(term, (counts.get(term) ?? 0) + 1);
    out.push([...counts].map(([term, n]) => (n === 1 ? term : `${term}*${n}`)).join(' '));
  }
  return out.join('|');
}

/** Terms decoded for the index: per distinct term its count in each field, and each field's length in terms. */
export interface DecodedTerms {
  readonly counts: Map<string, number[]>;
  readonly lengths: number[];
}

/** `encodeTerms`' text back to counts; throws on text that is not in the form (a corrupt feed must not index garbage). */
export function decodeTerms(text: string): DecodedTerms {
  const fields = text.split('|');
  if (fields.length !== NF) throw new Error(`knowledge terms: ${fields.length} fields, not ${NF}`);
  const counts = new Map<string, number[]>();
  const lengths = new Array<number>(NF).fill(0);
  for (let fi = 0; fi < NF; fi++) {
    const field = fields[fi] ?? '';
    if (field === '') continue;
    for (const item of field.split(' ')) {
      const star = item.indexOf('*');
      const term = star < 0 ? item : item.slice(0, star);
      const n = star < 0 ? 1 : Number(item.slice(star + 1));
      if (term === '' || !Number.isInteger(n) || n < 1) throw new Error(`knowledge terms: bad item "${item}"`);
      let c = counts.get(term);
      if (!c) counts.set(term, (c = new Array<number>(NF).fill(0)));
      c[fi] = (c[fi] ?? 0) + n;
      lengths[fi] = (lengths[fi] ?? 0) + n;
    }
  }
  return { counts, lengths };
}

/** Terms as the server stores them: prefixed with the recipe's version (`1:…`), so rows from an older recipe are recomputed. */
export function stampTerms(encoded: string): string {
  return `${TERMS_VERSION}:${encoded}`;
}

/** The encoded terms of a stored value when it is of the current recipe, else null. */
export function currentTerms(stored: string | null | undefined): string | null {
  const prefix = `${TERMS_VERSION}:`;
  return stored?.startsWith(prefix) ? stored.slice(prefix.length) : null;
}
