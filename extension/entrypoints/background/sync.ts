/**
 * The clerk's sync: the street's index doc (feeding the Dexie projection the
 * popup lists from) and the order docs the clerk works on, through the same
 * sync engine and order repository as the PWA (shared/client).
 */
import type { LianxinDb } from '../../../shared/local/db.ts';
import { unsyncedCounts } from '../../../shared/local/projection.ts';
import { RequestError } from '../../lib/messaging.ts';
import type { SyncStatus } from '../../lib/protocol.ts';
import { lastSyncedAtItem } from '../../lib/settings.ts';
import type { OrderActions } from './orders.ts';
import type { ActiveSession, SessionService } from './session.ts';

export interface ClerkSync {
  /** Connect and sync for this session; called on sign-in and whenever the worker starts signed in. */
  start(session: ActiveSession): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<SyncStatus>;
  /** Keep this order's doc on the device and synced (an order just imported). */
  follow(orderId: string): Promise<void>;
  readonly orders: OrderActions;
}

/** Until shared/client's engine is wired: the API works, documents do not sync. */
export function createClerkSync(db: LianxinDb, session: SessionService): ClerkSync {
  const notYet = () => Promise.reject(new RequestError('not_ready', '同步模块尚未接入，暂不能打开工单'));
  return {
    start: async () => undefined,
    stop: async () => undefined,
    follow: async () => undefined,
    status: async () => {
      const active = await session.active();
      const waiting = await unsyncedCounts(db);
      const orders = await db.orders.count();
      const lastSyncedAt = await lastSyncedAtItem.getValue();
      if (!active) return { state: 'signed_out', waiting, orders, lastSyncedAt, error: null };
      return { state: 'offline', waiting, orders, lastSyncedAt, error: '同步模块尚未接入' };
    },
    orders: { load: notYet, act: notYet },
  };
}
