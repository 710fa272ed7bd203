/*
 * Imported by the generated service worker (vite.config.ts, workbox.importScripts).
 * The page shows system notifications through its registration
 * (registration.showNotification, with data.orderId); tapping one brings the
 * app to the front on that order: an open window is told to go there, else
 * a new one opens at the order's URL.
 */
/* global self, URL */
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const orderId = typeof data.orderId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(data.orderId) ? data.orderId : null;
  const url = new URL(orderId ? `./#/orders/${orderId}` : './#/notifications', self.registration.scope).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows[0];
      if (!open) return self.clients.openWindow(url);
      open.postMessage({ type: 'lianxin:open-order', orderId });
      return open.focus();
    }),
  );
});
