/**
 * The device's notification list (Dexie `notifications`): rows recorded from
 * `notificationsFor`, with their read state. Recording is idempotent by event
 * id, so an order seen again never brings a read notification back.
 */
import type { AppNotification } from '../notify/notifications.ts';
import { getSessionValue, setSessionValue, type LianxinDb, type NotificationRow } from './db.ts';

/** Record what is new; returns the rows added (those a system notification may announce). */
export async function recordNotifications(db: LianxinDb, notifications: readonly AppNotification[], now: number): Promise<NotificationRow[]> {
  if (notifications.length === 0) return [];
  return db.transaction('rw', db.notifications, async () => {
    const known = new Set(await db.notifications.where('id').anyOf(notifications.map((n) => n.id)).primaryKeys());
    const added: NotificationRow[] = notifications.filter((n) => !known.has(n.id)).map((n) => ({ ...n, receivedAt: now, readAt: null, unread: 1 }));
    if (added.length > 0) await db.notifications.bulkAdd(added);
    return added;
  });
}

/** Newest first. */
export function listNotifications(db: LianxinDb, limit = 200): Promise<NotificationRow[]> {
  return db.notifications.orderBy('at').reverse().limit(limit).toArray();
}

export function unreadCount(db: LianxinDb): Promise<number> {
  return db.notifications.where('unread').equals(1).count();
}

/** Mark these notifications read (all unread ones of an order when `orderId` is given instead). */
export async function markRead(db: LianxinDb, which: { readonly ids: readonly string[] } | { readonly orderId: string } | 'all', now: number): Promise<void> {
  await db.transaction('rw', db.notifications, async () => {
    const unread = db.notifications.where('unread').equals(1);
    const rows = await (which === 'all' ? unread : 'ids' in which ? unread.filter((row) => which.ids.includes(row.id)) : unread.filter((row) => row.orderId === which.orderId)).toArray();
    await db.notifications.bulkPut(rows.map(({ unread: _unread, ...row }) => ({ ...row, readAt: now })));
  });
}

/**
 * Since when events are notified on this device: set the first time it is
 * asked (the user's data first arriving here), so a new device is not told
 * about everything that happened before it was signed in.
 */
export async function notifySince(db: LianxinDb, now: number): Promise<number> {
  return db.transaction('rw', db.session, async () => {
    const since = await getSessionValue(db, 'notifySince');
    if (since !== undefined) return since;
    await setSessionValue(db, 'notifySince', now);
    return now;
  });
}
