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
 */
import * as Y from 'yjs';
import { SUMMARY_VERSION, storedSummaryVersion } from '#shared/order/summary.ts';
import { INDEX_ORDERS_MAP } from '#shared/sync/doc-names.ts';
import type { Store } from '../store/store.ts';
import { errorMessage, log } from '../log.ts';
import { mergeState } from './durable.ts';
import type { Indexer } from './indexer.ts';

export interface ReindexOptions {
  readonly store: Store;
  readonly indexer: Pick<Indexer, 'indexNow'>;
  /** Orders indexed at once; the next batch waits for this one. */
  readonly batchSize?: number;
}

export interface StaleEntries {
  /** Street index docs read. */
  readonly docs: number;
  /** Entries in them. */
  readonly entries: number;
  /** Order ids whose entry is older than `SUMMARY_VERSION`, sorted. */
  readonly stale: string[];
}

/** The orders whose street index entry an older server wrote, from the docs as stored. */
export async function staleEntries(store: Store, version: number = SUMMARY_VERSION): Promise<StaleEntries> {
  const names = await store.listDocs('street:');
  const stale = new Set<string>();
  let entries = 0;
  for (const name of names) {
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, mergeState(await store.loadDoc(name)));
      for (const [orderId, raw] of doc.getMap<unknown>(INDEX_ORDERS_MAP)) {
        entries += 1;
        if (storedSummaryVersion(raw) < version) stale.add(orderId);
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

  constructor(private readonly options: ReindexOptions) {}

  /** Starts the pass in the background; `finished` resolves when it ends (or stops). */
  start(): void {
    this.done ??= this.run().catch((error: unknown) => log.error('reindex_failed', { error: errorMessage(error) }));
  }

  /** Resolves when the pass has ended: all stale orders indexed, or stopped. */
  async finished(): Promise<void> {
    await this.done;
  }

  /** No batch starts after this; the one running ends as usual. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async run(): Promise<void> {
    const started = performance.now();
    const { docs, entries, stale } = await staleEntries(this.options.store);
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
