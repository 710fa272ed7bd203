/**
 * The built PWA is installable (Chromium's own check), opens in Chinese, and
 * starts offline from its service-worker cache — in the same session and from
 * a cold browser.
 */
import { describe, expect, it } from 'vitest';
import { launchPhone } from './fixtures.ts';
import { sharedPreview } from './preview.ts';
import { WAIT_MS } from '../../support/wait.ts';

const preview = sharedPreview();

describe('PWA shell', () => {
  it('renders the login screen in Chinese, passes Chromium installability checks and has real icons', async () => {
    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      await page.addInitScript(() => {
        const notes: string[] = [];
        (window as { offlineNotes?: string[] }).offlineNotes = notes;
        new MutationObserver(() => {
          const note = document.querySelector('[data-test=offline-ready]');
          if (note && !note.hasAttribute('data-seen')) {
            note.setAttribute('data-seen', '');
            notes.push(note.textContent?.trim() ?? '');
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(preview.url);
      await page.waitForSelector('.login');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await page.textContent('.login__title')).toBe('连心');
      expect(await page.textContent('button[type=submit]')).toContain('登录');
      const labels = await page.locator('.van-field__label').allTextContents();
      expect(labels.map((l) => l.trim())).toEqual(['用户名', '密码']);

      // An empty submit is refused in plain Chinese, without a request.
      await page.click('button[type=submit]');
      expect(await page.textContent('[data-test=login-error]')).toBe('请输入用户名和密码');

      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      // Ready offline is said once, in a note of its own (not the one toast, which it used to take
      // from whatever the user had just been told); then it goes. Recorded as it appears, so a
      // slow machine cannot miss it.
      await page.waitForFunction(() => (window as { offlineNotes?: string[] }).offlineNotes?.length, null, { timeout: WAIT_MS });
      expect(await page.evaluate(() => (window as { offlineNotes?: string[] }).offlineNotes)).toEqual(['已可离线使用']);
      expect(await page.$('.van-toast')).toBeNull();
      await page.waitForSelector('[data-test=offline-ready]', { state: 'detached', timeout: WAIT_MS });
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
      expect(installabilityErrors).toEqual([]);

      const manifest = (await (await fetch(new URL('manifest.webmanifest', preview.url))).json()) as {
        lang: string;
        display: string;
        icons: { src: string; sizes: string; purpose: string }[];
      };
      expect(manifest.lang).toBe('zh-CN');
      expect(manifest.display).toBe('standalone');
      for (const [sizes, purpose] of [
        ['192x192', 'any'],
        ['512x512', 'any'],
        ['512x512', 'maskable'],
      ] as const) {
        const icon = manifest.icons.find((i) => i.sizes === sizes && i.purpose === purpose);
        expect(icon, `${sizes} ${purpose} icon`).toBeDefined();
        const bytes = new Uint8Array(await (await fetch(new URL(icon!.src, preview.url))).arrayBuffer());
        expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
        // PNG IHDR: width and height at bytes 16..23.
        const view = new DataView(bytes.buffer);
        expect(`${view.getUint32(16)}x${view.getUint32(20)}`).toBe(sizes);
      }
    } finally {
      await phone.close();
    }
  });

  it('starts offline from the cache, also from a cold browser', async () => {
    const phone = await launchPhone();
    const dir = phone.userDataDir;
    try {
      await phone.page.goto(preview.url);
      await phone.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      await phone.context.setOffline(true);
      await phone.page.reload();
      await phone.page.waitForSelector('.login');
      expect(await phone.page.textContent('.login__title')).toBe('连心');
    } finally {
      await phone.close();
    }
    const cold = await launchPhone({ userDataDir: dir });
    try {
      await cold.context.setOffline(true);
      await cold.page.goto(preview.url);
      await cold.page.waitForSelector('.login');
      expect(await cold.page.textContent('.login__title')).toBe('连心');
    } finally {
      await cold.close();
    }
  });
});
