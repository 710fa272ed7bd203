/**
 * URL globs of adapters: `*` is any run of characters, everything else
 * literal. A pattern whose query is given (`*` + `/main.html?record_number=*`)
 * compares the query by parameter, in any order: each parameter the pattern
 * names must be in the URL with a value its glob matches, and the URL may
 * carry more (a session token, a page number). Without a query in the
 * pattern the whole URL is one glob, so `…/main.html` (a list) does not match
 * `…/main.html?record_number=…` (an order on the same page).
 */
import type { PageMatch, PortalAdapter } from './adapter.ts';

function glob(pattern: string, text: string): boolean {
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`, 's').test(text);
}

interface UrlParts {
  readonly base: string;
  readonly query: string | null;
  readonly hash: string | null;
}

function split(url: string): UrlParts {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const queryAt = beforeHash.indexOf('?');
  return {
    base: queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash,
    query: queryAt >= 0 ? beforeHash.slice(queryAt + 1) : null,
    hash: hashAt >= 0 ? url.slice(hashAt + 1) : null,
  };
}

function params(query: string): [string, string][] {
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return at >= 0 ? [pair.slice(0, at), pair.slice(at + 1)] : [pair, ''];
    });
}

export function urlMatches(pattern: string, url: string): boolean {
  const p = split(pattern);
  if (p.query === null) return glob(pattern, url);
  const u = split(url);
  if (!glob(p.base, u.base)) return false;
  if (p.hash !== null && !glob(p.hash, u.hash ?? '')) return false;
  const have = params(u.query ?? '');
  return params(p.query).every(([key, value]) => have.some(([k, v]) => k === key && glob(value, v)));
}

export type PageKind = 'order' | 'reply' | 'list';

export interface PageCandidate {
  readonly adapter: PortalAdapter;
  readonly kind: PageKind;
  readonly page: PageMatch;
}

/** The adapters' pages whose URL patterns match; the DOM engine then runs each page check. */
export function pagesForUrl(adapters: readonly PortalAdapter[], url: string): PageCandidate[] {
  const found: PageCandidate[] = [];
  for (const adapter of adapters) {
    for (const kind of ['order', 'reply', 'list'] as const) {
      const page = adapter[kind]?.page;
      if (page && page.urls.some((p) => urlMatches(p, url))) found.push({ adapter, kind, page });
    }
  }
  return found;
}

/**
 * A URL pattern for the page an admin is teaching: any origin (portals move
 * between hosts and ports); runs of 6 or more digits (order numbers, ids) as
 * `*`; the query kept by its parameter names, every value `*` (portals put
 * order numbers and session tokens there), so the pattern matches the same
 * page for any order and any session.
 */
export function urlPatternFor(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/[^?#]*)?(?:\?([^#]*))?(#.*)?$/i.exec(url);
  if (!match) return `*${url.replace(/\d{6,}/g, '*').replace(/\*+/g, '*')}`;
  const path = (match[1] ?? '/').replace(/\d{6,}/g, '*');
  const names = [...new Set(params(match[2] ?? '').map(([key]) => key))].filter((key) => /^[A-Za-z0-9_.\-[\]]{1,40}$/.test(key));
  const query = names.length ? `?${names.map((key) => `${key}=*`).join('&')}` : '';
  const hash = (match[3] ?? '').replace(/\d{6,}/g, '*');
  return `*${path}${query}${hash}`.replace(/\*+/g, '*');
}
