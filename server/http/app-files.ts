/**
 * The built field PWA (`dist/pwa`, `npm run build:pwa`) served from the
 * server's own origin, so the app, /api and /sync share one origin (no CORS,
 * one service-worker scope) on any network the server is reachable from.
 *
 * Caching follows what the service worker needs: the files that decide which
 * version runs (index.html, sw.js, registerSW.js, the manifest) are always
 * revalidated; Vite's content-hashed files under /assets never change, so they
 * are cached for a year. Unknown paths without a file extension are app
 * routes and get index.html (the router draws them); a missing file with an
 * extension is a 404, never index.html served as JavaScript.
 *
 * Every file goes out under the app's Content-Security-Policy (which also
 * governs the service worker and the photo worker, whose scripts these are)
 * with the inline script of index.html allowed by its hash, computed from the
 * index.html on disk; source maps (`*.map`) are never served, even if a build
 * left some behind.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { appContentSecurityPolicy, COMMON_SECURITY_HEADERS, inlineScripts, safeHost } from '#shared/web/security-headers.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.txt', '.svg']);
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** Paths that belong to the server, never to the app: a miss there is the API's JSON 404. */
export function isServerPath(pathname: string): boolean {
  return /^\/(api|sync|healthz|metrics|open311)(\/|$)/.test(pathname);
}

interface CachedFile {
  readonly key: string;
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly etag: string;
  readonly lastModified: string;
}

export class StaticFiles {
  private readonly root: string;
  private readonly cache = new Map<string, CachedFile>();
  /** The CSP hashes of index.html's inline scripts, for the version of index.html they were computed from. */
  private scriptHashes: { key: string; hashes: string[] } | null = null;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Serves a GET or HEAD for the app; the caller has ruled out server paths. */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const rootReal = await realpath(this.root).catch(() => null);
    if (rootReal === null || !(await isFile(join(rootReal, 'index.html')))) {
      this.notBuilt(req, res);
      return;
    }
    const relative = safeRelativePath(pathname);
    if (relative === null) {
      sendText(req, res, 400, 'bad path');
      return;
    }
    if (extname(relative).toLowerCase() === '.map') {
      // Source maps would hand out the app's source; they are not served.
      sendText(req, res, 404, `not found: /${relative}`);
      return;
    }
    const policy = appContentSecurityPolicy(await this.indexScriptHashes(join(rootReal, 'index.html')), safeHost(req.headers.host));
    res.setHeader('Content-Security-Policy', policy);
    const file = relative === '' ? null : await this.resolveFile(rootReal, relative);
    if (file) {
      await this.sendFile(req, res, file, cacheControlFor(relative));
      return;
    }
    if (relative !== '' && (extname(relative) !== '' || relative.startsWith('assets/'))) {
      sendText(req, res, 404, `not found: /${relative}`);
      return;
    }
    await this.sendFile(req, res, join(rootReal, 'index.html'), REVALIDATE);
  }

  /** CSP source expressions for index.html's inline scripts, recomputed when index.html changes (a new build). */
  private async indexScriptHashes(indexPath: string): Promise<string[]> {
    const file = await this.load(indexPath);
    if (this.scriptHashes?.key !== file.etag) {
      const hashes = inlineScripts(file.body.toString('utf8')).map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
      this.scriptHashes = { key: file.etag, hashes };
    }
    return this.scriptHashes.hashes;
  }

  /** The real path of a regular file inside the root, or null (missing, a folder, or a link out of the root). */
  private async resolveFile(rootReal: string, relative: string): Promise<string | null> {
    const real = await realpath(join(rootReal, relative)).catch(() => null);
    if (real === null || !real.startsWith(rootReal + sep)) return null;
    return (await isFile(real)) ? real : null;
  }

  private async sendFile(req: IncomingMessage, res: ServerResponse, path: string, cacheControl: string): Promise<void> {
    const file = await this.load(path);
    const headers: Record<string, string> = {
      'Content-Type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': cacheControl,
      ETag: file.etag,
      'Last-Modified': file.lastModified,
      ...COMMON_SECURITY_HEADERS,
      Vary: 'Accept-Encoding',
    };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = file.gzip !== null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? file.gzip! : file.body;
    if (gzip) headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** Files are read once per version (size and mtime), and compressed once. */
  private async load(path: string): Promise<CachedFile> {
    const info = await stat(path);
    const key = `${info.size}-${info.mtimeMs}`;
    const cached = this.cache.get(path);
    if (cached?.key === key) return cached;
    const body = await readFile(path);
    const compressible = COMPRESSIBLE.has(extname(path).toLowerCase()) && body.length > 1024;
    const file: CachedFile = {
      key,
      body,
      gzip: compressible ? gzipSync(body) : null,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      lastModified: info.mtime.toUTCString(),
    };
    this.cache.set(path, file);
    return file;
  }

  private notBuilt(req: IncomingMessage, res: ServerResponse): void {
    const html = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>连心 PWA 未构建</title>
<body style="font-family:sans-serif;max-width:40em;margin:2em auto">
<h1>连心现场应用尚未构建 · The field app is not built</h1>
<p>请在项目目录运行 <code>npm run build:pwa</code>（或 <code>npm start</code>，它会先构建），然后刷新本页。</p>
<p>Run <code>npm run build:pwa</code> (or <code>npm start</code>, which builds it) in the project folder, then reload.
The server looks for it in <code>${escapeHtml(this.root)}</code> (option <code>--pwa-dir</code>, variable <code>PWA_DIR</code>).</p>
<p>The sync API is running: <a href="/healthz">/healthz</a>.</p></body></html>`;
    const body = Buffer.from(html);
    res.writeHead(503, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(body.length),
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

/**
 * The request path as a path relative to the app folder, or null when it
 * could leave it: `..` segments (also percent-encoded), backslashes, NUL, or
 * hidden files. '' is the root.
 */
export function safeRelativePath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.' || segment.startsWith('.'))) return null;
  return segments.join('/');
}

function cacheControlFor(relative: string): string {
  return relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(`${text}\n`);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length), 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
