/**
 * Whether a failed write means "this phone's storage is full", and which kind.
 * What Chromium really throws (tests/e2e/pwa/quota.e2e.ts):
 * - 'quota': the origin reaches its quota (about 60% of the disk the profile
 *   is on): `QuotaExceededError`, from Dexie either as is or as the `inner` of
 *   an `AbortError` when the transaction aborted. Nothing saved is at risk.
 * - 'disk': the disk itself is full (other apps filled it) and LevelDB cannot
 *   append: `UnknownError` "Connection is closing because of: IO error: …
 *   FILE_ERROR_NO_SPACE", on the next open "Encountered full disk while
 *   opening backing store", and for a Blob `DataError` "Failed to write
 *   blobs". Chromium may then delete the origin's whole storage (pwa/README.md
 *   "Known limits"): unsynced work is at risk and the user must be told so.
 */
interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly inner?: unknown;
}

export type StorageFullKind = 'quota' | 'disk';

const DISK_FULL = /FILE_ERROR_NO_SPACE|full disk|No space left|Failed to write blobs?/i;

export function storageFullKind(error: unknown): StorageFullKind | null {
  let kind: StorageFullKind | null = null;
  let current: unknown = error;
  // Dexie wraps the browser's error in `inner`, sometimes twice (AbortError around a DatabaseClosedError).
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { name, message, inner } = current as ErrorLike;
    // The disk outranks the quota anywhere in the chain: it is the one that can cost saved work.
    if (typeof message === 'string' && DISK_FULL.test(message)) return 'disk';
    if (name === 'QuotaExceededError') kind = 'quota';
    current = inner;
  }
  return kind;
}
