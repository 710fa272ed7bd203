/**
 * Keeps what is derived from an order doc up to date after it changes: the
 * order's row (status, dispatch target, assignee, participants — what
 * authorisation reads), its photo references (with who made each), and its summary in the
 * `grid:<id>` and `street:<id>` index docs that list it. Runs are coalesced
 * per order: a change during a run triggers exactly one more run.
 */
import type { Hocuspocus } from '@hocuspocus/server';
import type * as Y from 'yjs';
import type { OrderView } from '#shared/order/reducer.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import { archiveIndexDocName, INDEX_META_MAP, INDEX_ORDERS_MAP, indexGenerationDocName, liveIndexGeneration, NEXT_GENERATION_KEY, orderDocName, PREVIOUS_GENERATION_KEY } from '#shared/sync/doc-names.ts';
import { indexPlacement } from '#shared/order/index-placement.ts';
import { OwnEntries } from '#shared/sync/index-entries.ts';
import { deriveOrderDoc, eventCount } from '#shared/sync/order-doc.ts';
import type { Directory } from '../org/directory.ts';
import type { OrderRow, PhotoRef, Store } from '../store/store.ts';
import { orderRowFrom, photoRefsOf, sameRowColumns } from './order-row.ts';
import { encodeOnce } from './encoded-values.ts';
import { followChain, followedSummary } from '#shared/duplicates/follow.ts';
import { DEFAULT_INDEX_HOLD_MS } from '../config.ts';
import type { Duplicates } from '../duplicates/duplicates.ts';
import { errorMessage, log } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { liveEntryBytes, rolloverThreshold, successorOf, type IndexGenerations } from './index-generations.ts';

/** The map in an index doc: order id → `OrderSummary` (shared/order/summary.ts). */

export type Summarize = (intake: OrderIntake, view: OrderView) => OrderSummary;

export interface IndexerOptions {
  readonly hocuspocus: Hocuspocus;
  /** What the indexer reads and writes of the store: order rows and photo references. */
  readonly store: Pick<Store, 'getOrder' | 'getOrderByNo' | 'saveOrder' | 'addPhotoRefs' | 'deleteDocs'>;
  readonly directory: Pick<Directory, 'tree'>;
  readonly summarize: Summarize;
  readonly now?: () => number;
  /** Wait this long after a change before indexing, so a burst of events is indexed once. */
  readonly delayMs?: number;
  /** After another instance's change to an order, look this long later whether its entries here caught up (`recheck`). */
  readonly recheckMs?: number;
  /** The per-street duplicate candidates, told of every order's new view; merged orders follow their masters. */
  readonly duplicates?: Duplicates;
  /** Archived orders leave the live index docs this long after closing (`indexPlacement`); null: never. */
  readonly liveMs?: number | null;
  /** Where the index and relay stages are timed (`lianxin_index_seconds`, `lianxin_relay_seconds`). */
  readonly metrics?: Metrics;
  /** An index doc's direct connection is closed after this long without a write (the doc may then unload); `--index-hold`. */
  readonly holdMs?: number;
  /**
   * This indexer is the only writer of order rows once created (one instance: no other instance's
   * indexer saves them), so the row it read or saved is kept per loaded order doc instead of read
   * on every run. False with several instances.
   */
  readonly soleRowWriter?: boolean;
  /**
   * Live index docs in generations (index-generations.ts): each write goes to its doc's current generation, and a
   * doc whose stored state passed the threshold is rolled over (`considerRollover`). Absent: every write goes to
   * the name it was asked for, and nothing rolls over.
   */
  readonly generations?: IndexGenerations;
  /** The floor of the rollover threshold (`rolloverThreshold`); null: no rollover (`--index-rollover off`). */
  readonly rolloverMinBytes?: number | null;
}

/** How long after a relayed change `recheck` looks: past the other instance's own run and its relay, as a rule. */
const RECHECK_MS = 2000;

interface Derived {
  /** The order doc read. */
  readonly doc: Y.Doc;
  readonly intake: OrderIntake;
  readonly view: OrderView;
  /** Photo references of the order not yet stored. */
  readonly photos: readonly PhotoRef[];
  /** Those stored for this doc so far (a new ref joins once stored). */
  readonly stored: Set<string>;
}

const photoRefKey = (ref: PhotoRef): string => `${ref.sha256} ${ref.attachedBy}`;

/** Masters merged in turn are followed this far (followChain's own limit). */
const MAX_HOPS = 5;

export class Indexer {
  private readonly running = new Map<string, Promise<void>>();
  /** Orders changed while their run was in progress: when the first such change came (performance.now()). */
  private readonly dirty = new Map<string, number>();

  private readonly writes: IndexWrites;
  /** Orders with a `recheck` waiting. */
  private readonly rechecks = new Set<string>();
  /** Per live order doc: its event count when a `recheck` last started a run (one run per count at most). */
  private readonly recheckedAt = new WeakMap<Y.Doc, number>();
  /** Per loaded order doc: the photo references already stored for it (`photo_attachments`), so that only new ones are written. */
  private readonly storedPhotoRefs = new WeakMap<Y.Doc, Set<string>>();
  /** Per loaded order doc: its row as this indexer last read or saved it (`soleRowWriter` only). */
  private readonly rows = new WeakMap<Y.Doc, OrderRow>();

  constructor(private readonly options: IndexerOptions) {
    this.writes = new IndexWrites(options.hocuspocus, options.metrics, options.holdMs, options.generations ?? null);
  }

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
   * Another instance changed this order (Redis relayed it here). That instance indexes the change
   * itself; but if both indexed events the other had not seen, their entries tie on the event count
   * and neither has every event (OwnEntries settles only a higher count). So, a while later, if an
   * index doc this instance holds shows the order with fewer events than its live doc has, index
   * it here. Only a loaded doc is read, in place; a run writes index docs, never order docs, so
   * checks do not beget checks; and a doc is re-run at most once per event count.
   */
  recheck(orderId: string): void {
    if (this.rechecks.has(orderId)) return;
    this.rechecks.add(orderId);
    const timer = setTimeout(() => {
      this.rechecks.delete(orderId);
      const live = this.options.hocuspocus.documents.get(orderDocName(orderId));
      if (!live || live.isLoading) return;
      const count = eventCount(live);
      if (this.recheckedAt.get(live) === count || !this.writes.showsFewer(orderId, count)) return;
      this.recheckedAt.set(live, count);
      if (this.options.metrics) this.options.metrics.indexRechecks += 1;
      this.touch(orderId);
    }, this.options.recheckMs ?? RECHECK_MS);
    timer.unref();
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

  /**
   * The index doc loaded and held open as after a write (for `holdMs` since the last write or hold): the
   * bulk read of a new device's index (docs/SERVER.md "Bulk read"), whose socket opens the same doc next,
   * and the next device's bulk read, find it in memory instead of decoding it from the store each time.
   */
  async hold(name: string): Promise<Y.Doc> {
    return this.writes.hold(name);
  }

  /**
   * The name of the current generation of each live index doc of `names` (a base name or any generation; other names
   * as they are), the store's record read again in one statement (`IndexGenerations.refresh`): the bulk read
   * answers a superseded generation with it, and the reports read it.
   */
  async currentIndexNames(names: readonly string[]): Promise<Map<string, string>> {
    const generations = this.options.generations;
    if (!generations) return new Map(names.map((name) => [name, name]));
    await generations.refresh([...new Set(names.flatMap((name) => liveIndexGeneration(name)?.base ?? []))]);
    return new Map(await Promise.all(names.map(async (name) => [name, await generations.currentName(name)] as const)));
  }

  /**
   * A live index doc was stored with `storedBytes` (its snapshot and log; DurableLog's store hook, where the size is
   * known without encoding anything): rolled over to its next generation once past `rolloverThreshold`. Resolves to
   * the new generation's name, or null when nothing rolled over.
   */
  async considerRollover(name: string, storedBytes: number): Promise<string | null> {
    const minBytes = this.options.rolloverMinBytes ?? null;
    const next = minBytes === null ? null : await this.writes.considerRollover(name, storedBytes, minBytes);
    // Not a failed rollover if it fails: that generation stays until `prune-index` deletes it.
    if (next !== null) await this.pruneBehind(next).catch((error: unknown) => log.error('index_prune_failed', { doc: next, error: errorMessage(error) }));
    return next;
  }

  /**
   * Once the index has rolled over to `next`: the generation two behind it is deleted, as `prune-index` would
   * (`pruneSupersededGenerations`: its entries are all in its successors, the rest is history; a device that still
   * holds it is sent on when it opens it). One rollover at a time, so the store keeps two generations of each index;
   * the command deletes what stores from before this kept.
   */
  private async pruneBehind(next: string): Promise<void> {
    const live = liveIndexGeneration(next);
    if (live === null || live.generation < 2) return;
    const name = indexGenerationDocName(live.base, live.generation - 2);
    const deleted = await this.options.store.deleteDocs([name]);
    if (deleted.docs === 0) return;
    if (this.options.metrics) this.options.metrics.indexGenerationsPruned += 1;
    log.info('index_generation_pruned', { doc: name, bytes: deleted.bytes });
  }

  /** Once idle: lets go of the index docs it holds open (shutdown). */
  async close(): Promise<void> {
    await this.idle();
    await this.writes.release();
  }

  /** The order's intake, derived view and photo references not yet stored, from its live doc; null if it has no valid intake. */
  private async derive(orderId: string): Promise<Derived | null> {
    // A loaded doc (the writer's socket has it open: the usual case) is read as it is, synchronously;
    // a direct connection, which loads it, only otherwise.
    const live = this.options.hocuspocus.documents.get(orderDocName(orderId));
    if (live && !live.isLoading) return this.read(live);
    const connection = await this.options.hocuspocus.openDirectConnection(orderDocName(orderId), { indexer: true });
    try {
      return connection.document ? this.read(connection.document) : null;
    } finally {
      await connection.disconnect({ unloadImmediately: false });
    }
  }

  private read(doc: Y.Doc): Derived | null {
    // Kept per doc and folded on with the events added since the last run (`deriveOrderDoc`), with the
    // server's receipts: the summary's close time and overdue flag count from when the server had the event.
    const derived = deriveOrderDoc(doc, (this.options.now ?? Date.now)());
    if (!derived) return null;
    const { intake, view } = derived;
    let stored = this.storedPhotoRefs.get(doc);
    if (!stored) this.storedPhotoRefs.set(doc, (stored = new Set()));
    const known = stored;
    const photos = photoRefsOf(intake, view.timeline.map((entry) => entry.event)).filter((ref) => !known.has(photoRefKey(ref)));
    return { doc, intake, view, photos, stored: known };
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
    const { doc, intake, view, photos, stored } = derived;
    duplicates?.observe(intake, view);

    const summary = await this.follow(intake, view, summarize(intake, view));
    const previous = (this.options.soleRowWriter ? this.rows.get(doc) : undefined) ?? (await store.getOrder(orderId));
    const now = Date.now();
    const unplaced = orderRowFrom(intake, view, directory.tree, previous?.createdAt ?? now, now);
    // Live, or in the archive docs of its month: the row names the docs that list it, so leaving them removes the entry.
    const placement = indexPlacement(summary, (this.options.now ?? Date.now)(), this.options.liveMs ?? null);
    const indexDocs = placement.live ? unplaced.indexDocs : unplaced.indexDocs.map((name) => archiveIndexDocName(name, placement.month));
    const row = { ...unplaced, indexDocs };
    // Written when what it says changes (not for every event: a note changes no column), and not over a row derived
    // from more events (another instance's run, ended first: this doc is behind). Between two changes of the row every
    // derivation says the same, so a run of at least the count of the last change cannot write an older state.
    // The row and the photo references are queued in one turn (one group commit). The index docs wait for the row
    // (what authorisation reads, and which names the index docs), not for the references: they only let the order's
    // readers fetch its photos, whose hashes those readers already had from the order doc before this run started,
    // and nothing in a summary depends on them (bench/README.md, "Back online, part 3"). The run still ends once
    // they are durable, and a failure fails the run as before (the next run writes them again).
    const changed = !previous || !sameRowColumns(previous, row);
    if (changed) this.rows.delete(doc);
    // Settled with its outcome (never rejected), so its failure is the run's, read once the index docs are written.
    const refsStored =
      photos.length > 0
        ? store.addPhotoRefs(orderId, photos).then(
            () => {
              for (const ref of photos) stored.add(photoRefKey(ref));
              return null;
            },
            (error: unknown) => ({ failed: error }),
          )
        : undefined;
    let refs: { failed: unknown } | null | undefined;
    try {
      await this.writeRowAndIndex(orderId, doc, summary, previous, row, changed);
    } finally {
      // The run ends once the references are durable, whatever became of the row.
      refs = await refsStored;
    }
    // Thrown after the index docs: the entry is as true without the references, which the next run writes again.
    if (refs) throw refs.failed;
    // The orders merged into this one show its state: index them again.
    for (const duplicate of duplicates?.duplicatesOf(intake.orderNo) ?? []) if (duplicate !== orderId) this.touch(duplicate);
  }

  /** The row, when it changed, durably; then the summary in the index docs the row names. */
  private async writeRowAndIndex(orderId: string, doc: Y.Doc, summary: OrderSummary, previous: OrderRow | null | undefined, row: OrderRow, changed: boolean): Promise<void> {
    const { indexDocs } = row;
    const current = changed ? await this.options.store.saveOrder(row) : true;
    if (!current && this.options.metrics) this.options.metrics.indexStaleRows += 1;
    if (this.options.soleRowWriter && current) this.rows.set(doc, changed || !previous ? row : previous);

    // Every index doc at once, in one synchronous step (`IndexWrites`). Behind the row, the run moves nothing: it
    // writes its entries only in the docs the row read names (never fewer events over more there: OwnEntries), so
    // an index doc it holds still shows this instance's count to `recheck` once the relay brings the rest.
    await this.writes.write(
      current
        ? [
            ...indexDocs.map((name) => ({ name, orderId, summary })),
            ...(previous?.indexDocs ?? []).filter((name) => !indexDocs.includes(name)).map((name) => ({ name, orderId, summary: null })),
          ]
        : indexDocs.filter((name) => previous?.indexDocs.includes(name)).map((name) => ({ name, orderId, summary })),
    );
  }
}

/**
 * The JSON of a summary, computed once per object: a run's summary is compared in each of its
 * index docs, and an index doc hands back the object it was given (or decoded) until it changes.
 */
const summaryJsons = new WeakMap<object, string>();
function summaryJson(summary: OrderSummary): string {
  let json = summaryJsons.get(summary);
  if (json === undefined) {
    json = JSON.stringify(summary);
    summaryJsons.set(summary, json);
  }
  return json;
}

/**
 * Two summaries of different event counts or last stamps differ (both are fields of them): told apart without
 * their JSON, which an update's new summary otherwise needed once — ≈ 50 µs of server CPU per update under the
 * fan-out load, where every update adds an event (bench/README.md, "Fan-out, part 8").
 */
export const sameSummary = (a: OrderSummary, b: OrderSummary): boolean =>
  a === b || (a.eventCount === b.eventCount && a.lastHlc === b.lastHlc && summaryJson(a) === summaryJson(b));

type DirectConnection = Awaited<ReturnType<Hocuspocus['openDirectConnection']>>;

/** An index doc's held connection, the entries this instance wrote there, and the watch on them. */
interface HeldDoc {
  readonly connection: DirectConnection;
  readonly timer: NodeJS.Timeout;
  readonly own: OwnEntries<OrderSummary>;
  readonly unwatch: () => void;
}

/** A generation after the first whose predecessor key is missing: the rollover's copy never reached it (`repair`). */
function needsFill(name: string, held: HeldDoc): boolean {
  const generation = liveIndexGeneration(name)?.generation ?? 0;
  return generation > 0 && held.connection.document !== null && !held.connection.document.getMap<unknown>(INDEX_META_MAP).has(PREVIOUS_GENERATION_KEY);
}

/** One entry to write: the order's summary in an index doc, or null to remove it. */
export interface IndexWrite {
  readonly name: string;
  readonly orderId: string;
  readonly summary: OrderSummary | null;
}

/**
 * Writes summaries into index docs. Each index doc's direct connection is
 * held while writes keep coming (opening and closing one per write cost a
 * document lookup, hooks and a store debounce each time), and the writes
 * asked for within one event-loop turn are applied together at its end
 * (`setImmediate`), one transaction per index doc, all in one synchronous
 * step, and sent to each doc's sockets in that step, ahead of the log append
 * its `onChange` starts (DurableLog): the clerks' update is not sent after an
 * fsync. Index docs are derived data, so the updates of one turn — every
 * update a group commit acknowledged — make one transaction, one encoded
 * update and one broadcast per index doc, not one per microtask batch that
 * Hocuspocus's broadcast then merged (bench/README.md, "Fan-out, part 6").
 */
export class IndexWrites {
  /**
   * Per held index doc: its connection, the entries this instance wrote there and the watch that writes
   * one again when another instance's concurrent write left it older (shared/sync/index-entries.ts).
   */
  private readonly held = new Map<string, HeldDoc>();
  private readonly opening = new Map<string, Promise<HeldDoc>>();
  private pending: { writes: IndexWrite[]; done: Promise<void> } | null = null;
  /** Live index docs (base names) being rolled over by this instance. */
  private readonly rolling = new Set<string>();

  constructor(
    private readonly hocuspocus: Hocuspocus,
    private readonly metrics?: Metrics,
    private readonly holdMs = DEFAULT_INDEX_HOLD_MS,
    private readonly generations: IndexGenerations | null = null,
  ) {}

  /** Resolves once every write is applied to its live index doc (the log append follows in the background). */
  write(writes: readonly IndexWrite[]): Promise<void> {
    if (writes.length === 0) return Promise.resolve();
    if (!this.pending) {
      const batch: IndexWrite[] = [];
      // At the end of this event-loop turn (setImmediate: where Hocuspocus would have sent the changes anyway): the
      // writes asked for meanwhile — the runs of every update one group commit acknowledged — join this batch.
      const done = new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          this.pending = null;
          this.apply(batch).then(resolve, reject);
        });
      });
      this.pending = { writes: batch, done };
    }
    this.pending.writes.push(...writes);
    return this.pending.done;
  }

  /** The index doc, loaded, its connection held (or held again) for `holdMs`. */
  async hold(name: string): Promise<Y.Doc> {
    const { document } = (await this.connection(name)).connection;
    if (!document) throw new Error(`the connection to ${name} is closed`);
    return document;
  }

  /** Whether an index doc held here lists the order with fewer events than `count`. */
  showsFewer(orderId: string, count: number): boolean {
    for (const { connection } of this.held.values()) {
      const entry = connection.document?.getMap<OrderSummary>(INDEX_ORDERS_MAP).get(orderId);
      if (entry !== undefined && entry.eventCount < count) return true;
    }
    return false;
  }

  /** Closes the held connections (shutdown, tests). */
  async release(): Promise<void> {
    await Promise.allSettled(this.opening.values());
    const held = [...this.held.values()];
    this.held.clear();
    for (const { timer, unwatch } of held) {
      clearTimeout(timer);
      unwatch();
    }
    await Promise.all(held.map(({ connection }) => connection.disconnect({ unloadImmediately: false })));
  }

  /** `Indexer.considerRollover`, with the threshold's floor. */
  async considerRollover(name: string, storedBytes: number, minBytes: number): Promise<string | null> {
    if (!this.generations || storedBytes < minBytes || liveIndexGeneration(name) === null) return null;
    const doc = this.hocuspocus.documents.get(name);
    if (!doc || doc.isLoading || successorOf(doc) !== null) return null;
    if (storedBytes < rolloverThreshold(liveEntryBytes(doc), minBytes)) return null;
    return this.rollOver(name);
  }

  /**
   * Rolls the live index doc `name` (its current generation) over to the next generation: the next generation is
   * filled from the current entries and stored first, then the store's record moves (a compare-and-set: of two
   * instances, one does this), then, in one synchronous step, the next generation gets the entries changed since
   * its fill and the old one the key naming its successor. A write of this instance that was on its way to the old
   * generation either landed before that step (and is copied) or finds the successor key in the step that would
   * write it (`apply`) and goes to the new one; one of another instance that lands in the old one later is carried
   * over by whoever holds the old one (`carryOver`). Resolves to the new name, or null.
   *
   * Filled before the record moves: a process that stops in between leaves a filled generation nobody names (the
   * next rollover fills it again), where moving the record first could leave the record naming an empty one, which
   * devices followed and reports read until a write to it repaired it (review of the branch, defect 2).
   */
  async rollOver(name: string): Promise<string | null> {
    const live = liveIndexGeneration(name);
    if (live === null || !this.generations || this.rolling.has(live.base)) return null;
    this.rolling.add(live.base);
    try {
      const generation = await this.generations.current(live.base);
      if (generation !== live.generation) return null;
      const nextName = indexGenerationDocName(live.base, generation + 1);
      const names = [name, nextName];
      let docs = await this.connections(names);
      // The record read again just before the fill (once per rollover): the fill is exact (what the next generation
      // holds besides was left by an attempt that stopped before its record moved), which must not remove what
      // another instance wrote there after rolling this generation over itself.
      await this.generations.refresh([live.base]);
      if ((await this.generations.current(live.base)) !== generation) return null;
      if (!docs[0]!.connection.document || successorOf(docs[0]!.connection.document) !== null) return null;
      const copied = await this.fill(docs[0]!, name, docs[1]!, nextName, { exact: true });
      if (!(await this.generations.advance(live.base, generation))) return null;
      docs = await this.connections(names);
      const [old, next] = docs as [HeldDoc, HeldDoc];
      await this.supersede(old, next, nextName, copied);
      if (this.metrics) this.metrics.indexRollovers += 1;
      log.info('index_rolled_over', { doc: name, next: nextName, entries: copied.size });
      return nextName;
    } finally {
      this.rolling.delete(live.base);
    }
  }

  /** The held connections to `names`, each taken again if its hold ran out while another loaded. */
  private async connections(names: readonly string[]): Promise<HeldDoc[]> {
    let docs = await Promise.all(names.map((n) => this.connection(n)));
    while (docs.some((doc, i) => this.held.get(names[i]!) !== doc)) docs = await Promise.all(names.map((n) => this.connection(n)));
    return docs;
  }

  /**
   * The new generation gets every entry of the old one (never one of fewer events over more: one written there after
   * the record moved is from more recent state) and the key naming its predecessor (it is filled); `exact`: it also
   * loses the entries the old one lacks. Resolves to the entries copied once the new generation is in the store (its
   * log appended: the store hooks run now rather than after Hocuspocus's debounce).
   */
  private async fill(old: HeldDoc, oldName: string, next: HeldDoc, nextName: string, { exact }: { exact: boolean }): Promise<Map<string, OrderSummary>> {
    const entries = new Map(old.connection.document!.getMap<OrderSummary>(INDEX_ORDERS_MAP));
    const copied = next.connection.transact((doc) => {
      const map = doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
      for (const [orderId, summary] of entries) next.own.set(map, orderId, summary);
      if (exact) for (const orderId of [...map.keys()]) if (!entries.has(orderId)) next.own.set(map, orderId, null);
      const meta = doc.getMap<unknown>(INDEX_META_MAP);
      if (meta.get(PREVIOUS_GENERATION_KEY) !== oldName) meta.set(PREVIOUS_GENERATION_KEY, oldName);
    });
    await copied;
    const document = next.connection.document;
    if (!document) throw new Error(`the connection to ${nextName} is closed`);
    const payload = { instance: this.hocuspocus, clientsCount: document.getConnectionsCount(), document, documentName: nextName, lastContext: {}, lastTransactionOrigin: { source: 'local' } };
    await this.hocuspocus.storeDocumentHooks(document, payload, true);
    return entries;
  }

  /**
   * In one synchronous step, once the record names the new generation: the new one gets the entries the old one
   * changed since `fill` copied `copied` (a write that landed there meanwhile, and an entry removed there, unless
   * written anew since), and the old one the key naming its successor. Resolves once both transactions are done.
   */
  private async supersede(old: HeldDoc, next: HeldDoc, nextName: string, copied: ReadonlyMap<string, OrderSummary>): Promise<void> {
    const entries = old.connection.document!.getMap<OrderSummary>(INDEX_ORDERS_MAP);
    const caughtUp = next.connection.transact((doc) => {
      const map = doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
      for (const [orderId, summary] of entries) if (copied.get(orderId) !== summary) next.own.set(map, orderId, summary);
      for (const [orderId, summary] of copied) if (!entries.has(orderId) && map.get(orderId) === summary) next.own.set(map, orderId, null);
    });
    const marked = old.connection.transact((doc) => {
      if (successorOf(doc) !== nextName) doc.getMap<unknown>(INDEX_META_MAP).set(NEXT_GENERATION_KEY, nextName);
    });
    this.generations?.learn(nextName);
    old.connection.document?.flush();
    next.connection.document?.flush();
    await Promise.all([caughtUp, marked]);
  }

  /**
   * A generation after the first that was never filled: the store's record moved, but its fill did not reach the
   * store (the fill's log append failed, or a record moved by a version that moved it before filling). Filled now
   * from its predecessor, before anything is written to it, by whichever instance writes it first.
   */
  private async repair(held: HeldDoc, name: string): Promise<void> {
    const live = liveIndexGeneration(name);
    const doc = held.connection.document;
    if (live === null || live.generation === 0 || !doc || doc.getMap<unknown>(INDEX_META_MAP).has(PREVIOUS_GENERATION_KEY)) return;
    const previousName = indexGenerationDocName(live.base, live.generation - 1);
    const previous = await this.connection(previousName);
    if (!held.connection.document || held.connection.document.getMap<unknown>(INDEX_META_MAP).has(PREVIOUS_GENERATION_KEY)) return;
    log.warn('index_generation_repaired', { doc: name, from: previousName });
    const copied = await this.fill(previous, previousName, held, name, { exact: false });
    await this.supersede(previous, held, name, copied);
  }

  private async apply(writes: readonly IndexWrite[]): Promise<void> {
    // Per index doc, the last write per order wins; a live index doc's writes go to its current generation.
    let byDoc = new Map<string, Map<string, OrderSummary | null>>();
    const targets = new Map<string, Promise<string>>();
    for (const { name } of writes) if (!targets.has(name)) targets.set(name, this.generations ? this.generations.currentName(name) : Promise.resolve(name));
    const targetOf = new Map<string, string>();
    for (const [name, target] of targets) targetOf.set(name, await target);
    for (const { name, orderId, summary } of writes) {
      const target = targetOf.get(name)!;
      const entries = byDoc.get(target) ?? new Map<string, OrderSummary | null>();
      // One summary object goes into each of its index docs: encoded once for all their updates, logs and folds.
      entries.set(orderId, summary === null ? null : encodeOnce(summary));
      byDoc.set(target, entries);
    }
    let names = [...byDoc.keys()];
    let docs = await Promise.all(names.map((name) => this.connection(name)));
    for (;;) {
      // A hold that ran out while another doc of the batch loaded (a load slower than `holdMs`) closed its connection:
      // taken again, or its entries would wait for their orders' next change.
      if (docs.some((doc, i) => this.held.get(names[i]!) !== doc)) {
        docs = await Promise.all(names.map((name) => this.connection(name)));
        continue;
      }
      // A generation rolled over since its name was chosen (here or on another instance): its writes go to the successor.
      const moved = byDoc;
      let redirected = false;
      byDoc = new Map();
      docs.forEach((held, i) => {
        const name = names[i]!;
        const successor = held.connection.document ? successorOf(held.connection.document) : null;
        if (successor !== null) {
          redirected = true;
          this.generations?.learn(successor);
        }
        const target = successor ?? name;
        const entries = byDoc.get(target) ?? new Map<string, OrderSummary | null>();
        for (const [orderId, summary] of moved.get(name)!) entries.set(orderId, summary);
        byDoc.set(target, entries);
      });
      if (!redirected) {
        // Not while this instance rolls it over (its own fill is on its way).
        const unfilled = names.filter((name, i) => !this.rolling.has(liveIndexGeneration(name)?.base ?? '') && needsFill(name, docs[i]!));
        if (unfilled.length === 0) break;
        for (const name of unfilled) await this.repair(docs[names.indexOf(name)]!, name);
      }
      names = [...byDoc.keys()];
      docs = await Promise.all(names.map((name) => this.connection(name)));
    }
    // From here on nothing awaits until every doc is written.
    const started = performance.now();
    let changed = 0;
    const applied = [...byDoc.values()].map((entries, i) =>
      docs[i]!.connection.transact((doc) => {
        const map = doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
        // Never an entry of fewer events over one of more (OwnEntries).
        for (const [orderId, summary] of entries) if (docs[i]!.own.set(map, orderId, summary)) changed += 1;
      }),
    );
    // Sent to the docs' sockets now, one update per doc for the whole turn, rather than from the `setImmediate`
    // Hocuspocus queues in the transaction (Document.scheduleFlush): that would run in the next turn.
    for (const { connection } of docs) connection.document?.flush();
    if (changed > 0) this.metrics?.relaySeconds.observe((performance.now() - started) / 1000);
    await Promise.all(applied);
  }

  /**
   * A write another instance made in a superseded generation (it had not seen the successor key yet when it wrote)
   * is carried over to the successor by this instance while it holds the old one: that instance's writes of the
   * same order go to the successor from its next run on, and this carries the entry as the old generation shows it.
   */
  private carryOver(name: string, doc: Y.Doc, map: Y.Map<OrderSummary>): () => void {
    const observer = (event: Y.YMapEvent<OrderSummary>) => {
      if (event.transaction.local) return;
      const successor = successorOf(doc);
      if (successor === null) return;
      const carried = [...event.keysChanged].map((orderId) => ({ name: successor, orderId, summary: map.get(orderId) ?? null }));
      this.write(carried).catch((error: unknown) => log.error('index_carry_over_failed', { doc: name, error: errorMessage(error) }));
    };
    map.observe(observer);
    return () => map.unobserve(observer);
  }

  /** The held connection to an index doc (opened if need be) and what this instance wrote there; its hold starts again. */
  private async connection(name: string): Promise<HeldDoc> {
    const held = this.held.get(name);
    if (held) {
      held.timer.refresh();
      return held;
    }
    let opening = this.opening.get(name);
    if (!opening) {
      opening = this.hocuspocus.openDirectConnection(name, { indexer: true }).then((connection) => {
        this.opening.delete(name);
        const timer = setTimeout(() => {
          const current = this.held.get(name);
          if (current?.connection !== connection) return;
          this.held.delete(name);
          current.unwatch();
          connection.disconnect({ unloadImmediately: false }).catch((error: unknown) => log.error('index_release_failed', { doc: name, error: errorMessage(error) }));
        }, this.holdMs);
        timer.unref();
        const own = new OwnEntries<OrderSummary>(sameSummary);
        // While held: an entry this instance wrote, left older by another instance's concurrent write, is written again.
        const map = connection.document?.getMap<OrderSummary>(INDEX_ORDERS_MAP);
        const unwatchOwn = map
          ? own.watch(map, (entries) => {
              if (this.metrics) this.metrics.indexRewrites += entries.length;
              this.write(entries.map(([orderId, summary]) => ({ name, orderId, summary }))).catch((error: unknown) =>
                log.error('index_rewrite_failed', { doc: name, error: errorMessage(error) }),
              );
            })
          : () => undefined;
        const unwatchCarry = map && connection.document ? this.carryOver(name, connection.document, map) : () => undefined;
        const unwatch = () => {
          unwatchOwn();
          unwatchCarry();
        };
        const opened = { connection, timer, own, unwatch };
        this.held.set(name, opened);
        return opened;
      });
      opening.catch(() => this.opening.delete(name));
      this.opening.set(name, opening);
    }
    return opening;
  }
}
