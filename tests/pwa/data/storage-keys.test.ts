/**
 * What the PWA keeps outside the shared database, and what leaves with the
 * user: the close draft (the citizen's contact number) among it; the device's
 * language and the storage-wipe marker stay.
 */
import { describe, expect, it } from 'vitest';
import { WIPE_MARKER_KEY } from '#shared/client/storage-wipe.ts';
import { STORED_KEYS, closeDraftKey, forgetStoredKeys, readIndexUnits, writeIndexUnits } from '#pwa/src/data/storage-keys.ts';

/** Web Storage over a Map, in the order keys were set. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  keys(): string[] {
    return [...this.items.keys()];
  }
}

describe('forgetStoredKeys', () => {
  it('removes every close draft and the user’s other keys, and keeps the device’s language and the wipe marker', () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage();
    local.setItem(closeDraftKey('o-1'), JSON.stringify({ number: '13800001234' }));
    local.setItem(closeDraftKey('o-2'), JSON.stringify({ number: '13900005678' }));
    local.setItem(STORED_KEYS.indexUnits.key, '{"unitId":"d1","units":["d1-s1"]}');
    local.setItem(STORED_KEYS.legacyIndexUnits.key, '{"unitId":"d1","grids":["d1-s1"]}');
    local.setItem(STORED_KEYS.legacyPrefetched.key, '["o-1"]');
    local.setItem(STORED_KEYS.demo.key, '{"now":1,"count":200}');
    local.setItem(STORED_KEYS.locale.key, 'en');
    local.setItem(WIPE_MARKER_KEY, '{"userId":"grid1"}');
    local.setItem('another-app.setting', 'x');
    session.setItem(STORED_KEYS.inboxTab.key, 'doing');
    session.setItem(STORED_KEYS.closedReloadAt.key, '123');

    forgetStoredKeys({ local, session });

    expect(local.keys().sort()).toEqual([STORED_KEYS.locale.key, WIPE_MARKER_KEY, 'another-app.setting'].sort());
    expect(session.keys()).toEqual([STORED_KEYS.closedReloadAt.key]);
  });

  it('names every draft under the one prefix it clears', () => {
    expect(closeDraftKey('o-250912101108115409').startsWith(STORED_KEYS.closeDraft.key)).toBe(true);
  });
});

describe('the units whose index docs a user reads', () => {
  it('moves a value under the legacy key to the current one, nothing lost, and reads it back', () => {
    const local = new MemoryStorage();
    local.setItem(STORED_KEYS.legacyIndexUnits.key, '{"unitId":"d1","grids":["d1-s1","d1-s2"]}');
    expect(readIndexUnits(local, 'd1')).toEqual(['d1-s1', 'd1-s2']);
    expect(local.keys()).toEqual([STORED_KEYS.indexUnits.key]);
    expect(readIndexUnits(local, 'd1')).toEqual(['d1-s1', 'd1-s2']);
  });

  it('keeps what was stored under the current key over a legacy leftover, and drops the leftover', () => {
    const local = new MemoryStorage();
    writeIndexUnits(local, 'd1', ['d1-s3']);
    local.setItem(STORED_KEYS.legacyIndexUnits.key, '{"unitId":"d1","grids":["d1-s1"]}');
    expect(readIndexUnits(local, 'd1')).toEqual(['d1-s3']);
    expect(local.keys()).toEqual([STORED_KEYS.indexUnits.key]);
  });

  it('reads nothing stored for another unit, nor a damaged value', () => {
    const local = new MemoryStorage();
    writeIndexUnits(local, 'd1', ['d1-s1']);
    expect(readIndexUnits(local, 'd2')).toEqual([]);
    local.setItem(STORED_KEYS.indexUnits.key, '{"unitId":"d1","units":[1]}');
    expect(readIndexUnits(local, 'd1')).toEqual([]);
    local.setItem(STORED_KEYS.indexUnits.key, 'not json');
    expect(readIndexUnits(local, 'd1')).toEqual([]);
  });
});
