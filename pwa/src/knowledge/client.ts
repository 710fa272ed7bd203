/**
 * The page's side of the knowledge worker: started on first use (this module
 * is loaded only by the knowledge page and the order's suggestions, never by
 * the first screen), one request at a time per caller, replies matched by seq.
 */
import type { KnowledgeWorkerReply, KnowledgeWorkerRequest } from './protocol.ts';

type Request = KnowledgeWorkerRequest extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

let worker: Worker | null = null;
let next = 1;
const waiting = new Map<number, (reply: KnowledgeWorkerReply) => void>();

function start(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'lianxin-knowledge' });
  worker.onmessage = (event: MessageEvent<KnowledgeWorkerReply>) => {
    const resolve = waiting.get(event.data.seq);
    waiting.delete(event.data.seq);
    resolve?.(event.data);
  };
  worker.onerror = (event) => {
    for (const [seq, resolve] of waiting) resolve({ seq, type: 'error', message: event.message || 'the knowledge worker failed' });
    waiting.clear();
    stopKnowledgeWorker();
  };
  return worker;
}

export function askKnowledge(request: Request): Promise<KnowledgeWorkerReply> {
  const seq = next++;
  const target = start();
  return new Promise((resolve) => {
    waiting.set(seq, resolve);
    target.postMessage({ ...request, seq } as KnowledgeWorkerRequest);
  });
}

/** Drop the worker and its index (sign-out: the next user's device data is another's). */
export function stopKnowledgeWorker(): void {
  worker?.terminate();
  worker = null;
}
