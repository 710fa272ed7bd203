/**
 * Search terms for the inbox. Chinese has no spaces between words, and a word
 * list (jieba and the like) is megabytes the PWA would carry offline, so the
 * index holds every character bigram instead: "中州路" is found as the rows
 * holding both "中州" and "州路", then checked as a substring. Pure; no DOM.
 */
/**
 * The tokenisation itself is in the pure core (`shared/order/text-terms.ts`),
 * which the duplicate detector shares; re-exported so the projection and the
 * apps keep importing it from here.
 */
export { searchRuns, termsOf } from '../order/text-terms.ts';

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
