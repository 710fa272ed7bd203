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
import { HelperThread } from '../helper-thread.ts';
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
  /** Folds the worker thread has answered (tests). */
  completed = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly thread = new HelperThread<FoldReply>({
    name: 'fold',
    // The server runs its TypeScript through tsx; a worker needs tsx's loader registered in it too.
    source: `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./fold-worker.ts', import.meta.url).href)}); });`,
    onMessage: (reply) => this.settle(reply),
    onFail: () => this.foldHere(),
  });

  /** The state folded into one update, in the worker thread. */
  merge(state: StoredState): Promise<Uint8Array> {
    if (this.thread.failed) return Promise.resolve(mergeState(state));
    return new Promise<Uint8Array>((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { state, resolve, reject });
      const request: FoldRequest = { id, snapshot: state.snapshot, updates: state.updates };
      if (!this.thread.post(request)) this.foldHere();
    });
  }

  async close(): Promise<void> {
    await this.thread.close();
    this.foldHere();
  }

  private settle(reply: FoldReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.thread.idle();
    this.completed += 1;
    if ('merged' in reply) waiting.resolve(reply.merged);
    else waiting.reject(new Error(reply.error));
  }

  /** The folds still waiting on the worker, run here. */
  private foldHere(): void {
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
