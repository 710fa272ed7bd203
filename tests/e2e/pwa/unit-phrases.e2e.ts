/**
 * 常用语 per unit, against a real sync server: the street's clerk sets the
 * street's phrases on 我的; a grid worker of that street, signed in once with
 * signal, sees them first under 退回原因 — and still after a restart offline,
 * from the organisation kept on the device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, launchPhone, startSyncServer, type SyncServer } from './fixtures.ts';
import { WAIT_MS, waitFor } from '../../support/wait.ts';

let server: SyncServer;
let appUrl: string;

beforeAll(async () => {
  server = await startSyncServer();
  appUrl = `${server.url}/`;
});

afterAll(async () => {
  await server?.stop();
});

const PHRASE = '街道统一：已联系物业限期整改';

describe('unit phrases', () => {
  it("reach the street's grid workers, first in the list, and stay on the device offline", async () => {
    const clerk = await launchPhone();
    try {
      const { page } = clerk;
      const login = new LoginScreen(page);
      await login.open(appUrl);
      await login.signIn(server.account('street_clerk'), server.password);
      await page.waitForURL(/#\/(?!login)/, { timeout: WAIT_MS });
      await page.goto(`${appUrl}#/me`);
      await page.click('[data-test=unit-phrases]', { timeout: WAIT_MS });
      // Their street by default; its communities and grids to choose from.
      await page.click('[data-test=unit-phrases-unit]');
      await expect.poll(() => page.locator('.van-picker-column__item').count(), { timeout: WAIT_MS }).toBeGreaterThan(2);
      await page.click('.van-picker__cancel');
      await page.fill('[data-test=unit-phrases-returnReason] textarea', `${PHRASE}\n`);
      await page.click('[data-test=unit-phrases-save]');
      await page.waitForSelector('[data-test=unit-phrases-form]', { state: 'detached', timeout: WAIT_MS });
    } finally {
      await clerk.close();
    }

    const worker = await launchPhone();
    try {
      const { page, context } = worker;
      const login = new LoginScreen(page);
      await login.open(appUrl);
      // A worker manages no unit's phrases.
      await login.signIn(server.account('grid_worker'), server.password);
      await page.waitForSelector('.order-card', { timeout: WAIT_MS });
      await page.goto(`${appUrl}#/me`);
      await page.waitForSelector('[data-test=me-unit]');
      expect(await page.locator('[data-test=unit-phrases]').count()).toBe(0);

      const firstReturnPhrase = async (): Promise<string> => {
        await new InboxScreen(page).findOrder(appUrl, '待签收', 'return');
        await page.click('[data-action=return]');
        const phrase = page.locator('[data-test=phrases-returnReason] [data-test=phrase]').first();
        await phrase.waitFor({ timeout: WAIT_MS });
        return (await phrase.textContent())!.trim();
      };
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      await waitFor(
        () =>
          page.evaluate(async (wanted) => {
            const phrases = await new Promise<unknown>((resolve) => {
              const open = indexedDB.open('lianxin');
              open.onsuccess = () => {
                const get = open.result.transaction('session').objectStore('session').get('org');
                get.onsuccess = () => {
                  resolve((get.result as { value?: { phrases?: unknown } } | undefined)?.value?.phrases);
                  open.result.close();
                };
              };
            });
            return JSON.stringify(phrases ?? null).includes(wanted);
          }, PHRASE),
        'the phrase in the stored organisation',
      );
      expect(await firstReturnPhrase()).toBe(PHRASE);

      await context.setOffline(true);
      await page.reload();
      // The app started again from the service worker, on the order it was showing.
      await page.waitForSelector('[data-test=order-timeline]', { timeout: WAIT_MS });
      expect(await firstReturnPhrase()).toBe(PHRASE);
    } finally {
      await worker.close();
    }
  });
});
