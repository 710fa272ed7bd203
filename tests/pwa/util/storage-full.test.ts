import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { storageFullKind } from '#pwa/src/util/storage-full.ts';

// The messages are Chromium's own, as seen in tests/e2e/pwa/quota.e2e.ts.
const NO_SPACE =
  'Connection is closing because of: IO error: .../http_127.0.0.1_36871.indexeddb.leveldb/000004.log: FILE_ERROR_NO_SPACE (ChromeMethodBFE: 3::WritableFileAppend::8)';

describe('storageFullKind', () => {
  it("calls the origin's quota refusal 'quota' (saved work is safe), bare and as Dexie reports it", () => {
    const quota = new DOMException('', 'QuotaExceededError');
    expect(storageFullKind(quota)).toBe('quota');
    expect(storageFullKind(new Dexie.QuotaExceededError(quota))).toBe('quota');
    expect(storageFullKind(new Dexie.AbortError('Transaction aborted', quota))).toBe('quota');
  });

  it("calls a full disk under LevelDB 'disk' (Chromium may then delete the origin's data), which Chromium reports as UnknownError", () => {
    const noSpace = new DOMException(NO_SPACE, 'UnknownError');
    expect(storageFullKind(noSpace)).toBe('disk');
    expect(storageFullKind(new Dexie.AbortError('Transaction aborted', new Dexie.UnknownError(NO_SPACE, noSpace)))).toBe('disk');
    expect(storageFullKind(new DOMException('Encountered full disk while opening backing store for indexedDB.open.', 'UnknownError'))).toBe('disk');
  });

  it("calls a Blob that cannot be written on a full disk 'disk'", () => {
    expect(storageFullKind(new Dexie.DataError('Failed to write blobs (IndexedDB)', new DOMException('Failed to write blobs (IndexedDB)', 'DataError')))).toBe('disk');
  });

  it('lets the disk outrank a quota error in the same chain', () => {
    const noSpace = new DOMException(NO_SPACE, 'UnknownError');
    expect(storageFullKind(new Dexie.QuotaExceededError(noSpace))).toBe('disk');
  });

  it('does not call other failures storage full', () => {
    expect(storageFullKind(new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError'))).toBeNull();
    expect(storageFullKind(new Dexie.ConstraintError('Key already exists'))).toBeNull();
    expect(storageFullKind(new Error('network down'))).toBeNull();
    expect(storageFullKind(null)).toBeNull();
    expect(storageFullKind('QuotaExceededError')).toBeNull();
  });
});
