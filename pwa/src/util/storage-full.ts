/**
 * Whether a failed write means "this phone's storage is full". What Chromium
 * really throws (tests/e2e/pwa/quota.e2e.ts):
 * - the origin reaches its quota (about 60% of the disk the profile is on):
 *   `QuotaExceededError`, from Dexie either as is or as the `inner` of an
 *   `AbortError` when the transaction aborted;
 * - the disk itself is full (other apps filled it) and LevelDB cannot append:
 *   `UnknownError` "Connection is closing because of: IO error: …
 *   FILE_ERROR_NO_SPACE", and on the next open "Encountered full disk while
 *   opening backing store".
 */
interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly inner?: unknown;
}

const DISK_FULL = /FILE_ERROR_NO_SPACE|full disk|No space left/i;

export function isStorageFull(error: unknown): boolean {
  let current: unknown = error;
  // Dexie wraps the browser's error in `inner`, sometimes twice (AbortError around a DatabaseClosedError).
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { name, message, inner } = current as ErrorLike;
    if (name === 'QuotaExceededError') return true;
    if (typeof message === 'string' && DISK_FULL.test(message)) return true;
    current = inner;
  }
  return false;
}
