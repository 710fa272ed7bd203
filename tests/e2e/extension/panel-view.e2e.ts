/**
 * What the clerk sees of the panel at a desk (1280×800): the built
 * extension, a real server and the Element Plus demo portal. The panel is a
 * box at most 80 % of the window high that scrolls; an order with a long
 * citizen text makes it scroll.
 * - its title and collapse button stay in reach however far it scrolls;
 * - an error written below the fold (确认导入 with the server down) is
 *   scrolled into view: before, the clerk saw a button that did nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startPortals, type Portals } from '../../portals/server.ts';
import { WAIT_MS, waitFor } from '../../support/wait.ts';
import { DEMO_PASSWORD, PanelPage, launchExtension, startLianxinServer, type ExtensionBrowser, type LianxinServer } from './fixtures.ts';
import { CLERK } from './orders.ts';

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
