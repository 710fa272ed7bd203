/**
 * The client's policy for who is signed in on this device and what happens
 * to their work — the one both apps run, so the PWA and the extension refuse
 * and allow the same things and report the same sync status:
 *
 * - **Signing in as another user** forgets the previous user's data first,
 *   and is refused while any of it is unsynced (the new token is ended on
 *   the server at once then, so no session is left open for nobody). The
 *   same user signing in again after their session ended keeps everything and
 *   delivers it. A local session's data (the PWA's demo) is nobody's work and
 *   goes without asking.
 * - **Signing out** is refused while anything is unsynced — refused changes
 *   and rejected photos too: they exist nowhere else — unless the caller
 *   discards it explicitly. Ending the session on the server is best effort
 *   (offline, the token simply expires there).
 * - **Prefetch**: once the user's index has loaded, open orders whose docs
 *   were never on the device are fetched in one bulk read, so they can be
 *   worked on offline without having been opened online first.
 * - **Status**: `sync-status.ts`, from the same counts for both apps.
 *
 * The apps wire it: the PWA to the page's online signal, demo mode and the
 * Watchables its screens read; the extension's background to its messages.
 */
import Dexie, { liveQuery } from 'dexie';
import type { RandomBytes } from '../clock/ids.ts';
import { getSessionValue, setSessionValue, type LianxinDb } from '../local/db.ts';
import { INBOX_INDEX, LOCAL_TOKEN } from '../local/first-read.ts';
import { allSynced, unsyncedCounts } from '../local/projection.ts';
import { FINAL_STATUSES, type InboxTab } from '../order/status.ts';
import type { User } from '../org/roles.ts';
import { ApiError, type LianxinApi, type MeResult } from './api.ts';
import { forgetLocalData } from './device.ts';
import type { OrderDocs } from './order-docs.ts';
import { loadSession, recordServerTime, saveSession, type StoredSession } from './session.ts';
import { readPending } from './read-pending.ts';
import { NOTHING_PENDING, sameStatus, samePending, syncStatusOf, sessionKindOf, type Pending, type SyncStatus } from './sync-status.ts';
import { markStep } from './mark-step.ts';
import type { ArchiveStatus, SyncEngine, SyncEngineOptions, SyncEngineState, indexDocNamesFor } from './sync.ts';
import { UploadQueue } from './uploads.ts';
import { Cell, until, type Watchable } from './watchable.ts';

/** Where a session's server is. */
export interface Server {
  readonly api: LianxinApi;
  /** `syncUrl(baseUrl)`. */
  readonly syncUrl: string;
}

export interface Session {
  readonly user: User;
  readonly token: string;
  /** No server: the data is nobody's work (the PWA's demo mode). */
  readonly local: boolean;
  /** server clock − device clock, as last measured. */
  readonly serverOffsetMs: number;
  readonly place: StoredSession['place'];
}

/** What the client needs of the sync engine (the PWA loads it as a lazy chunk). */
export type Engine = Pick<SyncEngine, 'start' | 'stop' | 'setOnline' | 'addIndexDocs' | 'prefetch' | 'download' | 'openOrderIds' | 'state' | 'refusals' | 'discardRefused' | 'openArchives' | 'archives'>;

export interface SyncStack {
  createEngine(options: SyncEngineOptions): Engine;
  readonly indexDocNamesFor: typeof indexDocNamesFor;
}

/** The real stack, from the sync module (imported statically or lazily by the app). */
export function syncStackOf(module: typeof import('./sync.ts')): SyncStack {
  return { createEngine: (options) => new module.SyncEngine(options), indexDocNamesFor: module.indexDocNamesFor };
}

export interface ClientSessionOptions {
  readonly db: LianxinDb;
  /**
   * The order docs (Yjs, y-indexeddb), loaded when first needed: by sync, by
   * forgetting the user's data. Nothing of the first screen needs them.
   */
  readonly loadDocs: () => Promise<OrderDocs>;
  readonly random: RandomBytes;
  readonly now?: () => number;
  /** The runtime's connectivity at start; `setOnline` follows it. */
  readonly online: boolean;
  readonly loadSync: () => Promise<SyncStack>;
  /** The units whose index docs the user reads beyond their own (a supervisor's streets: `indexDocNamesFor`), learnt from the organisation. */
  readonly indexUnits?: (user: User) => readonly string[];
  /** The engine runs for this session, or the connection came back: the PWA learns the organisation then. */
  readonly onConnected?: (session: Session, server: Server) => void;
  /** The user's data left the device: forget what the app keeps outside the shared database too. */
  readonly onForgotten?: () => void | Promise<void>;
  /** The server refused the token: sign in again; unsynced work stays on the device. */
  readonly onSessionEnded?: () => void;
  /** Checking the session failed for another reason than the token or the network. */
  readonly onCheckFailed?: (error: ApiError) => void;
  /** Node has no global WebSocket: tests pass `ws`. */
  readonly WebSocketPolyfill?: unknown;
}

export { LOCAL_TOKEN };

/** Signing in was refused: another user's unsynced work is on this device. */
export class UnsyncedWorkError extends Error {
  constructor(readonly owner: Pick<User, 'id' | 'name'>) {
    super(`${owner.name} (${owner.id}) still has unsynced work on this device; sign in as them to deliver it, or export it first`);
    this.name = 'UnsyncedWorkError';
  }
}

export type SignOutResult = { readonly ok: true } | { readonly ok: false; readonly events: number; readonly photos: number };

/**
 * Open orders downloaded in one go at most (two bulk reads, stored as sent: `SyncEngine.download`); the rest
 * come when opened. A street clerk's 500 open orders all fit (issue 18: every open order on the device).
 */
const PREFETCH_MAX = 1000;
/** Order ids remembered as fetched (the oldest are forgotten first). */
const PREFETCH_REMEMBER = 2000;
const LOCAL_SESSION_DAYS = 365;

export class ClientSession {
  private readonly db: LianxinDb;
  private readonly now: () => number;
  private readonly sessionCell = new Cell<Session | null>(null);
  private readonly endedCell = new Cell(false);
  private readonly pendingCell = new Cell<Pending>(NOTHING_PENDING, samePending);
  private readonly statusCell = new Cell<SyncStatus>(syncStatusOf({ session: 'none', online: true, engine: null, pending: NOTHING_PENDING, upload: null }), sameStatus);
  private readonly engineCell = new Cell<SyncEngineState | null>(null);
  private readonly archiveCell = new Cell<ArchiveStatus | null>(null);
  /** Archive months asked for before the engine ran: opened when it starts. */
  private readonly wantedArchives = new Set<string>();
  private online: boolean;
  private server: Server | null = null;
  private engine: Engine | null = null;
  private uploads: UploadQueue | null = null;
  private stopWatchingEngine: () => void = () => undefined;
  /** Bumped by `stopSync`: a start still waiting or loading then gives up. */
  private generation = 0;
  private restored: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ClientSessionOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
    this.online = options.online;
  }

  get session(): Watchable<Session | null> {
    return this.sessionCell;
  }

  /** The server said the session ended: sign in again; unsynced work stays on the device. */
  get sessionEnded(): Watchable<boolean> {
    return this.endedCell;
  }

  get pending(): Watchable<Pending> {
    return this.pendingCell;
  }

  get status(): Watchable<SyncStatus> {
    return this.statusCell;
  }

  /** The engine's own state while it runs. */
  get engineState(): Watchable<SyncEngineState | null> {
    return this.engineCell;
  }

  /** The archive months kept on this device and those loading, while the engine runs (null otherwise). */
  get archives(): Watchable<ArchiveStatus | null> {
    return this.archiveCell;
  }

  /**
   * Keep the archive index docs of these months (history, 数据分析): fetched
   * now, or when sync starts, and kept offline (`SyncEngine.openArchives`).
   */
  openArchives(months: readonly string[]): void {
    if (this.engine) this.engine.openArchives(months);
    else for (const month of months) this.wantedArchives.add(month);
  }

  /** The stored session, without starting sync (the PWA defers that past its first screen); `read`: the session as already read (the PWA's early raw read). */
  restore(read: Promise<StoredSession | null> = loadSession(this.db)): Promise<Session | null> {
    const restoring = read.then((stored) => {
      if (stored) this.sessionCell.set(toSession(stored));
      this.update();
      return this.sessionCell.value;
    });
    this.restored = restoring.catch(() => undefined);
    return restoring;
  }

  /** Keep `pending` and `status` live from the database (for a UI that watches them); returns the stop. */
  observe(): () => void {
    const subscription = liveQuery(() => readPending(this.db)).subscribe({
      next: (value) => {
        this.pendingCell.set(value);
        this.update();
      },
      error: () => undefined,
    });
    return () => subscription.unsubscribe();
  }

  /** The status read fresh from the database (a worker stopped and started again has nothing in memory). */
  async readStatus(): Promise<SyncStatus> {
    await this.restored;
    this.pendingCell.set(await readPending(this.db));
    this.update();
    return this.statusCell.value;
  }

  /**
   * Sync the signed-in session with `server`: at once, or once `after` has
   * resolved (the status says 'connecting' meanwhile). Also checks the token
   * and measures the server clock when online.
   */
  async startSync(server: Server, after?: Promise<unknown>): Promise<void> {
    const stopping = this.stopSync();
    const generation = this.generation;
    const current = this.sessionCell.value;
    if (!current || current.local) return;
    this.server = server;
    await Promise.all([stopping, after]);
    // The downloaded list is read now, before the engine writes anything: read when the open orders are known, it
    // would queue behind their rows' read-write transaction (bench/README.md, "First sync, part 9").
    const [stack, docs, prefetched] = await Promise.all([this.options.loadSync(), this.options.loadDocs(), getSessionValue(this.db, 'prefetched')]);
    if (generation !== this.generation) return; // stopped, or started again, meanwhile
    this.run(stack, docs, server, current, new Set(prefetched));
    this.update();
    if (this.online) void this.checkSession();
  }

  /** Stop syncing (the session stays); a start still waiting gives up. */
  stopSync(): Promise<void> {
    this.generation++;
    this.stopWatchingEngine();
    this.stopWatchingEngine = () => undefined;
    const stopping = Promise.all([this.engine?.stop(), this.uploads?.stop()]).then(() => undefined);
    this.engine = null;
    this.uploads = null;
    this.engineCell.set(null);
    this.archiveCell.set(null);
    this.update();
    return stopping;
  }

  /**
   * Sign in online. Another user's data on this device is forgotten first, and
   * refused (`UnsyncedWorkError`) while any of it is unsynced.
   */
  async signIn(server: Server, username: string, password: string): Promise<Session> {
    // The sync stack's and the docs' lazy chunks load while the server checks the password, not after
    // (bench/README.md, "First sync, part 15"): a first visit fetched and compiled them on the first sync's path.
    void Promise.all([this.options.loadSync(), this.options.loadDocs()]).catch(() => undefined);
    const result = await server.api.login(username, password);
    markStep('signed-in');
    // The user's key outlives a dropped token (the extension drops it when the server ends the session).
    const [previous, previousToken] = await Promise.all([getSessionValue(this.db, 'user'), getSessionValue(this.db, 'token')]);
    const previousLocal = previousToken === LOCAL_TOKEN;
    if (previous && (previousLocal || previous.id !== result.user.id) && !(await this.forget(previousLocal))) {
      await server.api.logout(result.token).catch(() => undefined);
      throw new UnsyncedWorkError(previous);
    }
    const stored = await saveSession(this.db, result, this.options.random);
    markStep('session-saved');
    this.endedCell.set(false);
    this.sessionCell.set(toSession(stored));
    await this.startSync(server);
    return toSession(stored);
  }

  /**
   * A session with no server (the PWA's demo): the previous data goes first —
   * refused while a signed-in user's work on the device is unsynced. `prepare`
   * writes the local data, after the old is gone and before the session is stored.
   */
  async signInLocal(signedIn: Omit<MeResult, 'expiresAt' | 'serverTime' | 'receivedAt'>, prepare: () => Promise<void>): Promise<Session> {
    const [previous, previousToken] = await Promise.all([getSessionValue(this.db, 'user'), getSessionValue(this.db, 'token')]);
    if (previous && previousToken !== LOCAL_TOKEN && !(await allSynced(this.db))) throw new UnsyncedWorkError(previous);
    await this.forget(true);
    await prepare();
    const now = this.now();
    const stored = await saveSession(this.db, { ...signedIn, token: LOCAL_TOKEN, expiresAt: now + LOCAL_SESSION_DAYS * 86_400_000, serverTime: now, receivedAt: now }, this.options.random);
    this.endedCell.set(false);
    this.sessionCell.set(toSession(stored));
    this.update();
    return toSession(stored);
  }

  /**
   * Refused while anything is unsynced, unless `discardUnsynced`; otherwise
   * ends the session on the server and forgets the user's data.
   */
  async signOut({ discardUnsynced = false }: { readonly discardUnsynced?: boolean } = {}): Promise<SignOutResult> {
    const current = this.sessionCell.value;
    const force = discardUnsynced || current?.local === true;
    if (!force) {
      const counts = await unsyncedCounts(this.db);
      if (counts.events + counts.intakes + counts.photos > 0) return { ok: false, events: counts.events + counts.intakes, photos: counts.photos };
    }
    if (current && !current.local && !this.endedCell.value) await this.server?.api.logout(current.token).catch(() => undefined);
    const server = this.server;
    if (!(await this.forget(force))) {
      // Work was recorded since the check: keep delivering it (the token may be gone; then the session ends and the work stays).
      const again = await unsyncedCounts(this.db);
      if (current && server) void this.startSync(server);
      return { ok: false, events: again.events + again.intakes, photos: again.photos };
    }
    this.server = null;
    this.sessionCell.set(null);
    this.endedCell.set(false);
    this.update();
    return { ok: true };
  }

  /** Measure the server clock and learn whether the token still holds. */
  async checkSession(): Promise<void> {
    const current = this.sessionCell.value;
    const server = this.server;
    if (!current || current.local || !server || this.endedCell.value) return;
    try {
      const me = await server.api.me(current.token);
      await recordServerTime(this.db, me);
      const stored = await loadSession(this.db);
      if (stored && this.sessionCell.value?.token === current.token) this.sessionCell.set(toSession(stored));
    } catch (error) {
      if (!(error instanceof ApiError)) return;
      if (error.unauthenticated) this.endSession();
      else if (!error.offline) this.options.onCheckFailed?.(error);
    }
  }

  /** The runtime's connectivity changed: reconnect and send at once when it returns. */
  setOnline(online: boolean): void {
    this.online = online;
    this.engine?.setOnline(online);
    if (online) void this.uploads?.kick(true);
    const current = this.sessionCell.value;
    if (online && this.engine && this.server && current && !current.local) this.options.onConnected?.(current, this.server);
    this.update();
  }

  /** Back in the foreground, or pulled to refresh: reconnect, check the session and retry uploads now. */
  async refresh(online: boolean): Promise<void> {
    this.online = online;
    this.engine?.setOnline(online);
    const current = this.sessionCell.value;
    if (current && !current.local && online && !this.endedCell.value) await Promise.all([this.checkSession(), this.uploads?.kick(true)]);
    this.update();
  }

  /** A new photo was stored: start sending it. */
  kickUploads(): void {
    void this.uploads?.kick();
  }

  /** Send the photos the server refused once more (after the cause was fixed on the server). */
  async retryRejectedPhotos(): Promise<void> {
    await this.uploads?.retryRejected();
  }

  /** Delete the changes the server refused (after the user exported them) and the local copies of their orders. */
  async discardRefused(): Promise<readonly string[]> {
    return (await this.engine?.discardRefused()) ?? [];
  }

  /** Fetch these orders' docs onto the device now (one bulk read); 0 without a running engine. */
  async prefetch(orderIds: readonly string[]): Promise<number> {
    return (await this.engine?.prefetch(orderIds)) ?? 0;
  }

  /** Read these units' index docs too (a community handler's grids, a supervisor's streets, learnt after start). */
  async addIndexUnits(units: readonly string[]): Promise<void> {
    const current = this.sessionCell.value;
    if (!current || !this.engine) return;
    const stack = await this.options.loadSync();
    this.engine?.addIndexDocs(stack.indexDocNamesFor(current.user, units));
  }

  /** `prefetched`: the session's list of downloaded orders as stored; this run keeps it (`prefetchOpenOrders`). */
  private run(stack: SyncStack, docs: OrderDocs, server: Server, current: Session, prefetched: Set<string>): void {
    const { db } = this;
    const engine = stack.createEngine({
      db,
      docs,
      url: server.syncUrl,
      token: current.token,
      user: current.user,
      indexDocs: stack.indexDocNamesFor(current.user, this.options.indexUnits?.(current.user) ?? []),
      api: server.api,
      now: this.now,
      onSessionEnded: () => this.endSession(),
      ...(this.options.WebSocketPolyfill ? { WebSocketPolyfill: this.options.WebSocketPolyfill } : {}),
    });
    const queue = new UploadQueue({
      db,
      api: server.api,
      now: this.now,
      token: () => (this.endedCell.value ? null : (this.sessionCell.value?.token ?? null)),
      onUnauthenticated: () => this.endSession(),
    });
    // The open orders are downloaded once they are known (`openKnown`: beside their rows' write and before 已办's
    // rows, bench/README.md "First sync, part 5" and "part 6"), and once more when the whole index is in, for any
    // the socket's sync added; one at a time.
    let downloads: Promise<void> = Promise.resolve();
    let asked: 'none' | 'open' | 'all' = 'none';
    const stopState = engine.state.watch((state) => {
      this.engineCell.set(state);
      this.update();
      const want = state.indexLoaded ? 'all' : state.openKnown ? 'open' : 'none';
      if (want !== 'none' && want !== asked && asked !== 'all') {
        asked = want;
        downloads = downloads.then(() => this.prefetchOpenOrders(engine, docs, prefetched, want === 'open' ? engine.openOrderIds() : null));
      }
    });
    const stopProgress = queue.progress.watch(() => this.update());
    const stopRefusals = engine.refusals.watch(() => this.update());
    const stopArchives = engine.archives.watch((status) => this.archiveCell.set(status));
    this.stopWatchingEngine = () => {
      stopState();
      stopProgress();
      stopRefusals();
      stopArchives();
    };
    this.engine = engine;
    this.uploads = queue;
    engine.start();
    this.engineCell.set(engine.state.value);
    this.archiveCell.set(engine.archives.value);
    if (this.wantedArchives.size > 0) engine.openArchives([...this.wantedArchives]);
    this.wantedArchives.clear();
    void queue.kick(true);
    this.options.onConnected?.(current, server);
  }

  /**
   * Open orders listed in the user's index whose docs have never been on this device: downloaded, decoded
   * when opened. `listed`: the open orders as the engine lists them (their rows may still be being written,
   * and 已办's after them: a read of the rows table would wait for those); null: read from the rows. They are
   * recorded as on the device (`prefetched`) once their rows are in too (`openLoaded`): listed and openable.
   * `known`: that list, read when sync started and kept up to date here (the downloads run one at a time).
   */
  private async prefetchOpenOrders(engine: Engine, docs: OrderDocs, known: Set<string>, listed: readonly string[] | null): Promise<void> {
    const { db } = this;
    const inTab = (tab: InboxTab) => db.orders.where(INBOX_INDEX).between([tab, Dexie.minKey], [tab, Dexie.maxKey]).primaryKeys();
    // Every open order, those waiting in no one's hands too (待派单, returned: the desk's work): all but 已办.
    // Merged orders are listed under 其他 but finished: their docs are not kept (`forgetFinished`).
    const fromRows = async () => {
      const finished = new Set(await db.orders.where('status').anyOf([...FINAL_STATUSES]).primaryKeys());
      return [...(await inTab('todo')), ...(await inTab('doing')), ...(await inTab('other'))].filter((id) => !finished.has(id));
    };
    const open = listed ?? (await fromRows());
    const wanted = open.filter((id) => !known.has(id) && !docs.isOpen(id)).slice(0, PREFETCH_MAX);
    if (wanted.length === 0) return;
    try {
      await engine.download(wanted);
      await until(engine.state, (state) => state.openLoaded);
      if (engine !== this.engine) return; // signed out meanwhile: the session table is someone else's now
      const remembered = [...known, ...wanted].slice(-PREFETCH_REMEMBER);
      known.clear();
      for (const id of remembered) known.add(id);
      await setSessionValue(db, 'prefetched', remembered);
      markStep('prefetched');
    } catch {
      // Offline or refused: the next start tries again.
    }
  }

  /** Forget the user's data; false, changing nothing, while anything is unsynced (unless forced). */
  private async forget(force: boolean): Promise<boolean> {
    // Refuse before stopping anything: a refused sign-in or sign-out leaves sync running.
    if (!force && !(await allSynced(this.db))) return false;
    await this.stopSync();
    if (!(await forgetLocalData(this.db, await this.options.loadDocs(), { force }))) return false;
    await this.options.onForgotten?.();
    return true;
  }

  private endSession(): void {
    if (this.endedCell.value) return;
    this.endedCell.set(true);
    this.update();
    this.options.onSessionEnded?.();
  }

  private update(): void {
    const current = this.sessionCell.value;
    this.statusCell.set(
      syncStatusOf({
        session: sessionKindOf(current, this.endedCell.value),
        online: this.online,
        engine: this.engine ? this.engineCell.value : null,
        pending: this.pendingCell.value,
        upload: this.uploads?.progress.value ?? null,
      }),
    );
  }
}

function toSession(stored: StoredSession): Session {
  return { user: stored.user, token: stored.token, local: stored.token === LOCAL_TOKEN, serverOffsetMs: stored.serverOffsetMs, place: stored.place };
}
