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
import { HelperThread } from '../helper-thread.ts';

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
  /** Resolves the checkpoint in flight (also when the worker fails). */
  private done: (() => void) | null = null;
  private commits = 0;
  private closing: (() => void) | null = null;
  /** Checkpoints the worker has run (tests). */
  completed = 0;
  private readonly thread: HelperThread<Reply>;

  /** `fallBack`: turns the store connection's automatic checkpoints on again (the worker failed). */
  constructor(file: string, fallBack: () => void) {
    this.thread = new HelperThread<Reply>({
      name: 'checkpoint',
      source: WORKER_SOURCE,
      workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
      onMessage: (reply) => this.reply(reply),
      onFail: () => {
        fallBack();
        this.settle();
      },
    });
  }

  /**
   * After a group commit is synced: every `CHECKPOINT_COMMITS` commits, a checkpoint, resolved when it
   * is done (null when none is due). The store commits nothing meanwhile, so the checkpoint copies
   * the whole WAL and the next commit starts it over: with commits going on during a checkpoint the
   * WAL would never be all copied and would grow without end.
   */
  committed(): Promise<void> | null {
    if (this.thread.failed) return null;
    this.commits += 1;
    if (this.commits < CHECKPOINT_COMMITS) return null;
    this.commits = 0;
    const checkpoint = new Promise<void>((resolve) => (this.done = resolve));
    return this.thread.post('checkpoint') ? checkpoint : null;
  }

  /** Closes the worker's connection (before the store's own, which then removes the WAL). */
  async close(): Promise<void> {
    this.settle();
    await this.thread.close(
      (worker) =>
        new Promise<void>((resolve) => {
          this.closing = resolve;
          worker.once('exit', resolve);
          worker.ref();
          worker.postMessage('close');
        }),
    );
  }

  private reply(reply: Reply): void {
    if ('closed' in reply) {
      this.closing?.();
      this.closing = null;
      return;
    }
    this.thread.idle();
    if (reply.ok) this.completed += 1;
    else this.thread.abandon(new Error(reply.error));
    this.settle();
  }

  private settle(): void {
    const done = this.done;
    this.done = null;
    done?.();
  }
}
