/**
 * The HTTP security headers of the field PWA and the API, in one place: the
 * sync server sends them (server/http/app-files.ts, server/app.ts) and so
 * does `vite preview` (pwa/vite.config.ts), so the end-to-end tests run the
 * app under the policy it ships with.
 *
 * The app's Content-Security-Policy allows what the built app does and
 * nothing else: its own scripts (plus the one inline script of index.html,
 * the IndexedDB warm-up, by hash), its own styles, images from itself and
 * from `blob:` (photos on the device) and `data:`, fonts from itself and
 * `data:` (Vant's icon font is inlined), connections to its own origin (HTTP
 * and the sync WebSocket), its own workers (the photo worker, the service
 * worker), and no framing at all. Hashes are computed by the caller (each has
 * its own crypto), from the index.html it serves.
 */

/** Sent with every response, app and API. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** The API answers JSON and text: nothing in it may run, load or be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** `host` (the request's Host header) when it is a plain host[:port], else null. */
export function safeHost(host: string | undefined): string | null {
  return host !== undefined && /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(host) ? host.toLowerCase() : null;
}

/**
 * The app's policy. `scriptHashes` are CSP source expressions
 * (`'sha256-…'`) of index.html's inline scripts; `host` names the origin's
 * WebSocket explicitly for browsers whose `'self'` does not cover ws:/wss:.
 */
export function appContentSecurityPolicy(scriptHashes: readonly string[], host: string | null): string {
  const sockets = host ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${scriptHashes.map((hash) => ` ${hash}`).join('')}`,
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The text of each inline `<script>` (one without `src`) in an HTML page, exactly as the browser hashes it. */
export function inlineScripts(html: string): string[] {
  const scripts: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(match[1] ?? '')) continue;
    scripts.push(match[2] ?? '');
  }
  return scripts;
}
