/**
 * WAL checkpoints of the SQLite store, run by a second connection in a worker
 * thread instead of inside a commit on the event loop.
 *
 * SQLite's automatic checkpoint runs in the COMMIT that takes the WAL past
 * 1,000 pages: it syncs the WAL, copies its pages into the database file and
 * syncs that — two fsyncs and up to 4 MB of writes in one synchronous turn,
 * every socket's messages, acks and broadcasts waiting behind it. Under the
 * fan-out load that was every one to two seconds (bench/README.md, "Fan-out,
 * part 5"). The store's connection runs with `wal_autocheckpoint = 0`, and
 * after every `CHECKPOINT_COMMITS` group commits asks this thread for a
 * `PASSIVE` checkpoint: it copies what no reader still needs and never waits
 * for readers; the store commits nothing while it runs (its writes wait as
 * they wait for an fsync), so it copies all of the WAL and the next commit
 * starts the WAL over. Durability does not change:
 * a commit is durable once the WAL holds it and is synced (the store's own
 * fsync); the checkpoint syncs the WAL before copying and the database after,
 * as the automatic one does.
 *
 * One worker per store, started at the first checkpoint asked for, not
 * keeping the process alive. If it cannot start, fails or dies, the store's
 * connection checkpoints automatically again (`fallBack`), as before.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { errorMessage, log } from '../log.ts';

/** Group commits between two checkpoints asked for (SQLite's own rule is 1,000 WAL pages; a group commit writes ≈ 5–15). */
export const CHECKPOINT_COMMITS = 64;

/** The worker: plain JavaScript (no TypeScript loader needed), one connection, one PASSIVE checkpoint per message. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.postMessage({ closed: true });
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, busy: result.busy, log: result.log, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

type Reply = { readonly ok: true } | { readonly ok: false; readonly error: string } | { readonly closed: true };

export class CheckpointThread {
  private worker: Worker | null = null;
  private broken = false;
  /** Resolves the checkpoint in flight (also when the worker fails). */
  private done: (() => void) | null = null;
  private commits = 0;
  private closing: (() => void) | null = null;
  /** Checkpoints the worker has run (tests). */
  completed = 0;

  /** `fallBack`: turns the store connection's automatic checkpoints on again (the worker failed). */
  constructor(
    private readonly file: string,
    private readonly fallBack: () => void,
  ) {}

  /**
   * After a group commit is synced: every `CHECKPOINT_COMMITS` commits, a checkpoint, resolved when it
   * is done (null when none is due). The store commits nothing meanwhile, so the checkpoint copies
   * the whole WAL and the next commit starts it over: with commits going on during a checkpoint the
   * WAL would never be all copied and would grow without end.
   */
  committed(): Promise<void> | null {
    if (this.broken) return null;
    this.commits += 1;
    if (this.commits < CHECKPOINT_COMMITS) return null;
    const worker = this.start();
    if (!worker) return null;
    this.commits = 0;
    return new Promise<void>((resolve) => {
      this.done = resolve;
      worker.ref();
      worker.postMessage('checkpoint');
    });
  }

  /** Closes the worker's connection (before the store's own, which then removes the WAL). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.broken = true;
    this.worker = null;
    if (!worker) return;
    this.settle();
    await new Promise<void>((resolve) => {
      this.closing = resolve;
      worker.ref();
      worker.postMessage('close');
    });
    await worker.terminate();
  }

  private start(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.file, driver } });
      worker.unref();
      worker.on('message', (reply: Reply) => {
        if ('closed' in reply) {
          this.closing?.();
          this.closing = null;
          return;
        }
        worker.unref();
        if (reply.ok) this.completed += 1;
        else this.fail(worker, new Error(reply.error));
        this.settle();
      });
      worker.on('error', (error) => this.fail(worker, error));
      worker.on('exit', (code) => {
        this.closing?.();
        this.closing = null;
        this.fail(worker, new Error(`the checkpoint worker exited (${code})`));
      });
      this.worker = worker;
      return worker;
    } catch (error) {
      this.fail(null, error);
      return null;
    }
  }

  private fail(worker: Worker | null, error: unknown): void {
    if (this.broken || (worker !== null && worker !== this.worker)) return;
    log.warn('checkpoint_thread_failed', { error: errorMessage(error) });
    this.broken = true;
    this.worker = null;
    void worker?.terminate();
    this.fallBack();
    this.settle();
  }

  private settle(): void {
    const done = this.done;
    this.done = null;
    done?.();
  }
}
