/**
 * The built PWA under the headers it ships with, in real Chromium: served by
 * the sync server (as deployed) and by `vite preview` (as the other e2e tests
 * see it), with its Content-Security-Policy, X-Frame-Options, nosniff and
 * Referrer-Policy, and no source maps. Sign-in, the inbox, an order, a photo
 * through the photo worker, the sync socket, the service worker and the Me
 * page all run without a single CSP violation (every phone in this suite
 * also fails its test on one: fixtures.ts). Another page cannot frame it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, makeJpeg, startSyncServer, type SyncServer } from './fixtures.ts';
import { sharedPreview } from './preview.ts';
import { WAIT_MS } from '../../support/wait.ts';

let server: SyncServer;

beforeAll(async () => {
  server = await startSyncServer();
});

afterAll(async () => {
  await server?.stop();
});

function expectAppHeaders(headers: Record<string, string>, where: string): void {
  const policy = headers['content-security-policy'] ?? '';
  expect(policy, where).toMatch(/(^|; )default-src 'self'(;|$)/);
  expect(policy, where).toMatch(/(^|; )script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
  expect(policy, where).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
  expect(policy, where).toMatch(/(^|; )object-src 'none'(;|$)/);
  expect(headers['x-frame-options'], where).toBe('DENY');
  expect(headers['x-content-type-options'], where).toBe('nosniff');
  expect(headers['referrer-policy'], where).toBe('no-referrer');
}

describe('the PWA under its security headers', () => {
  it('is served by the sync server with them and works under them: sign-in, inbox, order, photo, sync, service worker, Me', async () => {
    const appUrl = `${server.url}/`;
    const phone = await launchPhone();
    try {
      const { page } = phone;
      const response = await page.goto(appUrl);
      expectAppHeaders(response!.headers(), 'the sync server');
      const login = new LoginScreen(page);
      await login.open(appUrl);
      await login.signIn(server.account('grid_worker'), server.password);
      await page.waitForSelector('.order-card', { timeout: WAIT_MS });
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });

      await new InboxScreen(page).findOrder(appUrl, '处理中', 'photo_added');
      const order = new OrderScreen(page);
      expect(await order.addPhotos([{ name: 'site.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page, `CSP ${Date.now()}`) }])).toEqual([]);
      await page.waitForSelector('[data-test=photo-grid] img', { timeout: WAIT_MS });
      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
      await page.goto(`${appUrl}#/me`);
      await page.waitForSelector('[data-test=sign-out]', { timeout: WAIT_MS });

      // No source maps to be had.
      const script = await page.evaluate(() => document.querySelector<HTMLScriptElement>('script[type=module][src]')?.src ?? '');
      expect(script).toMatch(/\/assets\/index-[\w-]+\.js$/);
      expect((await fetch(`${script}.map`)).status).toBe(404);
      expect(phone.cspViolations).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('is served by vite preview with the same headers, and the demo runs under them', async () => {
    const { url } = sharedPreview();
    const phone = await launchPhone();
    try {
      const response = await phone.page.goto(url);
      expectAppHeaders(response!.headers(), 'vite preview');
      const login = new LoginScreen(phone.page);
      await login.open(url, '?demo');
      await login.demo();
      // Vant's icons come from the inlined font (its remote fallback is cut from the build).
      await phone.page.waitForFunction(() => [...document.fonts].some((font) => font.family.replace(/"/g, '') === 'vant-icon' && font.status === 'loaded'), null, { timeout: WAIT_MS });
      expect(phone.cspViolations).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('cannot be framed by another page', async () => {
    const phone = await launchPhone();
    try {
      const { page } = phone;
      await page.goto('about:blank');
      await page.setContent(`<iframe id="app" src="${server.url}/"></iframe>`);
      const frame = await (await page.waitForSelector('#app')).contentFrame();
      expect(frame).not.toBeNull();
      // Chromium puts an error page in its place once it has the refused response; the app never runs there.
      await frame!.waitForLoadState('load');
      expect(frame!.url()).not.toBe(`${server.url}/`);
      const framed = await frame!.evaluate(() => document.querySelector('#app') !== null).catch(() => false);
      expect(framed).toBe(false);
      // The refusal is itself reported as a violation, of frame-ancestors only.
      expect(phone.cspViolations.every((text) => /frame-ancestors|X-Frame-Options/.test(text))).toBe(true);
      phone.cspViolations.length = 0;
    } finally {
      await phone.close();
    }
  });
});
