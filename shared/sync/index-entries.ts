/**
 * How an instance writes an order's entry in an index doc (`grid:`, `street:`…)
 * so that, with several instances writing the same doc, every copy ends with
 * the entry derived from the most events — whatever order the writes cross in.
 *
 * Events are only ever appended to an order, so an entry's `eventCount` orders
 * two derivations of one order: the one of more events is the newer. Two rules:
 *
 * 1. never replace an entry by one of fewer events (a late run's older view);
 * 2. an instance remembers the entries it wrote, and when a change made
 *    elsewhere (relayed from another instance) leaves one of them showing
 *    fewer events than it wrote, it writes its own again. Two writes of a key
 *    that cross (neither instance had seen the other's) are kept by Yjs in its
 *    own order — the higher Yjs client id — not by which is newer; the rewrite
 *    comes after the kept one in Yjs' causal order, so it wins on every copy.
 *
 * It cannot loop: a rewrite happens only when an entry shows fewer events than
 * this instance wrote, and it writes exactly that many, so each rewrite raises
 * the entry's count on every copy and stops at the most any instance wrote
 * (tests/shared/sync/index-entries.test.ts checks this over interleavings).
 * Nothing here reads a store or waits: the rewrite is a local write.
 */
import type * as Y from 'yjs';

/** What the rules read of an entry (OrderSummary has it). */
export interface Counted {
  readonly eventCount: number;
}

/** Entries one writer wrote into one index doc's map, and the rules above. */
export class OwnEntries<T extends Counted> {
  private readonly written = new Map<string, T>();

  /** `same` tells two entries apart (a caller may cache its encoding); JSON by default. */
  constructor(private readonly same: (a: T, b: T) => boolean = (a, b) => JSON.stringify(a) === JSON.stringify(b)) {}

  /**
   * Set `orderId`'s entry to `entry` (null: remove it), in the caller's transaction,
   * unless the map's entry shows more events. True if the map changed.
   */
  set(map: Y.Map<T>, orderId: string, entry: T | null): boolean {
    if (entry === null) {
      this.written.delete(orderId);
      if (!map.has(orderId)) return false;
      map.delete(orderId);
      return true;
    }
    const current = map.get(orderId);
    // Derived from fewer events than the entry shows (another instance indexed later ones): older, not written.
    if (current !== undefined && current.eventCount > entry.eventCount) return false;
    const mine = this.written.get(orderId);
    if (mine === undefined || mine.eventCount <= entry.eventCount) this.written.set(orderId, entry);
    // Overwriting a key leaves a tombstone; writing only real changes keeps index docs small.
    if (current !== undefined && this.same(current, entry)) return false;
    map.set(orderId, entry);
    return true;
  }

  /** Of `keys`, changed elsewhere, the entries this writer wrote with more events than the map now shows. */
  lowered(map: Y.Map<T>, keys: Iterable<string>): [string, T][] {
    const again: [string, T][] = [];
    for (const orderId of keys) {
      const mine = this.written.get(orderId);
      if (mine === undefined) continue;
      const current = map.get(orderId);
      // Removed elsewhere (the order left this doc): not this writer's to bring back.
      if (current === undefined) this.written.delete(orderId);
      else if (current.eventCount < mine.eventCount) again.push([orderId, mine]);
    }
    return again;
  }

  /**
   * Watch `map` for changes made elsewhere that lower an entry this writer wrote;
   * `rewrite` is told which to write again (through `set`). Returns the unwatch.
   */
  watch(map: Y.Map<T>, rewrite: (entries: [string, T][]) => void): () => void {
    const observer = (event: Y.YMapEvent<T>) => {
      const again = this.lowered(map, event.keysChanged);
      if (again.length > 0) rewrite(again);
    };
    map.observe(observer);
    return () => map.unobserve(observer);
  }
}
