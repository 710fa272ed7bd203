/**
 * What the server exposes and under which headers: the app under its
 * Content-Security-Policy (its inline script allowed by hash, no framing),
 * the API under a policy that allows nothing, no source maps, and /metrics
 * only with the configured bearer token. (That the real built app works
 * under the policy is tests/e2e/pwa/security-headers.e2e.ts, in Chromium.)
 */
import { createHash } from 'node:crypto';
import { Agent, get } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, stopAll, tempDir, type ServerProcess } from './support/server.ts';

const METRICS_TOKEN = 'scrape-me-with-this-token-42';
const INLINE = "\n      try { indexedDB.open('lianxin'); } catch (e) {}\n    ";
const INDEX = `<!doctype html><title>连心</title><script>${INLINE}</script><script type="module" src="/assets/index-B4x9kQ2a.js"></script><div id="app"></div>`;

const dirs: string[] = [];
let server: ServerProcess;
let closed: ServerProcess;

beforeAll(async () => {
  const pwaDir = await tempDir('lianxin-pwa-');
  dirs.push(pwaDir);
  await mkdir(join(pwaDir, 'assets'));
  await writeFile(join(pwaDir, 'index.html'), INDEX);
  await writeFile(join(pwaDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(join(pwaDir, 'assets', 'index-B4x9kQ2a.js'), 'console.log(1);');
  await writeFile(join(pwaDir, 'assets', 'index-B4x9kQ2a.js.map'), '{"version":3,"sources":["../src/secret.ts"]}');
  await writeFile(join(pwaDir, 'sw.js.map'), '{"version":3}');
  [server, closed] = await Promise.all([startServer({ args: ['--pwa-dir', pwaDir], env: { METRICS_TOKEN } }), startServer({ args: ['--pwa-dir', pwaDir], env: { METRICS_TOKEN: '' } })]);
  dirs.push(server.dataDir, closed.dataDir);
}, 60_000);

afterAll(() => stopAll(dirs));

const directives = (policy: string | null) => new Map((policy ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));

describe('the app', () => {
  it('is served under a Content-Security-Policy that allows its own inline script by hash and forbids framing', async () => {
    for (const path of ['/', '/orders/o-1', '/sw.js', '/assets/index-B4x9kQ2a.js']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      const policy = directives(res.headers.get('content-security-policy'));
      expect(policy.get('default-src'), path).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(policy.get('object-src'), path).toEqual(["'none'"]);
      const hash = `'sha256-${createHash('sha256').update(INLINE, 'utf8').digest('base64')}'`;
      expect(policy.get('script-src'), path).toEqual(["'self'", hash]);
      expect(policy.get('connect-src'), path).toEqual(["'self'", `ws://${new URL(server.url).host}`, `wss://${new URL(server.url).host}`]);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('does not serve source maps, even when the folder has them', async () => {
    for (const path of ['/assets/index-B4x9kQ2a.js.map', '/sw.js.map']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('sources');
    }
  });
});

describe('the API', () => {
  it('answers under a policy that allows nothing, unframeable', async () => {
    for (const path of ['/healthz', '/api/me', '/api/nothing']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});

describe('/metrics', () => {
  it('answers only with the configured bearer token', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^lianxin_connections \d+$/m);
  });

  it('is closed when no token is configured', async () => {
    const res = await fetch(`${closed.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'metrics_disabled' } });
  });
});

describe('connections', () => {
  it('keeps an idle connection open longer than a proxy in front of it would (Keep-Alive: timeout=65)', async () => {
    const agent = new Agent({ keepAlive: true });
    try {
      const header = await new Promise<string>((resolve, reject) => {
        get(`${server.url}/healthz`, { agent }, (res) => {
          res.resume();
          resolve(String(res.headers['keep-alive']));
        }).on('error', reject);
      });
      expect(header).toBe('timeout=65');
    } finally {
      agent.destroy();
    }
  });
});
