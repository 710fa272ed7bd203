/**
 * The clerk's sync in the background: shared/client's `ClientSession` (the
 * PWA's sync engine, upload queue, sign-in/out policy and status) and order
 * repository. The street's index doc feeds the Dexie projection the popup
 * lists from; an order the clerk acts on is opened (its doc syncs while open,
 * and the engine keeps it open until the server has every event written
 * here). Everything lives in the background's own IndexedDB, so it keeps
 * working offline and after Chrome restarts the worker.
 */
import type { ClientSession } from '#shared/client/client-session.ts';
import { ActionRefused, type OpenOrder, type OrderRepository, type OrderSnapshot } from '#shared/client/repository.ts';
import type { SyncEngineState } from '#shared/client/sync.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import type { EventDraft } from '#shared/order/events.ts';
import type { OrderView } from '#shared/order/reducer.ts';
import { RequestError } from '../../lib/messaging.ts';
import type { SyncStatus } from '../../lib/protocol.ts';
import { lastSyncedAtItem } from '../../lib/settings.ts';
import type { OrderActions } from './orders.ts';

type SyncError = NonNullable<SyncStatus['error']>;

export interface ClerkSync {
  status(): Promise<SyncStatus>;
  /** Why the last attempt failed (null: nothing to say), shown in the popup until replaced. */
  noteError(error: SyncError | null): void;
  /**
   * Fetch an order's doc onto the device (an order just imported), so it can be worked on offline. Resolves when
   * it is there or after `FOLLOW_WAIT_MS`, whichever comes first; never rejects. The download goes on after.
   */
  follow(orderId: string): Promise<void>;
  readonly orders: OrderActions;
}

/**
 * How long an import waits for the order to reach the device before answering: the clerk's 派单 next opens it
 * again, so a slow download must not keep the import's answer (the server's) from the panel.
 */
const FOLLOW_WAIT_MS = 3000;

/** How long an order not yet on the device may take to arrive before an action says so. */
const ARRIVAL_TIMEOUT_MS = 8000;

export class BackgroundSync implements ClerkSync {
  private lastError: SyncError | null = null;

  constructor(
    private readonly db: LianxinDb,
    private readonly client: ClientSession,
    private readonly repository: OrderRepository,
    private readonly now: () => number = Date.now,
  ) {
    client.engineState.watch((state) => this.onState(state));
  }

  noteError(error: SyncError | null): void {
    this.lastError = error;
  }

  async status(): Promise<SyncStatus> {
    const [status, orders, lastSyncedAt] = await Promise.all([this.client.readStatus(), this.db.orders.count(), lastSyncedAtItem.getValue()]);
    return { state: status.phase, serverUnreachable: status.serverUnreachable, waiting: this.client.pending.value.unsynced, orders, lastSyncedAt, error: this.lastError };
  }

  async follow(orderId: string): Promise<void> {
    const fetched = this.client.prefetch([orderId]).then(
      () => undefined,
      () => undefined,
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FOLLOW_WAIT_MS);
    });
    await Promise.race([fetched, waited]);
    clearTimeout(timer);
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
    act: async (orderId: string, draft: EventDraft, allow?: (view: OrderView) => void): Promise<OrderView> => {
      const order = await this.open(orderId);
      try {
        const current = order.current();
        if (!current) throw new RequestError('not_on_device', '此工单尚未同步到本机，请联网后重试');
        allow?.(current.view);
        await this.repository.act(order, draft);
        return order.current()!.view;
      } catch (error) {
        if (error instanceof ActionRefused) {
          if (error.code === 'signed_out') throw new RequestError('signed_out', '请先登录连心');
          if (error.code === 'no_clock') throw new RequestError('no_clock', '本机还没有与服务器对时，请重新登录后再试');
          throw new RequestError('refused', `操作未记录：${error.message}`, null, { detail: error.message });
        }
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
    const online = this.client.engineState.value?.connection === 'connected';
    if (online) await this.client.prefetch([orderId]).catch(() => 0);
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

  private onState(state: SyncEngineState | null): void {
    if (state?.connection === 'connected' && state.indexLoaded && state.docsInFlight === 0) void lastSyncedAtItem.setValue(this.now());
  }
}
