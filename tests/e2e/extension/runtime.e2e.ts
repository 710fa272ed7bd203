/**
 * The extension's runtime in real Chromium against a real server and the
 * demo portals: sign-in from the popup and the street's orders synced,
 * switching the extension on for a portal origin with a click, the panel
 * appearing only there, importing an order from a portal page (and again,
 * idempotently) and dispatching it to a grid, and the service worker stopped
 * and started again without losing the session or the data.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '#extension/lib/i18n/en.ts';
import { zhCN } from '#extension/lib/i18n/zh-CN.ts';
import { hostPatternOf } from '#extension/lib/origins.ts';
import * as Y from 'yjs';
import { LianxinApi } from '#shared/client/api.ts';
import { recentArchiveMonths } from '#shared/order/index-placement.ts';
import { readIndexSummary } from '#shared/order/summary.ts';
import { parseAdapter } from '#shared/portal/parse.ts';
import { INDEX_ORDERS_MAP, archiveIndexDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import type { ReplyInput } from '#shared/portal/reply-plan.ts';
import { startPortals, type PortalName, type Portals } from '../../portals/server.ts';
import { makePhoto, type TestPhoto } from '../portals/fixtures.ts';
import { closeInput } from '../portals/reply-input.ts';
import { DEMO_PASSWORD, PanelPage, launchExtension, startLianxinServer, type ExtensionBrowser, type LianxinServer, type PopupPage } from './fixtures.ts';
import { ADMIN, CLERK, WORKER, importAndDispatch, serverOrder, workerCloses } from './orders.ts';
import { WAIT_MS } from '../../support/wait.ts';


let server: LianxinServer;
let portals: Portals;
let browser: ExtensionBrowser;

beforeAll(async () => {
  [server, portals] = await Promise.all([startLianxinServer(), startPortals({ host: '127.0.0.1', port: 0 })]);
  browser = await launchExtension();
});

/** The match patterns the browser holds for the extension's registered content scripts (the portal script's). */
async function registeredPatterns(): Promise<string[]> {
  const worker = await browser.serviceWorker();
  return worker.evaluate(async () => {
    const { scripting } = (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<{ matches?: string[] }[]> } } }).chrome;
    return (await scripting.getRegisteredContentScripts()).flatMap((script) => script.matches ?? []);
  });
}

const layuiForm = (page: Page) => page.frames().find((f) => /handle-form/.test(f.url()))!;

/** The worker closes with one photo of each kind, the clerk's review passes; then the panel on the reply page fills the form, every field ✓. */
async function closeAndFill(panel: PanelPage, orderNo: string, openReplyPage: () => Promise<void>): Promise<ReplyInput & { photos: TestPhoto[] }> {
  const photos = { handling: [await makePhoto(panel.page, '办理')], contact: [await makePhoto(panel.page, '联系')], document: [await makePhoto(panel.page, '证件')] };
  const input = closeInput(orderNo, photos);
  await workerCloses(server, (await serverOrder(server, orderNo)).orderId, input.result, photos, { review: true });
  await openReplyPage();
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('reply');
  await panel.find('reply-order-no').fill(orderNo);
  await panel.find('reply-order-no').press('Enter');
  await expect.poll(() => panel.find('reply-plan').count(), { timeout: WAIT_MS }).toBe(1);
  await panel.find('fill').click();
  await expect.poll(() => panel.page.locator('lianxin-panel [data-outcome]').count(), { timeout: WAIT_MS }).toBeGreaterThan(0);
  expect(await panel.page.locator('lianxin-panel [data-outcome=failed]').allTextContents()).toEqual([]);
  return { ...input, photos: [...photos.handling, ...photos.contact, ...photos.document] };
}

/** Nothing reached the portal before the clerk's own submit; after it, the photo bytes did; then 已回复 reaches the server. */
async function submitAndMarkReplied(panel: PanelPage, portal: PortalName, input: ReplyInput & { photos: TestPhoto[] }, submit: () => Promise<void>): Promise<void> {
  expect(portals.received(portal)).toEqual([]);
  await submit();
  await expect.poll(() => portals.received(portal).length).toBe(1);
  const [submission] = portals.received(portal);
  expect(submission!.orderNo).toBe(input.orderNo);
  expect(submission!.files.map((f) => f.sha256).sort()).toEqual(input.photos.map((p) => p.sha256).sort());
  await panel.find('mark-replied').click();
  await expect.poll(async () => (await serverOrder(server, input.orderNo)).events.some((e) => e.type === 'portal_reply'), { timeout: WAIT_MS }).toBe(true);
}

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.close(), portals?.close()]);
});

describe('the extension runtime', () => {
  it('refuses a wrong password with a clear message in Chinese or English, then signs in', async () => {
    const popup = await browser.openPopup();
    const submit = popup.page.locator('[data-test=sign-in] button[type=submit]');
    // Chinese by default, English on request.
    expect(await submit.textContent()).toBe('登录');
    await popup.page.locator('[data-test=toggle-language]').click();
    await expect.poll(() => submit.textContent()).toBe('Sign in');
    await popup.signIn(server.url, 'clerk1', 'wrong-password');
    await expect.poll(() => popup.page.locator('[data-test=sign-in-error]').textContent()).toBe('Wrong user name or password');
    await popup.page.locator('[data-test=toggle-language]').click();
    await expect.poll(() => submit.textContent()).toBe('登录');
    await popup.signIn(server.url, 'clerk1', 'wrong-password');
    await expect.poll(() => popup.page.locator('[data-test=sign-in-error]').textContent()).toContain('用户名或密码错误');

    await popup.signIn(server.url, 'clerk1', DEMO_PASSWORD);
    await expect.poll(() => popup.userName().textContent()).toBe(CLERK.name);
    // The street's index doc arrives over sync and fills the projection the popup counts.
    await expect.poll(() => popup.syncState().getAttribute('data-state'), { timeout: WAIT_MS }).toBe('synced');
    expect(Number(await popup.page.locator('[data-test=order-count]').textContent())).toBeGreaterThan(0);
    // Work beyond the portal page is in the PWA's desk, at the server signed in to.
    expect(await popup.page.locator('[data-test=open-desk]').getAttribute('href')).toBe(`${server.url.replace(/\/+$/, '')}/#/desk`);
    await popup.close();
  });

  it('finds an order archived last month or this one: the archives the PWA’s 已办 keeps are kept here too', async () => {
    // An archived order leaves the live index at once, for its month's archive (shared/order/index-placement.ts).
    const api = new LianxinApi({ baseUrl: server.url });
    const { token } = await api.login(CLERK.id, DEMO_PASSWORD);
    const live = streetIndexDocName(CLERK.unitId);
    const archived: string[] = [];
    for (const month of recentArchiveMonths(Date.now())) {
      const entry = (await api.fetchDocs(token, [archiveIndexDocName(live, month)]))[archiveIndexDocName(live, month)];
      if (!entry || !('update' in entry)) continue;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, entry.update);
      for (const [id, raw] of doc.getMap<unknown>(INDEX_ORDERS_MAP)) {
        const summary = readIndexSummary(id, raw);
        if (summary.ok && summary.value.status === 'archived') archived.push(summary.value.orderNo);
      }
    }
    const orderNo = archived.at(-1);
    expect(orderNo, 'the demo has orders archived last month or this one').toBeDefined();
    const popup = await browser.openPopup();
    await expect.poll(() => popup.syncState().getAttribute('data-state'), { timeout: WAIT_MS }).toBe('synced');
    await popup.page.locator('input[name=query]').fill(orderNo!);
    await popup.page.locator('input[name=query]').press('Enter');
    await expect.poll(() => popup.page.locator('[data-test=search-results] li').allTextContents(), { timeout: WAIT_MS }).toEqual([expect.stringContaining(orderNo!)]);
    await popup.close();
  });

  it('shows the panel on a portal only after the clerk enabled it there', async () => {
    const portalUrl = portals.urls['element-plus'];
    // The background's decision, read where the browser keeps it: the portal script registered for no page of the
    // origin (persisted across the worker's restarts), so none can run there, however long one waits.
    const pattern = hostPatternOf(portals.origin);
    expect(await registeredPatterns()).not.toContain(pattern);
    const before = await browser.context.newPage();
    await before.goto(portalUrl);
    await before.waitForLoadState('load');
    expect(await registeredPatterns()).not.toContain(pattern);
    expect(await new PanelPage(before).host().count()).toBe(0);

    const popup = await browser.openPopup();
    await popup.enablePortal(portals.origin);
    await expect.poll(() => popup.enabledPortals().allTextContents()).toEqual([expect.stringContaining(portals.origin)]);
    await popup.close();
    // The same reading once enabled: it is the one that decides.
    expect(await registeredPatterns()).toContain(pattern);

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

  it('imports an order from a portal order page, once, and dispatches it to a grid', async () => {
    const order = portals.orders('element-plus')[0]!;
    const page = await browser.context.newPage();
    await page.goto(`${portals.urls['element-plus']}#/orders/${order.orderNo}`);
    const panel = new PanelPage(page);
    await expect.poll(() => panel.find('page-kind').getAttribute('data-kind')).toBe('order');
    // The panel carries Chinese only: English is injected when the clerk switches to it, and followed live.
    const title = panel.page.locator('lianxin-panel [data-lianxin-panel] h1');
    await expect.poll(() => title.textContent()).toBe(zhCN.panelTitle);
    const languages = await browser.openPopup();
    await languages.page.locator('[data-test=toggle-language]').click();
    await expect.poll(() => title.textContent()).toBe(en.panelTitle);
    await languages.page.locator('[data-test=toggle-language]').click();
    await expect.poll(() => title.textContent()).toBe(zhCN.panelTitle);
    await languages.close();
    await panel.find('read-order').click();
    await expect.poll(() => panel.page.locator('lianxin-panel [data-field=orderNo] td').textContent()).toBe(order.orderNo);
    // The citizen's number is shown masked to the clerk; it is sent in full.
    expect(await panel.page.locator('lianxin-panel [data-field=citizenPhone] td').textContent()).not.toContain(order.citizenPhone);
    await panel.find('confirm-import').click();
    await expect.poll(() => panel.find('import-result').getAttribute('data-created')).toBe('true');

    const onServer = await serverOrder(server, order.orderNo);
    expect(onServer.intake).toMatchObject({ orderNo: order.orderNo, source: 'portal_import', title: order.title, address: order.address });
    expect(onServer.intake.citizen.phone).toBe(order.citizenPhone);
    expect(onServer.intake.portal?.adapterId).toBe('demo-element-plus');

    // The grid of the demo worker who will close it.
    const gridId = WORKER.unitId;
    await panel.find('grid-select').selectOption(gridId);
    await panel.find('dispatch').click();
    await expect.poll(() => panel.find('dispatched').count(), { timeout: WAIT_MS }).toBe(1);
    // 派单 is an event written through the order repository; it reaches the server over sync.
    await expect
      .poll(async () => (await serverOrder(server, order.orderNo)).events.filter((e) => e.type === 'dispatch').map((e) => (e.payload as { unitId: string }).unitId), {
        timeout: WAIT_MS,
      })
      .toEqual([gridId]);

    await page.reload();
    await expect.poll(() => panel.find('page-kind').getAttribute('data-kind')).toBe('order');
    await panel.find('read-order').click();
    await panel.find('confirm-import').click();
    await expect.poll(() => panel.find('import-result').getAttribute('data-created')).toBe('false');
    await page.close();
  });

  it('fills the portal reply form from the worker’s close, ✓ per field, never submits, then marks it 已回复', async () => {
    const order = portals.orders('element-plus')[0]!;
    const page = await browser.context.newPage();
    await page.goto(`${portals.urls['element-plus']}#/orders/${order.orderNo}/handle`);
    await page.waitForSelector('.reply-form');
    const photos = { handling: [await makePhoto(page, '办理 1'), await makePhoto(page, '办理 2')], contact: [await makePhoto(page, '联系')], document: [await makePhoto(page, '证件')] };
    const { orderId } = await serverOrder(server, order.orderNo);
    await workerCloses(server, orderId, closeInput(order.orderNo, photos).result, photos, { review: true });
    // Reviewed elsewhere, it shows in the popup as waiting for the reply to the portal.
    const popup = await browser.openPopup();
    const waiting = (p: PopupPage) => p.page.locator('[data-test=awaiting-reply] li', { hasText: order.orderNo }).count();
    await expect.poll(() => waiting(popup), { timeout: WAIT_MS }).toBe(1);
    await popup.close();

    const panel = new PanelPage(page);
    await expect.poll(() => panel.find('page-kind').getAttribute('data-kind')).toBe('reply');
    // The panel looked the order up when the page opened, before the worker closed it: look again.
    await panel.find('reply-order-no').fill(order.orderNo);
    await panel.find('reply-order-no').press('Enter');
    await expect.poll(() => panel.find('reply-plan').count(), { timeout: WAIT_MS }).toBe(1);
    // The citizen's number is masked in the preview.
    expect(await page.locator('lianxin-panel [data-field=lxhm] td').first().textContent()).not.toContain('13812345678');
    await panel.find('fill').click();
    const outcomes = page.locator('lianxin-panel [data-outcome]');
    await expect.poll(() => outcomes.count(), { timeout: WAIT_MS }).toBeGreaterThan(0);
    expect(await page.locator('lianxin-panel [data-outcome=failed]').allTextContents()).toEqual([]);

    // Nothing reached the portal until the clerk submits.
    expect(portals.received('element-plus')).toEqual([]);
    await page.click('.submit-reply');
    await expect.poll(() => portals.received('element-plus').length).toBe(1);
    const [submission] = portals.received('element-plus');
    expect(submission!.fields.blqk).toBe(closeInput(order.orderNo, photos).result.actions);
    expect(submission!.files.map((f) => f.sha256).sort()).toEqual([...photos.handling, ...photos.contact, ...photos.document].map((p) => p.sha256).sort());

    await panel.find('mark-replied').click();
    await expect
      .poll(async () => (await serverOrder(server, order.orderNo)).events.some((e) => e.type === 'portal_reply'), { timeout: WAIT_MS })
      .toBe(true);
    const after = await browser.openPopup();
    await expect.poll(() => waiting(after), { timeout: WAIT_MS }).toBe(0);
    await after.close();
    await page.close();
  });

  it('does the same on the layui portal (nested iframes, KindEditor through the page-world script); forged page messages get nothing', async () => {
    const order = portals.orders('layui')[0]!;
    const page = await browser.context.newPage();
    const panel = new PanelPage(page);
    await page.goto(`${portals.urls.layui}#view/${order.orderNo}`);
    await importAndDispatch(server, panel, order.orderNo);
    const input = await closeAndFill(panel, order.orderNo, async () => {
      // The single-page portal changes to its handling page without a reload.
      await page.evaluate((no) => (location.hash = `#handle/${no}`), order.orderNo);
      await expect.poll(() => page.frames().some((f) => /handle-form/.test(f.url())), { timeout: WAIT_MS }).toBe(true);
      await layuiForm(page).waitForSelector('.ke-container iframe');
    });
    const form = layuiForm(page);
    const editorHtml = () => form.evaluate(() => (window as unknown as { KindEditor: { instances: { html(): string }[] } }).KindEditor.instances[0]!.html());
    expect(await editorHtml()).toContain(input.result.publicReply);

    // The page knows the event names (they are in the extension's code) and can mark its own editor as
    // the content script would, but it does not know the per-page secret.
    const target = 'forged-target';
    await form.evaluate((token) => {
      const editor = (window as unknown as { KindEditor: { instances: { srcElement: ArrayLike<Element> }[] } }).KindEditor.instances[0]!;
      editor.srcElement[0]!.setAttribute('data-lianxin-target', token);
    }, target);
    await page.evaluate((token) => {
      for (const secret of ['', 'guess', '0'.repeat(32)]) {
        const detail = JSON.stringify({ secret, id: `forged-${secret}`, op: 'richtext.set', editor: 'kindeditor', target: token, html: '<p>FORGED</p>' });
        window.dispatchEvent(new CustomEvent('lianxin:portal-request', { detail }));
      }
      // Nor does the page reach the background through the content script.
      window.postMessage({ lianxin: 1, type: 'session.signOut', payload: { discardUnsynced: true } }, '*');
      window.dispatchEvent(new CustomEvent('lianxin:portal-response', { detail: JSON.stringify({ secret: '', id: 'x', ok: true }) }));
    }, target);
    // dispatchEvent runs every listener, the page world's and the content script's, before it returns: those two
    // have decided by now (and the page-world one is there: it wrote the editor above). A posted message is
    // delivered later, in order: one posted after it arriving means every listener has had the forged one.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const marker = `after-forged-${Math.random()}`;
          window.addEventListener('message', function seen(event: MessageEvent<unknown>) {
            if (event.data !== marker) return;
            window.removeEventListener('message', seen);
            resolve();
          });
          window.postMessage(marker, '*');
        }),
    );
    expect(await editorHtml()).not.toContain('FORGED');
    expect(await editorHtml()).toContain(input.result.publicReply);
    const popup = await browser.openPopup();
    await expect.poll(() => popup.userName().textContent()).toBe(CLERK.name);
    await popup.close();

    await submitAndMarkReplied(panel, 'layui', input, async () => {
      await form.click('#btnSubmit');
    });
    expect(portals.received('layui')[0]!.fields.note9).toBe(input.result.actions);
    await page.close();
  });

  it('and on the Element UI portal (Vue 2, wangEditor)', async () => {
    const order = portals.orders('element-ui')[0]!;
    const page = await browser.context.newPage();
    const panel = new PanelPage(page);
    await page.goto(`${portals.urls['element-ui']}#/order/${order.orderNo}`);
    await importAndDispatch(server, panel, order.orderNo);
    const input = await closeAndFill(panel, order.orderNo, async () => {
      await page.evaluate((no) => (location.hash = `#/order/${no}/reply`), order.orderNo);
      await page.waitForSelector('.handle-page .w-e-text');
    });
    await submitAndMarkReplied(panel, 'element-ui', input, () => page.click('.btn-submit'));
    const fields = portals.received('element-ui')[0]!.fields;
    expect(fields.blgc).toBe(input.result.actions);
    expect(fields.dfnr).toContain(input.result.publicReply);
    await page.close();
  });

  it('keeps the session and the data when Chrome stops the service worker and starts it again', async () => {
    const before = await browser.openPopup();
    await expect.poll(() => before.syncState().getAttribute('data-state'), { timeout: WAIT_MS }).toBe('synced');
    const count = await before.page.locator('[data-test=order-count]').textContent();
    await before.close();

    await browser.stopServiceWorker();
    // Opening the popup sends a message, which starts the worker again from disk.
    const popup = await browser.openPopup();
    await expect.poll(() => popup.userName().textContent()).toBe(CLERK.name);
    expect(await popup.page.locator('[data-test=order-count]').textContent()).toBe(count);
    // The list is asked of the restarted worker after the popup shows the session: wait for it, do not read it once.
    await expect.poll(() => popup.enabledPortals().count(), { timeout: WAIT_MS }).toBe(1);
    // And it syncs again: the engine was rebuilt from the stored session.
    await expect.poll(() => popup.syncState().getAttribute('data-state'), { timeout: WAIT_MS }).toBe('synced');
    await popup.close();
  });

  it('keeps working from its own IndexedDB while the server is unreachable, and syncs again when it is back', async () => {
    const order = portals.orders('element-plus')[0]!;
    await server.stop();
    try {
      const popup = await browser.openPopup();
      await expect.poll(() => popup.syncState().getAttribute('data-state'), { timeout: WAIT_MS }).toBe('offline');
      // The network is there, the server does not answer: said so, not "无网络" (as the PWA says it).
      expect(await popup.syncState().getAttribute('data-unreachable')).toBe('true');
      expect(await popup.syncState().textContent()).toBe('服务器暂时无法连接，工作已保存在本机');
      expect(Number(await popup.page.locator('[data-test=order-count]').textContent())).toBeGreaterThan(0);
      await popup.page.locator('input[name=query]').fill(order.orderNo.slice(-6));
      await popup.page.locator('input[name=query]').press('Enter');
      await expect.poll(() => popup.page.locator('[data-test=search-results] li').allTextContents()).toEqual([expect.stringContaining(order.orderNo)]);
      await popup.close();

      // The reply page still shows the order's result, from the device's copy.
      const page = await browser.context.newPage();
      await page.goto(`${portals.urls['element-plus']}#/orders/${order.orderNo}/handle`);
      const panel = new PanelPage(page);
      await expect.poll(() => panel.find('page-kind').getAttribute('data-kind')).toBe('reply');
      await panel.find('reply-order-no').fill(order.orderNo);
      await panel.find('reply-order-no').press('Enter');
      await expect.poll(() => panel.find('reply-plan').count(), { timeout: WAIT_MS }).toBe(1);
      // What needs the server says so.
      await page.goto(`${portals.urls['element-plus']}#/orders/${portals.orders('element-plus')[3]!.orderNo}`);
      await expect.poll(() => panel.find('page-kind').getAttribute('data-kind')).toBe('order');
      await panel.find('read-order').click();
      await panel.find('confirm-import').click();
      await expect.poll(() => panel.find('import-error').textContent()).toContain('无法连接');
      await page.close();
    } finally {
      await server.restart();
    }
    const popup = await browser.openPopup();
    await expect.poll(() => popup.syncState().getAttribute('data-state'), { timeout: WAIT_MS }).toBe('synced');
    await popup.close();
  });

  it('replies offline: the event waits on the device, sign-out is refused meanwhile, and it reaches the server when it is back', async () => {
    const order = portals.orders('element-plus')[2]!;
    const page = await browser.context.newPage();
    const panel = new PanelPage(page);
    await page.goto(`${portals.urls['element-plus']}#/orders/${order.orderNo}`);
    await importAndDispatch(server, panel, order.orderNo);
    const noPhotos = { handling: [], contact: [], document: [] };
    await workerCloses(server, (await serverOrder(server, order.orderNo)).orderId, closeInput(order.orderNo, noPhotos).result, noPhotos, { review: true });
    await page.evaluate((no) => (location.hash = `#/orders/${no}/handle`), order.orderNo);
    await page.waitForSelector('.reply-form');
    await expect.poll(() => panel.find('page-kind').getAttribute('data-kind')).toBe('reply');
    await panel.find('reply-order-no').fill(order.orderNo);
    await panel.find('reply-order-no').press('Enter');
    await expect.poll(() => panel.find('reply-plan').count(), { timeout: WAIT_MS }).toBe(1);

    await server.stop();
    try {
      await panel.find('fill').click();
      await expect.poll(() => page.locator('lianxin-panel [data-outcome]').count(), { timeout: WAIT_MS }).toBeGreaterThan(0);
      expect(await page.locator('lianxin-panel [data-outcome=failed]').allTextContents()).toEqual([]);
      // The portal is up: the clerk submits there, and the panel sees it.
      await page.click('.submit-reply');
      await expect.poll(() => panel.find('submit-seen').count(), { timeout: WAIT_MS }).toBe(1);
      await panel.find('mark-replied').click();
      await expect.poll(() => panel.find('mark-replied').isDisabled()).toBe(true);

      const popup = await browser.openPopup();
      await expect.poll(() => popup.page.locator('[data-test=waiting-events]').textContent()).toBe('1');
      await popup.page.locator('[data-test=sign-out]').click();
      await expect.poll(() => popup.page.locator('[data-test=sign-out-error]').textContent()).toContain('未同步');
      expect(await popup.userName().textContent()).toBe(CLERK.name);
      await popup.close();
    } finally {
      await server.restart();
    }
    await expect.poll(async () => (await serverOrder(server, order.orderNo)).events.some((e) => e.type === 'portal_reply'), { timeout: WAIT_MS }).toBe(true);
    const popup = await browser.openPopup();
    await expect.poll(() => popup.page.locator('[data-test=waiting-events]').textContent(), { timeout: WAIT_MS }).toBe('0');
    await popup.close();
    await page.close();
  });

  it('signs out cleanly, and an admin teaches an adapter for a page by pointing at its fields', async () => {
    const popup = await browser.openPopup();
    await expect.poll(() => popup.syncState().getAttribute('data-state'), { timeout: WAIT_MS }).toBe('synced');
    await popup.page.locator('[data-test=sign-out]').click();
    await expect.poll(() => popup.page.locator('[data-test=sign-in]').count()).toBe(1);
    await popup.signIn(server.url, 'admin', DEMO_PASSWORD);
    await expect.poll(() => popup.userName().textContent()).toBe(ADMIN.name);
    // The clerk's orders left the device with the clerk.
    expect(await popup.page.locator('[data-test=order-count]').textContent()).toBe('0');
    await popup.close();

    const order = portals.orders('element-plus')[1]!;
    const page = await browser.context.newPage();
    await page.goto(`${portals.urls['element-plus']}#/orders/${order.orderNo}/handle`);
    await page.waitForSelector('.reply-form');
    const panel = new PanelPage(page);
    await expect.poll(() => panel.find('page-kind').getAttribute('data-kind')).toBe('reply');
    await panel.find('teach').click();
    await page.locator('lianxin-panel [data-test=teach] input[name=fieldLabel]').fill('办理情况');
    await page.locator('lianxin-panel [data-test=teach] select[name=source]').selectOption('actions');
    await page.locator('lianxin-panel [data-test=teach] select[name=widgetKind]').selectOption('textarea');
    await panel.find('teach-pick').click();
    // The click picks the field; the page's own handlers never see it.
    await page.locator('textarea[placeholder="请输入办理情况"]').click();
    await expect.poll(() => page.locator('lianxin-panel [data-test=teach-candidates] tr').count()).toBeGreaterThan(0);
    expect(await page.locator('lianxin-panel [data-test=teach-candidates] tr[data-unique=true]').count()).toBeGreaterThan(0);
    await panel.find('teach-add').click();
    // And where the reply page shows its order number, so replies are checked against it.
    await page.locator('lianxin-panel [data-test=teach] select[name=source]').selectOption('page-order-no');
    await panel.find('teach-pick').click();
    await page.locator('.reply-form .order-no').click();
    await expect.poll(() => page.locator('lianxin-panel [data-test=teach-candidates] tr[data-unique=true]').count()).toBeGreaterThan(0);
    await panel.find('teach-add').click();
    await panel.find('teach-save').click();
    // The taught adapter (imported adapters come first) now recognises the page.
    const title = await page.title();
    expect(title).not.toBe('');
    await expect.poll(() => panel.find('page-kind').textContent(), { timeout: WAIT_MS }).toContain(title);
    expect(await panel.find('page-kind').textContent()).not.toContain('演示门户');
    expect(await panel.find('page-kind').getAttribute('data-kind')).toBe('reply');
    await page.close();
  });

  it('exports an adapter as a JSON file and imports files from the options page, refusing an invalid one whole', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await expect.poll(() => page.locator('[data-adapter=demo-element-plus]').count()).toBe(1);
    const taught = page.locator('tr[data-adapter^="taught-"]');
    await expect.poll(() => taught.count()).toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), taught.locator('button').first().click()]);
    const exported = await readFile((await download.path())!, 'utf8');
    const parsed = parseAdapter(exported);
    expect(parsed.ok).toBe(true);
    // The taught reply page knows where its order number is.
    expect(parsed.ok && (parsed.value.reply?.orderNo?.locators.length ?? 0) > 0).toBe(true);

    const copy = { ...(JSON.parse(exported) as Record<string, unknown>), id: 'copied-adapter', name: '复制的适配器' };
    const input = page.locator('input[name=adapterFile]');
    await input.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify([copy, { ...copy, id: 'newer', version: 2 }])) });
    await expect.poll(() => page.locator('[data-test=adapter-error]').textContent()).toContain('version');
    expect(await page.locator('[data-adapter=copied-adapter]').count()).toBe(0);

    await input.setInputFiles({ name: 'copy.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(copy)) });
    await expect.poll(() => page.locator('[data-adapter=copied-adapter]').count()).toBe(1);
    await page.close();
  });
});
