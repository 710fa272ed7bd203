/**
 * Storage health, for /healthz and the logs: whether the database and the
 * photo folder take writes, how much room is left, the last write that
 * failed, and whether anything stored turned out unreadable (corruption).
 *
 * Every Store call goes through `monitorStore`, which files storage errors
 * (disk full, I/O, corruption, a lost connection — not a duplicate order
 * number) under the database; the photo store files its own. /healthz adds a
 * live probe: a one-row write to the database and a small fsynced file in the
 * photo folder, at most every PROBE_EVERY_MS, and the free space of both
 * folders.
 */
import { randomBytes } from 'node:crypto';
import { open, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, log } from '../log.ts';
import type { Store } from './store.ts';

export type StorageTarget = 'database' | 'photos';

export interface StorageEvent {
  readonly at: number;
  readonly message: string;
  readonly code: string | null;
}

interface TargetState {
  lastWriteOk: number | null;
  lastWriteError: StorageEvent | null;
}

/** What went wrong reading stored data, kept for /healthz. */
export interface Corruption extends StorageEvent {
  /** The document or file that could not be read, when known. */
  readonly what: string | null;
}

const PROBE_EVERY_MS = 2000;
const PROBE_TIMEOUT_MS = 5000;

/** SQLite and PostgreSQL error codes that mean the storage failed, not the request. */
const STORAGE_ERROR = /^(SQLITE_(FULL|IOERR|CORRUPT|NOTADB|READONLY|CANTOPEN|PROTOCOL|NOMEM)|ENOSPC|EIO|EROFS|EDQUOT|ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P0[1-3]|53\d{3}|58\d{3}|XX\d{3}|08\d{3})/;
const CORRUPTION = /^(SQLITE_(CORRUPT|NOTADB)|XX001|XX002)/;

export function errorCode(error: unknown): string | null {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : null;
}

export function isStorageError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== null && STORAGE_ERROR.test(code);
}

export class StorageHealth {
  private readonly targets: Record<StorageTarget, TargetState> = {
    database: { lastWriteOk: null, lastWriteError: null },
    photos: { lastWriteOk: null, lastWriteError: null },
  };
  private corrupt: Corruption | null = null;
  private lastReadError: StorageEvent | null = null;
  private unreadable = 0;

  writeOk(target: StorageTarget): void {
    this.targets[target].lastWriteOk = Date.now();
  }

  writeFailed(target: StorageTarget, error: unknown): void {
    const event = eventOf(error);
    const state = this.targets[target];
    // One log line per failing spell, not per write.
    if (!state.lastWriteError || (state.lastWriteOk ?? 0) > state.lastWriteError.at) log.error('storage_write_failed', { target, code: event.code, error: event.message });
    state.lastWriteError = event;
    if (CORRUPTION.test(event.code ?? '')) this.markCorrupt(null, error);
  }

  readFailed(error: unknown): void {
    this.lastReadError = eventOf(error);
    if (CORRUPTION.test(this.lastReadError.code ?? '')) this.markCorrupt(null, error);
  }

  /** Stored data that cannot be read: the store is damaged. Stays until restart (after a restore). */
  markCorrupt(what: string | null, error: unknown): void {
    this.unreadable += 1;
    const event = eventOf(error);
    if (!this.corrupt) log.error('storage_corrupt', { what, code: event.code, error: event.message });
    this.corrupt = { ...event, what };
  }

  /** Whether writes to the target are failing now: its last write failed, and none succeeded since. */
  failing(target: StorageTarget): boolean {
    const state = this.targets[target];
    return state.lastWriteError !== null && (state.lastWriteOk ?? 0) < state.lastWriteError.at;
  }

  snapshot(): {
    corrupt: Corruption | null;
    unreadable: number;
    lastReadError: StorageEvent | null;
    targets: Readonly<Record<StorageTarget, Readonly<TargetState>>>;
  } {
    return { corrupt: this.corrupt, unreadable: this.unreadable, lastReadError: this.lastReadError, targets: this.targets };
  }
}

function eventOf(error: unknown): StorageEvent {
  // Paths stay in the log, not in /healthz, which anyone can read.
  return { at: Date.now(), code: errorCode(error), message: errorMessage(error).replace(/'\/[^']*'/g, "'…'") };
}

/** Methods that write: their outcome says whether the database takes writes. */
const WRITES = new Set([
  'appendUpdate',
  'createOrder',
  'compactDoc',
  'claimClients',
  'upsertUnits',
  'upsertUsers',
  'setUserPassword',
  'setUserDisabled',
  'createSession',
  'extendSession',
  'deleteSession',
  'deleteExpiredSessions',
  'saveOrder',
  'addPhotoRefs',
  'putPhoto',
  'recordUpload',
  'probeWrite',
]);

/**
 * The store, with every call's storage errors filed in `health` (and writes'
 * successes, so a recovered disk clears the failure). Errors are re-thrown
 * unchanged.
 */
export function monitorStore(store: Store, health: StorageHealth): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'close') return value;
      const write = WRITES.has(property);
      return (...args: unknown[]) => {
        const result: unknown = Reflect.apply(value, target, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          (outcome: unknown) => {
            if (write) health.writeOk('database');
            return outcome;
          },
          (error: unknown) => {
            if (isStorageError(error)) {
              if (write) health.writeFailed('database', error);
              else health.readFailed(error);
            }
            throw error;
          },
        );
      };
    },
  });
}

export interface FolderSpace {
  readonly path: string;
  readonly freeBytes: number | null;
}

export async function freeSpace(path: string): Promise<number | null> {
  try {
    const stats = await statfs(path);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** Write, fsync and remove a small file: does the folder take writes? */
export async function probeFolder(dir: string): Promise<void> {
  const file = join(dir, `.health-${randomBytes(6).toString('hex')}`);
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile('ok');
    await handle.sync();
  } finally {
    await handle.close();
    await unlink(file).catch(() => undefined);
  }
}

export interface StorageReport {
  readonly ok: boolean;
  readonly problems: string[];
  readonly writable: { readonly database: boolean; readonly photos: boolean };
  readonly freeBytes: { readonly database: number | null; readonly photos: number | null };
  readonly minFreeBytes: number;
  readonly lastWriteError: { readonly database: StorageEvent | null; readonly photos: StorageEvent | null };
  readonly lastReadError: StorageEvent | null;
  readonly corrupt: Corruption | null;
}

/**
 * Probes the storage (at most every 2 s; concurrent callers share a probe, so
 * a flood of /healthz requests does not become a flood of fsyncs) and reports.
 */
export class StorageProbe {
  private last: { at: number; database: boolean; photos: boolean } | null = null;
  private running: Promise<{ database: boolean; photos: boolean }> | null = null;

  constructor(
    private readonly options: {
      readonly store: Store;
      readonly health: StorageHealth;
      /** The SQLite data folder, or null for PostgreSQL (its free space is not ours to see). */
      readonly dataDir: string | null;
      readonly photoDir: string;
      readonly minFreeBytes: number;
    },
  ) {}

  async report(): Promise<StorageReport> {
    const { health, dataDir, photoDir, minFreeBytes } = this.options;
    const probed = await this.probe();
    const [databaseFree, photosFree] = await Promise.all([dataDir === null ? null : freeSpace(dataDir), freeSpace(photoDir)]);
    const state = health.snapshot();
    const problems: string[] = [];
    if (state.corrupt) problems.push(`stored data cannot be read (${state.corrupt.what ?? state.corrupt.code ?? 'corrupt'}): restore from a backup, see docs/SERVER.md`);
    if (!probed.database) problems.push('the database does not take writes');
    if (!probed.photos) problems.push('the photo folder does not take writes');
    if (health.failing('database')) problems.push(`the last database write failed: ${state.targets.database.lastWriteError?.message ?? ''}`);
    if (health.failing('photos')) problems.push(`the last photo write failed: ${state.targets.photos.lastWriteError?.message ?? ''}`);
    if (databaseFree !== null && databaseFree < minFreeBytes) problems.push(`free space in the data folder is below ${minFreeBytes} bytes (${databaseFree} left)`);
    if (photosFree !== null && photosFree < minFreeBytes) problems.push(`free space in the photo folder is below ${minFreeBytes} bytes (${photosFree} left)`);
    return {
      ok: problems.length === 0,
      problems,
      writable: { database: probed.database, photos: probed.photos },
      freeBytes: { database: databaseFree, photos: photosFree },
      minFreeBytes,
      lastWriteError: { database: state.targets.database.lastWriteError, photos: state.targets.photos.lastWriteError },
      lastReadError: state.lastReadError,
      corrupt: state.corrupt,
    };
  }

  private async probe(): Promise<{ database: boolean; photos: boolean }> {
    if (this.last && Date.now() - this.last.at < PROBE_EVERY_MS) return this.last;
    this.running ??= (async () => {
      const { store, health, photoDir } = this.options;
      const [database, photos] = await Promise.all([
        withTimeout(store.probeWrite()).then(
          () => true,
          () => false,
        ),
        withTimeout(probeFolder(photoDir)).then(
          () => {
            health.writeOk('photos');
            return true;
          },
          (error: unknown) => {
            health.writeFailed('photos', error);
            return false;
          },
        ),
      ]);
      this.last = { at: Date.now(), database, photos };
      return this.last;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' })), PROBE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
