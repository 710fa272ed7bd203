/**
 * What the clerk sees of the panel at a desk (1280×800): the built
 * extension, a real server and the Element Plus demo portal. The panel is a
 * box at most 80 % of the window high that scrolls; an order with a long
 * citizen text makes it scroll.
 * - its title and collapse button stay in reach however far it scrolls;
 * - an error written below the fold (确认导入 with the server down) is
 *   scrolled into view: before, the clerk saw a button that did nothing;
 * - the reply's buttons stay in reach below a long read-back table;
 * - a required field the portal added to its reply form, unknown to the
 *   rules, is named ✗ in the read-back, and 标记已回复 stays closed until
 *   the clerk fills it in the portal (before, every row read ✓);
 * - collapsed on a portal, the panel starts collapsed on that portal's next
 *   pages (it covers the portal's own fields), and open on another portal;
 *   a panel already open in another tab of that portal follows at once;
 * - what the read could not understand (a time not in the portal's format)
 *   is said in the clerk's language, and again when the clerk switches.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startPortals, type Portals } from '../../portals/server.ts';
import { WAIT_MS, waitFor } from '../../support/wait.ts';
import { DEMO_PASSWORD, PanelPage, launchExtension, startLianxinServer, type ExtensionBrowser, type LianxinServer } from './fixtures.ts';
import { makePhoto } from '../portals/fixtures.ts';
import { closeInput } from '../portals/reply-input.ts';
import { CLERK, importAndDispatch, serverOrder, workerCloses } from './orders.ts';

let server: LianxinServer;
let portals: Portals;
let browser: ExtensionBrowser;

beforeAll(async () => {
  [server, portals] = await Promise.all([startLianxinServer(), startPortals({ host: '127.0.0.1', port: 0 })]);
  browser = await launchExtension();
  const popup = await browser.openPopup();
  await popup.signIn(server.url, 'clerk1', DEMO_PASSWORD);
  await waitFor(async () => (await popup.userName().textContent()) === CLERK.name, 'the clerk signed in');
  await waitFor(async () => (await popup.syncState().getAttribute('data-state')) === 'synced', 'the popup to say 已同步');
  await popup.enablePortal(portals.origin);
  await popup.close();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.close(), portals?.close()]);
});

/** A citizen's words as long as real ones get (the demo's are one sentence). */
const LONG_CONTENT = '市民反映该处问题已持续三个月，多次向物业及社区反映未果，要求相关部门尽快到现场处理并答复处理结果。'.repeat(8);

/** An Element Plus order page at a desk's size, its citizen text made long, read into the panel (导入工单). */
async function readLongOrder(index: number): Promise<{ page: Page; panel: PanelPage }> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${portals.urls['element-plus']}#/orders/${portals.orders('element-plus')[index]!.orderNo}`);
  const panel = new PanelPage(page);
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('order');
  await page.evaluate((text) => {
    const label = [...document.querySelectorAll('.el-descriptions__label')].find((cell) => cell.textContent?.trim() === '诉求内容');
    label!.nextElementSibling!.textContent = text;
  }, LONG_CONTENT);
  await panel.find('read-order').click();
  await expect.poll(() => page.locator('lianxin-panel [data-field=content] td').textContent(), { timeout: WAIT_MS }).toBe(LONG_CONTENT);
  return { page, panel };
}

/** Where an element of the panel is, against the part of the panel's scrolling box the clerk sees. */
const placeInPanel = (panel: PanelPage, test: string) =>
  panel.page.locator('lianxin-panel').evaluate((host, name) => {
    const box = host.shadowRoot!.querySelector<HTMLElement>('.panel')!;
    const target = host.shadowRoot!.querySelector(`[data-test=${name}]`)!;
    const view = box.getBoundingClientRect();
    const seen = target.getBoundingClientRect();
    return { inView: seen.top >= view.top && seen.bottom <= view.bottom, scrolls: box.scrollHeight > box.clientHeight, scrollTop: box.scrollTop };
  }, test);

it('keeps the title and the collapse button in reach however far the panel scrolls', async () => {
  const { page, panel } = await readLongOrder(0);
  await panel.page.locator('lianxin-panel').evaluate((host) => {
    const box = host.shadowRoot!.querySelector<HTMLElement>('.panel')!;
    box.scrollTop = box.scrollHeight;
  });
  const toggle = await placeInPanel(panel, 'toggle-panel');
  expect(toggle.scrolls).toBe(true);
  expect(toggle.scrollTop).toBeGreaterThan(0);
  expect(toggle.inView).toBe(true);
  await page.close();
});

it('scrolls an error below the fold into view: 确认导入 with the server down says 无法连接 where the clerk looks', async () => {
  const { page, panel } = await readLongOrder(1);
  // The confirm button is at the bottom of the fields the clerk checks; the error is written below it.
  await server.stop();
  try {
    await panel.find('confirm-import').click();
    await expect.poll(() => panel.find('import-error').textContent(), { timeout: WAIT_MS }).toContain('无法连接');
    await expect.poll(async () => (await placeInPanel(panel, 'import-error')).inView, { timeout: WAIT_MS }).toBe(true);
    expect((await placeInPanel(panel, 'import-error')).scrolls).toBe(true);
    // And the panel can still be collapsed from where the clerk is.
    expect((await placeInPanel(panel, 'toggle-panel')).inView).toBe(true);
  } finally {
    await server.restart();
  }
  await page.close();
});

it('names a required field the portal added that the rules do not know, and keeps 标记已回复 closed until the clerk fills it', async () => {
  const no = portals.orders('element-plus')[2]!.orderNo;
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${portals.urls['element-plus']}#/orders/${no}`);
  const panel = new PanelPage(page);
  await importAndDispatch(server, panel, no);
  const photos = { handling: [await makePhoto(page, '办理')], contact: [], document: [] };
  await workerCloses(server, (await serverOrder(server, no)).orderId, closeInput(no, photos).result, photos, { review: false });

  await page.goto(`${portals.urls['element-plus']}#/orders/${no}/handle`);
  await page.waitForSelector('form.reply-form');
  // This week the portal asks for 回访意见 too (required, not in the built-in rules).
  await page.evaluate(() => {
    const added = document.createElement('div');
    added.className = 'el-form-item is-required';
    added.innerHTML = '<label class="el-form-item__label">回访意见</label><div class="el-form-item__content"><input class="el-input__inner" name="hfyj"></div>';
    document.querySelector('form.reply-form')!.prepend(added);
  });
  await expect.poll(() => panel.find('reply-order').getAttribute('data-order-no'), { timeout: WAIT_MS }).toBe(no);
  await expect.poll(() => panel.find('fill').isEnabled(), { timeout: WAIT_MS }).toBe(true);
  await panel.find('fill').click();
  await expect.poll(() => panel.find('unplanned-required').count(), { timeout: WAIT_MS }).toBe(1);
  // The read-back table is longer than the panel: its buttons stay in reach wherever the clerk reads.
  await panel.page.locator('lianxin-panel').evaluate((host) => {
    host.shadowRoot!.querySelector<HTMLElement>('.panel')!.scrollTop = 0;
  });
  expect(await placeInPanel(panel, 'fill')).toMatchObject({ scrolls: true, inView: true });
  expect((await placeInPanel(panel, 'mark-replied')).inView).toBe(true);
  expect(await panel.find('unplanned-required').locator('th').textContent()).toContain('回访意见');
  expect(await panel.find('unplanned-required').locator('[data-outcome=failed]').textContent()).toContain('手工填写');
  // Every field the rules know reads ✓, and still the reply cannot be marked: the form is not complete.
  expect(await page.locator('lianxin-panel [data-test=reply-plan] tr:not([data-test=unplanned-required]) [data-outcome=failed]').count()).toBe(0);
  await panel.find('confirm-submitted').check();
  expect(await panel.find('mark-replied').isEnabled()).toBe(false);
  expect(await panel.find('mark-replied-why').textContent()).toContain('重新核对');

  // The clerk fills it in the portal and checks again: complete, 标记已回复 opens.
  await page.locator('input[name=hfyj]').fill('群众表示满意');
  await panel.find('recheck').click();
  await expect.poll(() => panel.find('unplanned-required').count(), { timeout: WAIT_MS }).toBe(0);
  await expect.poll(() => panel.find('mark-replied').isEnabled(), { timeout: WAIT_MS }).toBe(true);
  await page.close();
});

it('remembers the panel collapsed per portal: the next page of that portal starts collapsed, another portal’s starts open', async () => {
  const orders = portals.orders('element-plus');
  const openOrder = async (url: string): Promise<PanelPage> => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url);
    const panel = new PanelPage(page);
    await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('order');
    // data-open appears once the remembered state was read.
    await expect.poll(() => panel.find('toggle-panel').getAttribute('data-open'), { timeout: WAIT_MS }).not.toBeNull();
    return panel;
  };
  const panelHeight = async (panel: PanelPage) => (await panel.page.locator('lianxin-panel .panel').boundingBox())?.height ?? 0;

  const first = await openOrder(`${portals.urls['element-plus']}#/orders/${orders[1]!.orderNo}`);
  expect(await first.find('toggle-panel').getAttribute('data-open')).toBe('true');
  await first.find('toggle-panel').click();
  await expect.poll(() => first.find('toggle-panel').getAttribute('data-open')).toBe('false');

  // The next page of the same portal, loaded afresh: collapsed, only its header over the portal.
  const next = await openOrder(`${portals.urls['element-plus']}#/orders/${orders[2]!.orderNo}`);
  await expect.poll(() => next.find('toggle-panel').getAttribute('data-open')).toBe('false');
  expect(await next.find('page-kind').isVisible()).toBe(false);
  expect(await panelHeight(next)).toBeLessThan(60);

  // Another portal (another origin: a second demo server, on another port) is not affected.
  const otherPortals = await startPortals({ host: '127.0.0.1', port: 0 });
  try {
    const popup = await browser.openPopup();
    await popup.enablePortal(otherPortals.origin);
    await popup.close();
    const other = await openOrder(`${otherPortals.urls['element-plus']}#/orders/${otherPortals.orders('element-plus')[3]!.orderNo}`);
    expect(await other.find('toggle-panel').getAttribute('data-open')).toBe('true');
    expect(await other.find('page-kind').isVisible()).toBe(true);
    await other.page.close();
  } finally {
    await otherPortals.close();
  }

  // Opened again on the first portal, it stays open on its next page.
  await next.find('toggle-panel').click();
  await expect.poll(() => next.find('toggle-panel').getAttribute('data-open')).toBe('true');
  const again = await openOrder(`${portals.urls['element-plus']}#/orders/${orders[4]!.orderNo}`);
  expect(await again.find('toggle-panel').getAttribute('data-open')).toBe('true');
  for (const panel of [first, next, again]) await panel.page.close();
});

it('follows a collapse done in another tab of the same portal at once, without a reload, and an open too', async () => {
  const orders = portals.orders('element-plus');
  const open = async (orderNo: string): Promise<PanelPage> => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${portals.urls['element-plus']}#/orders/${orderNo}`);
    const panel = new PanelPage(page);
    await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('order');
    await expect.poll(() => panel.find('toggle-panel').getAttribute('data-open'), { timeout: WAIT_MS }).toBe('true');
    return panel;
  };
  const [here, there] = [await open(orders[1]!.orderNo), await open(orders[2]!.orderNo)];
  // Each page loaded once: a reload would be a new document, without this mark.
  for (const panel of [here, there]) await panel.page.evaluate(() => ((window as unknown as { loadedOnce?: boolean }).loadedOnce = true));

  await here.find('toggle-panel').click();
  await expect.poll(() => here.find('toggle-panel').getAttribute('data-open')).toBe('false');
  await expect.poll(() => there.find('toggle-panel').getAttribute('data-open'), { timeout: WAIT_MS }).toBe('false');
  expect(await there.find('page-kind').isVisible()).toBe(false);

  await there.find('toggle-panel').click();
  await expect.poll(() => here.find('toggle-panel').getAttribute('data-open'), { timeout: WAIT_MS }).toBe('true');
  expect(await here.find('page-kind').isVisible()).toBe(true);
  for (const panel of [here, there]) expect(await panel.page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
  for (const panel of [here, there]) await panel.page.close();
});

it('says what the read could not understand in the clerk’s language: Chinese, then English after the switch, then Chinese again', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${portals.urls['element-plus']}#/orders/${portals.orders('element-plus')[3]!.orderNo}`);
  const panel = new PanelPage(page);
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('order');
  // The portal shows its 来电时间 in words this week: not in the rules' format.
  await page.evaluate(() => {
    const label = [...document.querySelectorAll('.el-descriptions__label')].find((cell) => cell.textContent?.trim() === '来电时间');
    label!.nextElementSibling!.textContent = '昨天上午';
  });
  await panel.find('read-order').click();
  const problem = page.locator('lianxin-panel [data-test=read-problems] li[data-field=receivedAt]');
  await expect.poll(() => problem.textContent(), { timeout: WAIT_MS }).toBe('受理时间：“昨天上午” 不符合格式 yyyy-MM-dd HH:mm:ss');

  const popup = await browser.openPopup();
  try {
    await popup.page.locator('[data-test=toggle-language]').click();
    await expect.poll(() => problem.textContent(), { timeout: WAIT_MS }).toBe('Received: “昨天上午” does not fit the format yyyy-MM-dd HH:mm:ss');
  } finally {
    await popup.page.locator('[data-test=toggle-language]').click();
  }
  await expect.poll(() => problem.textContent(), { timeout: WAIT_MS }).toBe('受理时间：“昨天上午” 不符合格式 yyyy-MM-dd HH:mm:ss');
  await popup.close();
  await page.close();
});
