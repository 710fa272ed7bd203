/**
 * Character bigrams of Chinese text, for the inbox search (shared/local/search.ts)
 * and the duplicate detector (shared/duplicates/). Chinese has no spaces
 * between words, and a word list (jieba and the like) is megabytes the PWA
 * would carry offline, so both work on every character bigram instead:
 * "中州路" is "中州" and "州路". Here rather than in shared/local/ because the
 * pure core may not import browser storage's folder, and the detector is core.
 */
import { removePhoneNumbers } from './phone-text.ts';

/**
 * Runs of letters and digits, NFKC-folded (full-width ０-９ and Ａ-Ｚ become
 * ASCII) and lower-cased. Phone numbers are removed first: the search box
 * must not become a way to look an order up by a citizen's number.
 */
export function searchRuns(text: string): string[] {
  return removePhoneNumbers(text.normalize('NFKC'))
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((run) => run.length > 0);
}

/**
 * Every distinct bigram of every run. One-character runs give none: a query
 * of single characters matches too much for an index to help, and is scanned.
 */
export function termsOf(runs: readonly string[]): string[] {
  const terms = new Set<string>();
  for (const run of runs) {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i]! + chars[i + 1]!);
  }
  return [...terms];
}
