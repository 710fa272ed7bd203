/**
 * Case 10's page in Chromium (bench/cases/knowledge.ts): the device's side of
 * the knowledge base as the PWA runs it — `pullKnowledge` into the app's
 * Dexie database (shared/local/knowledge.ts) and the PWA's own worker
 * (pwa/src/knowledge/worker.ts, bundled as it is) answering `refresh` and
 * `find` — plus the baselines: a substring scan and a plain GET.
 * The change feed comes from the case's server (same JSON, gzipped, as
 * GET /api/knowledge/changes; not validated with valibot here, as the app's api.ts does).
 */
import type { FindStages, KnowledgeWorkerReply, KnowledgeWorkerRequest } from '#pwa/src/knowledge/protocol.ts';
import { normalise } from '#shared/knowledge/tokens.ts';
import { LianxinDb } from '#shared/local/db.ts';
import { pullKnowledge, type FedPage, type KnowledgeChangesPage } from '#shared/local/knowledge.ts';

type Request = KnowledgeWorkerRequest extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

const db = new LianxinDb('lianxin');
let worker: Worker | null = null;
let next = 1;
const waiting = new Map<number, (reply: KnowledgeWorkerReply) => void>();
let haystacks: string[] = [];
let haystackIds: string[] = [];

function ask(request: Request): Promise<KnowledgeWorkerReply> {
  if (!worker) {
    worker = new Worker('/worker.js', { type: 'module' });
    worker.onmessage = (event: MessageEvent<KnowledgeWorkerReply>) => {
      waiting.get(event.data.seq)?.(event.data);
      waiting.delete(event.data.seq);
    };
  }
  const seq = next++;
  const target = worker;
  return new Promise((resolve) => {
    waiting.set(seq, resolve);
    target.postMessage({ ...request, seq } as KnowledgeWorkerRequest);
  });
}

async function fetchPage(since: number): Promise<KnowledgeChangesPage> {
  const response = await fetch(`/api/knowledge/changes?since=${since}`);
  if (!response.ok) throw new Error(`changes: HTTP ${response.status}`);
  return (await response.json()) as KnowledgeChangesPage;
}

async function feed(page: FedPage): Promise<boolean> {
  const reply = await ask({ type: 'feed', page });
  return reply.type === 'fed' && reply.indexed;
}

async function find(query: string, now: number): Promise<{ ms: number; ids: string[]; worker: number; stages: FindStages }> {
  const t0 = performance.now();
  const reply = await ask({ type: 'find', query, filter: {}, limit: 10, now });
  const ms = performance.now() - t0;
  if (reply.type !== 'found') throw new Error(reply.type === 'error' ? reply.message : `unexpected ${reply.type}`);
  return { ms, ids: reply.results.map((r) => r.entry.id), worker: reply.ms, stages: reply.stages };
}

const kb = {
  /** From navigation start: the worker's index ready (the `refresh` reply), set by `start`. */
  ready: null as null | { at: number; size: number; rebuilt: boolean; ms: number } | { error: string },
  start(): void {
    void ask({ type: 'refresh' }).then((reply) => {
      kb.ready = reply.type === 'ready' ? { at: performance.now(), size: reply.size, rebuilt: reply.rebuilt, ms: reply.ms } : { error: reply.type === 'error' ? reply.message : reply.type };
    });
  },
  /** The first sync as the PWA runs it (pwa/src/data/layer.ts `syncKnowledge`): each page's terms fed to the worker, not stored. */
  async sync(): Promise<{ ms: number; seq: number; stored: number; fed: number }> {
    const t0 = performance.now();
    const result = await pullKnowledge(db, fetchPage, Date.now, { feed });
    return { ms: performance.now() - t0, seq: result.seq, stored: result.stored, fed: result.fed };
  },
  async refresh(): Promise<{ ms: number; size: number }> {
    const t0 = performance.now();
    const reply = await ask({ type: 'refresh' });
    if (reply.type !== 'ready') throw new Error(reply.type === 'error' ? reply.message : reply.type);
    return { ms: performance.now() - t0, size: reply.size };
  },
  find,
  /** Server to searchable: pull the changes, the worker catches up, a search finds `expect` first. */
  async update(query: string, expectId: string, now: number): Promise<{ ms: number; found: boolean; stored: number }> {
    const t0 = performance.now();
    const pulled = await pullKnowledge(db, fetchPage, Date.now, { feed });
    await ask({ type: 'refresh' });
    const hits = await find(query, now);
    return { ms: performance.now() - t0, found: hits.ids.includes(expectId), stored: pulled.stored };
  },
  /** The baseline of an update: one GET of the same bytes, read to the end, nothing applied. */
  async plainGet(since: number): Promise<number> {
    const t0 = performance.now();
    const response = await fetch(`/api/knowledge/plain?since=${since}`);
    await response.arrayBuffer();
    return performance.now() - t0;
  },
  async storage(): Promise<{ usage: number; packs: number; index: number; terms: number; rows: number }> {
    const estimate = await navigator.storage.estimate();
    let packs = 0;
    await db.knowledgePacks.each((p) => (packs += p.data.byteLength));
    let terms = 0;
    await db.knowledgeTerms.each((t) => (terms += t.data.byteLength));
    const index = await db.knowledgeMeta.get('index');
    return { usage: estimate.usage ?? 0, packs, index: index?.key === 'index' ? index.index.byteLength : 0, terms, rows: await db.knowledge.count() };
  },
  /** The scan's strings (title, questions, tags, answer of each entry, normalised), from the case's server. */
  async loadScan(): Promise<number> {
    const data = (await (await fetch('/api/knowledge/haystacks')).json()) as { ids: string[]; text: string[] };
    haystackIds = data.ids;
    haystacks = data.text;
    return haystacks.length;
  },
  scan(query: string): number {
    const t0 = performance.now();
    const q = normalise(query.trim());
    const found: string[] = [];
    for (let i = 0; i < haystacks.length && found.length < 10; i++) if (haystacks[i]?.includes(q)) found.push(haystackIds[i] ?? '');
    return performance.now() - t0;
  },
};

declare global {
  interface Window {
    kb: typeof kb;
  }
}
window.kb = kb;
if (new URLSearchParams(location.search).has('start')) kb.start();
