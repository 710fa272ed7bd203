/**
 * Messages between the page and the knowledge worker (worker.ts). The worker
 * owns the search index (shared/knowledge/service.ts) and reads entries from
 * the device's Dexie database itself, so entries never cross postMessage on
 * the way in; results carry the entries they name and the highlight ranges.
 */
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import type { FedPage } from '#shared/local/knowledge.ts';

export type Range = readonly [number, number];

export interface KnowledgeFindFilter {
  readonly category?: string | null;
  /** An entry's area (a unit id): only entries of that area. */
  readonly area?: string | null;
}

export type KnowledgeWorkerRequest =
  | { readonly seq: number; readonly type: 'refresh' }
  | { readonly seq: number; readonly type: 'find'; readonly query: string; readonly filter: KnowledgeFindFilter; readonly limit: number; readonly now: number }
  | { readonly seq: number; readonly type: 'facets' }
  /** A first sync's page, stored by the page without its terms: index it from them (`feedIndex`). */
  | { readonly seq: number; readonly type: 'feed'; readonly page: FedPage };

export interface KnowledgeResult {
  readonly entry: KnowledgeEntry;
  readonly score: number;
  /** Highlight ranges in the title, in the answer and in the first question that matched. */
  readonly title: readonly Range[];
  readonly answer: readonly Range[];
}

/** Where a `find` spent its time in the worker (ms): the index's search, reading the hits' entries, highlighting. */
export interface FindStages {
  readonly search: number;
  readonly read: number;
  readonly highlight: number;
}

export type KnowledgeWorkerReply =
  | { readonly seq: number; readonly type: 'ready'; readonly size: number; readonly indexSeq: number; readonly rebuilt: boolean; readonly ms: number }
  | { readonly seq: number; readonly type: 'found'; readonly results: readonly KnowledgeResult[]; readonly ms: number; readonly stages: FindStages }
  | { readonly seq: number; readonly type: 'fed'; readonly indexed: boolean }
  | { readonly seq: number; readonly type: 'facets'; readonly categories: readonly string[]; readonly areas: readonly string[] }
  | { readonly seq: number; readonly type: 'error'; readonly message: string };
