/**
 * Synonym groups (同义词, e.g. 电梯 / 升降梯) as an admin edits them: one group
 * a line, words separated by "/", "／", "、", commas or spaces. The limits are
 * the server's (PUT /api/knowledge/synonyms); the text is checked here first so
 * the admin sees which line is wrong before anything is sent.
 */

export const SYNONYM_WORD_MAX = 20;
export const SYNONYM_GROUP_MAX = 20;
export const SYNONYM_GROUPS_MAX = 5000;

export type SynonymLineProblem = 'one_word' | 'word_too_long' | 'too_many_words';

export interface SynonymLineError {
  /** 1-based line of the text. */
  readonly line: number;
  readonly code: SynonymLineProblem;
  /** The word at fault (word_too_long). */
  readonly word?: string;
}

export interface ParsedSynonyms {
  readonly groups: string[][];
  readonly errors: SynonymLineError[];
  /** More groups than the server takes. */
  readonly tooManyGroups: boolean;
}

const SEPARATORS = /[\s/／、,，;；|]+/u;

/** The text's groups (blank lines skipped, a word repeated in a line kept once) and every line's problems. */
export function parseSynonyms(text: string): ParsedSynonyms {
  const groups: string[][] = [];
  const errors: SynonymLineError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const words = [...new Set(raw.split(SEPARATORS).filter((w) => w !== ''))];
    if (words.length === 0) return;
    const long = words.find((w) => [...w].length > SYNONYM_WORD_MAX);
    if (words.length < 2) errors.push({ line, code: 'one_word' });
    else if (words.length > SYNONYM_GROUP_MAX) errors.push({ line, code: 'too_many_words' });
    else if (long !== undefined) errors.push({ line, code: 'word_too_long', word: long });
    else groups.push(words);
  });
  return { groups, errors, tooManyGroups: groups.length > SYNONYM_GROUPS_MAX };
}

/** Groups as the editable text: one a line, words joined by " / ". */
export const formatSynonyms = (groups: readonly (readonly string[])[]): string => groups.map((g) => g.join(' / ')).join('\n');
