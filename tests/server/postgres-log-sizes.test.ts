/**
 * The PostgreSQL store decides whether a doc's log is worth folding from what it knows (`LogSizes`)
 * and reads the sizes only when its own count says it may be, or when what it read is a minute old:
 * another instance's appends are folded at the latest then, and never lost. Two stores on one
 * cluster stand for two instances; the clock is pinned.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_SIZES_FRESH_MS } from '#server/store/log-sizes.ts';
import { PostgresStore } from '#server/store/postgres.ts';
import { mergeState } from '#server/sync/merge-state.ts';
import { missingBinaries, startPostgres, type Service } from './support/services.ts';
import { entry, foldFrom } from './support/fold-checks.ts';

const DOC = 'order:o-sizes';
const missing = missingBinaries();


describe.skipIf(missing !== null)('a PostgreSQL instance’s size checks before a fold', () => {
  let postgres: Service;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  afterAll(() => postgres?.stop());

  it('reads sizes only when its own appends since the last read or load may make a fold worth it, or a minute after', async () => {
    let now = 0;
    const here = await PostgresStore.open(postgres.url, { now: () => now });
    const other = await PostgresStore.open(postgres.url);
    const { asked, worthIt } = foldFrom(3);
    try {
      await here.appendUpdate(DOC, entry('a'));
      expect(await here.compactDoc(DOC, mergeState, worthIt)).toBe(0);
      expect(asked.at(-1)).toMatchObject({ logEntries: 1 });

      // Another instance's appends are not seen within the minute: the fold waits for them.
      for (const key of ['b', 'c', 'd']) await other.appendUpdate(DOC, entry(key));
      expect(await here.compactDoc(DOC, mergeState, worthIt)).toBe(0);
      expect(asked.at(-1)).toMatchObject({ logEntries: 1 });

      // A minute on, the sizes are read again, and the whole log is folded.
      now += LOG_SIZES_FRESH_MS;
      expect(await here.compactDoc(DOC, mergeState, worthIt)).toBe(4);

      // Its own appends count at once: the third since the last read makes the fold worth it.
      await here.appendUpdate(DOC, entry('e'));
      expect(await here.compactDoc(DOC, mergeState, worthIt)).toBe(0);
      await here.appendUpdate(DOC, [entry('f'), entry('g')]);
      expect(await here.compactDoc(DOC, mergeState, worthIt)).toBe(3);

      // A load tells it the sizes as well.
      await other.appendUpdate(DOC, entry('h'));
      await here.loadDoc(DOC);
      for (const key of ['i', 'j']) await other.appendUpdate(DOC, entry(key));
      expect(await here.compactDoc(DOC, mergeState, worthIt)).toBe(0);
      expect(asked.at(-1)).toMatchObject({ logEntries: 1 });
      now += LOG_SIZES_FRESH_MS;
      expect(await here.compactDoc(DOC, mergeState, worthIt)).toBe(3);

      const folded = new Y.Doc();
      Y.applyUpdate(folded, mergeState(await other.loadDoc(DOC)));
      expect([...folded.getMap('m').keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
      expect((await other.loadDoc(DOC)).updates).toHaveLength(0);
    } finally {
      await here.close();
      await other.close();
    }
  }, 60_000);
});
