/**
 * Keeps what is derived from an order doc up to date after it changes: the
 * order's row (status, dispatch target, assignee, participants — what
 * authorisation reads), its photo references (with who made each), and its summary in the
 * `grid:<id>` and `street:<id>` index docs that list it. Runs are coalesced
 * per order: a change during a run triggers exactly one more run.
 */
import type { Hocuspocus } from '@hocuspocus/server';
import { deriveOrder, type OrderView } from '#shared/order/reducer.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import { archiveIndexDocName, INDEX_ORDERS_MAP, orderDocName } from '#shared/sync/doc-names.ts';
import { indexPlacement } from '#shared/order/index-placement.ts';
import { readEvents, readIntake, receivedAtOf } from '#shared/sync/order-doc.ts';
import type { Directory } from '../org/directory.ts';
import type { PhotoRef, Store } from '../store/store.ts';
import { orderRowFrom, photoRefsOf } from './order-row.ts';
import { followChain, followedSummary } from '#shared/duplicates/follow.ts';
import type { Duplicates } from '../duplicates/duplicates.ts';
import { errorMessage, log } from '../log.ts';
import type { Metrics } from '../metrics.ts';

/** The map in an index doc: order id → `OrderSummary` (shared/order/summary.ts). */

export type Summarize = (intake: OrderIntake, view: OrderView) => OrderSummary;

export interface IndexerOptions {
  readonly hocuspocus: Hocuspocus;
  readonly store: Store;
  readonly directory: Directory;
  readonly summarize: Summarize;
  readonly now?: () => number;
  /** Wait this long after a change before indexing, so a burst of events is indexed once. */
  readonly delayMs?: number;
  /** The per-street duplicate candidates, told of every order's new view; merged orders follow their masters. */
  readonly duplicates?: Duplicates;
  /** Archived orders leave the live index docs this long after closing (`indexPlacement`); null: never. */
  readonly liveMs?: number | null;
  /** Where the index and relay stages are timed (`lianxin_index_seconds`, `lianxin_relay_seconds`). */
  readonly metrics?: Metrics;
}

/** Masters merged in turn are followed this far (followChain's own limit). */
const MAX_HOPS = 5;

export class Indexer {
  private readonly running = new Map<string, Promise<void>>();
  /** Orders changed while their run was in progress: when the first such change came (performance.now()). */
  private readonly dirty = new Map<string, number>();

  constructor(private readonly options: IndexerOptions) {}

  touch(orderId: string): void {
    this.schedule(orderId, performance.now());
  }

  /** `since`: when the change this run serves came, for `lianxin_index_seconds`. */
  private schedule(orderId: string, since: number): void {
    if (this.running.has(orderId)) {
      if (!this.dirty.has(orderId)) this.dirty.set(orderId, since);
      return;
    }
    const delay = this.options.delayMs ?? 0;
    const run = (delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay)) : Promise.resolve())
      .then(() => this.run(orderId))
      .then(() => this.options.metrics?.indexSeconds.observe((performance.now() - since) / 1000))
      .catch((error: unknown) => log.error('index_failed', { order: orderId, error: errorMessage(error) }))
      .finally(() => {
        this.running.delete(orderId);
        const next = this.dirty.get(orderId);
        if (next !== undefined) {
          this.dirty.delete(orderId);
          this.schedule(orderId, next);
        }
      });
    this.running.set(orderId, run);
  }

  /**
   * Index these orders now (as `touch` does) and resolve once their runs have
   * ended: for a batch of background work that must not flood the server.
   */
  async indexNow(orderIds: readonly string[]): Promise<void> {
    for (const id of orderIds) this.touch(id);
    await Promise.all(orderIds.map((id) => this.running.get(id)));
  }

  /** Resolves when no run is in progress or queued. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  /** The order's intake, derived view and photo references, from its live doc; null if it has no valid intake. */
  private async derive(orderId: string): Promise<{ intake: OrderIntake; view: OrderView; photos: PhotoRef[] } | null> {
    const connection = await this.options.hocuspocus.openDirectConnection(orderDocName(orderId), { indexer: true });
    try {
      const doc = connection.document;
      if (!doc) return null;
      const read = readIntake(doc);
      if (!read?.ok) return null;
      const intake = read.value;
      const { events } = readEvents(doc);
      // With the server's receipts: the summary's close time and overdue flag count from when the server had the event.
      const view = deriveOrder(intake, events, (this.options.now ?? Date.now)(), { receivedAt: receivedAtOf(doc) });
      return { intake, view, photos: photoRefsOf(intake, events) };
    } finally {
      await connection.disconnect({ unloadImmediately: false });
    }
  }

  /**
   * A merged order's summary follows its master (shared/duplicates/follow.ts):
   * the masters along the chain are derived from their docs.
   */
  private async follow(intake: OrderIntake, view: OrderView, summary: OrderSummary): Promise<OrderSummary> {
    if (view.status !== 'merged' || view.mergedInto === null) return summary;
    const masters = new Map<string, OrderView>();
    let next: string | null = view.mergedInto;
    for (let hop = 0; hop < MAX_HOPS && next !== null && !masters.has(next); hop++) {
      const row = await this.options.store.getOrderByNo(next);
      // Only a master in the same street: a merge names an order number, and numbers are not scope.
      if (!row || row.place.streetId !== intake.place.streetId) break;
      const master = await this.derive(row.id);
      if (!master) break;
      masters.set(next, master.view);
      next = master.view.status === 'merged' ? master.view.mergedInto : null;
    }
    const now = (this.options.now ?? Date.now)();
    return followedSummary(summary, followChain(view, (orderNo) => masters.get(orderNo), now, MAX_HOPS));
  }

  private async run(orderId: string): Promise<void> {
    const { store, directory, summarize, duplicates } = this.options;
    const derived = await this.derive(orderId);
    if (!derived) return;
    const { intake, view, photos } = derived;
    duplicates?.observe(intake, view);

    const summary = await this.follow(intake, view, summarize(intake, view));
    const previous = await store.getOrder(orderId);
    const now = Date.now();
    const unplaced = orderRowFrom(intake, view, directory.tree, previous?.createdAt ?? now, now);
    // Live, or in the archive docs of its month: the row names the docs that list it, so leaving them removes the entry.
    const placement = indexPlacement(summary, (this.options.now ?? Date.now)(), this.options.liveMs ?? null);
    const indexDocs = placement.live ? unplaced.indexDocs : unplaced.indexDocs.map((name) => archiveIndexDocName(name, placement.month));
    const row = { ...unplaced, indexDocs };
    if (!previous || JSON.stringify({ ...previous, updatedAt: 0 }) !== JSON.stringify({ ...row, updatedAt: 0 })) await store.saveOrder(row);
    if (photos.length > 0) await store.addPhotoRefs(orderId, photos);

    for (const name of indexDocs) await this.writeIndex(name, orderId, summary);
    for (const name of previous?.indexDocs ?? []) if (!indexDocs.includes(name)) await this.writeIndex(name, orderId, null);
    // The orders merged into this one show its state: index them again.
    for (const duplicate of duplicates?.duplicatesOf(intake.orderNo) ?? []) if (duplicate !== orderId) this.touch(duplicate);
  }

  /**
   * Hocuspocus sends a doc's changes to its sockets from a `setImmediate` queued in the
   * transaction (Document.scheduleFlush); one queued after it ends once they are sent.
   */
  private timeRelay(): void {
    const metrics = this.options.metrics;
    if (!metrics) return;
    const started = performance.now();
    setImmediate(() => metrics.relaySeconds.observe((performance.now() - started) / 1000));
  }

  private async writeIndex(name: string, orderId: string, summary: OrderSummary | null): Promise<void> {
    const connection = await this.options.hocuspocus.openDirectConnection(name, { indexer: true });
    try {
      let changed = false;
      await connection.transact((doc) => {
        const map = doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
        if (summary === null) {
          if (map.has(orderId)) {
            map.delete(orderId);
            changed = true;
          }
        } else if (JSON.stringify(map.get(orderId)) !== JSON.stringify(summary)) {
          // Overwriting a key leaves a tombstone; writing only real changes keeps index docs small.
          map.set(orderId, summary);
          changed = true;
        }
      });
      if (changed) this.timeRelay();
    } finally {
      await connection.disconnect({ unloadImmediately: false });
    }
  }
}
