/**
 * The clerk's sync in the background: the same engine, order docs and order
 * repository as the PWA (shared/client). The street's index doc feeds the
 * Dexie projection the popup lists from; an order the clerk acts on is opened
 * (its doc syncs while open, and the engine keeps it open until the server
 * has every event written here). Everything lives in the background's own
 * IndexedDB, so it keeps working offline and after Chrome restarts the worker.
 */
import { syncUrl } from '#shared/client/api.ts';
import { forgetLocalData } from '#shared/client/device.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { ActionRefused, OrderRepository, type OpenOrder, type OrderSnapshot } from '#shared/client/repository.ts';
import { recordServerTime } from '#shared/client/session.ts';
import { SyncEngine, indexDocNamesFor, type SyncEngineState } from '#shared/client/sync.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { allSynced, unsyncedCounts } from '#shared/local/projection.ts';
import type { EventDraft } from '#shared/order/events.ts';
import type { OrderView } from '#shared/order/reducer.ts';
import type { User } from '#shared/org/roles.ts';
import { ApiError } from '#shared/client/api.ts';
import { RequestError } from '../../lib/messaging.ts';
import type { SyncStatus } from '../../lib/protocol.ts';
import { lastSyncedAtItem } from '../../lib/settings.ts';
import type { OrderActions } from './orders.ts';
import type { ActiveSession } from './session.ts';

export interface ClerkSync {
  /** Connect and sync for this session; called on sign-in and whenever the worker starts signed in. */
  start(session: ActiveSession): Promise<void>;
  stop(): Promise<void>;
  status(signedIn: boolean): Promise<SyncStatus>;
  /** Fetch an order's doc onto the device (an order just imported), so it can be worked on offline. */
  follow(orderId: string): Promise<void>;
  /** Forget the user's data on the device; false while anything is unsynced, unless forced. */
  forget(force: boolean): Promise<boolean>;
  readonly orders: OrderActions;
}

/** How long an order not yet on the device may take to arrive before an action says so. */
const ARRIVAL_TIMEOUT_MS = 8000;

const randomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length));

export class BackgroundSync implements ClerkSync {
  private readonly docs: OrderDocs;
  private readonly repository: OrderRepository;
  private engine: SyncEngine | null = null;
  private engineState: SyncEngineState | null = null;
  private user: User | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly db: LianxinDb,
    /** The server refused the token: forget it (the data stays) so the popup asks to sign in again. */
    private readonly onSessionEnded: () => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    this.docs = new OrderDocs({ db });
    this.repository = new OrderRepository({ db, docs: this.docs, user: () => this.user, random: randomBytes, now });
  }

  async start(session: ActiveSession): Promise<void> {
    await this.stop();
    this.user = session.user;
    this.lastError = null;
    const engine = new SyncEngine({
      db: this.db,
      docs: this.docs,
      url: syncUrl(session.serverUrl),
      token: session.token,
      user: session.user,
      indexDocs: indexDocNamesFor(session.user),
      api: session.api,
      now: this.now,
      onSessionEnded: () => void this.endSession('登录已失效，请重新登录'),
    });
    this.engine = engine;
    engine.state.watch((state) => this.onState(state));
    engine.start();
    this.onState(engine.state.value);
    // Measure the server clock (events carry the offset) and find out early whether the token still holds.
    session.api.me(session.token).then(
      (me) => recordServerTime(this.db, me),
      (error: unknown) => {
        if (error instanceof ApiError && error.unauthenticated) void this.endSession('登录已失效，请重新登录');
        else if (error instanceof ApiError && !error.offline) this.lastError = error.message;
      },
    );
  }

  async stop(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.engineState = null;
    await engine?.stop();
  }

  /** The browser's connectivity changed (workers get `online`/`offline` too). */
  setOnline(online: boolean): void {
    this.engine?.setOnline(online);
  }

  async status(signedIn: boolean): Promise<SyncStatus> {
    const [waiting, orders, lastSyncedAt] = await Promise.all([unsyncedCounts(this.db), this.db.orders.count(), lastSyncedAtItem.getValue()]);
    const base = { waiting, orders, lastSyncedAt, error: this.lastError };
    const state = this.engineState;
    if (!signedIn) return { ...base, state: 'signed_out' };
    if (!state || state.connection !== 'connected') return { ...base, state: 'offline' };
    const busy = state.docsInFlight > 0 || !state.indexLoaded || waiting.events + waiting.intakes + waiting.photos > 0;
    return { ...base, state: busy ? 'syncing' : 'synced' };
  }

  async follow(orderId: string): Promise<void> {
    await this.engine?.prefetch([orderId]);
  }

  async forget(force: boolean): Promise<boolean> {
    // Refuse before stopping anything: a refused sign-out leaves sync running.
    if (!force && !(await allSynced(this.db))) return false;
    await this.stop();
    const forgotten = await forgetLocalData(this.db, this.docs, { force });
    if (forgotten) await lastSyncedAtItem.setValue(null);
    this.user = null;
    return forgotten;
  }

  readonly orders: OrderActions = {
    load: async (orderId) => {
      const order = await this.open(orderId);
      try {
        const snapshot = order.current();
        return snapshot ? { intake: snapshot.intake, view: snapshot.view } : null;
      } finally {
        order.release();
      }
    },
    act: async (orderId: string, draft: EventDraft): Promise<OrderView> => {
      const order = await this.open(orderId);
      try {
        if (!order.current()) throw new RequestError('not_on_device', '此工单尚未同步到本机，请联网后重试');
        await this.repository.act(order, draft);
        return order.current()!.view;
      } catch (error) {
        if (error instanceof ActionRefused) throw new RequestError('refused', `操作未记录：${error.message}`);
        throw error;
      } finally {
        // The engine keeps the doc open by itself until the server has the event.
        order.release();
      }
    },
  };

  /**
   * Open an order as the server has it now when online: its state is fetched
   * first (one bulk read), because the copy on the device may be days old and
   * a reply must be written from the latest result. Offline, the device's copy.
   */
  private async open(orderId: string): Promise<OpenOrder> {
    const online = this.engineState?.connection === 'connected';
    if (online) await this.engine?.prefetch([orderId]).catch(() => 0);
    const order = await this.repository.openOrder(orderId);
    if (order.current() || !online) return order;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ARRIVAL_TIMEOUT_MS);
      const unsubscribe = order.subscribe((snapshot: OrderSnapshot | null) => {
        if (snapshot) done();
      });
      function done(): void {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
    return order;
  }

  private onState(state: SyncEngineState): void {
    this.engineState = state;
    if (state.connection === 'connected' && state.indexLoaded && state.docsInFlight === 0) void lastSyncedAtItem.setValue(this.now());
  }

  private async endSession(reason: string): Promise<void> {
    this.lastError = reason;
    await this.stop();
    await this.onSessionEnded();
  }
}
