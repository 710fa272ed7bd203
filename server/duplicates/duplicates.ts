/**
 * The server's duplicate candidates (docs/DUPLICATES.md, "Wiring"): one
 * `DuplicateIndex` per street, in memory, over the street's orders of the
 * last 30 days, with the intakes' content and phone (which index-doc
 * summaries leave out). Kept current by the indexer (`observe` on every
 * derive, so a new status — merged, archived — counts at once) and filled at
 * start from storage (`warm`: every order doc read once, started after the
 * server listens and yielding to the event loop as it goes; only a query
 * waits for it — an intake's duplicate lookup — nothing else does). A query is a few milliseconds against a street of
 * 10,500 orders (bench/duplicates.ts).
 *
 * It also knows which orders were merged into which (`duplicatesOf`), so the
 * indexer can re-summarise a master's duplicates when the master changes.
 */
import * as Y from 'yjs';
import { buildDuplicateIndex, candidateOf, findDuplicates, probeOf, updateDuplicateIndex, WINDOW_MS, type DuplicateIndex, type DuplicateSuggestion } from '#shared/duplicates/detect.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import { deriveOrder, type OrderView } from '#shared/order/reducer.ts';
import { isOrderDocName } from '#shared/sync/doc-names.ts';
import { readEvents, readIntake, receivedAtOf } from '#shared/sync/order-doc.ts';
import type { Store } from '../store/store.ts';
import { applyStored } from '../sync/catch-up.ts';
import { errorMessage, log } from '../log.ts';

/** Orders read between two turns of the event loop while warming. */
const WARM_YIELD_EVERY = 32;

export class Duplicates {
  private readonly streets = new Map<string, DuplicateIndex>();
  /** Master order number → ids of the orders merged into it. */
  private readonly merged = new Map<string, Set<string>>();
  /** Order id → the master it was merged into, to move it when that changes. */
  private readonly masterOf = new Map<string, string>();
  private warming: Promise<void> | null = null;
  /** Per intake object observed (a loaded doc's, kept between derives), the view fields it was last observed with. */
  private readonly lastObserved = new WeakMap<OrderIntake, Pick<OrderView, 'status' | 'closedAt' | 'mergedInto'>>();

  constructor(private readonly options: { readonly store: Store; readonly now?: () => number }) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** An order's derived view, as the indexer just computed it. */
  observe(intake: OrderIntake, view: Pick<OrderView, 'status' | 'closedAt' | 'mergedInto'>): void {
    // Called again with the same intake object (a loaded doc's intake is kept between derives) and the same
    // status, it would change nothing: most events (a note, a photo) change neither.
    const last = this.lastObserved.get(intake);
    if (last && last.status === view.status && last.closedAt === view.closedAt && last.mergedInto === view.mergedInto) return;
    this.lastObserved.set(intake, { status: view.status, closedAt: view.closedAt, mergedInto: view.mergedInto });
    const master = view.status === 'merged' ? view.mergedInto : null;
    const before = this.masterOf.get(intake.id) ?? null;
    if (before !== master) {
      if (before !== null) this.merged.get(before)?.delete(intake.id);
      if (master !== null) {
        let set = this.merged.get(master);
        if (!set) this.merged.set(master, (set = new Set()));
        set.add(intake.id);
        this.masterOf.set(intake.id, master);
      } else this.masterOf.delete(intake.id);
    }
    // Older orders are no candidates (`isCandidateAt`): an index holds only what may be, so a year of orders is not kept in memory.
    if (intake.receivedAt < this.now() - WINDOW_MS) return;
    const index = this.streets.get(intake.place.streetId);
    const candidate = candidateOf(intake, view);
    if (index) updateDuplicateIndex(index, [candidate]);
    else this.streets.set(intake.place.streetId, buildDuplicateIndex([candidate]));
  }

  /** Ids of the orders merged into `orderNo`. */
  duplicatesOf(orderNo: string): string[] {
    return [...(this.merged.get(orderNo) ?? [])];
  }

  /** True once the start's read of every stored order has ended (`warm`). */
  get warmed(): boolean {
    return this.done;
  }
  private done = false;

  /** The likely and possible duplicates of `intake` among its street's orders, best first; waits for `warm` (and starts it). */
  async find(intake: OrderIntake, now = this.now()): Promise<DuplicateSuggestion[]> {
    await this.warm();
    const index = this.streets.get(intake.place.streetId);
    if (!index) return [];
    return findDuplicates(index, probeOf(intake), now).filter((s) => s.id !== intake.id);
  }

  /**
   * Read every stored order once (at start, in the background): the orders of
   * the last 30 days become candidates, and merges are known. Runs once;
   * `find` waits for it.
   */
  warm(): Promise<void> {
    this.warming ??= this.load()
      .catch((error: unknown) => log.error('duplicates_warm_failed', { error: errorMessage(error) }))
      .finally(() => (this.done = true));
    return this.warming;
  }

  private async load(): Promise<void> {
    const { store } = this.options;
    const started = Date.now();
    const names = (await store.listDocs('order:')).filter(isOrderDocName);
    let read = 0;
    let seen = 0;
    for (const name of names) {
      // The store may answer synchronously (SQLite): give the event loop a turn now and then, so the server
      // serves sockets and requests while it warms instead of after.
      if (++seen % WARM_YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const state = await store.loadDoc(name);
      // A fixed guid: a random one is 31 crypto calls (lib0's uuidv4), seconds over a large store in Node.
      const doc = new Y.Doc({ guid: name });
      try {
        applyStored(doc, state);
        const intake = readIntake(doc);
        if (!intake?.ok) continue;
        const { events } = readEvents(doc);
        const now = this.now();
        // The indexer may have observed a newer state meanwhile; a stored one read later is no older than what it saw.
        this.observe(intake.value, deriveOrder(intake.value, events, now, { receivedAt: receivedAtOf(doc) }));
        read += 1;
      } finally {
        doc.destroy();
      }
    }
    log.info('duplicates_warm', { orders: read, streets: this.streets.size, ms: Date.now() - started });
  }
}
