/**
 * The built PWA is served from the server's origin: content types, the cache
 * rules the service worker relies on, the SPA fallback, no way out of the
 * folder, and a clear page when the app has not been built.
 */
import { request } from 'node:http';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, stopAll, tempDir, type ServerProcess } from './support/server.ts';

const dirs: string[] = [];
let server: ServerProcess;
let pwaDir: string;

const INDEX = '<!doctype html><title>连心</title><div id="app"></div>';
const BIG_JS = `console.log(${JSON.stringify('连心'.repeat(2000))});`;

beforeAll(async () => {
  const outside = await tempDir('lianxin-outside-');
  pwaDir = await tempDir('lianxin-pwa-');
  dirs.push(outside, pwaDir);
  await writeFile(join(outside, 'secret.txt'), 'OUTSIDE-THE-APP-FOLDER');
  await mkdir(join(pwaDir, 'assets'));
  await mkdir(join(pwaDir, 'icons'));
  await writeFile(join(pwaDir, 'index.html'), INDEX);
  await writeFile(join(pwaDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(join(pwaDir, 'registerSW.js'), '/* register */');
  await writeFile(join(pwaDir, 'manifest.webmanifest'), '{"name":"连心"}');
  await writeFile(join(pwaDir, 'assets', 'index-B4x9kQ2a.js'), BIG_JS);
  await writeFile(join(pwaDir, 'assets', 'index-Dd83kLs1.css'), 'body{margin:0}');
  await writeFile(join(pwaDir, 'icons', 'icon-192.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  await writeFile(join(pwaDir, '.env'), 'HIDDEN=1');
  await symlink(join(outside, 'secret.txt'), join(pwaDir, 'assets', 'link.txt'));
  server = await startServer({ args: ['--pwa-dir', pwaDir] });
  dirs.push(server.dataDir);
}, 60_000);

afterAll(() => stopAll(dirs));

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with the path sent exactly as given (fetch would normalise `..`). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serving the built PWA', () => {
  it('serves index.html and the update-deciding files with no-cache and correct types', async () => {
    const expected: [string, RegExp][] = [
      ['/', /^text\/html; charset=utf-8$/],
      ['/index.html', /^text\/html/],
      ['/sw.js', /^text\/javascript/],
      ['/registerSW.js', /^text\/javascript/],
      ['/manifest.webmanifest', /^application\/manifest\+json/],
    ];
    for (const [path, type] of expected) {
      const res = await raw(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type'], path).toMatch(type);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
    }
    expect((await raw('/')).body.toString()).toBe(INDEX);
  });

  it('caches hashed assets for a year, gzips text, and answers a revalidation with 304', async () => {
    const js = await raw('/assets/index-B4x9kQ2a.js', { 'Accept-Encoding': 'gzip' });
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(js.body).toString()).toBe(BIG_JS);
    expect((await raw('/assets/index-Dd83kLs1.css')).headers['content-type']).toMatch(/^text\/css/);
    expect((await raw('/icons/icon-192.png')).headers['content-type']).toBe('image/png');

    const plain = await raw('/assets/index-B4x9kQ2a.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(BIG_JS);

    const again = await raw('/assets/index-B4x9kQ2a.js', { 'If-None-Match': String(js.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const head = await raw('/sw.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('answers app routes with index.html but a missing file with 404, and leaves server paths to the API', async () => {
    for (const path of ['/orders/o-123', '/inbox', '/report?draft=1']) {
      const res = await raw(path);
      expect(res.status, path).toBe(200);
      expect(res.body.toString(), path).toBe(INDEX);
      expect(res.headers['cache-control'], path).toBe('no-cache');
    }
    expect((await raw('/assets/missing-abc.js')).status).toBe(404);
    expect((await raw('/missing.png')).status).toBe(404);
    const api = await raw('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body.toString())).toMatchObject({ error: { code: 'not_found' } });
    expect((await raw('/healthz')).headers['content-type']).toMatch(/^application\/json/);
  });

  it('never serves anything outside the folder, hidden files, or links out of it', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e%5c%2e%2e%5csecret.txt', '/.env', '/%00index.html']) {
      const res = await raw(path);
      expect(res.body.toString(), path).not.toMatch(/OUTSIDE-THE-APP-FOLDER|HIDDEN=1/);
      expect(res.status === 400 || res.status === 404 || (res.status === 200 && res.body.toString() === INDEX), `${path} → ${res.status}`).toBe(true);
    }
    const link = await raw('/assets/link.txt');
    expect(link.status).toBe(404);
    expect(link.body.toString()).not.toContain('OUTSIDE-THE-APP-FOLDER');
  });
});

describe('when the PWA is not built', () => {
  it('says at / how to build it, and the API keeps working', async () => {
    const empty = await tempDir('lianxin-nopwa-');
    dirs.push(empty);
    const bare = await startServer({ args: ['--pwa-dir', join(empty, 'missing')] });
    dirs.push(bare.dataDir);
    const res = await fetch(`${bare.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:pwa');
    expect((await fetch(`${bare.url}/healthz`)).status).toBe(200);
    await bare.kill();
  }, 60_000);
});
