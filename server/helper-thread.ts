/**
 * A worker thread the server can do without: started at its first use, not
 * keeping the process alive while nothing is asked of it, and gone for good
 * once it cannot start, errors or exits — `onFail` runs once and the caller
 * does the work on the event loop from then on, as before the thread existed.
 * Used by the fold thread (server/sync/fold-thread.ts) and the SQLite store's
 * checkpoint thread (server/store/checkpoint-thread.ts).
 */
import { Worker } from 'node:worker_threads';
import { errorMessage, log } from './log.ts';

export interface HelperThreadOptions<Reply> {
  /** Logged with a failure: `<name>_thread_failed`. */
  readonly name: string;
  /** The worker's source, evaluated as CommonJS. */
  readonly source: string;
  readonly workerData?: unknown;
  readonly onMessage: (reply: Reply) => void;
  readonly onFail: () => void;
}

export class HelperThread<Reply> {
  private worker: Worker | null = null;
  private broken = false;

  constructor(private readonly options: HelperThreadOptions<Reply>) {}

  /** True once the thread failed or was closed: nothing more is sent to it. */
  get failed(): boolean {
    return this.broken;
  }

  /** Sends a message and keeps the process alive until `idle()`; false when the thread is not there (failed, or could not start). */
  post(message: unknown): boolean {
    const worker = this.broken ? null : this.start();
    if (!worker) return false;
    worker.ref();
    worker.postMessage(message);
    return true;
  }

  /** Nothing is waited for from the thread any more: it no longer keeps the process alive. */
  idle(): void {
    this.worker?.unref();
  }

  /** Stops the thread for good, after `farewell` (a last message and its answer) when given; `onFail` does not run. */
  async close(farewell?: (worker: Worker) => Promise<void>): Promise<void> {
    const worker = this.worker;
    this.broken = true;
    this.worker = null;
    if (!worker) return;
    if (farewell) await farewell(worker);
    await worker.terminate();
  }

  /** The thread answered with a failure: it is given up as if it had died. */
  abandon(error: unknown): void {
    this.fail(this.worker, error);
  }

  private start(): Worker | null {
    if (this.worker) return this.worker;
    const { source, workerData, onMessage } = this.options;
    try {
      const worker = new Worker(source, { eval: true, workerData });
      worker.unref();
      worker.on('message', (reply: Reply) => onMessage(reply));
      worker.on('error', (error) => this.fail(worker, error));
      worker.on('exit', (code) => this.fail(worker, new Error(`the ${this.options.name} worker exited (${code})`)));
      this.worker = worker;
      return worker;
    } catch (error) {
      this.fail(null, error);
      return null;
    }
  }

  private fail(worker: Worker | null, error: unknown): void {
    if (this.broken || (worker !== null && worker !== this.worker)) return;
    log.warn(`${this.options.name}_thread_failed`, { error: errorMessage(error) });
    this.broken = true;
    this.worker = null;
    void worker?.terminate();
    this.options.onFail();
  }
}
