/**
 * The knowledge worker: the search index off the UI thread. It opens the
 * device's database, loads the saved index (or builds it once) and catches
 * up with the entries synced since (shared/local/knowledge.ts `catchUpIndex`),
 * then answers searches with the entries and their highlight ranges.
 * Messages are handled one at a time, in order.
 */
import { PINYIN } from '#shared/knowledge/pinyin.ts';
import { highlight } from '#shared/knowledge/search.ts';
import { createKnowledgeService } from '#shared/knowledge/service.ts';
import { LianxinDb } from '#shared/local/db.ts';
import { DB_NAME } from '#shared/local/first-read.ts';
import { catchUpIndex, feedIndex, PackCache, readKnowledgeEntries, type IndexState } from '#shared/local/knowledge.ts';
import type { KnowledgeResult, KnowledgeWorkerReply, KnowledgeWorkerRequest } from './protocol.ts';

interface WorkerScope {
  onmessage: ((event: MessageEvent<KnowledgeWorkerRequest>) => void) | null;
  postMessage(message: KnowledgeWorkerReply): void;
}

const scope = self as unknown as WorkerScope;
// Reads, and the saved index now and then: a lost save only costs a catch-up.
const db = new LianxinDb(DB_NAME, { durability: 'relaxed' });
const state: IndexState = { service: null, indexSeq: null };
const create = () => createKnowledgeService(PINYIN);
// Entries are stored gzipped in packs; the hits of the last searches' packs stay decoded.
const packs = new PackCache();

async function ready(seq: number): Promise<KnowledgeWorkerReply> {
  const started = performance.now();
  const caught = await catchUpIndex(db, state, create);
  return { seq, type: 'ready', size: caught.size, indexSeq: caught.seq, rebuilt: caught.rebuilt, ms: performance.now() - started };
}

async function handle(request: KnowledgeWorkerRequest): Promise<KnowledgeWorkerReply> {
  switch (request.type) {
    case 'refresh':
      return ready(request.seq);
    case 'feed':
      return { seq: request.seq, type: 'fed', indexed: feedIndex(state, create, request.page) };
    case 'facets': {
      const rows = await db.knowledge.toArray();
      const categories = [...new Set(rows.map((r) => r.category))].sort();
      const areas = [...new Set(rows.map((r) => r.area))].sort();
      return { seq: request.seq, type: 'facets', categories, areas };
    }
    case 'find': {
      if (state.service === null) await catchUpIndex(db, state, create);
      const started = performance.now();
      const { filter } = request;
      const reply = state.service!.handle({
        seq: request.seq,
        type: 'search',
        query: request.query,
        filter: { now: request.now, ...(filter.category ? { category: filter.category } : {}), ...(filter.area ? { unitChain: new Set([filter.area]) } : {}) },
        limit: request.limit,
      });
      if (reply.type === 'error') return reply;
      if (reply.type !== 'hits') return { seq: request.seq, type: 'error', message: `unexpected reply ${reply.type}` };
      const searched = performance.now();
      const entries = await readKnowledgeEntries(db, reply.hits.map((h) => h.id), packs);
      const read = performance.now();
      const results: KnowledgeResult[] = [];
      reply.hits.forEach((hit, i) => {
        const entry = entries[i];
        if (!entry) return;
        results.push({ entry, score: hit.score, title: highlight(entry.title, reply.terms), answer: highlight(entry.answer, reply.terms) });
      });
      const end = performance.now();
      return { seq: request.seq, type: 'found', results, ms: end - started, stages: { search: searched - started, read: read - searched, highlight: end - read } };
    }
  }
}

let queue: Promise<void> = Promise.resolve();
scope.onmessage = (event) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      scope.postMessage(await handle(request));
    } catch (error) {
      scope.postMessage({ seq: request.seq, type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  });
};
