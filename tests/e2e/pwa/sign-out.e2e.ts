/**
 * Against a real sync server: sign-out takes the user's keys with it — the
 * close draft above all, which holds the citizen's contact number and is kept
 * in localStorage while it is written (so a reload or an update does not lose
 * it). Signing in again, the close form starts empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORED_KEYS, closeDraftKey } from '#pwa/src/data/storage-keys.ts';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, startSyncServer, type SyncServer } from './fixtures.ts';
import { WAIT_MS } from '../../support/wait.ts';

let server: SyncServer;
let appUrl: string;

beforeAll(async () => {
  server = await startSyncServer();
  appUrl = `${server.url}/`;
});

afterAll(async () => {
  await server?.stop();
});

const NUMBER = '13800001234';

describe('sign-out', () => {
  it('leaves no close draft (the citizen’s number) and none of the user’s other keys behind', async () => {
    const phone = await launchPhone();
    try {
      const { page } = phone;
      const login = new LoginScreen(page);
      await login.open(appUrl);
      await login.signIn(server.account('grid_worker'), server.password);
      await page.waitForSelector('.order-card', { timeout: WAIT_MS });

      const orderId = await new InboxScreen(page).findOrder(appUrl, '处理中', 'close');
      await page.click('[data-action=close]');
      await page.waitForSelector('[data-test=close-form]');
      await page.fill('[data-test=close-form] input[name=number]', NUMBER);
      await page.waitForFunction(({ key, number }) => localStorage.getItem(key)?.includes(number) === true, { key: closeDraftKey(orderId), number: NUMBER });
      // Closing the sheet keeps the draft: that is what it is for.
      await page.click('.van-popup__close-icon');
      await page.waitForSelector('[data-test=close-form]', { state: 'detached' });
      expect(await page.evaluate((key) => localStorage.getItem(key), closeDraftKey(orderId))).toContain(NUMBER);
      expect(await page.evaluate((key) => sessionStorage.getItem(key), STORED_KEYS.inboxTab.key)).toBe('doing');

      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
      await page.goto(`${appUrl}#/me`);
      await page.click('[data-test=sign-out]');
      // Me reloads the page after a sign-out (nothing of the user stays in memory).
      const reloaded = page.waitForEvent('load', { timeout: WAIT_MS });
      await page.click('.van-dialog__confirm');
      await reloaded;
      await page.waitForSelector('.login', { timeout: WAIT_MS });

      const left = await page.evaluate(() => ({
        local: Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)),
        session: Array.from({ length: sessionStorage.length }, (_, i) => sessionStorage.key(i)),
      }));
      expect(left.local.filter((key) => key?.startsWith(STORED_KEYS.closeDraft.key))).toEqual([]);
      expect(left.session).not.toContain(STORED_KEYS.inboxTab.key);
      expect(left.local.filter((key) => key?.startsWith('lianxin.'))).toEqual([]);

      // The same user again: the form starts empty, nothing of the draft comes back.
      await login.signIn(server.account('grid_worker'), server.password);
      await page.waitForSelector('.order-card', { timeout: WAIT_MS });
      const order = new OrderScreen(page);
      await order.open(appUrl, orderId);
      await page.click('[data-action=close]');
      await page.waitForSelector('[data-test=close-form]');
      expect(await page.inputValue('[data-test=close-form] input[name=number]')).toBe('');
    } finally {
      await phone.close();
    }
  });
});
