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
 * A download's states are one record (`docSeedPacks`), their names another
 * (`docSeedNames`, same id): IndexedDB charges per record, and 500 records of
 * ≈ 2 KB took ≈ 10× the commit of one record of the same bytes (bench/README.md,
 * "First sync, part 20"). Finding a seed reads the names rows (one per
 * download) and then its pack (≈ 1 MB: 9–11 ms in Chromium against 1–1.5 ms
 * for one doc's record), and the last pack read is kept in memory, so a run of
 * opens of one download's orders (a batch on the desk) reads it once.
 *
 * Opening the order absorbs its seed (`absorbDocSeed`, called by `OrderDocs`
 * before anything reads the doc): the update is applied to the doc loaded from
 * its own store, and what the doc then holds is validated where it is read
 * (`readIntake`, `readEvents`), as for any doc from the server. The seed is
 * dropped on an open that finds it already in the doc's store: y-indexeddb
 * says nothing when its write reached the disk, so the first open keeps the
 * seed and the next one, which reads the store back, drops it. Dropping a seed
 * writes its pack's names row without it; the pack goes with its last seed.
 * Seeds stored one per record by versions 5–6 of the app (`docSeeds`) are read
 * and dropped the same way.
 */
import * as Y from 'yjs';
import type { LianxinDb } from './db.ts';

/** Transaction origin of a stored seed applied to its doc. */
export const STORED_ORIGIN = 'lianxin:stored';

/** An update of a doc with nothing in it: `encodeStateAsUpdate(new Y.Doc())` is two zero counts. */
const EMPTY_UPDATE_LENGTH = 2;

/**
 * Store these docs' states as they arrived, as one pack, in one transaction; resolves once committed. Empty states
 * (a name the server knows nothing in) are not stored. Returns the names stored.
 */
export async function storeDocSeeds(db: LianxinDb, docs: readonly { readonly name: string; readonly update: Uint8Array }[], now: number): Promise<string[]> {
  const kept = docs.filter((doc) => doc.update.length > EMPTY_UPDATE_LENGTH);
  if (kept.length === 0) return [];
  const names = kept.map((doc) => doc.name);
  await db.transaction('rw', [db.docSeedPacks, db.docSeedNames], async () => {
    const id = await db.docSeedPacks.add({ updates: kept.map((doc) => doc.update), at: now });
    await db.docSeedNames.put({ id, names });
  });
  return names;
}

/** The names of every doc with a seed waiting. */
export async function seededDocNames(db: LianxinDb): Promise<Set<string>> {
  const [single, packs] = await Promise.all([db.docSeeds.toCollection().primaryKeys(), db.docSeedNames.toArray()]);
  const names = new Set<string>(single);
  for (const pack of packs) for (const name of pack.names) if (name !== null) names.add(name);
  return names;
}

/**
 * The last pack read, by database: a pack's updates never change once stored (only its names row does) and its id
 * is never reused, so opening the orders of one download one after another (a batch on the desk) reads it once.
 */
const lastPack = new WeakMap<LianxinDb, { readonly id: number; readonly updates: readonly Uint8Array[] }>();

async function packUpdates(db: LianxinDb, id: number): Promise<readonly Uint8Array[] | undefined> {
  const cached = lastPack.get(db);
  if (cached?.id === id) return cached.updates;
  const pack = await db.docSeedPacks.get(id);
  if (pack) lastPack.set(db, { id, updates: pack.updates });
  return pack?.updates;
}

/** Every stored state of this doc (a doc downloaded twice has two). */
async function seedsOf(db: LianxinDb, name: string): Promise<Uint8Array[]> {
  const [single, packs] = await Promise.all([db.docSeeds.get(name), db.docSeedNames.toArray()]);
  const updates = single ? [single.update] : [];
  for (const { id, names } of packs) {
    const at = names.indexOf(name);
    if (at < 0) continue;
    const update = (await packUpdates(db, id))?.[at];
    if (update) updates.push(update);
  }
  return updates;
}

/**
 * Apply the stored seed of this doc, if any, to the doc just loaded from its
 * own store; the seed is dropped when it brought nothing new (already stored)
 * or cannot be read (the server's copy then comes with the doc's sync).
 * Returns whether the doc changed.
 */
export async function absorbDocSeed(db: LianxinDb, name: string, doc: Y.Doc): Promise<boolean> {
  const seeds = await seedsOf(db, name);
  if (seeds.length === 0) return false;
  let changed = false;
  const onUpdate = () => {
    changed = true;
  };
  doc.on('update', onUpdate);
  let unreadable = 0;
  try {
    // Each on its own: a damaged one does not keep another copy (a download repeated) from being applied.
    for (const seed of seeds) {
      try {
        Y.applyUpdate(doc, seed, STORED_ORIGIN);
      } catch {
        unreadable += 1;
      }
    }
  } finally {
    doc.off('update', onUpdate);
  }
  // Kept while a readable copy brought something new: the next open, reading the doc's store back, drops them all.
  if (!changed || unreadable === seeds.length) await dropDocSeeds(db, [name]);
  return changed;
}

/** Forget the seeds of these docs (the order was forgotten, or is finished, or its seed absorbed). */
export async function dropDocSeeds(db: LianxinDb, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const dropped = new Set(names);
  await db.transaction('rw', [db.docSeeds, db.docSeedPacks, db.docSeedNames], async () => {
    await db.docSeeds.bulkDelete([...names]);
    for (const pack of await db.docSeedNames.toArray()) {
      if (!pack.names.some((name) => name !== null && dropped.has(name))) continue;
      const left = pack.names.map((name) => (name !== null && dropped.has(name) ? null : name));
      if (left.every((name) => name === null)) {
        await Promise.all([db.docSeedNames.delete(pack.id), db.docSeedPacks.delete(pack.id)]);
        if (lastPack.get(db)?.id === pack.id) lastPack.delete(db);
      }
      else await db.docSeedNames.put({ id: pack.id, names: left });
    }
  });
}
