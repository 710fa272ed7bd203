/**
 * The knowledge search as a message service: what the Web Worker will run.
 * Pure (no `self`, no `postMessage`): the worker file only wires
 * `onmessage = (e) => postMessage(service.handle(e.data))`, and tests call
 * `handle` directly. Messages are plain data, so they survive structured
 * cloning; every request carries a `seq` that its reply repeats, so the UI
 * can drop replies to queries the user has already typed past.
 */
import type { KnowledgeEntry } from './entry.ts';
import { KnowledgeIndex, highlight, type IndexedFields, type PinyinProvider, type SearchFilter, type SerialisedIndex } from './search.ts';

export type KnowledgeRequest =
  | { readonly seq: number; readonly type: 'load'; readonly index: SerialisedIndex }
  /** The index as `KnowledgeIndex.save` wrote it (what a device stores; smaller and faster than JSON). */
  | { readonly seq: number; readonly type: 'loadBytes'; readonly bytes: Uint8Array }
  | { readonly seq: number; readonly type: 'put'; readonly entries: readonly KnowledgeEntry[] }
  /** Entries by their terms as the server computed them (shared/knowledge/terms.ts): no tokenising, no pinyin. */
  | { readonly seq: number; readonly type: 'putTerms'; readonly items: ReadonlyArray<{ readonly entry: IndexedFields; readonly terms: string }> }
  | { readonly seq: number; readonly type: 'remove'; readonly ids: readonly string[] }
  | { readonly seq: number; readonly type: 'synonyms'; readonly groups: readonly (readonly string[])[] }
  | { readonly seq: number; readonly type: 'search'; readonly query: string; readonly filter?: SearchFilter; readonly limit?: number }
  | { readonly seq: number; readonly type: 'highlight'; readonly text: string; readonly terms: readonly string[] }
  | { readonly seq: number; readonly type: 'save' }
  | { readonly seq: number; readonly type: 'saveBytes' };

export type KnowledgeReply =
  | { readonly seq: number; readonly type: 'done'; readonly size: number }
  | { readonly seq: number; readonly type: 'hits'; readonly hits: ReadonlyArray<{ id: string; score: number }>; readonly terms: readonly string[] }
  | { readonly seq: number; readonly type: 'ranges'; readonly ranges: ReadonlyArray<[number, number]> }
  | { readonly seq: number; readonly type: 'saved'; readonly index: SerialisedIndex }
  | { readonly seq: number; readonly type: 'savedBytes'; readonly bytes: Uint8Array }
  | { readonly seq: number; readonly type: 'error'; readonly message: string };

export interface KnowledgeService {
  handle(request: KnowledgeRequest): KnowledgeReply;
}

export function createKnowledgeService(pinyin?: PinyinProvider): KnowledgeService {
  let index = new KnowledgeIndex(pinyin);
  const done = (seq: number): KnowledgeReply => ({ seq, type: 'done', size: index.size });
  return {
    handle(request) {
      try {
        switch (request.type) {
          case 'load':
            index = KnowledgeIndex.fromJSON(request.index, pinyin);
            return done(request.seq);
          case 'loadBytes':
            index = KnowledgeIndex.load(request.bytes, pinyin);
            return done(request.seq);
          case 'put':
            for (const entry of request.entries) index.put(entry);
            return done(request.seq);
          case 'putTerms':
            for (const item of request.items) index.putTerms(item.entry, item.terms);
            return done(request.seq);
          case 'remove':
            for (const id of request.ids) index.remove(id);
            return done(request.seq);
          case 'synonyms':
            index.setSynonyms(request.groups);
            return done(request.seq);
          case 'search': {
            const result = index.search(request.query, request.filter, request.limit);
            return { seq: request.seq, type: 'hits', hits: result.hits, terms: result.terms };
          }
          case 'highlight':
            return { seq: request.seq, type: 'ranges', ranges: highlight(request.text, request.terms) };
          case 'save':
            return { seq: request.seq, type: 'saved', index: index.toJSON() };
          case 'saveBytes':
            return { seq: request.seq, type: 'savedBytes', bytes: index.save() };
        }
      } catch (e) {
        return { seq: request.seq, type: 'error', message: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
