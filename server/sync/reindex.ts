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
 *
 * A store that is current skips the start pass: each full pass (and the demo
 * seed) stores a marker (`meta:reindex`, a small Yjs doc no client may open)
 * with the summary version, the placement rule's version (`PLACEMENT_VERSION`),
 * the live window and the earliest time a live entry's time there runs out. A
 * start with the same versions and window before that time reads nothing; a
 * new rule (archived and merged leaving at once, "First sync, part 8") moves
 * the entries of a store at its next start: that is the migration; the sweeps every `everyMs` still do full
 * passes, so an entry written after the marker and due earlier moves within
 * one sweep of its time, as it would have anyway.
 */
import * as Y from 'yjs';
import { indexPlacement, liveUntil, PLACEMENT_VERSION } from '#shared/order/index-placement.ts';
import { SUMMARY_VERSION, readIndexSummary, storedSummaryVersion } from '#shared/order/summary.ts';
import { INDEX_ORDERS_MAP, isLiveIndexDocName } from '#shared/sync/doc-names.ts';
import { successorOf } from './index-generations.ts';
import type { Store } from '../store/store.ts';
import { errorMessage, log } from '../log.ts';
import { mergeState } from './merge-state.ts';
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
  /** The earliest time an entry still live (not stale) will have to leave; null: none will. */
  readonly nextDueAt: number | null;
}

/** What the last full pass found: a start with the same version and window before `nextDueAt` has nothing to do. */
export interface ReindexMarker {
  readonly version: number;
  /** `PLACEMENT_VERSION` of the pass; 1 for a marker written before it was recorded. */
  readonly placement: number;
  readonly liveMs: number | null;
  readonly nextDueAt: number | null;
  /** When the pass (or the seed) wrote it. */
  readonly at: number;
}

/** The marker's doc: not a name clients may open (`parseDocName` knows no `meta:`). */
export const REINDEX_MARKER_DOC = 'meta:reindex';

export async function readReindexMarker(store: Store): Promise<ReindexMarker | null> {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, mergeState(await store.loadDoc(REINDEX_MARKER_DOC)));
    const raw = doc.getMap<unknown>('marker').get('current');
    if (typeof raw !== 'object' || raw === null) return null;
    const m = raw as Record<string, unknown>;
    const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
    if (!num(m.version) || !num(m.at) || !(m.liveMs === null || num(m.liveMs)) || !(m.nextDueAt === null || num(m.nextDueAt))) return null;
    return { version: m.version, placement: num(m.placement) ? m.placement : 1, liveMs: m.liveMs, nextDueAt: m.nextDueAt, at: m.at };
  } finally {
    doc.destroy();
  }
}

export async function writeReindexMarker(store: Store, marker: ReindexMarker): Promise<void> {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, mergeState(await store.loadDoc(REINDEX_MARKER_DOC)));
    const before = Y.encodeStateVector(doc);
    doc.getMap<unknown>('marker').set('current', { ...marker });
    await store.appendUpdate(REINDEX_MARKER_DOC, Y.encodeStateAsUpdate(doc, before));
  } finally {
    doc.destroy();
  }
}

/** True when a start at `now` has nothing to re-index by this marker. */
export function markerIsCurrent(marker: ReindexMarker | null, now: number, liveMs: number | null, version = SUMMARY_VERSION): boolean {
  return marker !== null && marker.version === version && marker.placement === PLACEMENT_VERSION && marker.liveMs === liveMs && (marker.nextDueAt === null || now < marker.nextDueAt);
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
  let nextDueAt: number | null = null;
  for (const name of names) {
    const live = isLiveIndexDocName(name);
    const doc = new Y.Doc({ guid: name });
    try {
      Y.applyUpdate(doc, mergeState(await store.loadDoc(name)));
      // A superseded generation of a live index: its successor lists the same orders and takes the writes.
      if (live && successorOf(doc) !== null) continue;
      for (const [orderId, raw] of doc.getMap<unknown>(INDEX_ORDERS_MAP)) {
        entries += 1;
        if (storedSummaryVersion(raw) < version) stale.add(orderId);
        if (!live || liveMs === null) continue;
        const read = readIndexSummary(orderId, raw);
        if (!read.ok) continue;
        if (!indexPlacement(read.value, now, liveMs).live) stale.add(orderId);
        else {
          // Still live (its entry rewritten or not): when its time there runs out.
          const due = liveUntil(read.value, liveMs);
          if (due !== null && (nextDueAt === null || due < nextDueAt)) nextDueAt = due;
        }
      }
    } finally {
      doc.destroy();
    }
  }
  return { docs: names.length, entries, stale: [...stale].sort(), nextDueAt };
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

  /** The first pass after start: skipped when the stored marker says the store is current. */
  private firstRun = true;

  private async run(): Promise<void> {
    const started = performance.now();
    const { store } = this.options;
    const liveMs = this.options.liveMs ?? null;
    const now = (this.options.now ?? Date.now)();
    if (this.firstRun) {
      this.firstRun = false;
      const marker = await readReindexMarker(store).catch(() => null);
      if (markerIsCurrent(marker, now, liveMs)) {
        log.info('reindex_current', { version: SUMMARY_VERSION, liveMs, nextDueAt: marker?.nextDueAt ?? null });
        return;
      }
    }
    const { docs, entries, stale, nextDueAt } = await staleEntries(store, { now, liveMs });
    if (stale.length === 0) {
      log.info('reindex_none', { version: SUMMARY_VERSION, docs, entries });
      await writeReindexMarker(store, { version: SUMMARY_VERSION, placement: PLACEMENT_VERSION, liveMs, nextDueAt, at: now });
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
    // Every stale entry rewritten: the next start may skip (the entries moved are no longer live, so not due).
    if (!this.stopped) await writeReindexMarker(store, { version: SUMMARY_VERSION, placement: PLACEMENT_VERSION, liveMs, nextDueAt, at: now });
    log.info(this.stopped ? 'reindex_stopped' : 'reindex_done', { version: SUMMARY_VERSION, orders: indexed, of: stale.length, ms: Math.round(performance.now() - started) });
  }
}
