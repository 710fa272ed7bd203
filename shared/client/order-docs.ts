/**
 * The order Y.Docs open on this device, each persisted by y-indexeddb in its
 * own database (named like the doc, `order:<id>`) and shared by reference
 * count: the detail screen and the sync engine hold the same doc, so a change
 * made in one is seen by the other at once.
 *
 * `acquire` resolves after the doc's IndexedDB store has loaded AND this
 * device's journal has been replayed into it: y-indexeddb gives no signal that
 * an update reached disk (its issue #28), so the journal (Dexie, awaited) is
 * the record of what was saved, and the doc is made to agree with it on every
 * open. An order downloaded in bulk and not opened before has its state
 * waiting in the device's database as the server sent it (`docSeedPacks`,
 * shared/local/doc-seeds.ts): it is applied first, on the same open.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { LianxinDb } from '../local/db.ts';
import { absorbDocSeed, dropDocSeeds, seededDocNames } from '../local/doc-seeds.ts';
import { replayJournal } from '../local/journal-replay.ts';
import { deleteDatabase, listDatabases } from './device.ts';
import { orderDocName } from '../sync/doc-names.ts';

/** Transaction origin of actions taken on this device. */
export const LOCAL_ORIGIN = 'lianxin:local';
/** Transaction origin of docs filled from a seed source (demo mode). */
export const SEED_ORIGIN = 'lianxin:seed';

export interface OrderDocHandle {
  readonly orderId: string;
  readonly doc: Y.Doc;
  /** Give the doc back; the last release closes it (its data stays in IndexedDB). */
  release(): void;
}

interface Entry {
  readonly doc: Y.Doc;
  readonly persistence: IndexeddbPersistence;
  readonly ready: Promise<void>;
  count: number;
}

export interface OrderDocsOptions {
  readonly db: LianxinDb;
}

type OpenListener = (orderId: string, doc: Y.Doc) => void;

export class OrderDocs {
  private readonly entries = new Map<string, Entry>();
  private readonly openListeners = new Set<OpenListener>();
  private readonly closeListeners = new Set<(orderId: string) => void>();

  constructor(private readonly options: OrderDocsOptions) {}

  async acquire(orderId: string): Promise<OrderDocHandle> {
    let entry = this.entries.get(orderId);
    if (!entry) {
      const doc = new Y.Doc();
      const persistence = new IndexeddbPersistence(orderDocName(orderId), doc);
      const ready = persistence.whenSynced.then(async () => {
        await absorbDocSeed(this.options.db, orderDocName(orderId), doc);
        await replayJournal(this.options.db, orderId, doc);
        for (const listener of [...this.openListeners]) listener(orderId, doc);
      });
      entry = { doc, persistence, ready, count: 0 };
      this.entries.set(orderId, entry);
    }
    entry.count += 1;
    const held = entry;
    try {
      await held.ready;
    } catch (error) {
      this.releaseEntry(orderId, held);
      throw error;
    }
    let released = false;
    return {
      orderId,
      doc: held.doc,
      release: () => {
        if (released) return;
        released = true;
        this.releaseEntry(orderId, held);
      },
    };
  }

  isOpen(orderId: string): boolean {
    return this.entries.has(orderId);
  }

  /** The docs open now, for a sync engine that starts after some were opened. */
  openDocs(): [string, Y.Doc][] {
    return [...this.entries].map(([id, entry]) => [id, entry.doc]);
  }

  /** Called once per open, after the doc has loaded and the journal was replayed. */
  onOpen(listener: OpenListener): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  /** Called when the last holder released a doc, before it is destroyed. */
  onClose(listener: (orderId: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Delete an order's local doc database (archived orders, sign-out). The doc must not be open. */
  async forget(orderId: string): Promise<void> {
    if (this.entries.has(orderId)) throw new Error(`order ${orderId} is still open`);
    await dropDocSeeds(this.options.db, [orderDocName(orderId)]);
    const persistence = new IndexeddbPersistence(orderDocName(orderId), new Y.Doc());
    await persistence.whenSynced;
    await persistence.clearData();
  }

  /**
   * Delete the local doc databases of finished orders (archived or merged,
   * as their summaries say) that hold no unconfirmed work and are not open:
   * one IndexedDB database per order would otherwise pile up for ever, and
   * listing or opening thousands of them is slow. The list row stays. Only
   * databases that exist are touched. Returns the order ids forgotten.
   */
  async forgetFinished(finishedOrderIds: readonly string[]): Promise<string[]> {
    if (finishedOrderIds.length === 0) return [];
    // A finished order's downloaded state is not needed either (it holds no local work: that is in the doc).
    const seeded = await seededDocNames(this.options.db);
    if (seeded.size > 0) await dropDocSeeds(this.options.db, finishedOrderIds.map(orderDocName).filter((name) => seeded.has(name)));
    const present = await listDatabases();
    if (!present) return [];
    const candidates = finishedOrderIds.filter((id) => present.has(orderDocName(id)) && !this.entries.has(id));
    if (candidates.length === 0) return [];
    const { db } = this.options;
    const [events, intakes] = await Promise.all([
      db.journal.where('orderId').anyOf(candidates).and((row) => row.durableAt === null).toArray(),
      db.intakes.where('orderId').anyOf(candidates).and((row) => row.durableAt === null).toArray(),
    ]);
    const busy = new Set([...events, ...intakes].map((row) => row.orderId));
    const gone = candidates.filter((id) => !busy.has(id) && !this.entries.has(id));
    await Promise.all(gone.map((id) => deleteDatabase(orderDocName(id))));
    return gone;
  }

  /** Close every doc (sign-out, tests); data stays in IndexedDB. */
  async closeAll(): Promise<void> {
    const entries = [...this.entries];
    this.entries.clear();
    for (const [orderId] of entries) for (const listener of [...this.closeListeners]) listener(orderId);
    await Promise.all(entries.map(([, entry]) => entry.persistence.destroy().finally(() => entry.doc.destroy())));
  }

  private releaseEntry(orderId: string, entry: Entry): void {
    entry.count -= 1;
    if (entry.count > 0 || this.entries.get(orderId) !== entry) return;
    this.entries.delete(orderId);
    for (const listener of [...this.closeListeners]) listener(orderId);
    void entry.persistence.destroy().finally(() => entry.doc.destroy());
  }
}
