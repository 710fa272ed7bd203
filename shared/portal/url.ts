/** URL globs of adapters: `*` is any run of characters, everything else literal. */
import type { PageMatch, PortalAdapter } from './adapter.ts';

export function urlMatches(pattern: string, url: string): boolean {
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`).test(url);
}

export type PageKind = 'order' | 'reply';

export interface PageCandidate {
  readonly adapter: PortalAdapter;
  readonly kind: PageKind;
  readonly page: PageMatch;
}

/** The adapters' pages whose URL patterns match; the DOM engine then runs each page check. */
export function pagesForUrl(adapters: readonly PortalAdapter[], url: string): PageCandidate[] {
  const found: PageCandidate[] = [];
  for (const adapter of adapters) {
    for (const kind of ['order', 'reply'] as const) {
      const page = adapter[kind]?.page;
      if (page && page.urls.some((p) => urlMatches(p, url))) found.push({ adapter, kind, page });
    }
  }
  return found;
}

/**
 * A URL pattern for the page an admin is teaching: any origin (portals move
 * between hosts and ports), and runs of 6 or more digits (order numbers, ids)
 * as `*`; the query is dropped, as portals put session tokens there.
 */
export function urlPatternFor(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/[^?#]*)?(\?[^#]*)?(#.*)?$/i.exec(url);
  const path = match ? (match[1] ?? '/') + (match[3] ?? '') : url;
  return `*${path.replace(/\d{6,}/g, '*').replace(/\*+/g, '*')}`;
}
