/**
 * The timeline names units and people (from GET /api/org, stored on the
 * phone) instead of showing their ids — offline too, after a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('timeline names', () => {
  it('says 派至 and who acted by name, also offline after a reload', async () => {
    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      const login = new LoginScreen(page);
      await login.open(appUrl);
      const worker = server.user('grid_worker');
      await login.signIn(worker.id, server.password);
      await page.waitForSelector('.order-card', { timeout: WAIT_MS });

      // The seed leaves orders dispatched to this worker's grid, waiting for 签收.
      const orderId = await new InboxScreen(page).findOrder(appUrl, '待签收', 'accept');
      const order = new OrderScreen(page);
      const dispatchText = () => page.textContent('[data-test=order-timeline] li[data-event-type=dispatch]');
      // Names come once the organisation has been fetched (at sign-in).
      await page.waitForFunction(() => /派至 \S*网格/.test(document.querySelector('[data-test=order-timeline] li[data-event-type=dispatch]')?.textContent ?? ''), null, { timeout: WAIT_MS });
      expect(await dispatchText()).not.toContain(worker.unitId);
      const dispatchedBy = await page.textContent('[data-test=order-timeline] li[data-event-type=dispatch] [data-test=timeline-actor]');
      expect(dispatchedBy).toMatch(/街道/);
      expect(dispatchedBy).not.toMatch(/\bd1-s1\b/);

      await order.accept();
      expect(await page.textContent('[data-test=order-timeline] li[data-event-type=accept] [data-test=timeline-actor]')).toContain(worker.name);

      // The service worker registers after the first screen: offline, only a controlled page reloads from its cache.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      await context.setOffline(true);
      await page.reload();
      await order.open(appUrl, orderId);
      await page.waitForFunction(() => /派至 \S*网格/.test(document.querySelector('[data-test=order-timeline] li[data-event-type=dispatch]')?.textContent ?? ''), null, { timeout: WAIT_MS });
      expect(await page.textContent('[data-test=order-timeline] li[data-event-type=accept] [data-test=timeline-actor]')).toContain(worker.name);
    } finally {
      await phone.close();
    }
  });

  it('names them in demo mode too (the demo organisation, no server), and Me names the worker\'s unit', async () => {
    const phone = await launchPhone();
    try {
      const { page } = phone;
      const login = new LoginScreen(page);
      await login.open(appUrl, '?demo');
      await login.demo();
      await new InboxScreen(page).findOrder(`${appUrl}?demo`, '待签收', 'accept');
      await page.waitForFunction(() => /派至 \S*网格/.test(document.querySelector('[data-test=order-timeline] li[data-event-type=dispatch]')?.textContent ?? ''), null, { timeout: WAIT_MS });
      // Me names the worker's own unit too.
      await page.goto(`${appUrl}?demo#/me`);
      await page.waitForFunction(() => /网格$/.test(document.querySelector('[data-test=me-unit] .van-cell__value')?.textContent?.trim() ?? ''), null, { timeout: WAIT_MS });
    } finally {
      await phone.close();
    }
  });
});
