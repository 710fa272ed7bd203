/**
 * The sync engine: one WebSocket (`HocuspocusProviderWebsocket` at
 * `<base>sync`, token auth) carrying
 * - the user's index docs (`grid:<id>` / `community:<id>` / `street:<id>`, read-only, persisted
 *   with y-indexeddb), whose `OrderSummary` entries feed the Dexie projection; one new to the
 *   device comes first through the bulk read (gzipped), then its provider attaches;
 *   A live index doc comes in generations (docs/SERVER.md, "Index docs in generations"): when the server
 *   starts its next generation, the old one names it (`INDEX_META_MAP`) and the bulk read answers the old
 *   name with the new one; the engine opens the new one, and once it has synced forgets the old one's
 *   database (`follow`), its rows kept throughout;
 * - the archive months of those index docs (`street:<id>:archive:YYYY-MM`, docs/SERVER.md
 *   "Archive index docs") that a view asked for (`openArchives`: history, 数据分析) or that an
 *   order this device listed moved to: projected like the live ones, kept in y-indexeddb and
 *   opened again at every start, so history once fetched works offline;
 * - every order doc open on the device (`OrderDocs`): the screen's, and those
 *   holding journalled events or a field report the server has not confirmed,
 *   which the engine opens itself so offline work is delivered without the
 *   order being on screen.
 *
 * "Synced" means durable: the server acknowledges an update only after its
 * durable append (docs/SERVER.md, "Durable acknowledgement"), and the
 * provider's unsynced count falls to 0 only when every update it sent was
 * acknowledged. At that moment every event then in the doc is on the server's
 * disk, and the journal marks them so.
 *
 * An update the server's guard refuses is not "syncing": its work is marked
 * refused in the journal (so it stays refused across restarts), the order is
 * no longer held open nor counted in flight, and the user exports and then
 * discards it (`discardRefused`).
 */
import { liveQuery } from 'dexie';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { getSessionValue, setSessionValue, type LianxinDb } from '../local/db.ts';
import { dropDocSeeds, storeDocSeeds } from '../local/doc-seeds.ts';
import { markDurable, markIntakesDurable, markRefused, pendingEvents, pruneJournal, refusedWork, type RefusedWork } from '../local/journal.ts';
import { forgetOrders, projectMany, type ProjectionSource } from '../local/projection.ts';
import { notifySince, recordNotifications } from '../local/notifications.ts';
import { notificationsFor } from '../notify/notifications.ts';
import type { OrderSummary } from '../order/summary.ts';
import { isFinalStatus } from '../order/status.ts';
import { entryCannotBeOpen, readIndexSummary } from '../order/summary.ts';
import type { User } from '../org/roles.ts';
import {
  archiveIndexDocName,
  communityIndexDocName,
  gridIndexDocName,
  INDEX_META_MAP,
  INDEX_ORDERS_MAP,
  isOrderDocName,
  liveIndexGeneration,
  NEXT_GENERATION_KEY,
  orderDocName,
  streetIndexDocName,
} from '../sync/doc-names.ts';
import { archiveMonthOfLeaving } from '../order/index-placement.ts';
import { readEvents, readIntake } from '../sync/order-doc.ts';
import { withoutUpdateListeners } from '../sync/unheard.ts';
import type { LianxinApi } from './api.ts';
import { deleteDatabase, discardRefusedWork, listDatabases } from './device.ts';
import { LOCAL_ORIGIN, SEED_ORIGIN, type OrderDocHandle, type OrderDocs } from './order-docs.ts';
import { markStep } from './mark-step.ts';
import { Cell, type Watchable } from './watchable.ts';

/** Archived and merged rows written per transaction, after the others (`project`). */
const DONE_ROWS_CHUNK = 400;

/** Names a bulk read may carry (the server's limit). */
const DOWNLOAD_CHUNK = 500;

/** Confirmed journal rows are kept this long (for support questions), then pruned on start. */
const JOURNAL_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

export type SyncConnection = 'offline' | 'connecting' | 'connected' | 'signed_out';

export interface SyncEngineState {
  readonly connection: SyncConnection;
  /** Docs whose first exchange has not finished or whose changes await the server's acknowledgement. */
  readonly docsInFlight: number;
  /** True once every index doc has been received at least once since start. */
  readonly indexLoaded: boolean;
  /**
   * True once the rows of the open tabs' orders (待办, 处理中, 其他) are written from each index doc's first
   * state (the bulk read's, the device's stored one, or the socket's): the open work is listed and can be
   * downloaded, while the closed orders' rows, written after them, may still be arriving.
   * `liveLoaded` implies it.
   */
  readonly openLoaded: boolean;
  /**
   * True once the rows of every order not archived or merged are written from each index doc's first state:
   * the open tabs' and, after them, the closed orders the desk's 审核/回复/回访 queues hold (bench/README.md,
   * "First sync, part 13"). The desk's queues are complete; the archived and merged rows, written after
   * them, may still be arriving. `indexLoaded` implies it.
   */
  readonly liveLoaded: boolean;
  /**
   * True once the orders of the open tabs are known from each index doc's first state (its entries read,
   * `openOrderIds`), while their rows may still be being written: their docs, stored apart from the rows,
   * can be downloaded meanwhile (bench/README.md, "First sync, part 6"). `openLoaded` implies it.
   */
  readonly openKnown: boolean;
  /**
   * True once every index doc's rows are written from a state the device holds: received since
   * start, or stored at an earlier sync and read back (an offline relaunch). The list is on the
   * device, if maybe not the newest: an empty tab is known to be empty. `indexLoaded` implies it.
   */
  readonly listStored: boolean;
}

/**
 * The server's guard refused an update to an order (docs/SERVER.md): nothing of
 * it was stored, the journal keeps the events as unsynced (and exportable),
 * and the user must be told rather than see "syncing" for ever.
 */
export type Refusal = RefusedWork;

/** The archive months this device keeps (`openArchives`), and which of them are being received. */
export interface ArchiveStatus {
  /** Month (`YYYY-MM`) → device time its docs were last received in full; null: not yet (offline since asked). */
  readonly months: Readonly<Record<string, number | null>>;
  /** Months whose docs have not all been received since this start. */
  readonly loading: readonly string[];
}

export interface SyncEngineOptions {
  readonly db: LianxinDb;
  readonly docs: OrderDocs;
  /** `syncUrl(baseUrl)`. */
  readonly url: string;
  readonly token: string;
  readonly user: User;
  /** Index docs of the user's scope (`indexDocNamesFor`). */
  readonly indexDocs: readonly string[];
  /** For `prefetch` (bulk read of order docs). */
  readonly api?: LianxinApi;
  /** Node has no global WebSocket: pass `ws` there. */
  readonly WebSocketPolyfill?: unknown;
  readonly now?: () => number;
  /** The server refused the token: sign in again (unsynced work stays on the device). */
  readonly onSessionEnded?: () => void;
}

/**
 * The index docs a user reads. Grid workers their grid; community handlers
 * their community (which lists what is placed in or sent to the community or
 * any of its grids); street clerks their street; supervisors the streets of
 * their district, when known (`indexUnits`, learnt from the organisation:
 * there is no district index: the streets' indexes already list every order
 * of the district, and the server authorises each by the same scope rule).
 * Admins read no index: their screen is the organisation, not orders.
 */
export function indexDocNamesFor(user: Pick<User, 'role' | 'unitId'>, indexUnits: readonly string[] = []): string[] {
  switch (user.role) {
    case 'grid_worker':
      return [gridIndexDocName(user.unitId)];
    case 'street_clerk':
      return [streetIndexDocName(user.unitId)];
    case 'community_handler':
      return [communityIndexDocName(user.unitId)];
    case 'supervisor':
      return indexUnits.map(streetIndexDocName);
    default:
      return [];
  }
}

/**
 * Whether the user's index docs are those of units learnt after start (a
 * supervisor's streets, from the organisation), so that an empty list means
 * "not known yet", not "nothing to read".
 */
export function indexDocsLearnt(user: Pick<User, 'role'>): boolean {
  return user.role === 'supervisor';
}

interface Channel {
  readonly provider: HocuspocusProvider;
  /** `forget`: delete the doc's local copy too (a superseded index generation). */
  readonly close: (forget?: boolean) => void;
}

export class SyncEngine {
  private readonly refused = new Cell<readonly Refusal[]>([]);
  private readonly archiveCell = new Cell<ArchiveStatus>({ months: {}, loading: [] });
  /** Archive months kept → device time last received in full. */
  private readonly archiveMonths = new Map<string, number | null>();
  /** Archive doc name → its month, for the archive docs open on the socket. */
  private readonly archiveDocs = new Map<string, string>();
  /** Archive docs received in full since this start. */
  private readonly archiveSynced = new Set<string>();
  /** This origin's databases as they were before the engine opened any (`start`): an index doc not among them was never stored here. */
  private databasesAtStart: Promise<ReadonlySet<string> | null> = Promise.resolve(null);
  /** Resolves once the archive months stored on this device are open (`start`). */
  private archivesRestored: Promise<void> = Promise.resolve();
  /** Live index base name → the generation this device opens, when it followed one (`follow`); persisted. */
  private readonly generations = new Map<string, string>();
  /** Resolves once the generations this device followed before are known (`start`): live index docs open after it. */
  private generationsRestored: Promise<void> = Promise.resolve();
  /** Orders whose entry left a live index for an archive month being opened: their rows stay until it lists them. */
  private readonly moving = new Set<string>();
  private readonly cell = new Cell<SyncEngineState>({ connection: 'connecting', docsInFlight: 0, indexLoaded: false, liveLoaded: false, openLoaded: false, openKnown: false, listStored: false }, sameState);
  private socket: HocuspocusProviderWebsocket | null = null;
  private readonly channels = new Map<string, Channel>();
  /** Docs the engine holds open itself until their local work is durable. */
  private readonly held = new Map<string, Promise<OrderDocHandle>>();
  private readonly loadedIndexes = new Set<string>();
  /** Index docs whose stored state (from an earlier sync) has been projected: `listStored`. */
  private readonly storedIndexes = new Set<string>();
  /** Settles when no `download` is running (已办's rows wait for it: `project`). */
  private downloading: Promise<unknown> = Promise.resolve();
  /** Orders this engine lists in an open tab (not 已办), as the index docs list them now (their rows written or being written). */
  private readonly openRows = new Set<string>();
  /** Index docs whose open tabs' rows are written from a state received or stored (`openLoaded`). */
  private readonly openLoadedIndexes = new Set<string>();
  /** Index docs whose rows not archived or merged are written from a state received or stored (`liveLoaded`). */
  private readonly liveLoadedIndexes = new Set<string>();
  /** Index docs whose open tabs' orders are known from a state received or stored (`openKnown`). */
  private readonly openKnownIndexes = new Set<string>();
  /** Index docs whose entries this device already knew (stored, or received once): a new entry there is news. */
  private readonly baselines = new Set<string>();
  private readonly cleanups: (() => void)[] = [];
  private readonly now: () => number;
  private readonly indexDocs: string[];
  /** The user's index docs are known (false for a supervisor until `addIndexDocs` names their streets). */
  private indexDocsKnown: boolean;
  private stopped = false;
  /** The socket's last connection attempt ended before it connected (the server did not answer). */
  private attemptFailed = false;
  private lastStatus: string | undefined;

  constructor(private readonly options: SyncEngineOptions) {
    this.now = options.now ?? Date.now;
    this.indexDocs = [...options.indexDocs];
    // An empty list learnt later is not a loaded one: "已同步" over an index not even opened would be a lie.
    this.indexDocsKnown = this.indexDocs.length > 0 || !indexDocsLearnt(options.user);
  }

  get state(): Watchable<SyncEngineState> {
    return this.cell;
  }

  /** The archive months this device keeps and which are loading (history, 数据分析: how fresh it is). */
  get archives(): Watchable<ArchiveStatus> {
    return this.archiveCell;
  }

  /**
   * Keep the archives of these months (`YYYY-MM`) of every index doc the user
   * reads: opened on the socket (authorised by the server like the live ones),
   * stored with y-indexeddb and projected into the rows, and opened again at
   * every start. Months already kept are left as they are.
   */
  openArchives(months: readonly string[]): void {
    // After the months stored on this device are known: a month asked for again keeps its time.
    void this.archivesRestored.then(() => this.openArchivesNow(months));
  }

  private openArchivesNow(months: readonly string[]): void {
    if (this.stopped || !this.socket) return;
    const added = months.filter((month) => !this.archiveMonths.has(month));
    if (added.length === 0) return;
    for (const month of added) this.archiveMonths.set(month, null);
    for (const month of added) for (const name of this.indexDocs) this.openArchive(name, month);
    void this.saveArchives();
    this.refreshArchives();
  }

  /** Orders whose unsynced work the server refused (kept in the journal, so also those refused before a restart), oldest first. */
  get refusals(): Watchable<readonly Refusal[]> {
    return this.refused;
  }

  /**
   * After the user exported it: delete the refused work of these orders (all
   * by default) and their local docs, fetch the server's copies, and redraw
   * their list rows from the index. Returns the orders discarded.
   */
  async discardRefused(orderIds?: readonly string[]): Promise<string[]> {
    const { db, docs } = this.options;
    const ids = orderIds ?? (await refusedWork(db)).map((r) => r.orderId);
    for (const orderId of ids) {
      const held = this.held.get(orderId);
      this.held.delete(orderId);
      (await held?.catch(() => null))?.release();
    }
    const discarded = await discardRefusedWork(db, docs, ids);
    // The server's copies, so the orders open at once (offline too); if this fails they sync on open.
    await this.prefetch(discarded).catch(() => 0);
    // The rows were projected from the refused events.
    await forgetOrders(db, discarded);
    for (const [name, channel] of this.channels) {
      if (isOrderDocName(name)) continue;
      const map = channel.provider.document.getMap<unknown>(INDEX_ORDERS_MAP);
      await this.project(map, discarded.filter((id) => map.has(id)));
    }
    return discarded;
  }

  start(): void {
    markStep('sync-start');
    const { docs, db } = this.options;
    // Asked before any index doc's database is opened (and so created): the list is the storage as it was.
    this.databasesAtStart = listDatabases();
    this.socket = new HocuspocusProviderWebsocket({
      url: this.options.url,
      ...(this.options.WebSocketPolyfill ? { WebSocketPolyfill: this.options.WebSocketPolyfill } : {}),
      // Back quickly once the signal returns; `setOnline(true)` reconnects at once.
      maxDelay: 10_000,
      onStatus: () => this.refresh(),
      onDisconnect: () => this.refresh(),
      onConnect: () => this.refresh(),
    });
    // The generations followed at an earlier sync, so that the one the device holds opens, not the base.
    this.generationsRestored = getSessionValue(db, 'indexGenerations').then(
      (stored) => {
        for (const [base, name] of Object.entries(stored ?? {})) if (liveIndexGeneration(name)?.base === base && !this.generations.has(base)) this.generations.set(base, name);
      },
      () => undefined,
    );
    for (const name of this.indexDocs) this.openLive(name);
    // The archive months kept on this device: from y-indexeddb at once, from the server when online.
    this.archivesRestored = getSessionValue(db, 'archives').then(
      (stored) => {
        if (this.stopped || !stored) return;
        const months = Object.keys(stored).filter((month) => !this.archiveMonths.has(month));
        for (const month of months) this.archiveMonths.set(month, stored[month] ?? null);
        for (const month of months) for (const name of this.indexDocs) this.openArchive(name, month);
        this.refreshArchives();
      },
      () => undefined,
    );
    for (const [orderId, doc] of docs.openDocs()) this.openOrderChannel(orderId, doc);
    this.cleanups.push(
      docs.onOpen((orderId, doc) => this.openOrderChannel(orderId, doc)),
      docs.onClose((orderId) => this.closeChannel(orderDocName(orderId))),
    );
    // Keep every order with unconfirmed local work open (and so syncing) until the server has it;
    // refused work is not sent again by itself (opening the order on screen does).
    const pending = liveQuery(async () => {
      const [events, intakes] = await Promise.all([db.journal.where('unsynced').equals(1).toArray(), db.intakes.where('unsynced').equals(1).toArray()]);
      return new Set([...events, ...intakes].filter((row) => !row.refusal).map((row) => row.orderId));
    }).subscribe({ next: (ids) => this.holdPending(ids), error: () => undefined });
    const refused = liveQuery(() => refusedWork(db)).subscribe({
      next: (work) => {
        this.refused.set(work);
        this.refresh();
      },
      error: () => undefined,
    });
    this.cleanups.push(() => pending.unsubscribe(), () => refused.unsubscribe());
    // From now on what arrives is notified; before the first start on this device, nothing is.
    void notifySince(db, this.now());
    // Confirmed events are in the docs and on the server; the journal only needs what is not.
    void pruneJournal(db, this.now() - JOURNAL_KEEP_MS);
    this.refresh();
  }

  /** Sync these index docs too (a community handler's grids, learnt after start). */
  addIndexDocs(names: readonly string[]): void {
    if (this.stopped || !this.socket) return;
    this.indexDocsKnown = true;
    for (const name of names) {
      if (this.indexDocs.includes(name)) continue;
      this.indexDocs.push(name);
      this.openLive(name);
      for (const month of this.archiveMonths.keys()) this.openArchive(name, month);
    }
    this.refresh();
  }

  /** The browser's connectivity changed: reconnect at once when it returns. */
  setOnline(online: boolean): void {
    if (!this.socket || this.stopped) return;
    if (online && this.cell.value.connection !== 'signed_out' && this.socket.status !== 'connected') {
      // The signal is back: what the server does now is news, whatever it did offline.
      this.attemptFailed = false;
      void this.socket.connect();
    }
    this.refresh();
  }

  /**
   * Fetch order docs the device lacks in one request (`POST /api/docs`) and
   * store them with y-indexeddb, so open orders can be worked on offline
   * without having been opened online first.
   */
  async prefetch(orderIds: readonly string[]): Promise<number> {
    const { api, token } = this.options;
    if (!api || orderIds.length === 0) return 0;
    let stored = 0;
    for (let start = 0; start < orderIds.length && !this.stopped; start += 100) {
      const chunk = orderIds.slice(start, start + 100);
      const fetched = await api.fetchDocs(token, chunk.map(orderDocName));
      for (const orderId of chunk) {
        const entry = fetched[orderDocName(orderId)];
        if (!entry || !('update' in entry) || this.stopped) continue;
        // A name the server does not know comes back empty (a worker may create it): store no empty docs.
        if (!hasIntake(entry.update)) continue;
        // Straight into the doc's store, without opening a sync channel for it.
        const doc = new Y.Doc();
        const persistence = new IndexeddbPersistence(orderDocName(orderId), doc);
        try {
          await persistence.whenSynced;
          Y.applyUpdate(doc, entry.update, 'lianxin:prefetch');
          stored += 1;
          await this.notice(doc).catch(() => undefined);
        } finally {
          // Closing waits for the write transaction y-indexeddb started on the update.
          await persistence.destroy();
          doc.destroy();
        }
      }
    }
    return stored;
  }

  /**
   * Download order docs the device lacks (`POST /api/docs`, 500 names a
   * request) and store their states as the server sent them, each request's
   * in one transaction (`storeDocSeeds`, shared/local/doc-seeds.ts): no Y.Doc,
   * no database per order. When this resolves the orders are on the device:
   * listed by their index rows and openable offline, their states decoded
   * (and validated where read) when opened. The first sync's open orders come
   * this way; changes that may be news for the user come through `prefetch`,
   * which reads them for notifications. Returns the number stored.
   */
  async download(orderIds: readonly string[]): Promise<number> {
    const { api } = this.options;
    if (!api || orderIds.length === 0) return 0;
    const running = this.downloadNow(orderIds);
    this.downloading = Promise.all([this.downloading, running.catch(() => 0)]);
    return running;
  }

  private async downloadNow(orderIds: readonly string[]): Promise<number> {
    const { api, token, db } = this.options;
    if (!api) return 0;
    let stored = 0;
    markStep('download');
    for (let start = 0; start < orderIds.length && !this.stopped; start += DOWNLOAD_CHUNK) {
      const fetched = await api.fetchDocs(token, orderIds.slice(start, start + DOWNLOAD_CHUNK).map(orderDocName));
      if (this.stopped) break;
      const states = Object.entries(fetched).flatMap(([name, entry]) => (entry && 'update' in entry ? [{ name, update: entry.update }] : []));
      markStep('downloaded');
      stored += (await storeDocSeeds(db, states, this.now())).length;
    }
    markStep('download-stored');
    return stored;
  }

  /**
   * The orders this engine lists in an open tab (待办, 处理中, 其他), from the index docs' entries as
   * read: what a first sync downloads as soon as `openKnown`, while their rows are being written, without
   * reading the rows table.
   */
  openOrderIds(): string[] {
    return [...this.openRows];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    for (const name of [...this.channels.keys()]) this.closeChannel(name);
    const held = [...this.held.values()];
    this.held.clear();
    for (const handle of await Promise.all(held.map((p) => p.catch(() => null)))) handle?.release();
    this.socket?.destroy();
    this.socket = null;
  }

  private openArchive(liveName: string, month: string): void {
    const name = archiveIndexDocName(liveName, month);
    if (this.channels.has(name)) return;
    this.archiveDocs.set(name, month);
    this.openIndex(name, month);
  }

  /** An archive doc was received in full: its month is fresh once all of its docs are. */
  private archiveReceived(name: string, month: string): void {
    this.archiveSynced.add(name);
    const all = [...this.archiveDocs].filter(([, m]) => m === month).every(([doc]) => this.archiveSynced.has(doc));
    if (all) {
      this.archiveMonths.set(month, this.now());
      void this.saveArchives();
    }
    this.refreshArchives();
  }

  private async saveArchives(): Promise<void> {
    if (this.stopped) return;
    await setSessionValue(this.options.db, 'archives', Object.fromEntries(this.archiveMonths));
  }

  private refreshArchives(): void {
    const loading = new Set<string>();
    for (const [name, month] of this.archiveDocs) if (!this.archiveSynced.has(name)) loading.add(month);
    this.archiveCell.set({ months: Object.fromEntries(this.archiveMonths), loading: [...loading].sort() });
  }

  /** The live index doc `base`, in the generation this device holds (or the base, once the ones followed are known). */
  private openLive(base: string): void {
    void this.generationsRestored.then(() => {
      if (this.stopped || !this.socket) return;
      const name = this.generations.get(base) ?? base;
      if (!this.channels.has(name)) this.openIndex(name, undefined, base);
      void this.deleteSuperseded(base, name);
    });
  }

  /**
   * The databases of generations of `base` older than `current` still on this device: a tab closed after `current`
   * was recorded (`follow`) but before they were deleted (`retire`). Never opened again, so deleted here.
   */
  private async deleteSuperseded(base: string, current: string): Promise<void> {
    const generation = liveIndexGeneration(current)?.generation ?? 0;
    if (generation === 0) return;
    for (const name of (await this.databasesAtStart) ?? []) {
      const held = liveIndexGeneration(name);
      if (held?.base === base && held.generation < generation && !this.channels.has(name) && !this.stopped) void deleteDatabase(name);
    }
  }

  /**
   * The live index `base` moved from generation `from` to `to` (`to` named in `from`'s meta map, or by the bulk
   * read): `to` is opened and, once it has synced, `from` is closed and its database deleted (`retire`). The rows
   * stay: `from` is open until `to` lists the same entries. `now`: `from` holds nothing to keep (the bulk read
   * answered its name with `to`), so it goes at once. `to` is recorded (session value `indexGenerations`) only
   * once it has synced, just before `from` is retired: a tab closed in between opens `from` again at its next
   * start and follows again (recorded at once, `from` was never opened again: its database stayed for good).
   */
  private follow(base: string, from: string, to: string, now = false): void {
    if (this.stopped || this.generations.get(base) === to || to === from) return;
    const current = this.generations.get(base) ?? base;
    // Only from the generation this device opens (a stale key of an older one is already followed).
    if (current !== from) return;
    this.generations.set(base, to);
    markStep(`follow:${to}`);
    if (now) this.retire(from, to);
    this.openIndex(to, undefined, base, () => {
      // A later generation followed meanwhile records itself and retires this one once it has synced.
      if (this.generations.get(base) !== to) return;
      void this.saveGenerations();
      this.retireSuperseded(base);
    });
  }

  private async saveGenerations(): Promise<void> {
    if (this.stopped) return;
    await setSessionValue(this.options.db, 'indexGenerations', Object.fromEntries(this.generations)).catch(() => undefined);
  }

  /** Every generation of `base` still open but the current one (a chain followed while offline: n, n+1, … n+k). */
  private retireSuperseded(base: string): void {
    const current = this.generations.get(base) ?? base;
    for (const name of [...this.channels.keys()]) if (name !== current && liveIndexGeneration(name)?.base === base) this.retire(name, current);
  }

  /**
   * Closes a superseded generation and deletes its database; the orders it listed that `successor` does not are
   * treated as deleted from the index while this device looked: one that left for an archive month is followed
   * there (`followLeft`: the device never saw that deletion in any doc), the others leave the rows.
   */
  private retire(name: string, successor: string): void {
    const channel = this.channels.get(name);
    if (!channel || this.stopped) return;
    const map = this.channels.get(successor)?.provider.document.getMap<unknown>(INDEX_ORDERS_MAP);
    // Read before the doc is closed: the entries as this device last knew them, which tell where each went.
    const gone = map ? [...channel.provider.document.getMap<unknown>(INDEX_ORDERS_MAP)].filter(([key]) => !map.has(key)) : [];
    this.channels.delete(name);
    channel.close(true);
    this.refresh();
    if (!map || gone.length === 0) return;
    // After the close: an order still listed by an index open here (an archive month kept) has nothing to follow.
    const months = new Set<string>();
    for (const [key, old] of gone) this.followLeft(key, old, months);
    if (months.size > 0) this.openArchives([...months]);
    // As if deleted from the index: left only if no other index lists them, none is moving and no local work waits.
    void this.project(map, gone.map(([key]) => key)).catch(() => undefined);
  }

  /**
   * `archive`: the month, for an archive doc; absent for a live index doc. `base`: a live index doc's base name
   * (what the user's index list and the loaded states name), when `name` is a later generation of it.
   * `onFirstSync`: called once after its first sync (a followed generation retires its predecessors then).
   */
  private openIndex(name: string, archive?: string, base = name, onFirstSync?: () => void): void {
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(name, doc);
    let firstSync = onFirstSync;
    const map = doc.getMap<unknown>(INDEX_ORDERS_MAP);
    const changed = new Set<string>();
    /** Changed after this device had a baseline of this index: news (see `project`). */
    const arrived = new Set<string>();
    let flushing: Promise<void> | null = null;
    /** The doc holds a state of the index (stored, from the bulk read, or from the socket), not just its empty start. */
    let hasState = false;
    /** Once this index has a state: `name` joins `reached` (the open orders' ids known, or their rows written). */
    const markIndex = (reached: Set<string>, step: string) => () => {
      if (!hasState || reached.has(base)) return;
      reached.add(base);
      markStep(`${step}:${name}`);
      this.refresh();
    };
    const openRowsIn = markIndex(this.openLoadedIndexes, 'open-rows');
    const liveRowsIn = markIndex(this.liveLoadedIndexes, 'live-rows');
    const openIdsIn = markIndex(this.openKnownIndexes, 'open-ids');
    // One projection at a time, in order: "loaded" below waits for every change received before it.
    let last: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => {
      flushing ??= last = last.then(async () => {
        flushing = null;
        const keys = [...changed];
        const news = [...arrived];
        changed.clear();
        arrived.clear();
        if (keys.length > 0) await this.project(map, keys, false, { openIds: openIdsIn, openRows: openRowsIn, liveRows: liveRowsIn });
        if (news.length > 0) await this.project(map, news, true);
        if (keys.length + news.length > 0) markStep(`projected:${name}`);
      }).catch(() => undefined);
      return flushing;
    };
    const onChange = (event: Y.YMapEvent<unknown>) => {
      const into = this.baselines.has(base) ? arrived : changed;
      for (const key of event.keysChanged) into.add(key);
      if (archive === undefined) this.followLeaving(event);
      void flush();
    };
    map.observe(onChange);
    // A live index's successor, named in its meta map (stored, or from the socket): followed.
    const meta = doc.getMap<unknown>(INDEX_META_MAP);
    const onMeta = () => {
      const next = meta.get(NEXT_GENERATION_KEY);
      if (archive === undefined && typeof next === 'string' && liveIndexGeneration(next)?.base === base) this.follow(base, name, next);
    };
    meta.observe(onMeta);
    const stored = persistence.whenSynced.then(() => {
      // Read now: a bulk read fetched beside the open may be applied before the projection below ends, and a
      // first sync's state is not a stored one (`listStored` would say the desk's closed rows are all in).
      const held = map.size > 0;
      if (held) hasState = true;
      for (const key of map.keys()) changed.add(key);
      // A stored index is this device's baseline: what arrives from now on is news. A fresh one's first state is not.
      if (held) this.baselines.add(base);
      void flush().then(() => {
        if (!held) return;
        this.storedIndexes.add(base);
        this.refresh();
      });
      onMeta();
    });
    const provider = this.attach(name, doc, {
      // Loaded once the list rows are written, not when the doc arrives: until then the list
      // would read "暂无工单" under "已同步".
      onSynced: () => {
        markStep(`synced:${name}`);
        hasState = true;
        this.baselines.add(base);
        void flush().then(() => {
          this.loadedIndexes.add(base);
          this.openLoadedIndexes.add(base);
          this.liveLoadedIndexes.add(base);
          if (archive !== undefined) this.archiveReceived(name, archive);
          this.refresh();
          const first = firstSync;
          firstSync = undefined;
          first?.();
        });
      },
    }, false);
    // A doc new to this device comes first through the bulk read (gzipped: a street's index is megabytes of
    // JSON-like state, a few hundred KB compressed), then the socket's first exchange carries only the difference.
    // One whose database this device never had (a first sync) is asked for beside the database's open, which has
    // nothing to read (bench/README.md, "First sync, part 15"); it is applied once the open is done, and not at all
    // if the database held a state after all: the socket then merges the two.
    const early = this.databasesAtStart.then((names) => (names && !names.has(name) ? this.fetchState(name) : null));
    early.catch(() => undefined);
    /** The bulk read named the current generation instead: that one is opened, not this one. */
    let moved = false;
    void stored
      .then(async () => {
        if (map.size > 0) return;
        const state = (await early) ?? (await this.fetchState(name));
        if (state.moved !== null && archive === undefined && liveIndexGeneration(state.moved)?.base === base && !this.stopped) {
          moved = true;
          this.follow(base, name, state.moved, true);
        } else if (state.update && map.size === 0 && !this.stopped) this.bootstrap(name, doc, persistence, state.update, () => (hasState = true));
      })
      .catch(() => undefined)
      .finally(() => {
        if (!moved && !this.stopped && this.channels.get(name)?.provider === provider) provider.attach();
      });
    this.channels.set(name, {
      provider,
      close: (forget = false) => {
        map.unobserve(onChange);
        meta.unobserve(onMeta);
        provider.destroy();
        // A superseded generation's database goes with it (y-indexeddb's clearData deletes it once closed).
        void (forget ? persistence.clearData() : persistence.destroy()).finally(() => doc.destroy());
      },
    });
  }

  /**
   * The state of a doc this device does not have yet, through one bulk read; no update when offline or refused.
   * `moved`: the current generation's name, when `name` is a live index generation the server has replaced.
   */
  private async fetchState(name: string): Promise<{ readonly update: Uint8Array | null; readonly moved: string | null }> {
    const { api, token } = this.options;
    if (!api || this.stopped) return { update: null, moved: null };
    const entry = (await api.fetchDocs(token, [name]))[name];
    markStep(`fetched:${name}`);
    return { update: entry && 'update' in entry && !this.stopped ? entry.update : null, moved: entry && 'moved' in entry ? entry.moved : null };
  }

  /**
   * A bulk read's state, into a doc whose database is open (y-indexeddb drops a write made before).
   * Stored in y-indexeddb as it came, and applied with no `update` listener on the doc: with
   * one (y-indexeddb's, the provider's), Yjs encodes everything the update added once more to hand it
   * over — a street's whole index, on the first sync's path (bench/README.md, "First sync, part 7").
   * The provider, not attached yet, would send nothing; its sync once attached brings the difference.
   */
  private bootstrap(name: string, doc: Y.Doc, persistence: IndexeddbPersistence, update: Uint8Array, onApplied: () => void): void {
    // y-indexeddb's own write of an update (its `update` listener), of the bytes received.
    persistence._storeUpdate(update, 'lianxin:bootstrap');
    withoutUpdateListeners(doc, () => Y.applyUpdate(doc, update, 'lianxin:bootstrap'));
    // Before the projection that the update's observer queued runs: its open rows are then a state's.
    onApplied();
    markStep(`applied:${name}`);
  }

  /**
   * Entries that left a live index doc for an archive month (closed long
   * enough ago): the order does not vanish from this device. The month's
   * archive is kept from now on, and the row stays until it lists the order.
   */
  private followLeaving(event: Y.YMapEvent<unknown>): void {
    const months = new Set<string>();
    for (const [key, change] of event.changes.keys) if (change.action === 'delete') this.followLeft(key, change.oldValue, months);
    if (months.size > 0) this.openArchives([...months]);
  }

  /**
   * One entry that left a live index, `old` its value there: if it left for an archive month, the order is
   * `moving` (its row stays until that month lists it) and the month is added to `months`, to be kept.
   */
  private followLeft(key: string, old: unknown, months: Set<string>): void {
    const summary = readIndexSummary(key, old);
    const month = summary.ok ? archiveMonthOfLeaving(summary.value) : null;
    // Already listed by an archive this device keeps: nothing to follow.
    if (month === null || this.inAnyIndex(key)) return;
    this.moving.add(key);
    months.add(month);
  }

  /**
   * Project changed index entries; entries deleted from the index leave the
   * device's list unless local work remains. When `news`, the orders of this
   * user's whose entries changed have their docs fetched, for their events
   * (notifications) and to be at hand offline.
   *
   * The open tabs' orders are known first (`on.openIds`: their download may
   * start, beside the rows' write, part 6), then their rows are written, in a
   * transaction of their own (`on.openRows`), then, once a running download is
   * stored, the closed orders not archived or merged, the desk's 审核/回复/回访
   * (`on.liveRows`), then the archived and merged ones (bench/README.md, "First
   * sync, part 5" and "part 13": IndexedDB's commit is a cost per row, and it is
   * what a first sync waits for): the open work is listed and its docs stored
   * before the closed orders' rows, and those before the history.
   */
  private async project(map: Y.Map<unknown>, keys: readonly string[], news = false, on: { openIds?: () => void; openRows?: () => void; liveRows?: () => void } = {}): Promise<void> {
    const sources: ProjectionSource[] = [];
    const removed: string[] = [];
    /** Entries that cannot list open work: checked after the open tabs' rows are handed to IndexedDB (part 15). */
    const notOpen: string[] = [];
    const read = (key: string, raw: unknown) => {
      const summary = readIndexSummary(key, raw);
      if (summary.ok) sources.push({ summary: summary.value });
      this.moving.delete(key);
    };
    for (const key of keys) {
      const raw = map.get(key);
      if (raw === undefined) removed.push(key);
      else if (on.openIds && entryCannotBeOpen(raw)) notOpen.push(key);
      else read(key, raw);
    }
    const { db, docs } = this.options;
    const before = news && sources.length > 0 ? await db.orders.bulkGet(sources.map(({ summary }) => summary.id)) : [];
    // Downloaded: the open tabs' (待办, 处理中, 其他); a merged order listed under 其他 is finished.
    const open = sources.filter(({ summary }) => summary.tab !== 'done' && !isFinalStatus(summary.status));
    for (const { summary } of sources) this.openRows.delete(summary.id);
    for (const { summary } of open) this.openRows.add(summary.id);
    for (const id of [...removed, ...notOpen]) this.openRows.delete(id);
    on.openIds?.();
    const readNotOpen = async () => {
      // A task later: the download `openIds` starts sends its request first.
      await new Promise((resolve) => setTimeout(resolve, 0));
      // One deleted meanwhile is the next projection's (its change is queued): it may be moving to an archive.
      for (const key of notOpen) {
        const raw = map.get(key);
        if (raw !== undefined) read(key, raw);
      }
    };
    await Promise.all([open.length > 0 ? projectMany(db, open, this.now()) : undefined, notOpen.length > 0 ? readNotOpen() : undefined]);
    on.openRows?.();
    // The closed orders not archived or merged: the desk's 审核/回复/回访 (the clerk's work, though in 已办),
    // complete when `on.liveRows` says so. After the open orders' docs are stored: their store would queue
    // behind this transaction (Chromium runs a database's transactions one at a time, part 9).
    const closedLive = sources.filter(({ summary }) => summary.tab === 'done' && !isFinalStatus(summary.status));
    if (closedLive.length > 0) {
      await this.downloading;
      // A task later: the session's record of the download (`prefetched`, written once it is stored) is asked for first.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await projectMany(db, closedLive, this.now());
    }
    on.liveRows?.();
    const done = sources.filter(({ summary }) => isFinalStatus(summary.status));
    // In chunks, each its own transaction: the lists' reads of the rows above (the desk, the inbox) and the
    // download's are not queued behind the whole history's commit. The history also yields to a download of
    // open orders (which `onOpenRows` may have just started): the open work on the device first.
    for (let start = 0; start < done.length && !this.stopped; start += DONE_ROWS_CHUNK) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await this.downloading;
      await projectMany(db, done.slice(start, start + DONE_ROWS_CHUNK), this.now());
    }
    if (news) {
      const changed = sources
        .filter(({ summary }, i) => before[i]?.lastHlc !== summary.lastHlc && this.concernsUser(summary) && !docs.isOpen(summary.id))
        .map(({ summary }) => summary.id);
      if (changed.length > 0) void this.prefetch(changed).catch(() => 0);
    }
    await docs.forgetFinished(done.map(({ summary }) => summary.id));
    const forgettable = [];
    for (const id of removed) if (!this.moving.has(id) && !this.inAnyIndex(id) && (await pendingEvents(db, id)).length === 0) forgettable.push(id);
    if (forgettable.length > 0) {
      await forgetOrders(db, forgettable);
      // Its downloaded state too: one seed left waiting keeps its whole download's pack (≈ 1 MB) on the device.
      await dropDocSeeds(db, forgettable.map(orderDocName));
    }
  }

  /** An order this user handles, or whose unit does: its events may be news for them. */
  private concernsUser(summary: OrderSummary): boolean {
    const { user } = this.options;
    return !isFinalStatus(summary.status) && (summary.assignee === user.id || summary.target?.unitId === user.unitId);
  }

  /** Record the notifications this order doc holds for the user (shared/notify). */
  private async notice(doc: Y.Doc): Promise<void> {
    const intake = readIntake(doc);
    if (!intake?.ok || this.stopped) return;
    const { events } = readEvents(doc);
    const { db, user } = this.options;
    const now = this.now();
    const since = await notifySince(db, now);
    await recordNotifications(db, notificationsFor(user, intake.value, events, { since }), now);
  }

  private inAnyIndex(orderId: string): boolean {
    for (const [name, channel] of this.channels) {
      if (!isOrderDocName(name) && channel.provider.document.getMap(INDEX_ORDERS_MAP).has(orderId)) return true;
    }
    return false;
  }

  private openOrderChannel(orderId: string, doc: Y.Doc): void {
    const name = orderDocName(orderId);
    if (this.stopped || this.channels.has(name)) return;
    const provider = this.attach(name, doc, {
      onUnsyncedChanges: (count) => {
        if (count === 0) void this.markSynced(orderId, doc);
        this.refresh();
      },
      onStateless: (payload) => this.onStateless(orderId, payload),
    });
    // What arrives from the server may be news for this user; local writes and seeds are not.
    let noticing: ReturnType<typeof setTimeout> | null = null;
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === LOCAL_ORIGIN || origin === SEED_ORIGIN || noticing !== null) return;
      noticing = setTimeout(() => {
        noticing = null;
        void this.notice(doc).catch(() => undefined);
      }, 50);
    };
    doc.on('update', onUpdate);
    this.channels.set(name, {
      provider,
      close: () => {
        doc.off('update', onUpdate);
        // Closed within the delay (the user left the page as the news arrived): the notice is due now, not
        // dropped; the index's change is no news by then, since this doc already projected the row.
        if (noticing !== null) {
          clearTimeout(noticing);
          noticing = null;
          void this.notice(doc).catch(() => undefined);
        }
        provider.destroy();
      },
    });
    this.refresh();
  }

  private closeChannel(name: string): void {
    const channel = this.channels.get(name);
    if (!channel) return;
    this.channels.delete(name);
    channel.close();
    this.refresh();
  }

  private onStateless(orderId: string, payload: string): void {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'refused') return;
    const { code, reason, field } = message as { code?: unknown; reason?: unknown; field?: unknown };
    void markRefused(this.options.db, orderId, {
      code: typeof code === 'string' ? code : 'refused',
      reason: typeof reason === 'string' ? reason : '',
      field: typeof field === 'string' ? field : null,
      at: this.now(),
    });
  }

  private attach(
    name: string,
    document: Y.Doc,
    hooks: { onSynced?: () => void; onUnsyncedChanges?: (count: number) => void; onStateless?: (payload: string) => void },
    attachNow = true,
  ): HocuspocusProvider {
    const provider = new HocuspocusProvider({
      websocketProvider: this.socket!,
      name,
      document,
      token: this.options.token,
      // No presence is shown anywhere, and the server drops awareness messages:
      // do not send one per document every 15 s. The server's pings keep the socket alive.
      awareness: null,
      // Its own routing key (`<name>\0<session id>`) on the shared socket: a doc given back and
      // taken again at once gets a new provider while the server may still be handling the old
      // one's CLOSE. With the plain name, the server routes the new provider's auth and sync to
      // the closing connection, then drops that connection, and the new provider's updates wait
      // for an auth that never comes: its writes are never acknowledged.
      sessionAwareness: true,
      onSynced: () => {
        hooks.onSynced?.();
        this.refresh();
      },
      onUnsyncedChanges: ({ number }) => hooks.onUnsyncedChanges?.(number),
      onStateless: ({ payload }) => hooks.onStateless?.(payload),
      onAuthenticationFailed: ({ reason }) => {
        if (reason.startsWith('unauthenticated')) this.sessionEnded();
        this.refresh();
      },
    });
    // A provider given a shared socket syncs only once attached.
    if (attachNow) provider.attach();
    return provider;
  }

  /**
   * Every local update this doc's provider sent has been acknowledged, and the
   * server acknowledges only durable writes: the events in the doc now are on
   * the server. Read synchronously, before any later action can append.
   */
  private async markSynced(orderId: string, doc: Y.Doc): Promise<void> {
    const ids = readEvents(doc).events.map((event) => event.id);
    const hasIntake = readIntake(doc) !== null;
    const { db } = this.options;
    const now = this.now();
    await markDurable(db, ids, now);
    if (hasIntake) await markIntakesDurable(db, [orderId], now);
  }

  private holdPending(orderIds: ReadonlySet<string>): void {
    if (this.stopped) return;
    for (const orderId of orderIds) {
      if (this.held.has(orderId)) continue;
      this.held.set(orderId, this.options.docs.acquire(orderId));
    }
    for (const [orderId, handle] of this.held) {
      if (orderIds.has(orderId)) continue;
      this.held.delete(orderId);
      void handle.then((h) => h.release(), () => undefined);
    }
  }

  private sessionEnded(): void {
    if (this.cell.value.connection === 'signed_out') return;
    this.cell.set({ ...this.cell.value, connection: 'signed_out' });
    this.socket?.disconnect();
    this.options.onSessionEnded?.();
  }

  private refresh(): void {
    const current = this.cell.value;
    if (current.connection === 'signed_out') return;
    const status = this.socket?.status;
    if (status === 'connected') this.attemptFailed = false;
    else if (status === 'disconnected' && this.lastStatus === 'connecting') this.attemptFailed = true;
    this.lastStatus = status;
    // After a failed attempt, the retries are the same server not answering, not "connecting".
    const connection: SyncConnection = status === 'connected' ? 'connected' : status === 'connecting' && !this.attemptFailed ? 'connecting' : 'offline';
    let docsInFlight = 0;
    const refused = new Set(this.refused.value.map((r) => orderDocName(r.orderId)));
    for (const [name, { provider }] of this.channels) {
      // Refused work waits for the user, not for the server.
      if (refused.has(name)) continue;
      // Index docs are read-only: Hocuspocus answers a read-only client's sync step 2 with a
      // negative status when the diff carries any delete set, so their unsynced count never
      // settles. Having received the server's state is what matters for them.
      const waiting = isOrderDocName(name) ? !provider.synced || provider.hasUnsyncedChanges : !provider.synced;
      if (waiting) docsInFlight += 1;
    }
    const indexLoaded = this.indexDocsKnown && this.indexDocs.every((name) => this.loadedIndexes.has(name));
    const liveLoaded = indexLoaded || (this.indexDocsKnown && this.indexDocs.every((name) => this.liveLoadedIndexes.has(name)));
    const openLoaded = liveLoaded || (this.indexDocsKnown && this.indexDocs.every((name) => this.openLoadedIndexes.has(name)));
    const openKnown = openLoaded || (this.indexDocsKnown && this.indexDocs.every((name) => this.openKnownIndexes.has(name)));
    const listStored = indexLoaded || (this.indexDocsKnown && this.indexDocs.every((name) => this.loadedIndexes.has(name) || this.storedIndexes.has(name)));
    this.cell.set({ connection, docsInFlight, indexLoaded, liveLoaded, openLoaded, openKnown, listStored });
  }
}

function sameState(a: SyncEngineState, b: SyncEngineState): boolean {
  return a.connection === b.connection && a.docsInFlight === b.docsInFlight && a.indexLoaded === b.indexLoaded && a.liveLoaded === b.liveLoaded && a.openLoaded === b.openLoaded && a.openKnown === b.openKnown && a.listStored === b.listStored;
}

function hasIntake(update: Uint8Array): boolean {
  const probe = new Y.Doc();
  try {
    Y.applyUpdate(probe, update);
    return readIntake(probe) !== null;
  } finally {
    probe.destroy();
  }
}
