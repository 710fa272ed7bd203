import { onScopeDispose, shallowRef } from 'vue';
import type { Router } from 'vue-router';
import * as data from '../data/index.ts';
import type { NotificationRow } from '../data/index.ts';
import { markStep } from '#shared/client/mark-step.ts';
import { i18n } from '../i18n/index.ts';

/** The notification list and its unread count, live from the device's table. */
export function useNotifications() {
  const rows = shallowRef<readonly NotificationRow[]>([]);
  const loaded = shallowRef(false);
  const stop = data.watchNotifications((value) => {
    rows.value = value;
    loaded.value = true;
  });
  onScopeDispose(stop);
  return { rows, loaded, unread: useUnreadNotifications(), markRead: data.markNotificationsRead };
}

export function useUnreadNotifications() {
  const unread = shallowRef(0);
  onScopeDispose(data.watchUnreadNotifications((count) => (unread.value = count)));
  return unread;
}

/** 'granted', 'denied' or 'default'; 'unsupported' where the browser has no notifications. */
export function notificationPermission(): NotificationPermission | 'unsupported' {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

export async function requestNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (!('Notification' in window)) return 'unsupported';
  return Notification.requestPermission();
}

/**
 * For the app's lifetime: the app badge follows the unread count (where the
 * browser has `setAppBadge`), and a new 派单 or 督办 that a sync delivers while
 * the app is in the background is announced by the service worker
 * (`registration.showNotification`; tapping it opens the order: public/sw-notify.js).
 * No push service: the page must be alive (a background tab, an installed app
 * not yet frozen) for this; otherwise the list shows it on return.
 */
export function startNotifying(router: Router): () => void {
  const stopBadge = data.watchUnreadNotifications((count) => {
    if (!('setAppBadge' in navigator)) return;
    const badge = count > 0 ? navigator.setAppBadge(count) : navigator.clearAppBadge();
    void badge.catch(() => undefined);
  });
  const stopArrivals = data.watchArrivingNotifications((rows) => {
    if (document.visibilityState !== 'hidden' || notificationPermission() !== 'granted' || !('serviceWorker' in navigator)) return;
    // The notification rules (with the reducer they derive from) are not needed before something arrives.
    import('#shared/notify/notifications.ts')
      .then(({ wantsSystemNotification }) => announce(rows.filter((row) => wantsSystemNotification(row.kind))))
      .catch((error: unknown) => markStep(`announce-failed:${errorName(error)}`));
  });
  const onMessage = (event: MessageEvent<unknown>) => {
    const message = event.data as { type?: unknown; orderId?: unknown } | null;
    if (message?.type !== 'lianxin:open-order') return;
    if (typeof message.orderId === 'string') void router.push({ name: 'order', params: { id: message.orderId } });
    else void router.push({ name: 'notifications' });
  };
  navigator.serviceWorker?.addEventListener('message', onMessage);
  return () => {
    stopBadge();
    stopArrivals();
    navigator.serviceWorker?.removeEventListener('message', onMessage);
  };
}

/**
 * Each outcome is a mark on the page's timeline (`lianxin:announced:supervise`, `lianxin:announce-failed:…`): a
 * notification the system did not show leaves a trace where a failing test's report reads one.
 */
async function announce(rows: readonly NotificationRow[]): Promise<void> {
  if (rows.length === 0) return;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) {
    markStep('announce-failed:no-registration');
    return;
  }
  const t = i18n.global.t;
  for (const row of rows) {
    await registration
      .showNotification(t('notify.systemTitle', { kind: t(`notify.kind.${row.kind}`), orderNo: row.orderNo }), {
        body: row.text ? `${row.title}\n${row.text}` : row.title,
        tag: row.id,
        icon: 'icons/icon-192.png',
        data: { orderId: row.orderId, notificationId: row.id },
      })
      .then(
        () => markStep(`announced:${row.kind}`),
        (error: unknown) => markStep(`announce-failed:${errorName(error)}`),
      );
  }
}

const errorName = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
