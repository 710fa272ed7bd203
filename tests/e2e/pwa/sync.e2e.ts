/**
 * Against a real sync server: sign in, photograph and close an order from the
 * grid's index; the sync bar reaches 已同步 only when the server holds every
 * event and the photo's bytes (HEAD by hash), and a second signed-in device
 * sees the closed order. A whole day offline survives a reload and a browser
 * restart and then reaches the server. Two phones acting on one order offline
 * end in the same state, the conflict shown on both. A first sync stores the
 * open orders as downloaded, and one never opened opens offline after a restart.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import * as Y from 'yjs';
import { deriveOrder } from '#shared/order/reducer.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { readEvents, readIntake } from '#shared/sync/order-doc.ts';
import { LianxinApi } from '#shared/client/api.ts';
import { TestClient } from '../../server/support/client.ts';
import { hotlineIntake } from '../../server/support/fixture.ts';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, launchPhones, makeJpeg, startSyncServer, type SyncServer } from './fixtures.ts';
import { WAIT_MS, waitForValue } from '../../support/wait.ts';

let server: SyncServer;
/** The app as deployed: the sync server serves dist/pwa at its own origin, with /api and /sync. */
let app: { readonly url: string };

beforeAll(async () => {
  server = await startSyncServer();
  app = { url: `${server.url}/` };
});

afterAll(async () => {
  await server?.stop();
});

describe('with the sync server', () => {
  it('signs in, closes an order and the server has it all', async () => {
    const phone = await launchPhone();
    const closed = { orderId: '' };
    try {
      const { page } = phone;
      const login = new LoginScreen(page);
      await login.open(app.url);
      await login.signIn(server.account('grid_worker'), 'wrong-password');
      expect(await login.error()).toBe('用户名或密码错误');
      await login.signIn(server.account('grid_worker'), server.password);
      await page.waitForSelector('.order-card', { timeout: WAIT_MS });

      // An order already in progress (the seed has some waiting for 签收 too).
      const orderId = await new InboxScreen(page).findOrder(app.url, '处理中', 'close');
      closed.orderId = orderId;
      const order = new OrderScreen(page);
      const shasNow = () => page.locator('[data-test=photo-grid] [data-sha256]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.sha256 ?? ''));
      const before = await shasNow();
      expect(await order.addPhotos([{ name: 'site.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page, `现场 ${Date.now()}`) }])).toEqual([]);
      const sha = (await shasNow()).find((s) => !before.includes(s));
      expect(sha).toBeTruthy();
      await order.close({ actions: '已到场处理完毕，现场恢复正常。', publicReply: '您反映的问题已处理，感谢监督。', method: '电话' });

      await page.waitForSelector('[data-test=sync-bar][data-phase=synced] >> text=所有工作已保存在服务器', { timeout: WAIT_MS });

      const token = await (await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: server.account('grid_worker'), password: server.password }) })).json() as { token: string };
      const head = await fetch(`${server.url}/api/photos/${sha}`, { method: 'HEAD', headers: { Authorization: `Bearer ${token.token}` } });
      expect(head.status).toBe(200);

    } finally {
      await phone.close();
    }
    // A second device (one browser at a time on these machines): the clerk sees the close.
    const clerk = await launchPhone();
    try {
      const login2 = new LoginScreen(clerk.page);
      await login2.open(app.url);
      await login2.signIn(server.account('street_clerk'), server.password);
      await clerk.page.waitForSelector('[data-test=sync-bar]');
      const order2 = new OrderScreen(clerk.page);
      await order2.open(app.url, closed.orderId);
      await clerk.page.waitForSelector('[data-test=order-timeline] li[data-event-type=close]', { timeout: WAIT_MS });
    } finally {
      await clerk.close();
    }
  });
});

describe('offline, then online', () => {
  it('delivers a whole offline day after a reload and a browser restart', async () => {
    const phone = await launchPhone();
    const dir = phone.userDataDir;
    /** The offline part; returns what the server must end up with. */
    const offlineDay = async () => {
      const { page, context } = phone;
      const login = new LoginScreen(page);
      await login.open(app.url);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      await login.signIn(server.account('grid_worker'), server.password);
      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
      // Another order in progress (the test above closed one); opened online, so its doc is on the device.
      const orderId = await new InboxScreen(page).findOrder(app.url, '处理中', 'close');
      const order = new OrderScreen(page);
      await order.open(app.url, orderId);
      await page.waitForSelector('[data-action=close]');
      // The seed's own photos of this order (their bytes were never uploaded): not ours to check.
      const seededShas = await page.locator('[data-test=photo-grid] [data-sha256]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.sha256 ?? ''));
      await context.setOffline(true);
      await page.waitForFunction(() => document.querySelector('[data-test=sync-bar]')?.getAttribute('data-phase') === 'offline', null, { timeout: WAIT_MS });
      if ((await order.actions()).includes('accept')) await order.accept();
      await order.checkIn();
      await order.progress('地下室无信号，已到场处理。');
      const photos = await Promise.all(['一', '二', '三'].map((n) => makeJpeg(page, `离线照片 ${n} ${Date.now()}`)));
      expect(await order.addPhotos(photos.map((buffer, i) => ({ name: `p${i}.jpg`, mimeType: 'image/jpeg', buffer })))).toEqual([]);
      await order.close({ actions: '已到场处理完毕，现场恢复正常。', publicReply: '您反映的问题已处理，感谢监督。', method: '电话' });
      // Sign-out is refused while the work is only on this phone.
      await page.goto(`${app.url}#/me`);
      await page.click('[data-test=sign-out]');
      expect(await (await page.waitForSelector('.van-dialog')).textContent()).toContain('未同步，现在退出会丢失');
      await page.click('.van-dialog__confirm');
      // The last escape hatch: a file with every unconfirmed event and photo (bytes included).
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')]);
      const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { events: { orderId: string; event: { type: string } }[]; photos: { base64: string }[] };
      expect(exported.events.filter((e) => e.orderId === orderId).map((e) => e.event.type)).toEqual(expect.arrayContaining(['check_in', 'progress', 'photo_added', 'close']));
      expect(exported.photos).toHaveLength(3);
      expect(exported.photos.every((p) => p.base64.length > 1000)).toBe(true);
      await order.open(app.url, orderId);
      const shas = (await page.locator('[data-test=photo-grid] [data-sha256]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.sha256 ?? ''))).filter(
        (s) => !seededShas.includes(s),
      );
      expect(shas).toHaveLength(3);
      await page.reload();
      await page.waitForSelector('[data-test=order-timeline] li[data-event-type=close]');
      const workerTimeline = await order.timeline();
      expect(workerTimeline.slice(0, 6)).toEqual(['close', 'photo_added', 'photo_added', 'photo_added', 'progress', 'check_in']);
      expect(await page.getAttribute('[data-test=sync-bar]', 'data-phase')).toBe('offline');
      return { orderId, shas, workerTimeline };
    };
    const { orderId, shas, workerTimeline } = await offlineDay().finally(() => phone.close());

    const again = await launchPhone({ userDataDir: dir });
    try {
      const { page } = again;
      const order = new OrderScreen(page);
      await order.open(app.url, orderId);
      await page.waitForFunction(() => document.querySelector('[data-test=sync-bar]')?.getAttribute('data-phase') === 'synced', null, { timeout: WAIT_MS });
    } finally {
      await again.close();
    }

    // What the server stored, read back as the clerk: every photo by hash, and the order's events in the worker's order.
    const api = new LianxinApi({ baseUrl: server.url });
    const { token } = await api.login(server.account('street_clerk'), server.password);
    for (const sha of shas) expect(await api.hasPhoto(token, sha), sha).toBe(true);
    const stored = (await api.fetchDocs(token, [orderDocName(orderId)]))[orderDocName(orderId)];
    if (!stored || !('update' in stored)) throw new Error('the server did not return the order');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored.update);
    const intake = readIntake(doc);
    if (!intake?.ok) throw new Error('the stored order has no intake');
    const view = deriveOrder(intake.value, readEvents(doc).events, Date.now());
    expect([...view.timeline].reverse().map((entry) => entry.event.type)).toEqual(workerTimeline);
    expect(view.status).toBe('closed');
  });
});

describe('first sync', () => {
  /** The doc names stored as downloaded and waiting (`docSeedNames`) and those with a database of their own, read in the page. */
  const stored = (page: Page) =>
    page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => Object.assign(indexedDB.open('lianxin'), { onsuccess(this: IDBOpenDBRequest) { resolve(this.result); }, onerror: reject }));
      const packs = db.objectStoreNames.contains('docSeedNames')
        ? await new Promise<{ names: (string | null)[] }[]>((resolve, reject) => Object.assign(db.transaction('docSeedNames').objectStore('docSeedNames').getAll(), { onsuccess(this: IDBRequest<{ names: (string | null)[] }[]>) { resolve(this.result); }, onerror: reject }))
        : [];
      db.close();
      const seeds = packs.flatMap((pack) => pack.names.filter((name): name is string => name !== null));
      return { seeds, databases: (await indexedDB.databases()).map((info) => info.name ?? '') };
    });

  it('is a download: every open order stored as sent, and after it, offline and relaunched, one never opened opens', async () => {
    const phone = await launchPhone();
    let orderId: string;
    try {
      const { page } = phone;
      const login = new LoginScreen(page);
      await login.open(app.url);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      await login.signIn(server.account('grid_worker'), server.password);
      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
      const inbox = new InboxScreen(page);
      await inbox.open(app.url, '待签收');
      const listed = await inbox.cardIds();
      const after = await waitForValue(() => stored(page), (s) => listed.every((id) => s.seeds.includes(orderDocName(id))), 'the open orders stored as downloaded');
      orderId = listed[0]!;
      // Downloaded, not decoded: no database of its own until it is opened.
      expect(after.databases).not.toContain(orderDocName(orderId));
    } finally {
      await phone.close();
    }

    const again = await launchPhone({ userDataDir: phone.userDataDir });
    try {
      const { page, context } = again;
      await context.setOffline(true);
      const order = new OrderScreen(page);
      await order.open(app.url, orderId);
      await page.waitForSelector('[data-test=order-timeline] li', { timeout: WAIT_MS });
      expect(await order.actions()).toContain('accept');
      expect(await page.getAttribute('[data-test=sync-bar]', 'data-phase')).toBe('offline');
    } finally {
      await again.close();
    }
  });
});

describe('two devices, one order', () => {
  /** The street clerk files an order and dispatches it to the worker's grid, as a scripted sync client. */
  async function dispatchedOrder(): Promise<string> {
    const clerk = server.user('street_clerk');
    const api = new LianxinApi({ baseUrl: server.url });
    const { token, serverTime } = await api.login(clerk.id, server.password);
    const intake = { ...hotlineIntake(), receivedAt: serverTime, deadline: serverTime + 5 * 86_400_000 };
    const { id } = await api.createOrders(token, intake);
    const client = await TestClient.connect(server, clerk, 7, server.password);
    try {
      const doc = await client.open(orderDocName(id)).synced();
      doc.append(client.write(doc, { type: 'dispatch', payload: { unitId: server.user('grid_worker').unitId, unitKind: 'grid' } }, client.at()));
      await doc.acked();
    } finally {
      client.close();
    }
    return id;
  }

  it('returned on one phone and accepted on the other, offline: after sync both show the same state and the conflict', async () => {
    const orderId = await dispatchedOrder();
    const { phones, close } = await launchPhones(2);
    try {
      // The same worker on two phones; each opens the order online, so its doc is on the phone.
      for (const { page } of phones) {
        const login = new LoginScreen(page);
        await login.open(app.url);
        await login.signIn(server.account('grid_worker'), server.password);
        await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
        await new OrderScreen(page).open(app.url, orderId);
        await page.waitForSelector('[data-action=accept]', { timeout: WAIT_MS });
      }
      const [a, b] = phones as [(typeof phones)[number], (typeof phones)[number]];
      for (const { context } of phones) await context.setOffline(true);
      // Phone B returns first; phone A, not knowing, accepts after it.
      await new OrderScreen(b.page).returnOrder('不属于本网格，请改派。');
      await new OrderScreen(a.page).accept();
      for (const { context } of phones) await context.setOffline(false);

      const views = [];
      for (const { page } of phones) {
        await page.waitForSelector('[data-test=order-timeline] li[data-event-type=accept]', { timeout: WAIT_MS });
        await page.waitForSelector('[data-test=order-timeline] li[data-event-type=return]', { timeout: WAIT_MS });
        await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
        await page.waitForSelector('[data-test=order-conflicts]');
        views.push({
          timeline: await new OrderScreen(page).timeline(),
          status: await page.textContent('.order-page__status .van-tag'),
          conflicts: await page.textContent('[data-test=order-conflicts] li'),
          void: await page.locator('[data-test=order-timeline] li.order-timeline__item--void').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.eventType)),
        });
      }
      expect(views[0]).toEqual(views[1]);
      // The return came first: the order is back with the clerk, and the late accept is kept, shown, and changed nothing.
      expect(views[0]!.status).toBe('已退回');
      expect(views[0]!.void).toEqual(['accept']);
    } finally {
      await close();
    }
  });
});
