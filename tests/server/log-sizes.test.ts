/**
 * The PostgreSQL store's own count of each doc's log between size reads (server/store/log-sizes.ts):
 * the last read plus this instance's appends, until it is `freshMs` old or the log was folded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { LogSizes } from '#server/store/log-sizes.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { mergeState } from '#server/sync/merge-state.ts';
import { countStatements } from './support/statements.ts';
import { entry, foldFrom } from './support/fold-checks.ts';

describe('LogSizes', () => {
  it('knows nothing of a doc whose sizes it never read, whatever was appended', () => {
    const sizes = new LogSizes(() => 0, 1000);
    sizes.appended('order:a', 2, 100);
    expect(sizes.known('order:a')).toBeUndefined();
  });

  it('adds this instance’s appends to the sizes read, until they are freshMs old', () => {
    let now = 0;
    const sizes = new LogSizes(() => now, 1000);
    sizes.read('order:a', { snapshotBytes: 500, logEntries: 3, logBytes: 90 });
    sizes.appended('order:a', 2, 40);
    sizes.appended('order:b', 1, 10);
    now = 999;
    expect(sizes.known('order:a')).toEqual({ snapshotBytes: 500, logEntries: 5, logBytes: 130 });
    expect(sizes.known('order:b')).toBeUndefined();
    now = 1000;
    expect(sizes.known('order:a')).toBeUndefined();
  });

  it('forgets a folded doc, and the least recently read beyond its bound', () => {
    const sizes = new LogSizes(() => 0, 1000, 2);
    const stats = { snapshotBytes: 0, logEntries: 1, logBytes: 1 };
    sizes.read('a', stats);
    sizes.read('b', stats);
    sizes.read('a', stats);
    sizes.read('c', stats);
    expect([sizes.known('a'), sizes.known('b'), sizes.known('c')]).toEqual([stats, undefined, stats]);
    sizes.forget('a');
    expect(sizes.known('a')).toBeUndefined();
  });
});

describe('the SQLite store’s size checks before a fold (LogSizes, never stale: one writer)', () => {
  // Hocuspocus stores an order doc about once per update under load: each was a size query (bench/README.md,
  // "Fan-out, part 7"). Counted on the store's own statements.
  it('reads no size for a doc whose log it knows to be short, and folds once its own appends make it worth it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lianxin-sizes-'));
    const store = new SqliteStore(join(dir, 'lianxin.sqlite'));
    const sizeReads = countStatements(store, 'SELECT COUNT(*) AS n, COALESCE(SUM(length(data)), 0)');
    const { asked, worthIt } = foldFrom(3);
    try {
      await store.appendUpdate(DOC, entry('a'));
      expect(await store.compactDoc(DOC, mergeState, worthIt)).toBe(0);
      expect(sizeReads()).toBe(1);
      await store.appendUpdate(DOC, entry('b'));
      expect(await store.compactDoc(DOC, mergeState, worthIt)).toBe(0);
      expect(await store.compactDoc(DOC, mergeState, worthIt)).toBe(0);
      expect(sizeReads()).toBe(1);
      expect(asked.at(-1)).toMatchObject({ logEntries: 2 });
      await store.appendUpdate(DOC, entry('c'));
      expect(await store.compactDoc(DOC, mergeState, worthIt)).toBe(3);
      expect(sizeReads()).toBe(2);

      // After a fold the sizes are read again once; a load tells them as well.
      await store.appendUpdate(DOC, entry('d'));
      expect(await store.compactDoc(DOC, mergeState, worthIt)).toBe(0);
      expect(sizeReads()).toBe(3);
      await store.loadDoc(OTHER);
      await store.appendUpdates([{ name: OTHER, update: entry('e') }]);
      expect(await store.compactDoc(OTHER, mergeState, worthIt)).toBe(0);
      expect(sizeReads()).toBe(3);
      expect(asked.at(-1)).toMatchObject({ logEntries: 1 });

      const folded = new Y.Doc();
      Y.applyUpdate(folded, mergeState(await store.loadDoc(DOC)));
      expect([...folded.getMap('m').keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const DOC = 'order:o-sizes';
const OTHER = 'order:o-other';

