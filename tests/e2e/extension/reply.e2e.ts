/**
 * The reply panel cannot be misused. The built extension, a real server and
 * the Element Plus demo portal:
 * - the wrong order: a reply page shows its own order number; the panel
 *   follows it when the portal moves to another order, and refuses to fill
 *   another order's result into it, naming both numbers;
 * - never twice: 一键回填 pressed again uploads no photo again;
 * - the lifecycle: 标记已回复 is offered only when every field reads ✓ and
 *   after the portal's own submit was seen (or the clerk says so), and the
 *   reply to an order a worker closed lands without a conflict;
 * - required fields: a ✗ keeps 标记已回复 closed until the form reads ✓;
 * - a portal whose reply page shows no number: the clerk confirms the order
 *   first;
 * - the clerk's language: with English chosen, why a field failed reads in
 *   English (the engine returns codes, the panel words them).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '#extension/lib/i18n/en.ts';
import { builtinAdapter } from '#shared/portal/builtin.ts';
import type { ReplyInput } from '#shared/portal/reply-plan.ts';
import { startPortals, type Portals } from '../../portals/server.ts';
import { makePhoto, type TestPhoto } from '../portals/fixtures.ts';
import { closeInput } from '../portals/reply-input.ts';
import { WAIT_MS, waitFor } from '../../support/wait.ts';
import { DEMO_PASSWORD, PanelPage, launchExtension, startLianxinServer, type ExtensionBrowser, type LianxinServer } from './fixtures.ts';
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
  await popup.close();
  const again = await browser.openPopup();
  await waitFor(async () => (await again.userName().textContent()) === CLERK.name, 'the popup to show the clerk');
  await again.enablePortal(portals.origin);
  await waitFor(async () => (await again.enabledPortals().allTextContents()).some((text) => text.includes(portals.origin)), 'the portal enabled');
  await again.close();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.close(), portals?.close()]);
});

const ELEMENT_PLUS = 'element-plus' as const;
const orderNoAt = (index: number) => portals.orders(ELEMENT_PLUS)[index]!.orderNo;
const replyUrl = (no: string) => `${portals.urls[ELEMENT_PLUS]}#/orders/${no}/handle`;

interface Prepared extends ReplyInput {
  readonly photos: ReplyInput['photos'];
  readonly files: readonly TestPhoto[];
}

/**
 * An order imported and dispatched from the portal through the panel, then
 * closed by the worker over sync with photos (no review: the office's review
 * desk does not exist yet). `contacted: false` closes without a contact time.
 */
async function prepare(index: number, options: { contacted?: boolean; photos?: boolean } = {}): Promise<Prepared> {
  const no = orderNoAt(index);
  const page = await browser.context.newPage();
  await page.goto(`${portals.urls[ELEMENT_PLUS]}#/orders/${no}`);
  await importAndDispatch(server, new PanelPage(page), no);
  const photos =
    options.photos === false
      ? { handling: [], contact: [], document: [] }
      : // Short labels: the photo is 800 px wide and each must differ.
        { handling: [await makePhoto(page, `办理 1 #${index}`), await makePhoto(page, `办理 2 #${index}`)], contact: [await makePhoto(page, `联系 #${index}`)], document: [await makePhoto(page, `证件 #${index}`)] };
  const base = closeInput(no, photos);
  const input: ReplyInput = options.contacted === false ? { ...base, result: { ...base.result, contact: { contacted: false, note: '电话无人接听，上门未遇' } } } : base;
  await workerCloses(server, (await serverOrder(server, no)).orderId, input.result, photos, { review: false });
  await expect.poll(async () => (await serverOrder(server, no)).view.status, { timeout: WAIT_MS }).toBe('closed');
  await page.close();
  return { ...input, files: [...photos.handling, ...photos.contact, ...photos.document] };
}

/** The reply page of `no` with the panel on it, looking at the order the page shows. */
async function openReply(page: Page, no: string): Promise<PanelPage> {
  await page.goto(replyUrl(no));
  await page.waitForSelector('.reply-form');
  const panel = new PanelPage(page);
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('reply');
  await expect.poll(() => panel.find('reply-order').getAttribute('data-order-no'), { timeout: WAIT_MS }).toBe(no);
  await expect.poll(() => panel.find('reply-plan').count(), { timeout: WAIT_MS }).toBe(1);
  return panel;
}

const outcomes = (panel: PanelPage, outcome: string) => panel.page.locator(`lianxin-panel [data-outcome=${outcome}]`);

async function fillAndWait(panel: PanelPage): Promise<void> {
  const before = await panel.find('fill-run').getAttribute('data-run');
  await panel.find('fill').click();
  await expect.poll(() => panel.find('fill-run').getAttribute('data-run'), { timeout: WAIT_MS }).not.toBe(before);
  await expect.poll(() => panel.find('fill').isEnabled(), { timeout: WAIT_MS }).toBe(true);
}

/** Nothing of a reply on the form. */
const formIsEmpty = (page: Page) =>
  page.evaluate(
    () =>
      document.querySelectorAll('.reply-form input:checked').length === 0 &&
      [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('.reply-form input:not([type=file]):not([type=radio]), .reply-form textarea')].every((el) => el.value === '') &&
      document.querySelectorAll('.reply-form .el-upload-list__item').length === 0,
  );

const uploadsOf = (files: readonly TestPhoto[]) => portals.uploads(ELEMENT_PLUS).filter((u) => files.some((f) => f.sha256 === u.sha256)).length;

let a: Prepared;
let b: Prepared;

it("refuses to fill another order's result into this reply form, naming both numbers, and follows the portal to another order's page", async () => {
  const page = await browser.context.newPage();
  a = await prepare(1);
  b = await prepare(2);

  // The clerk is on B's reply form and looks up A by hand.
  await page.goto(replyUrl(b.orderNo));
  await page.waitForSelector('.reply-form');
  const panel = new PanelPage(page);
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('reply');
  await panel.find('reply-order-no').fill(a.orderNo);
  await panel.find('reply-order-no').press('Enter');
  await expect.poll(() => panel.find('reply').textContent(), { timeout: WAIT_MS }).toContain(a.orderNo);
  await expect.poll(() => panel.page.locator('lianxin-panel [data-test=reply-plan] [data-field=blqk]').count(), { timeout: WAIT_MS }).toBe(1);
  // Whatever the panel offers, B's form gets nothing of A's.
  if (await panel.find('fill').isEnabled()) {
    await panel.find('fill').click();
    await expect.poll(() => panel.page.locator('lianxin-panel [data-outcome], lianxin-panel [data-test=fill-refused]').count(), { timeout: WAIT_MS }).toBeGreaterThan(0);
  }
  expect(await formIsEmpty(page)).toBe(true);
  expect(uploadsOf(a.files)).toBe(0);
  // And the panel says why, with both numbers, with the fill closed.
  await expect.poll(() => panel.find('order-mismatch').count(), { timeout: WAIT_MS }).toBe(1);
  const warning = await panel.find('order-mismatch').textContent();
  expect(warning).toContain(a.orderNo);
  expect(warning).toContain(b.orderNo);
  expect(await panel.find('fill').isDisabled()).toBe(true);

  // The portal moves to A's reply form without reloading: the panel follows the page, not what it showed before.
  await page.evaluate((no) => (location.hash = `#/orders/${no}/handle`), a.orderNo);
  await page.waitForSelector(`.reply-form .order-no:has-text("${a.orderNo}")`);
  await expect.poll(() => panel.find('reply-order').getAttribute('data-order-no'), { timeout: WAIT_MS }).toBe(a.orderNo);
  await expect.poll(() => panel.find('order-mismatch').count()).toBe(0);
  await page.close();
});

it('fills every field ✓; pressing 一键回填 again uploads no photo again', async () => {
  const page = await browser.context.newPage();
  const panel = await openReply(page, a.orderNo);
  await fillAndWait(panel);
  expect(await outcomes(panel, 'failed').allTextContents()).toEqual([]);
  expect(await outcomes(panel, 'ok').count()).toBeGreaterThan(0);
  await expect.poll(() => uploadsOf(a.files)).toBe(4);
  // The clerk's wait is on the page's timeline (User Timing, the portal-fill bench's figure): click → fill → report shown.
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
  expect(marks.filter((name) => name.startsWith('lianxin:fill'))).toEqual(['lianxin:fill:click', 'lianxin:fill:start', 'lianxin:fill:end', 'lianxin:fill:shown']);
  expect(await page.evaluate(() => performance.getEntriesByName('lianxin:fill', 'measure').length)).toBe(1);

  await fillAndWait(panel);
  expect(await outcomes(panel, 'failed').allTextContents()).toEqual([]);
  expect(uploadsOf(a.files)).toBe(4);
  expect(await page.locator('.reply-form .el-upload-list__item.is-success').count()).toBe(4);
  await page.close();
});

it('offers 标记已回复 only after every field reads ✓ and the portal took the submit; the reply to a closed order lands without a conflict', async () => {
  const page = await browser.context.newPage();
  // A closed order (no review) waits for its reply in the popup.
  const popup = await browser.openPopup();
  const waiting = () => popup.page.locator('[data-test=awaiting-reply] li', { hasText: a.orderNo }).count();
  await expect.poll(waiting, { timeout: WAIT_MS }).toBe(1);

  const panel = await openReply(page, a.orderNo);
  // Not before a fill.
  expect(await panel.find('mark-replied').isDisabled()).toBe(true);
  await panel.find('fill').click();
  await expect.poll(() => outcomes(panel, 'ok').count(), { timeout: WAIT_MS }).toBeGreaterThan(0);
  await expect.poll(() => panel.find('fill').isEnabled(), { timeout: WAIT_MS }).toBe(true);
  expect(await outcomes(panel, 'failed').allTextContents()).toEqual([]);
  // Filled ✓ but not submitted yet: still not.
  expect(await panel.find('mark-replied').isDisabled()).toBe(true);
  expect(await panel.find('mark-replied-why').textContent()).toContain('提交');

  await page.click('.submit-reply');
  await expect.poll(() => portals.received(ELEMENT_PLUS).filter((s) => s.orderNo === a.orderNo).length, { timeout: WAIT_MS }).toBe(1);
  await expect.poll(() => panel.find('submit-seen').count(), { timeout: WAIT_MS }).toBe(1);
  await expect.poll(() => panel.find('mark-replied').isEnabled()).toBe(true);
  await panel.find('mark-replied').click();

  await expect.poll(async () => (await serverOrder(server, a.orderNo)).view.status, { timeout: WAIT_MS }).toBe('replied');
  const onServer = await serverOrder(server, a.orderNo);
  expect(onServer.view.conflicts).toEqual([]);
  expect(onServer.events.map((e) => e.type)).not.toContain('review_pass');
  await expect.poll(waiting, { timeout: WAIT_MS }).toBe(0);
  await popup.close();
  await page.close();
});

it('keeps 标记已回复 closed while a required field reads ✗, even when the clerk says it was submitted, until the form reads ✓', async () => {
  const page = await browser.context.newPage();
  const c = await prepare(3, { contacted: false, photos: false });
  const panel = await openReply(page, c.orderNo);
  await fillAndWait(panel);
  // 联系时间 is required by the portal and the worker could not reach the citizen.
  const contactTime = page.locator('lianxin-panel [data-field=lxsj] [data-outcome]');
  await expect.poll(() => contactTime.getAttribute('data-outcome')).toBe('failed');
  expect(await contactTime.textContent()).toContain('联系时间');
  await panel.find('confirm-submitted').check();
  expect(await panel.find('mark-replied').isDisabled()).toBe(true);

  // The clerk enters the time in the portal and checks again.
  const picker = page.locator('.el-form-item', { hasText: '联系时间' }).locator('input');
  await picker.fill('2026-11-30 09:15');
  await picker.press('Enter');
  await expect.poll(() => picker.inputValue()).toBe('2026-11-30 09:15');
  await panel.find('recheck').click();
  await expect.poll(() => contactTime.getAttribute('data-outcome'), { timeout: WAIT_MS }).toBe('ok');
  await expect.poll(() => panel.find('mark-replied').isEnabled()).toBe(true);
  await panel.find('mark-replied').click();
  await expect.poll(() => panel.find('mark-replied').textContent(), { timeout: WAIT_MS }).toBe('已回复');
  await expect.poll(async () => (await serverOrder(server, c.orderNo)).view.status, { timeout: WAIT_MS }).toBe('replied');
  expect((await serverOrder(server, c.orderNo)).view.conflicts).toEqual([]);
  await page.close();
});

// Before the test that imports an adapter whose reply page shows no number (it stays imported): here the page's number finds the order.
it('speaks English when the clerk chose it: a field the portal renamed fails with an English reason, and what is not written says why in English', async () => {
  const page = await browser.context.newPage();
  const g = await prepare(0, { photos: false });
  const panel = await openReply(page, g.orderNo);
  const popup = await browser.openPopup();
  await popup.page.locator('[data-test=toggle-language]').click();
  try {
    await expect.poll(() => panel.find('fill').textContent(), { timeout: WAIT_MS }).toContain(en.fill);
    // The portal renamed a label its rules look for (诉求属实 → 是否属实): that field cannot be found.
    await page.evaluate(() => {
      const label = [...document.querySelectorAll('.el-form-item__label')].find((l) => l.textContent?.trim() === '诉求属实');
      label!.textContent = '是否属实';
    });
    await fillAndWait(panel);
    const founded = page.locator('lianxin-panel [data-field=sfss] [data-outcome]');
    await expect.poll(() => founded.getAttribute('data-outcome')).toBe('failed');
    const reason = (await founded.textContent()) ?? '';
    expect(reason).toContain('No input to fill at the label “诉求属实”');
    // Chinese only where it quotes the portal.
    expect(reason.replace(/“[^”]*”/g, '')).not.toMatch(/[\u3400-\u9fff]/);
    // No photos: those fields are not written, and the preview says why in English.
    const plan = (await panel.find('reply-plan').textContent()) ?? '';
    expect(plan).toContain('(not written: the close result has no Handling photos)');
    expect(plan).not.toContain('不填');
  } finally {
    await popup.page.locator('[data-test=toggle-language]').click();
    await popup.close();
    await page.close();
  }
});

it('offers 标记已回复 for a ✓ reply on the next page when the portal moves on from the reply form', async () => {
  const page = await browser.context.newPage();
  const e = await prepare(5, { photos: false });
  const panel = await openReply(page, e.orderNo);
  await fillAndWait(panel);
  expect(await outcomes(panel, 'failed').allTextContents()).toEqual([]);
  // The portal goes back to its list (as many do after their submit).
  await page.evaluate(() => (location.hash = '#/orders'));
  await expect.poll(() => panel.find('pending-reply').getAttribute('data-order-no'), { timeout: WAIT_MS }).toBe(e.orderNo);
  await panel.find('pending-mark-replied').click();
  await expect.poll(() => panel.find('pending-reply').count(), { timeout: WAIT_MS }).toBe(0);
  await expect.poll(async () => (await serverOrder(server, e.orderNo)).view.status, { timeout: WAIT_MS }).toBe('replied');
  await page.close();
});

it('on a portal whose reply page shows no order number, fills only after the clerk confirmed the order with its number and title in view', async () => {
  const page = await browser.context.newPage();
  const d = await prepare(4, { photos: false });
  // The office's settings for this portal do not say where the reply page shows its number.
  const { orderNo: _shownAt, ...reply } = builtinAdapter('demo-element-plus')!.reply!;
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.locator('input[name=adapterFile]').setInputFiles({
    name: 'no-number.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...builtinAdapter('demo-element-plus')!, reply })),
  });
  await expect.poll(() => options.locator('tr[data-adapter=demo-element-plus]').count()).toBe(2);
  await options.close();

  await page.goto(replyUrl(d.orderNo));
  await page.waitForSelector('.reply-form');
  const panel = new PanelPage(page);
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('reply');
  await panel.find('reply-order-no').fill(d.orderNo);
  await panel.find('reply-order-no').press('Enter');
  await expect.poll(() => panel.find('reply-plan').count(), { timeout: WAIT_MS }).toBe(1);
  // Number and title in view, and nothing written before the clerk confirms.
  const confirm = panel.find('confirm-order');
  await expect.poll(() => confirm.count()).toBe(1);
  const shown = await panel.find('confirm-order-label').textContent();
  expect(shown).toContain(d.orderNo);
  expect(shown).toContain(portals.orders(ELEMENT_PLUS)[4]!.title);
  expect(await panel.find('fill').isDisabled()).toBe(true);
  await confirm.check();
  await fillAndWait(panel);
  expect(await outcomes(panel, 'failed').allTextContents()).toEqual([]);
  expect(await outcomes(panel, 'ok').count()).toBeGreaterThan(0);
  await page.close();
});
