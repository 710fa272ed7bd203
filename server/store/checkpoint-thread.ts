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
 * for readers or the writer. It runs in two steps. The first runs beside the
 * store's commits and copies the bulk of the WAL; a second runs at the next
 * commit with the store committing nothing (its writes wait as they wait for
 * an fsync) and copies only what was committed beside the first, so the WAL
 * is all copied and the next commit starts it over. A single
 * checkpoint beside the commits would never catch up with a writer that keeps
 * committing, and the WAL would grow without end; a single paused one held
 * every write for the whole copy (bench/README.md, "Back online, part 11").
 * Durability does not change:
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
  /** Resolves the paused checkpoint in flight (also when the worker fails). */
  private done: (() => void) | null = null;
  private commits = 0;
  /** The first step in flight, beside the commits: how many were made meanwhile, and the store waiting for it. */
  private beside: { commits: number; waiting: (() => void) | null } | null = null;
  /** The second step is due at the next commit. */
  private tailDue = false;
  private closing: (() => void) | null = null;
  /** Checkpoints the worker has run (tests), and of those the ones the store paused for. */
  completed = 0;
  paused = 0;
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
        const waiting = this.beside?.waiting;
        this.beside = null;
        this.tailDue = false;
        waiting?.();
        this.settle();
      },
    });
  }

  /**
   * After a group commit is synced: every `CHECKPOINT_COMMITS` commits, a checkpoint beside the commits (null:
   * nothing to wait for); at the commit after it, a checkpoint of what was committed beside it (often nothing), which
   * the store waits for (resolved when it is done), so that the WAL is all copied and the next commit starts it
   * over. A first step still running after another `CHECKPOINT_COMMITS` commits is waited for too.
   */
  committed(): Promise<void> | null {
    if (this.thread.failed) return null;
    if (this.beside) {
      // A first step as long as a whole round of commits: the store waits for it, so the WAL stays within two rounds.
      if (++this.beside.commits < CHECKPOINT_COMMITS) return null;
      const beside = this.beside;
      return new Promise<void>((resolve) => (beside.waiting = resolve));
    }
    if (this.tailDue) {
      this.tailDue = false;
      const checkpoint = new Promise<void>((resolve) => (this.done = resolve));
      return this.thread.post('checkpoint') ? checkpoint : null;
    }
    this.commits += 1;
    if (this.commits < CHECKPOINT_COMMITS) return null;
    this.commits = 0;
    if (this.thread.post('checkpoint')) this.beside = { commits: 0, waiting: null };
    return null;
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
    const beside = this.beside;
    if (beside) {
      // Always, even when no commit returned meanwhile: one begun during the first step and synced after it has
      // frames the step did not copy, and the WAL would not start over (seen: 9.9 MB for 3 MB of appends).
      this.tailDue = reply.ok;
      this.beside = null;
      beside.waiting?.();
      return;
    }
    if (reply.ok) this.paused += 1;
    this.settle();
  }

  private settle(): void {
    const done = this.done;
    this.done = null;
    done?.();
  }
}
