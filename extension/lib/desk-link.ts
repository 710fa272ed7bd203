/**
 * Links from the popup into the PWA's 工作台 (`#/desk`), served at the server
 * the extension signed in to: the office's work that is not about the portal
 * page open in the tab is done there. The desk keeps its queue and order in
 * the URL (`?q=…&order=…`), so a link can land on one order.
 */
import type { QueueKey } from '#shared/order/queues.ts';

/** `https://lianxin.example.cn/` → `https://lianxin.example.cn/#/desk`; null for anything but an http(s) URL. */
export function deskUrl(serverUrl: string, at: { readonly queue?: QueueKey; readonly orderId?: string } = {}): string | null {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}/`;
  const query = new URLSearchParams();
  if (at.queue) query.set('q', at.queue);
  if (at.orderId) query.set('order', at.orderId);
  const search = query.toString();
  return `${base}#/desk${search ? `?${search}` : ''}`;
}
