/**
 * Live index docs in generations (docs/SERVER.md, "Index docs in generations"; bench/README.md, "Index docs in
 * generations"). A summary rewritten in a live index doc leaves its old item behind as a tombstone (Yjs keeps
 * deleted items so that concurrent writers converge), ≈ 9 bytes a rewrite for ever: a street's doc grew to
 * megabytes while listing a few hundred orders, and every device's first sync and every load paid for it. Yjs
 * cannot drop that history in place (a device holding the old items would merge them back), so once a live index
 * doc's stored state passes `rolloverThreshold`, the server starts a new doc, the next generation, from the current
 * summaries; the old one names its successor in its meta map and takes no further writes.
 *
 * Here: the record of each live index's current generation (the store's, a compare-and-set, so that two
 * instances never both roll a doc over), read once per base name and then kept for the writes; an instance that
 * did not roll a doc over learns of it from the successor key in the doc it was about to write (IndexWrites). The
 * read paths (the bulk read, the reports) read the record again on each request (`refresh`): an instance that
 * writes nothing to an index would otherwise never learn that another one rolled it over.
 */
import * as Y from 'yjs';
import { INDEX_META_MAP, INDEX_ORDERS_MAP, indexGenerationDocName, liveIndexGeneration, NEXT_GENERATION_KEY } from '#shared/sync/doc-names.ts';
import type { DeletedDocs, Store } from '../store/store.ts';

/**
 * A live index doc is rolled over once its stored state is this many times its live entries' own size (bench/README.md,
 * "Index docs in generations": 2 against 4 measured over a simulated year).
 */
export const ROLLOVER_FACTOR = 2;

/**
 * Past how many stored bytes a live index doc whose entries alone take `liveBytes` is rolled over: never below
 * `minBytes` (a small doc's history costs little, and each rollover costs every device of the unit one download of
 * the new generation and a rewrite of its rows), and not before its history is `factor - 1` times its entries (a
 * device's download of a live index is then at most ≈ `factor` times what it lists, and a rollover — one download of
 * the entries for each device — comes once per `factor - 1` times the entries' size of history).
 */
export function rolloverThreshold(liveBytes: number, minBytes: number, factor = ROLLOVER_FACTOR): number {
  return Math.max(minBytes, factor * liveBytes);
}

/** The bytes the entries of an index doc take on their own (each summary as Yjs encodes a map value; keys beside). */
export function liveEntryBytes(doc: Y.Doc): number {
  let bytes = 0;
  for (const [key, value] of doc.getMap<unknown>(INDEX_ORDERS_MAP)) bytes += key.length + JSON.stringify(value).length;
  return bytes;
}

/** The generation that replaced this one, as its meta map names it; null while it is current. */
export function successorOf(doc: Y.Doc): string | null {
  const next = doc.getMap<unknown>(INDEX_META_MAP).get(NEXT_GENERATION_KEY);
  return typeof next === 'string' && liveIndexGeneration(next) !== null ? next : null;
}

/** Each live index's current generation, as the store records it; read once per base name, then kept and moved forward. */
export class IndexGenerations {
  private readonly known = new Map<string, number>();
  private readonly reading = new Map<string, Promise<number>>();

  constructor(private readonly store: Pick<Store, 'indexGenerations' | 'advanceIndexGeneration'>) {}

  /**
   * The name of the current generation of the live index doc `name` (a base name or any generation of it); any
   * other name (an order's, an archive's) as it is.
   */
  async currentName(name: string): Promise<string> {
    const live = liveIndexGeneration(name);
    if (live === null) return name;
    const generation = Math.max(live.generation, await this.current(live.base));
    return indexGenerationDocName(live.base, generation);
  }

  /** The current generation of the live index `base`. */
  async current(base: string): Promise<number> {
    const known = this.known.get(base);
    if (known !== undefined) return known;
    let reading = this.reading.get(base);
    if (!reading) {
      reading = this.store.indexGenerations([base]).then(
        (found) => {
          this.reading.delete(base);
          const generation = Math.max(found.get(base) ?? 0, this.known.get(base) ?? 0);
          this.known.set(base, generation);
          return generation;
        },
        (error: unknown) => {
          this.reading.delete(base);
          throw error;
        },
      );
      this.reading.set(base, reading);
    }
    return reading;
  }

  /**
   * The store's record of these live indexes (base names) read again, in one statement, and learnt: what the read
   * paths name must be the current generation even when another instance rolled the index over and no write of
   * this one has met the successor key since (writes need not: a write to a superseded generation is redirected).
   */
  async refresh(bases: readonly string[]): Promise<void> {
    if (bases.length === 0) return;
    const found = await this.store.indexGenerations(bases);
    for (const base of bases) this.known.set(base, Math.max(found.get(base) ?? 0, this.known.get(base) ?? 0));
  }

  /** A generation seen (a successor key in a doc): the record only moves forward. */
  learn(name: string): void {
    const live = liveIndexGeneration(name);
    if (live === null) return;
    if (live.generation > (this.known.get(live.base) ?? 0)) this.known.set(live.base, live.generation);
  }

  /**
   * For a live index generation loaded with nothing stored: the current generation's name when this one is below it
   * (a superseded generation deleted at a later rollover, `Indexer.pruneBehind`, or by `pruneSupersededGenerations`),
   * else null. The record is read again: an
   * instance that has written nothing to this index since another rolled it over would otherwise not know.
   */
  async successorOfDeleted(name: string): Promise<string | null> {
    const live = liveIndexGeneration(name);
    if (live === null) return null;
    await this.refresh([live.base]);
    const current = this.known.get(live.base) ?? 0;
    return live.generation < current ? indexGenerationDocName(live.base, current) : null;
  }

  /**
   * Records `from + 1` as the current generation of `base` if `from` is the store's current one (this instance then
   * `learn`s it once the new generation is filled). False when another instance moved it first: its generation is
   * read again.
   */
  async advance(base: string, from: number): Promise<boolean> {
    if (await this.store.advanceIndexGeneration(base, from)) return true;
    this.known.delete(base);
    await this.current(base);
    return false;
  }
}

/** Names deleted per transaction by `pruneSupersededGenerations`. */
const PRUNE_BATCH = 500;

/** What `pruneSupersededGenerations` did. */
export interface PruneReport extends DeletedDocs {
  /** Live indexes that had generations to delete. */
  readonly indexes: number;
}

/**
 * Deletes every live index generation below the one before the current one (docs/SERVER.md, "Index docs in
 * generations", *Pruning*). The one before stays: an instance that has not yet learnt of the last rollover may still
 * write to it, and that write is carried over from it (`carryOver`), and a generation the record names before it is
 * filled is filled from it (`repair`). A device that still holds a deleted generation is sent, when it opens it, the
 * current generation's name and nothing else (`DurableLog`'s load, `successorOfDeleted`).
 */
export async function pruneSupersededGenerations(store: Pick<Store, 'listIndexGenerations' | 'deleteDocs'>): Promise<PruneReport> {
  let indexes = 0;
  let docs = 0;
  let bytes = 0;
  for (const [base, current] of await store.listIndexGenerations()) {
    const names = Array.from({ length: Math.max(0, current - 1) }, (_, generation) => indexGenerationDocName(base, generation));
    if (names.length === 0) continue;
    let deletedHere = 0;
    for (let start = 0; start < names.length; start += PRUNE_BATCH) {
      const deleted = await store.deleteDocs(names.slice(start, start + PRUNE_BATCH));
      deletedHere += deleted.docs;
      bytes += deleted.bytes;
    }
    docs += deletedHere;
    if (deletedHere > 0) indexes += 1;
  }
  return { indexes, docs, bytes };
}
