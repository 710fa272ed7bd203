/**
 * Portal origins and the host permission patterns asked for them. A pattern
 * names the host without its port: Firefox's match patterns cannot carry a
 * port, and one pattern per host keeps Chrome and Firefox asking the same.
 */

/** `http://127.0.0.1:8080` → `http://127.0.0.1/*`. */
export function hostPatternOf(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** The origin of a page the extension may work on, or null (chrome://, file:, the extension itself…). */
export function portalOriginOf(pageUrl: string | undefined): string | null {
  if (!pageUrl) return null;
  try {
    const url = new URL(pageUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
