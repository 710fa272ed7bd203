/**
 * Notifications in real Chromium: a clerk dispatches an order to the
 * worker's grid (written through a scripted client, as the office's action
 * sheets would) and the worker's phone lists it with an unread count on the
 * bell; a 督办 written while the app is in the background is announced by the
 * service worker (registration.showNotification, read back with
 * registration.getNotifications()); tapping the list entry opens the order.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { TestClient, postIntake, signIn } from '../../server/support/client.ts';
import { hotlineIntake } from '../../server/support/fixture.ts';
import { DAY, HOUR } from '../../shared/support/builders.ts';
import { WAIT_MS, waitForValue } from '../../support/wait.ts';
import { LoginScreen, launchPhone, startSyncServer, type SyncServer } from './fixtures.ts';

let server: SyncServer;
let appUrl: string;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startSyncServer();
  appUrl = `${server.url}/`;
});

afterAll(async () => {
  for (const client of clients) client.close();
  await server?.stop();
});

describe('notifications', () => {
  it('lists a dispatch with an unread count, and announces a 督办 from the service worker while the app is hidden', async () => {
    const worker = server.user('grid_worker');
    const clerkUser = server.user('street_clerk');
    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      await context.grantPermissions(['notifications'], { origin: new URL(appUrl).origin });
      const login = new LoginScreen(page);
      await login.open(appUrl);
      await login.signIn(worker.id, server.password);
      await page.waitForSelector('[data-test=notification-bell]', { timeout: WAIT_MS });
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      // Signed in, synced once: what came before is no news.
      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });

      // The clerk takes in an order in the worker's grid and dispatches it there.
      const clerkLogin = await signIn(server.url, clerkUser.id, server.password);
      const place = (await (await fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: worker.id, password: server.password }),
      }).then((res) => res.json())) as { place: { districtId: string; streetId: string; communityId: string; gridId: string } }).place;
      const receivedAt = clerkLogin.serverTime - HOUR;
      const created = await postIntake(server.url, clerkLogin.token, hotlineIntake({ place, receivedAt, deadline: receivedAt + 5 * DAY, title: '通知测试：凯旋路井盖缺损' }));
      expect(created.status).toBe(201);
      const orderId = (created.body as { id: string }).id;

      const clerk = await TestClient.connect(server, clerkUser, 41, server.password);
      clients.push(clerk);
      const doc = await clerk.open(orderDocName(orderId), new Y.Doc()).synced();
      doc.append(clerk.write(doc, { type: 'dispatch', payload: { unitId: worker.unitId, unitKind: 'grid', note: '请今天到场' } }, clerk.at()));
      expect(await doc.settled()).toBeNull();

      // The bell counts it; the list shows it, unread.
      await page.waitForFunction(() => document.querySelector('[data-test=notification-unread] .van-badge')?.textContent?.trim() === '1', null, { timeout: WAIT_MS });
      await page.click('[data-test=notification-bell]');
      const entry = `[data-test=notification-dispatch][data-order="${orderId}"]`;
      await page.waitForSelector(entry, { timeout: WAIT_MS });
      expect(await page.getAttribute(entry, 'data-unread')).toBe('true');
      expect(await page.textContent(entry)).toContain('通知测试：凯旋路井盖缺损');
      expect(await page.textContent(entry)).toContain('请今天到场');

      // The app goes to the background (Chromium's headless tabs stay "visible": the page is told it is hidden).
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      doc.append(clerk.write(doc, { type: 'supervise', payload: { level: 'warning', note: '群众多次来电，请加快办理' } }, clerk.at(60_000)));
      expect(await doc.settled()).toBeNull();

      // Read back from the service worker's registration: what the system was asked to show.
      const announced = await waitForValue(
        () =>
          page.evaluate(async () => {
            const registration = await navigator.serviceWorker.getRegistration();
            const notifications = (await registration?.getNotifications()) ?? [];
            const found = notifications.find((n) => n.title.startsWith('督办'));
            return found ? { title: found.title, body: found.body, data: found.data as { orderId?: string } } : null;
          }),
        (value) => value !== null,
        'the service worker shows the 督办',
      ).then((value) => value!);
      expect(announced.body).toContain('群众多次来电，请加快办理');
      expect(announced.data.orderId).toBe(orderId);
      // The outcome is on the page's timeline (where a failing test's report reads it: no registration, a refusal …).
      expect(await page.evaluate(() => performance.getEntriesByType('mark').map((mark) => mark.name).filter((name) => name.startsWith('lianxin:announce')))).toEqual(['lianxin:announced:supervise']);
      // The dispatch arrived while the app was in front: listed, not announced.
      const titles = await page.evaluate(async () => ((await (await navigator.serviceWorker.getRegistration())?.getNotifications()) ?? []).map((n) => n.title));
      expect(titles.filter((title) => title.startsWith('新派单'))).toEqual([]);
      await page.waitForSelector(`[data-test=notification-supervise][data-order="${orderId}"][data-unread=true]`, { timeout: WAIT_MS });

      // Back in front; tapping the entry opens the order.
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      });
      await page.click(entry);
      await page.waitForFunction((id) => location.hash === `#/orders/${id}`, orderId, { timeout: WAIT_MS });
      await page.goBack();
      // Opening the order read everything notified about it: both entries, and the bell has no count.
      await page.waitForSelector(`${entry}[data-unread=false]`, { timeout: WAIT_MS });
      await page.waitForSelector(`[data-test=notification-supervise][data-order="${orderId}"][data-unread=false]`, { timeout: WAIT_MS });
      await page.goto(`${appUrl}#/inbox`);
      await page.waitForSelector('[data-test=notification-bell]', { timeout: WAIT_MS });
      await page.waitForFunction(() => document.querySelector('[data-test=notification-unread] .van-badge') === null, null, { timeout: WAIT_MS });
    } finally {
      await phone.close();
    }
  });
});
