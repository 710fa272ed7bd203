/**
 * The extension's runtime in real Chromium against a real server: sign-in
 * from the popup, switching the extension on for a portal origin with a
 * click, the panel appearing only there, and the service worker stopped and
 * started again without losing the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../shared/demo/index.ts';
import { startPortals, type Portals } from '../../portals/server.ts';
import { DEMO_PASSWORD, PanelPage, launchExtension, startLianxinServer, type ExtensionBrowser, type LianxinServer } from './fixtures.ts';

const CLERK = DEMO_ACCOUNTS.find((a) => a.id === 'clerk1')!;

let server: LianxinServer;
let portals: Portals;
let browser: ExtensionBrowser;

beforeAll(async () => {
  [server, portals] = await Promise.all([startLianxinServer(), startPortals({ host: '127.0.0.1', port: 0 })]);
  browser = await launchExtension();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.close(), portals?.close()]);
});

describe('the extension runtime', () => {
  it('refuses a wrong password with a clear message, then signs in', async () => {
    const popup = await browser.openPopup();
    await popup.signIn(server.url, 'clerk1', 'wrong-password');
    await expect.poll(() => popup.page.locator('[data-test=sign-in-error]').textContent()).toContain('用户名或密码错误');

    await popup.signIn(server.url, 'clerk1', DEMO_PASSWORD);
    await expect.poll(() => popup.userName().textContent()).not.toBe('');
    expect(await popup.syncState().getAttribute('data-state')).not.toBe('signed_out');
    await popup.close();
  });

  it('shows the panel on a portal only after the clerk enabled it there', async () => {
    const portalUrl = portals.urls['element-plus'];
    const before = await browser.context.newPage();
    await before.goto(portalUrl);
    await before.waitForLoadState('load');
    // Give a registered script every chance to run before saying it did not.
    await before.waitForTimeout(500);
    expect(await new PanelPage(before).host().count()).toBe(0);

    const popup = await browser.openPopup();
    await popup.enablePortal(portals.origin);
    await expect.poll(() => popup.enabledPortals().allTextContents()).toEqual([expect.stringContaining(portals.origin)]);
    await popup.close();

    // The page already open gets the panel without a reload; a new one gets it from the registration.
    await expect.poll(() => new PanelPage(before).host().count()).toBe(1);
    const after = await browser.context.newPage();
    await after.goto(portalUrl);
    const panel = new PanelPage(after);
    await expect.poll(() => panel.host().count()).toBe(1);
    await expect.poll(() => panel.page.locator('lianxin-panel .panel').count()).toBe(1);
    await before.close();
    await after.close();
  });

  it('keeps the session when Chrome stops the service worker and starts it again', async () => {
    await browser.stopServiceWorker();
    // Opening the popup sends a message, which starts the worker again from disk.
    const popup = await browser.openPopup();
    await expect.poll(() => popup.userName().textContent()).toBe(CLERK.name);
    expect(await popup.enabledPortals().count()).toBe(1);
    await popup.close();
  });
});
