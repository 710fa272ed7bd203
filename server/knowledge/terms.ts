/**
 * The server's side of the search terms (shared/knowledge/terms.ts): computed
 * once when an entry version is stored (pinyin-pro runs here, not on devices),
 * and sent with the entry in the change feed.
 */
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { PINYIN } from '#shared/knowledge/pinyin.ts';
import { currentTerms, entryTerms, stampTerms } from '#shared/knowledge/terms.ts';

/** What the store keeps beside a version: its stamped terms, none for a tombstone. */
export function storedTerms(entry: KnowledgeEntry): string | null {
  return entry.withdrawn ? null : stampTerms(entryTerms(entry, PINYIN));
}

/** The terms to send for a stored row: as stored when of the current recipe, else computed now (rows from before). */
export function termsToSend(entry: KnowledgeEntry, stored: string | null): string | null {
  if (entry.withdrawn) return null;
  return currentTerms(stored) ?? entryTerms(entry, PINYIN);
}
