/**
 * The photo upload queue, run by the page (or the extension's background),
 * never by a service worker replaying form posts. Oldest due first, one photo
 * at a time until one is confirmed quickly, then two in flight
 * (`PHOTOS_IN_FLIGHT`): `PUT /api/photos/<sha256>`, one request a photo. A photo counts
 * as uploaded only when the server confirms it holds those bytes: the PUT's
 * reply names the same hash and size, and the server sends it only once the
 * bytes are fsynced and recorded (docs/SERVER.md, "Photos"). A retry asks
 * first (`HEAD`): an earlier attempt may have landed with its reply lost, and
 * the bytes need not go up again on a weak signal. Failures wait with
 * exponential backoff (2 s … 5 min), persisted in the Dexie `uploads` table so
 * a restart neither forgets nor hammers. Woken by `kick()` (online, a new
 * photo, app start) and by its own timer.
 *
 * A photo the server refuses for good (413 too large, 415 not an image, 422
 * hash mismatch — any 4xx but 401, 408 and 429) is marked rejected with the
 * server's reason and never retried by itself: the sync bar says so instead
 * of "syncing" for ever. It stays 'failed', so it is still unsynced, blocks
 * sign-out and is in the export; nothing of it is deleted.
 */
import type { LianxinDb, UploadRejection, UploadRow } from '../local/db.ts';
import { ApiError, type LianxinApi } from './api.ts';
import { Cell, type Watchable } from './watchable.ts';

export interface UploadQueueOptions {
  readonly db: LianxinDb;
  readonly api: LianxinApi;
  /** The current token; null pauses the queue (signed out, session ended). */
  readonly token: () => string | null;
  readonly now?: () => number;
  /** The server refused the token. */
  readonly onUnauthenticated?: () => void;
}

export interface UploadProgress {
  /** The photo being sent, if any. */
  readonly current: string | null;
  /** Photos confirmed since the queue last became busy, and the number it had then. */
  readonly done: number;
  readonly total: number;
}

/**
 * Photos in flight at once once the link has proved good. One at a time, a photo is a serial chain (request, body,
 * the server's file fsync, rename, folder fsync with the rows' commit, reply) and the next waits for all of it; a
 * second in flight overlaps its transfer with the first one's fsyncs, which is where the wait is on a good link
 * (bench/README.md, "Back online, part 3"). Not more: a third would share the same uplink and the server's same disk
 * (each photo costs two fsyncs there) and add nothing measured. Not on a weak link: two photos would split a slow
 * uplink, so neither is confirmed sooner and a dropped signal loses two partial uploads instead of one.
 */
export const PHOTOS_IN_FLIGHT = 2;
/** The link is good when a photo was confirmed within this long (≈ 400 KB at 1.6 Mbit/s). */
const GOOD_LINK_MS = 2_000;

const MIN_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/** A photo the server refused for good, as the UI lists it. */
export interface RejectedUpload extends UploadRejection {
  readonly sha256: string;
  readonly orderId: string;
}

/**
 * Will the same request be refused again? A 4xx says so, except a lost session
 * (401: sign in again), a timeout (408) and rate limiting (429). Offline and
 * 5xx are passing troubles.
 */
export function isPermanentRejection(error: ApiError): boolean {
  return error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 408 && error.status !== 429;
}

/** Photos the server refused for good, oldest first. */
export async function rejectedUploads(db: LianxinDb): Promise<RejectedUpload[]> {
  const rows = await db.uploads.where('state').equals('failed').toArray();
  return rows
    .flatMap((row) => (row.rejection ? [{ sha256: row.sha256, orderId: row.orderId, ...row.rejection }] : []))
    .sort((a, b) => a.at - b.at || (a.sha256 < b.sha256 ? -1 : 1));
}

/** Wait before attempt `attempts + 1`: 2 s, 4 s, 8 s … at most 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

export class UploadQueue {
  private readonly now: () => number;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly cell = new Cell<UploadProgress>({ current: null, done: 0, total: 0 }, (a, b) => a.current === b.current && a.done === b.done && a.total === b.total);

  constructor(private readonly options: UploadQueueOptions) {
    this.now = options.now ?? Date.now;
  }

  get progress(): Watchable<UploadProgress> {
    return this.cell;
  }

  /** Run the queue now (if it is not running), including rows still waiting for their backoff when `force`. */
  kick(force = false): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.clearTimer();
    this.running = this.drain(force).finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.kick();
      } else {
        void this.schedule();
      }
    });
    return this.running;
  }

  /** Try the rejected photos again (the server's limits may have changed): they join the queue as new. */
  async retryRejected(): Promise<void> {
    const { db } = this.options;
    await db.uploads.where('state').equals('failed').filter((row) => Boolean(row.rejection)).modify({ state: 'queued', attempts: 0, nextAttemptAt: this.now(), rejection: null });
    await this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.running?.catch(() => undefined);
  }

  private async drain(force: boolean): Promise<void> {
    const { db } = this.options;
    // A tab closed mid-upload leaves its row 'uploading'; nothing else is uploading now.
    await db.uploads.where('state').equals('uploading').modify({ state: 'queued' });
    let done = 0;
    let halted = false;
    // `force` lets each waiting row be tried once now (back online); a row that fails again waits its backoff.
    const tried = new Set<string>();
    const inFlight = new Set<string>();
    const lanes: Promise<void>[] = [];
    const lane = async (): Promise<void> => {
      for (;;) {
        const token = this.options.token();
        if (!token || this.stopped || halted) return;
        const due = await this.nextDue(force, tried, inFlight);
        if (!due) return;
        if (inFlight.has(due.sha256) || halted) continue; // the other lane took it meanwhile
        inFlight.add(due.sha256);
        tried.add(due.sha256);
        const waiting = (await this.openRows()).filter((row) => !inFlight.has(row.sha256)).length;
        this.cell.set({ current: due.sha256, done, total: done + waiting + inFlight.size });
        const started = this.now();
        const outcome = await this.upload(due, token);
        inFlight.delete(due.sha256);
        if (outcome === 'unauthenticated') {
          if (!halted) this.options.onUnauthenticated?.();
          halted = true;
          return;
        }
        if (outcome === 'offline') {
          halted = true;
          return;
        }
        if (outcome === 'done') {
          done += 1;
          // A photo confirmed quickly: the link is good, and a second one may be in flight (docs/SERVER.md, "Photos").
          if (lanes.length < PHOTOS_IN_FLIGHT && this.now() - started <= GOOD_LINK_MS) lanes.push(lane());
        }
      }
    };
    lanes.push(lane());
    for (let i = 0; i < lanes.length; i++) await lanes[i];
    this.cell.set({ current: null, done: 0, total: 0 });
  }

  /** The oldest row that may be tried now (the queue holds few open rows: read them all). */
  private async nextDue(force: boolean, tried: ReadonlySet<string>, inFlight: ReadonlySet<string>): Promise<UploadRow | undefined> {
    const now = this.now();
    const open = await this.openRows();
    return open
      .filter((row) => !inFlight.has(row.sha256) && (row.nextAttemptAt <= now || (force && !tried.has(row.sha256)))).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || (a.sha256 < b.sha256 ? -1 : 1))[0];
  }

  /** Rows the queue will still try by itself: waiting or failed, not rejected. */
  private async openRows(): Promise<UploadRow[]> {
    return (await this.options.db.uploads.where('state').anyOf(['queued', 'failed']).toArray()).filter((row) => !row.rejection);
  }

  private async upload(row: UploadRow, token: string): Promise<'done' | 'retry' | 'offline' | 'unauthenticated'> {
    const { db, api } = this.options;
    await db.uploads.update(row.sha256, { state: 'uploading' });
    try {
      if (row.attempts === 0 || !(await api.hasPhoto(token, row.sha256))) {
        const photo = await db.photos.get(row.sha256);
        if (!photo) {
          await this.fail(row, 'the photo is no longer on this device', MAX_BACKOFF_MS);
          return 'retry';
        }
        const reply = await api.putPhoto(token, row.sha256, photo.blob, photo.mime);
        if (reply.sha256 !== row.sha256 || reply.size !== photo.blob.size) throw new ApiError(0, 'not_confirmed', 'the server did not confirm the photo');
      }
      await db.uploads.update(row.sha256, { state: 'done', lastError: null });
      return 'done';
    } catch (error) {
      const apiError = error instanceof ApiError ? error : null;
      if (apiError && isPermanentRejection(apiError)) {
        await this.reject(row, apiError);
        return 'retry';
      }
      await this.fail(row, error instanceof Error ? error.message : String(error));
      if (apiError?.unauthenticated) return 'unauthenticated';
      return apiError?.offline ? 'offline' : 'retry';
    }
  }

  private async fail(row: UploadRow, message: string, wait?: number): Promise<void> {
    const attempts = row.attempts + 1;
    await this.options.db.uploads.update(row.sha256, { state: 'failed', attempts, nextAttemptAt: this.now() + (wait ?? backoffMs(attempts)), lastError: message });
  }

  private async reject(row: UploadRow, error: ApiError): Promise<void> {
    const rejection: UploadRejection = { status: error.status, code: error.code, reason: error.message, at: this.now() };
    await this.options.db.uploads.update(row.sha256, { state: 'failed', attempts: row.attempts + 1, lastError: error.message, rejection });
  }

  /** Sleep until the earliest backoff ends. */
  private async schedule(): Promise<void> {
    if (this.stopped || !this.options.token()) return;
    const next = await this.openRows();
    if (next.length === 0 || this.stopped || this.running) return;
    const at = Math.min(...next.map((row) => row.nextAttemptAt));
    this.clearTimer();
    this.timer = setTimeout(() => void this.kick(), Math.max(0, at - this.now()));
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
