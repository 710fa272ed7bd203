import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { isStorageFull } from '../../../pwa/src/util/storage-full.ts';

// The messages are Chromium's own, as seen in tests/e2e/pwa/quota.e2e.ts.
const NO_SPACE =
  'Connection is closing because of: IO error: .../http_127.0.0.1_36871.indexeddb.leveldb/000004.log: FILE_ERROR_NO_SPACE (ChromeMethodBFE: 3::WritableFileAppend::8)';

describe('isStorageFull', () => {
  it('recognises the quota refusal, bare and as Dexie reports it', () => {
    const quota = new DOMException('', 'QuotaExceededError');
    expect(isStorageFull(quota)).toBe(true);
    expect(isStorageFull(new Dexie.QuotaExceededError(quota))).toBe(true);
    expect(isStorageFull(new Dexie.AbortError('Transaction aborted', quota))).toBe(true);
  });

  it('recognises a full disk under LevelDB, which Chromium reports as UnknownError', () => {
    const noSpace = new DOMException(NO_SPACE, 'UnknownError');
    expect(isStorageFull(noSpace)).toBe(true);
    expect(isStorageFull(new Dexie.AbortError('Transaction aborted', new Dexie.UnknownError(NO_SPACE, noSpace)))).toBe(true);
    expect(isStorageFull(new DOMException('Encountered full disk while opening backing store for indexedDB.open.', 'UnknownError'))).toBe(true);
  });

  it('does not call other failures storage full', () => {
    expect(isStorageFull(new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError'))).toBe(false);
    expect(isStorageFull(new Dexie.ConstraintError('Key already exists'))).toBe(false);
    expect(isStorageFull(new Error('network down'))).toBe(false);
    expect(isStorageFull(null)).toBe(false);
    expect(isStorageFull('QuotaExceededError')).toBe(false);
  });
});
