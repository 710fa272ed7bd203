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
