/**
 * Folds documents (`mergeState`) in a worker thread instead of on the event
 * loop. A fold decodes the whole snapshot and encodes it again: for a street's
 * index doc that was 0.1–0.35 s of one synchronous turn, every socket's
 * messages, acknowledgements and broadcasts waiting behind it — the longest
 * turns of the server under load and its p99 (bench/README.md, "Fan-out,
 * part 4"). The store reads the state, awaits the fold, then writes it
 * (`Store.compactDoc`).
 *
 * One worker, started at the first fold and not keeping the process alive.
 * If it cannot start or dies, the folds waiting on it and every later one run
 * in this thread, as before.
 */
import { Worker } from 'node:worker_threads';
import { errorMessage, log } from '../log.ts';
import { mergeState, type StoredState } from './merge-state.ts';

export interface FoldRequest {
  readonly id: number;
  readonly snapshot: Uint8Array | null;
  readonly updates: readonly Uint8Array[];
}

export type FoldReply = { readonly id: number; readonly merged: Uint8Array } | { readonly id: number; readonly error: string };

interface Waiting {
  readonly state: StoredState;
  readonly resolve: (merged: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

export class FoldThread {
  private worker: Worker | null = null;
  /** Set once the worker failed: every fold runs in this thread from then on. */
  private broken = false;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  /** The state folded into one update, in the worker thread. */
  merge(state: StoredState): Promise<Uint8Array> {
    const worker = this.broken ? null : this.start();
    if (!worker) return Promise.resolve(mergeState(state));
    return new Promise<Uint8Array>((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { state, resolve, reject });
      if (this.waiting.size === 1) worker.ref();
      const request: FoldRequest = { id, snapshot: state.snapshot, updates: state.updates };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.broken = true;
    this.fallBack();
    await worker?.terminate();
  }

  private start(): Worker | null {
    if (this.worker) return this.worker;
    try {
      // The server runs its TypeScript through tsx; a worker needs tsx's loader registered in it too.
      const entry = new URL('./fold-worker.ts', import.meta.url).href;
      const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
      const worker = new Worker(boot, { eval: true });
      worker.unref();
      worker.on('message', (reply: FoldReply) => {
        const waiting = this.waiting.get(reply.id);
        if (!waiting) return;
        this.waiting.delete(reply.id);
        if (this.waiting.size === 0) worker.unref();
        if ('merged' in reply) waiting.resolve(reply.merged);
        else waiting.reject(new Error(reply.error));
      });
      worker.on('error', (error) => this.fail(worker, error));
      worker.on('exit', (code) => this.fail(worker, new Error(`the fold worker exited (${code})`)));
      this.worker = worker;
      return worker;
    } catch (error) {
      this.fail(null, error);
      return null;
    }
  }

  private fail(worker: Worker | null, error: unknown): void {
    if (this.broken || (worker !== null && worker !== this.worker)) return;
    log.warn('fold_thread_failed', { error: errorMessage(error) });
    this.broken = true;
    this.worker = null;
    this.fallBack();
  }

  /** The folds still waiting on the worker, run here. */
  private fallBack(): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const { state, resolve, reject } of waiting) {
      try {
        resolve(mergeState(state));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}
