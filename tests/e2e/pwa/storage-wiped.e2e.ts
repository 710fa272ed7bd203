/**
 * When the browser deletes the app's data under it (Chromium does so after a
 * LevelDB FILE_ERROR_NO_SPACE on a full disk: every IndexedDB database, Cache
 * Storage and OPFS, but not localStorage; pwa/README.md "Known limits"), the
 * user is told how much unsynced work was lost before the login screen, from
 * the marker the app keeps in localStorage. The wipe is made from outside the
 * app as Chromium's recovery makes it: CDP `Storage.clearDataForOrigin` of
 * IndexedDB, Cache Storage and file systems, local storage left alone.
 * Demo mode: there is no server, so everything done is unsynced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, makeJpeg, startPreview, type Preview } from './fixtures.ts';

const MARKER_KEY = 'lianxin.unsynced';

function marker(page: Page): Promise<{ records: number; photos: number } | null> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as { records: number; photos: number } | null, MARKER_KEY);
}

describe('data deleted by the browser (full disk)', () => {
  let preview: Preview;
  beforeAll(async () => {
    preview = await startPreview();
  });
  afterAll(async () => {
    await preview?.stop();
  });

  it('tells how many unsynced records and photos were lost, then shows the login screen; no false alarm after a reload or a sign-out', async () => {
    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      const login = new LoginScreen(page);
      await login.open(preview.url, '?demo');
      await login.demo();
      await page.waitForFunction((key) => localStorage.getItem(key) !== null, MARKER_KEY);
      const before = (await marker(page))!;

      // Unsynced work: a progress note and a photo (two records: the note and the photo's event).
      const orderId = await new InboxScreen(page).findOrder(preview.url, '处理中', 'progress');
      const order = new OrderScreen(page);
      await order.open(preview.url, orderId);
      await order.progress('现场已处理，待复核');
      expect(await order.addPhotos([{ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page, '现场', 1200, 900) }])).toEqual([]);
      await page.waitForFunction(
        ({ key, records, photos }) => {
          const m = JSON.parse(localStorage.getItem(key) ?? 'null') as { records: number; photos: number } | null;
          return m?.records === records && m.photos === photos;
        },
        { key: MARKER_KEY, records: before.records + 2, photos: before.photos + 1 },
        { timeout: 5000 },
      );
      const lost = (await marker(page))!;

      // A reload with the data intact: no dialog, the work is still there.
      await page.reload();
      await order.open(preview.url, orderId);
      expect(await page.locator('.storage-wipe').isVisible()).toBe(false);
      expect(await marker(page)).toMatchObject({ records: lost.records, photos: lost.photos });

      // The browser deletes the origin's storage while the app is open: the app reloads itself into the check.
      const cdp = await context.newCDPSession(page);
      const reloaded = page.waitForEvent('load');
      await cdp.send('Storage.clearDataForOrigin', { origin: new URL(preview.url).origin, storageTypes: 'indexeddb,cache_storage,file_systems' });
      await reloaded;
      const dialog = await page.waitForSelector('.storage-wipe');
      expect(await dialog.textContent()).toContain(`${lost.records} 条未同步的记录和 ${lost.photos} 张照片已丢失，无法恢复`);
      await page.click('.storage-wipe .van-dialog__confirm');
      await page.waitForSelector('.login');
      await page.waitForSelector('.storage-wipe', { state: 'hidden' });
      expect(await marker(page)).toBeNull();

      // Told once: the next start is a plain login screen.
      await page.reload();
      await page.waitForSelector('.login');
      expect(await page.locator('.storage-wipe').isVisible()).toBe(false);

      // A clean sign-out removes the marker: no false alarm on the next start.
      await login.open(preview.url, '?demo');
      await login.demo();
      await page.waitForFunction((key) => localStorage.getItem(key) !== null, MARKER_KEY);
      await page.goto(`${preview.url}#/me`);
      await page.click('[data-test=sign-out]');
      await page.click('.van-dialog__confirm');
      await page.waitForSelector('.login');
      await page.waitForLoadState('load');
      expect(await marker(page)).toBeNull();
      await page.reload();
      await page.waitForSelector('.login');
      expect(await page.locator('.storage-wipe').isVisible()).toBe(false);
    } finally {
      await phone.close();
    }
  });
});
