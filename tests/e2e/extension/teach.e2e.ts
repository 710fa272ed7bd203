/**
 * Teach mode and list import through the built extension, on a portal no
 * built-in rule knows (tests/portals/legacy), with a real server:
 * - an admin teaches its order page, its list and its reply form in the
 *   panel (clicks, choices and typed words; no JSON edited): each page is
 *   then recognised, and the portal's name is kept across the three;
 * - the clerk imports one order from its page (where it lands and no
 *   duplicate shown first), then several from the list: a progress line, a
 *   withdrawn order's row failing with its row and reason while the others
 *   go on, the citizen's repeat call shown as a likely duplicate of the
 *   imported order (and left out), every order placed in the community the
 *   portal names;
 * - a worker closes one as 无法联系 over sync, and the taught reply form is
 *   filled ✓ field by field, the portal's own word chosen.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startPortals, type PortalOrder, type Portals } from '../../portals/server.ts';
import { WITHDRAWN_ORDER_NO } from '../../portals/legacy/pages.ts';
import { makePhoto } from '../portals/fixtures.ts';
import { closeInput } from '../portals/reply-input.ts';
import { WAIT_MS, waitFor } from '../../support/wait.ts';
import { DEMO_PASSWORD, PanelPage, launchExtension, startLianxinServer, type ExtensionBrowser, type LianxinServer } from './fixtures.ts';
import { ADMIN, CLERK, WORKER, serverOrder, workerCloses } from './orders.ts';

let server: LianxinServer;
let portals: Portals;
let browser: ExtensionBrowser;

beforeAll(async () => {
  [server, portals] = await Promise.all([startLianxinServer(), startPortals({ host: '127.0.0.1', port: 0 })]);
  browser = await launchExtension();
  const popup = await browser.openPopup();
  await popup.signIn(server.url, 'admin', DEMO_PASSWORD);
  await waitFor(async () => (await popup.userName().textContent()) === ADMIN.name, 'the admin signed in');
  await popup.enablePortal(portals.origin);
  await waitFor(async () => (await popup.enabledPortals().allTextContents()).some((text) => text.includes(portals.origin)), 'the portal enabled');
  await popup.close();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.close(), portals?.close()]);
});

const NAME = '市民热线工单处置平台';
const TIME = 'yyyy年M月d日 H时mm分';
const base = () => portals.urls.legacy;
const orders = () => portals.orders('legacy');
/** The citizen's repeat call (the portal's last order) and the order it repeats. */
const repeat = () => orders()[orders().length - 1]!;
const original = () => orders().find((o) => o !== repeat() && o.content === repeat().content)!;

/** The page with the panel open: on a page no adapter's address matches, the clerk opens the collapsed tab (as to teach it). */
async function panelOn(page: Page, url: string): Promise<PanelPage> {
  await page.goto(url);
  const panel = new PanelPage(page);
  const shown = page.locator('lianxin-panel [data-test=page-kind], lianxin-panel [data-test=not-recognised], lianxin-panel [data-test=open-panel]');
  await expect.poll(() => shown.count(), { timeout: WAIT_MS }).toBe(1);
  if ((await panel.find('open-panel').count()) === 1) await panel.find('open-panel').click();
  await expect.poll(() => page.locator('lianxin-panel [data-test=page-kind], lianxin-panel [data-test=not-recognised]').count(), { timeout: WAIT_MS }).toBe(1);
  return panel;
}

/** In teach mode: pick with the next click on the page, wait for a unique proposal (or the column), add it. */
async function teachOne(panel: PanelPage, click: string, list = false): Promise<void> {
  await panel.find('teach-pick').click();
  await panel.page.locator(click).first().click();
  if (list) await expect.poll(() => panel.find('teach-column').count()).toBe(1);
  else await expect.poll(() => panel.page.locator('lianxin-panel [data-test=teach-candidates] tr[data-unique=true]').count()).toBeGreaterThan(0);
  await panel.find('teach-add').click();
}

const inTeach = (panel: PanelPage, selector: string) => panel.page.locator(`lianxin-panel [data-test=teach] ${selector}`);

it('an admin teaches the order page, the list and the reply form in the panel, and each is recognised with the name kept', async () => {
  const page = await browser.context.newPage();
  // —— The order page.
  let panel = await panelOn(page, `${base()}main.html?record_number=${orders()[1]!.orderNo}`);
  await expect.poll(() => panel.find('not-recognised').count(), { timeout: WAIT_MS }).toBe(1);
  await panel.find('teach').click();
  await inTeach(panel, 'input[type=radio][value=order]').check();
  await inTeach(panel, 'input[name=adapterName]').fill(NAME);
  expect(await inTeach(panel, 'input[name=urlPattern]').inputValue()).toBe('*/legacy/main.html?record_number=*');
  const cell = (label: string) => `th:text-is("${label}") + td`;
  const fields: [string, string, Record<string, string>][] = [
    ['orderNo', '工单编号', {}],
    ['type', '诉求类别', { values: 'help=求助件; enquiry=咨询件; complaint=投诉件; suggestion=建议件; praise=表扬件' }],
    ['citizenName', '来电人', {}],
    ['citizenPhone', '来电号码', {}],
    ['receivedAt', '来电时间', { readFormat: TIME }],
    ['deadline', '处置时限', { readFormat: TIME }],
    ['district', '所属区县', {}],
    ['street', '所属街道', {}],
    ['community', '所属社区', {}],
    ['category', '问题分类', {}],
    ['title', '工单标题', {}],
    ['content', '来电内容', {}],
    ['address', '问题地址', {}],
  ];
  for (const [key, label, inputs] of fields) {
    await inTeach(panel, 'select[name=orderKey]').selectOption(key);
    for (const [name, value] of Object.entries(inputs)) await inTeach(panel, `input[name=${name}]`).fill(value);
    await teachOne(panel, cell(label));
  }
  expect(await panel.find('teach-fields').textContent()).toContain('help=求助件');
  await panel.find('teach-save').click();
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('order');
  expect(await panel.find('page-kind').textContent()).toContain(NAME);
  // Teaching again on the page now recognised as an order page starts on its kind, with what was taught listed.
  await panel.find('teach').click();
  await expect.poll(() => inTeach(panel, 'input[type=radio][value=order]').isChecked(), { timeout: WAIT_MS }).toBe(true);
  await expect.poll(() => panel.find('teach-fields').textContent(), { timeout: WAIT_MS }).toContain('help=求助件');
  await inTeach(panel, 'button.plain:text-is("关闭")').click();

  // —— The list, on the same main.html without the query: not the order page.
  panel = await panelOn(page, `${base()}main.html`);
  await expect.poll(() => panel.find('not-recognised').count(), { timeout: WAIT_MS }).toBe(1);
  await panel.find('teach').click();
  await inTeach(panel, 'input[type=radio][value=list]').check();
  // The name taught with the order page is kept (the page's own title is another).
  await expect.poll(() => inTeach(panel, 'input[name=adapterName]').inputValue()).toBe(NAME);
  const columns: [string, number, Record<string, string>][] = [
    ['orderNo', 2, {}],
    ['title', 3, {}],
    ['district', 4, {}],
    ['street', 5, {}],
    ['community', 6, {}],
    ['receivedAt', 7, { readFormat: TIME }],
  ];
  for (const [key, column, inputs] of columns) {
    await inTeach(panel, 'select[name=orderKey]').selectOption(key);
    for (const [name, value] of Object.entries(inputs)) await inTeach(panel, `input[name=${name}]`).fill(value);
    await teachOne(panel, `#gdList tr:nth-child(2) td:nth-child(${column})`, true);
  }
  await panel.find('teach-save').click();
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('list');
  expect(await panel.find('page-kind').textContent()).toContain(NAME);

  // —— The reply form, with a session id in its address.
  panel = await panelOn(page, `${base()}detail.html?record_number=${orders()[1]!.orderNo}&sid=S7f3a9c01`);
  await panel.find('teach').click();
  await inTeach(panel, 'input[type=radio][value=reply]').check();
  expect(await inTeach(panel, 'input[name=urlPattern]').inputValue()).toBe('*/legacy/detail.html?record_number=*&sid=*');
  const lessons: [string, string, string, Record<string, string>, string][] = [
    ['联系结果', 'contacted', 'select', {}, 'select[name=p_lxjg]'],
    ['联系时间', 'contactTime', 'date', { dateFormat: TIME }, 'input[name=p_lxsj]'],
    ['处置结果', 'resolution', 'radio', { values: 'resolved=已办结; partly=未办结; unresolved=未办结' }, 'input[name=p_czjg] >> nth=0'],
    ['处置情况', 'actions', 'textarea', {}, 'textarea[name=p_czqk]'],
    ['回复群众', 'publicReply', 'textarea', {}, 'textarea[name=p_hfnr]'],
    ['现场图片', 'photos.handling', 'file', { uploadedWithin: 'td', uploadedItem: 'li.up-item.ok' }, 'input[name=up_xctp]'],
  ];
  for (const [label, source, widget, inputs, click] of lessons) {
    await inTeach(panel, 'input[name=fieldLabel]').fill(label);
    await inTeach(panel, 'select[name=source]').selectOption(source);
    await inTeach(panel, 'select[name=widgetKind]').selectOption(widget);
    for (const [name, value] of Object.entries(inputs)) await inTeach(panel, `input[name=${name}]`).fill(value);
    await teachOne(panel, click);
  }
  await inTeach(panel, 'select[name=source]').selectOption('page-order-no');
  await teachOne(panel, '#lblRecordNo');
  await panel.find('teach-save').click();
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('reply');
  expect(await panel.find('page-kind').textContent()).toContain(NAME);
  // Any order, any session.
  await page.goto(`${base()}detail.html?sid=Snew&record_number=${orders()[2]!.orderNo}`);
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('reply');
  await page.close();

  // The clerk takes over on this device.
  const popup = await browser.openPopup();
  await popup.page.locator('[data-test=sign-out]').click();
  await expect.poll(() => popup.page.locator('[data-test=sign-in]').count()).toBe(1);
  await popup.signIn(server.url, 'clerk1', DEMO_PASSWORD);
  await expect.poll(() => popup.userName().textContent()).toBe(CLERK.name);
  await expect.poll(() => popup.syncState().getAttribute('data-state'), { timeout: WAIT_MS }).toBe('synced');
  await popup.close();
});

const communityOf = async (o: PortalOrder) => (await serverOrder(server, o.orderNo)).intake.place.communityId;

it('the clerk imports from the list: progress, a failed row with its reason, the repeat call shown as a duplicate, each order placed in its community', async () => {
  const page = await browser.context.newPage();
  // One order first, from its own page: where it lands, no duplicate on the device yet.
  let panel = await panelOn(page, `${base()}main.html?record_number=${original().orderNo}`);
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('order');
  await panel.find('read-order').click();
  await expect.poll(() => panel.find('import-place').textContent(), { timeout: WAIT_MS }).toContain(original().community);
  expect(await panel.find('no-duplicates').count()).toBe(1);
  await panel.find('confirm-import').click();
  await expect.poll(() => panel.find('import-result').getAttribute('data-created'), { timeout: WAIT_MS }).toBe('true');
  expect((await serverOrder(server, original().orderNo)).intake.place).toMatchObject({ streetId: 'd1-s1' });
  const originalCommunity = await communityOf(original());
  expect(originalCommunity).toMatch(/^d1-s1-c\d$/);
  // The device knows it once the street's index has synced.
  const popup = await browser.openPopup();
  await popup.page.locator('input[name=query]').fill(original().orderNo);
  await expect
    .poll(
      async () => {
        await popup.page.locator('input[name=query]').press('Enter');
        return popup.page.locator('[data-test=search-results] li').count();
      },
      { timeout: WAIT_MS },
    )
    .toBe(1);
  await popup.close();

  panel = await panelOn(page, `${base()}main.html`);
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('list');
  await panel.find('read-list').click();
  const rows = page.locator('lianxin-panel [data-test=list-row]');
  await expect.poll(() => rows.count()).toBe(orders().length + 1);
  await panel.find('list-all').click();
  // The progress is written before each row is read: catch it as it appears, on the status line and on the button pressed.
  const progress = firstText(page, 'list-progress', '正在');
  const onButton = firstText(page, 'list-check', '正在');
  await panel.find('list-check').click();
  expect(await progress).toMatch(/正在读取第 1 \/ \d+ 条/);
  expect(await onButton).toMatch(/正在读取第 1 \/ \d+ 条/);
  const row = (no: string) => page.locator(`lianxin-panel [data-test=list-row][data-order-no="${no}"]`);
  await expect.poll(() => row(WITHDRAWN_ORDER_NO).getAttribute('data-step'), { timeout: WAIT_MS }).toBe('failed');
  expect(await row(WITHDRAWN_ORDER_NO).locator('[data-test=row-failed]').textContent()).toMatch(/第 3 行（261100000000000001）未导入：.*打不开/);
  for (const o of orders()) await expect.poll(() => row(o.orderNo).getAttribute('data-step'), { timeout: WAIT_MS }).toBe('ready');
  // The repeat call: the imported order named, with what matched, and left out.
  await expect.poll(() => row(repeat().orderNo).locator(`[data-test=duplicates] li[data-order-no="${original().orderNo}"]`).count(), { timeout: WAIT_MS }).toBe(1);
  const hint = await row(repeat().orderNo).locator('[data-test=duplicates] [data-test=duplicate-reasons]').first().textContent();
  expect(hint).toMatch(/地址|内容/);
  expect(await row(repeat().orderNo).locator('[data-test=row-duplicate]').count()).toBe(1);
  expect(await row(repeat().orderNo).locator('[data-test=list-tick]').isChecked()).toBe(false);
  expect(await row(original().orderNo).textContent()).toContain('已在连心中');

  // Importing several takes a while: the button counts them (before, it said nothing until all were done).
  const importing = firstText(page, 'list-import-go', '正在');
  await panel.find('list-import-go').click();
  expect(await importing).toMatch(/正在导入第 1 \/ \d+ 条/);
  await expect.poll(() => panel.find('list-summary').textContent(), { timeout: WAIT_MS }).toContain(`导入 ${orders().length - 2} 条`);
  expect(await panel.find('list-summary').textContent()).toContain('已在连心中 1 条');
  expect(await panel.find('list-summary').textContent()).toContain('未导入 1 条');
  for (const o of orders().filter((x) => x !== repeat() && x !== original())) {
    await expect.poll(() => row(o.orderNo).getAttribute('data-step')).toBe('imported');
    const stored = await serverOrder(server, o.orderNo);
    expect(stored.intake).toMatchObject({ orderNo: o.orderNo, content: o.content, address: o.address, place: { streetId: 'd1-s1' } });
    // In the community the portal names: the same one for orders the portal puts in the same community.
    if (o.community === original().community) expect(stored.intake.place.communityId).toBe(originalCommunity);
    else expect(stored.intake.place.communityId).toMatch(/^d1-s1-c\d$/);
  }
  // The repeat call was not created.
  await expect(serverOrder(server, repeat().orderNo)).rejects.toThrow(/not on the server/);
  await page.close();
});

it('fills the taught reply form from a result closed as 无法联系, ✓ field by field', async () => {
  const page = await browser.context.newPage();
  const order = orders().find((o) => o !== repeat() && o !== original())!;
  const panel = await panelOn(page, `${base()}main.html?record_number=${order.orderNo}`);
  await panel.find('read-order').click();
  await panel.find('confirm-import').click();
  await expect.poll(() => panel.find('import-result').getAttribute('data-created'), { timeout: WAIT_MS }).toBe('false');
  await panel.find('grid-select').selectOption(WORKER.unitId);
  await panel.find('dispatch').click();
  await expect.poll(() => panel.find('dispatched').count(), { timeout: WAIT_MS }).toBe(1);
  const photos = { handling: [await makePhoto(page, '现场 无法联系')], contact: [], document: [] };
  const base0 = closeInput(order.orderNo, photos, 'resolved');
  const result = { ...base0.result, contact: { contacted: false, unreachable: true, note: '三次拨打均无人接听' } };
  await workerCloses(server, (await serverOrder(server, order.orderNo)).orderId, result, photos, { review: false });
  await expect.poll(async () => (await serverOrder(server, order.orderNo)).view.status, { timeout: WAIT_MS }).toBe('closed');

  await page.goto(`${base()}detail.html?record_number=${order.orderNo}&sid=S7f3a9c01`);
  await expect.poll(() => panel.find('reply-order').getAttribute('data-order-no'), { timeout: WAIT_MS }).toBe(order.orderNo);
  await expect.poll(() => panel.find('reply-plan').count(), { timeout: WAIT_MS }).toBe(1);
  await panel.find('fill').click();
  await expect.poll(() => page.locator('lianxin-panel [data-outcome]').count(), { timeout: WAIT_MS }).toBe(6);
  expect(await page.locator('lianxin-panel [data-outcome=failed]').count()).toBe(0);
  expect(await page.locator('select[name=p_lxjg] option:checked').textContent()).toBe('无法联系');
  expect(await page.inputValue('input[name=p_lxsj]')).toBe('');
  expect(await page.locator('#list-xctp li.up-item.ok').count()).toBe(1);
  await page.click('#btnSave');
  await expect.poll(() => portals.received('legacy').length).toBe(1);
  expect(portals.received('legacy')[0]).toMatchObject({ orderNo: order.orderNo, fields: { p_lxjg: '2', p_czjg: 'Y', p_czqk: result.actions } });
  await page.close();
});

/** The first text the panel's element `test` shows that contains `part`, caught as it appears (a progress line lasts a moment). */
function firstText(page: Page, test: string, part: string): Promise<string> {
  return page.evaluate(
    ({ test, part }) =>
      new Promise<string>((resolve) => {
        const root = document.querySelector('lianxin-panel')!.shadowRoot!;
        const observer = new MutationObserver(() => {
          const text = root.querySelector(`[data-test=${test}]`)?.textContent ?? '';
          if (text.includes(part)) {
            observer.disconnect();
            resolve(text);
          }
        });
        observer.observe(root, { subtree: true, childList: true, characterData: true });
      }),
    { test, part },
  );
}
