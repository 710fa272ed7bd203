/**
 * Search terms for the inbox. Chinese has no spaces between words, and a word
 * list (jieba and the like) is megabytes the PWA would carry offline, so the
 * index holds every character bigram instead: "中州路" is found as the rows
 * holding both "中州" and "州路", then checked as a substring. Pure; no DOM.
 */
import { removePhoneNumbers } from '../order/summary.ts';

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

/**
 * Order numbers share long prefixes (dates, area codes), so their digit
 * bigrams are in every row and useless for search. They are found by prefix
 * (the orderNo index) and by their last 4 to 8 characters, the part people
 * quote ("尾号5409"), stored as terms marked with '#' so that they never meet
 * a text bigram.
 */
export function orderNoTerms(orderNo: string): string[] {
  const lower = orderNo.toLowerCase();
  const terms: string[] = [];
  for (let n = ORDER_NO_SUFFIX_MIN; n <= Math.min(ORDER_NO_SUFFIX_MAX, lower.length - 1); n++) terms.push(`#${lower.slice(-n)}`);
  return terms;
}

export const ORDER_NO_SUFFIX_MIN = 4;
export const ORDER_NO_SUFFIX_MAX = 8;

/** The text a hit is checked against: runs joined by a space, which no run contains. */
export function searchTextOf(runs: readonly string[]): string {
  return runs.join(' ');
}

/** True when every run of the query occurs in the row's search text. */
export function matchesRuns(searchText: string, queryRuns: readonly string[]): boolean {
  return queryRuns.every((run) => searchText.includes(run));
}
