/**
 * Order docs downloaded in bulk and not opened yet (issue 18, first sync).
 *
 * A new device's first sync brings every open order's doc (500 for a street
 * clerk) through the bulk read. Decoding each into a Y.Doc and writing it to
 * its own y-indexeddb database (one database per order: an open, a version
 * change, a transaction each) is most of a first sync's device time; the user
 * needs neither before opening the order. So the bytes are stored as the
 * server sent them, all in one transaction (`storeDocSeeds`): once that
 * resolves they are on disk (the database's durability is 'strict'), and the
 * order, listed by its index row, opens offline.
 *
 * Opening the order absorbs its seed (`absorbDocSeed`, called by `OrderDocs`
 * before anything reads the doc): the update is applied to the doc loaded from
 * its own store, and what the doc then holds is validated where it is read
 * (`readIntake`, `readEvents`), as for any doc from the server. The seed is
 * deleted on an open that finds it already in the doc's store: y-indexeddb
 * says nothing when its write reached the disk, so the first open keeps the
 * seed and the next one, which reads the store back, drops it.
 */
import * as Y from 'yjs';
import type { LianxinDb } from './db.ts';

/** Transaction origin of a stored seed applied to its doc. */
export const STORED_ORIGIN = 'lianxin:stored';

/** An update of a doc with nothing in it: `encodeStateAsUpdate(new Y.Doc())` is two zero counts. */
const EMPTY_UPDATE_LENGTH = 2;

/**
 * Store these docs' states as they arrived, in one transaction; resolves once
 * committed. Empty states (a name the server knows nothing in) are not stored.
 * Returns the names stored.
 */
export async function storeDocSeeds(db: LianxinDb, docs: readonly { readonly name: string; readonly update: Uint8Array }[], now: number): Promise<string[]> {
  const rows = docs.filter((doc) => doc.update.length > EMPTY_UPDATE_LENGTH).map(({ name, update }) => ({ name, update, at: now }));
  if (rows.length > 0) await db.docSeeds.bulkPut(rows);
  return rows.map((row) => row.name);
}

/**
 * Apply the stored seed of this doc, if any, to the doc just loaded from its
 * own store; the seed is dropped when it brought nothing new (already stored)
 * or cannot be read (the server's copy then comes with the doc's sync).
 * Returns whether the doc changed.
 */
export async function absorbDocSeed(db: LianxinDb, name: string, doc: Y.Doc): Promise<boolean> {
  const seed = await db.docSeeds.get(name);
  if (!seed) return false;
  let changed = false;
  const onUpdate = () => {
    changed = true;
  };
  doc.on('update', onUpdate);
  let readable = true;
  try {
    Y.applyUpdate(doc, seed.update, STORED_ORIGIN);
  } catch {
    readable = false;
  } finally {
    doc.off('update', onUpdate);
  }
  if (!changed || !readable) await db.docSeeds.delete(name);
  return changed;
}

/** Forget the seeds of these docs (the order was forgotten, or is finished). */
export async function dropDocSeeds(db: LianxinDb, names: readonly string[]): Promise<void> {
  if (names.length > 0) await db.docSeeds.bulkDelete([...names]);
}
