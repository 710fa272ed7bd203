/**
 * The orders' rows on this device (the projection, `shared/local/projection.ts`):
 * the inbox's tabs and counts, the desk's rows, photos by hash. Dexie only, no
 * Y.Doc and no Yjs: what the app's first screen reads, before the order docs
 * (`OrderRepository`, which extends this) are loaded.
 */
import { liveQuery } from 'dexie';
import type { LianxinDb, OrderRow, PhotoRow } from '../local/db.ts';
import { countsByTab, inboxRows, watchDeskRows } from '../local/projection.ts';
import type { InboxTab } from '../order/status.ts';
import type { PastOrder } from '../org/suggest-unit.ts';

/** A row of the inbox: the projection's row (summary plus search text). */
export type InboxRow = OrderRow;

/** Rows per inbox tab; 'all' is every row. */
export type InboxCounts = Readonly<Record<InboxTab | 'all', number>>;

export interface OrderRowsOptions {
  readonly db: LianxinDb;
  readonly now?: () => number;
}

export class OrderRows {
  protected readonly now: () => number;

  constructor(protected readonly options: OrderRowsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Every order this device lists, as the dispatch suggestion reads them (`shared/org/suggest-unit.ts`). */
  async knownOrders(): Promise<PastOrder[]> {
    const rows = await this.options.db.orders.toArray();
    return rows.map((row) => ({ id: row.id, address: row.address, gridId: row.gridId, communityId: row.communityId, target: row.target }));
  }

  getPhoto(sha256: string): Promise<PhotoRow | undefined> {
    return this.options.db.photos.get(sha256);
  }

  /** The tab's rows read once, now. */
  readInboxTab(tab: InboxTab | 'all'): Promise<InboxRow[]> {
    return inboxRows(this.options.db, tab, this.now());
  }

  /**
   * One tab's rows ('all': every row) in inbox order, live; only that tab's
   * rows are read (by index), and no Y.Doc is opened. Returns the unsubscribe.
   */
  watchInboxTab(tab: InboxTab | 'all', listener: (rows: InboxRow[]) => void, onError: (error: unknown) => void = () => undefined): () => void {
    const subscription = liveQuery(() => inboxRows(this.options.db, tab, this.now())).subscribe({ next: listener, error: onError });
    return () => subscription.unsubscribe();
  }

  /**
   * The desk's rows (every order not archived or merged), live and incremental (`watchDeskRows`); the queues
   * are computed from them. `current`: they hold every write signalled so far. Returns the unsubscribe.
   */
  watchDeskRows(listener: (rows: InboxRow[], current: boolean) => void, onError: (error: unknown) => void = () => undefined): () => void {
    return watchDeskRows(this.options.db, listener, onError);
  }

  /** How many rows each tab holds, live, from index counts: no row is read. Returns the unsubscribe. */
  watchInboxCounts(listener: (counts: InboxCounts) => void, onError: (error: unknown) => void = () => undefined): () => void {
    const subscription = liveQuery(async (): Promise<InboxCounts> => {
      const counts = await countsByTab(this.options.db);
      return { ...counts, all: counts.todo + counts.doing + counts.done + counts.other };
    }).subscribe({ next: listener, error: onError });
    return () => subscription.unsubscribe();
  }
}
