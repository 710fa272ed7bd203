/**
 * Indexing again, at start, the orders whose index entries an older server
 * wrote (`SUMMARY_VERSION`, shared/order/summary.ts): a new summary field, or
 * a new index doc that should list an order, would otherwise reach an order
 * only with its next change, and a closed order may never change again.
 *
 * Every order is listed in its place's street index doc, so the street docs
 * as stored name every order there is and the version of its entry. The
 * stale ones go through the indexer in batches, one batch after the other, in
 * the background: the server serves from the start, and live changes are
 * indexed as always between the batches. Entries of index docs an order has
 * left are removed by the same runs. Instances sharing a store each do it;
 * the indexer's writes are idempotent, so a second pass only costs reads.
 *
 * With archives on (`liveMs`, shared/order/index-placement.ts) the same pass
 * finds the entries of live docs whose order should have left for its
 * month's archive (an archived order does not change again, so only time
 * moves it), and runs again every `everyMs`.
 */
import * as Y from 'yjs';
import { indexPlacement } from '#shared/order/index-placement.ts';
import { SUMMARY_VERSION, readIndexSummary, storedSummaryVersion } from '#shared/order/summary.ts';
import { INDEX_ORDERS_MAP, parseDocName } from '#shared/sync/doc-names.ts';
import type { Store } from '../store/store.ts';
import { errorMessage, log } from '../log.ts';
import { mergeState } from './durable.ts';
import type { Indexer } from './indexer.ts';

export interface ReindexOptions {
  readonly store: Store;
  readonly indexer: Pick<Indexer, 'indexNow'>;
  /** Orders indexed at once; the next batch waits for this one. */
  readonly batchSize?: number;
  /** Archived orders leave the live index docs this long after closing; null: never. */
  readonly liveMs?: number | null;
  /** Sweep again this often (for orders whose time in the live index ran out); null: at start only. */
  readonly everyMs?: number | null;
  readonly now?: () => number;
}

export interface StaleEntries {
  /** Street index docs read. */
  readonly docs: number;
  /** Entries in them. */
  readonly entries: number;
  /** Order ids whose entry is older than `SUMMARY_VERSION`, or in a live doc it should have left, sorted. */
  readonly stale: string[];
}

/**
 * The orders whose street index entry an older server wrote, or that a live
 * street doc still lists past their time there, from the docs as stored.
 */
export async function staleEntries(store: Store, at: { readonly now: number; readonly liveMs: number | null; readonly version?: number }): Promise<StaleEntries> {
  const { now, liveMs, version = SUMMARY_VERSION } = at;
  const names = await store.listDocs('street:');
  const stale = new Set<string>();
  let entries = 0;
  for (const name of names) {
    const ref = parseDocName(name);
    const live = ref !== null && ref.kind !== 'order' && ref.archive === undefined;
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, mergeState(await store.loadDoc(name)));
      for (const [orderId, raw] of doc.getMap<unknown>(INDEX_ORDERS_MAP)) {
        entries += 1;
        if (storedSummaryVersion(raw) < version) stale.add(orderId);
        else if (live && liveMs !== null) {
          const read = readIndexSummary(orderId, raw);
          if (read.ok && !indexPlacement(read.value, now, liveMs).live) stale.add(orderId);
        }
      }
    } finally {
      doc.destroy();
    }
  }
  return { docs: names.length, entries, stale: [...stale].sort() };
}

export class Reindex {
  private stopped = false;
  private done: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ReindexOptions) {}

  /** Starts the pass in the background (and the sweeps after it, with `everyMs`); `finished` resolves when the pass ends (or stops). */
  start(): void {
    this.done ??= this.run()
      .catch((error: unknown) => log.error('reindex_failed', { error: errorMessage(error) }))
      .finally(() => this.schedule());
  }

  private schedule(): void {
    const every = this.options.everyMs ?? null;
    if (every === null || this.stopped) return;
    this.timer = setTimeout(() => {
      this.done = null;
      this.start();
    }, every);
    this.timer.unref();
  }

  /** Resolves when the pass has ended: all stale orders indexed, or stopped. */
  async finished(): Promise<void> {
    await this.done;
  }

  /** No batch starts after this; the one running ends as usual. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.done;
  }

  private async run(): Promise<void> {
    const started = performance.now();
    const { docs, entries, stale } = await staleEntries(this.options.store, { now: (this.options.now ?? Date.now)(), liveMs: this.options.liveMs ?? null });
    if (stale.length === 0) {
      log.info('reindex_none', { version: SUMMARY_VERSION, docs, entries });
      return;
    }
    log.info('reindex_started', { version: SUMMARY_VERSION, docs, entries, stale: stale.length });
    const size = Math.max(1, this.options.batchSize ?? 50);
    let indexed = 0;
    for (let i = 0; i < stale.length && !this.stopped; i += size) {
      const batch = stale.slice(i, i + size);
      await this.options.indexer.indexNow(batch);
      indexed += batch.length;
    }
    log.info(this.stopped ? 'reindex_stopped' : 'reindex_done', { version: SUMMARY_VERSION, orders: indexed, of: stale.length, ms: Math.round(performance.now() - started) });
  }
}
