/**
 * The grid worker's day outdoors (issue 15), in demo mode at 390×844: one
 * Chinese date style and Vant pickers, places rather than coordinates, search
 * by order number, no countdown on a returned order, nothing consequential
 * pre-selected in the close, a draft and 常用语 instead of typing, 处置前/处置后
 * photos, a re-filed photo shown under its new kind, the whole result after
 * 办结, and the address opened in the map app.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, makeJpeg, type Phone } from './fixtures.ts';
import { WAIT_MS } from '../../support/wait.ts';

const DATE_TIME = /^(\d{4}年)?\d{1,2}月\d{1,2}日 \d\d:\d\d$/;
const COORDINATES = /\d+\.\d{5}/;

let phone: Phone;
let baseUrl: string;

beforeAll(async () => {
  baseUrl = `${inject('pwaPreviewUrl')}?demo`;
  phone = await launchPhone();
  const login = new LoginScreen(phone.page);
  await login.open(inject('pwaPreviewUrl'), '?demo');
  await login.demo();
});

afterAll(async () => {
  await phone?.close();
});

describe('the field app outdoors', () => {
  it('finds an order by its full number and by its last digits', async () => {
    const { page } = phone;
    const inbox = new InboxScreen(page);
    await inbox.open(baseUrl, '全部');
    const orderNo = (await page.locator('.order-card .order-card__no').first().textContent())!.trim();
    const id = (await inbox.cardIds())[0]!;
    for (const query of [orderNo, orderNo.slice(-5)]) {
      await page.fill('[data-test=inbox-search] input', query);
      await page.waitForFunction((wanted) => [...document.querySelectorAll<HTMLElement>('.order-card')].some((c) => c.dataset.orderId === wanted), id, { timeout: WAIT_MS });
    }
    await page.fill('[data-test=inbox-search] input', '');
  });

  it('shows no green countdown on a returned order, and offers 常用语 for the reason', async () => {
    const { page } = phone;
    const inbox = new InboxScreen(page);
    const order = new OrderScreen(page);
    const id = await inbox.findOrder(baseUrl, '待签收', 'return');
    await page.click('[data-action=return]');
    await page.click('[data-test=return-code] .van-radio:has-text("非本辖区")');
    const phrase = page.locator('[data-test=phrases-returnReason] [data-test=phrase]').first();
    const words = (await phrase.textContent())!.trim();
    await phrase.click();
    expect(await page.inputValue('[data-test=return-form] textarea[name=reason]')).toBe(words);
    await page.click('[data-test=return-form] button[type=submit]');
    await page.waitForSelector('[data-test=return-form]', { state: 'detached' });
    await order.open(baseUrl, id);
    await page.waitForSelector('[data-test=order-timeline] li[data-event-type=return]');
    expect(await page.locator('.order-page__time--normal').count()).toBe(0);
    expect(await page.locator('.order-page__time:has-text("剩")').count()).toBe(0);
  });

  it('writes dates one way, proposes a working day for 申请延期, and reads positions as places', async () => {
    const { page } = phone;
    const inbox = new InboxScreen(page);
    await inbox.findOrder(baseUrl, '处理中', 'close');
    // Dates in the facts and the timeline.
    const times = await page.locator('[data-test=order-timeline] .order-timeline__at').allTextContents();
    expect(times.length).toBeGreaterThan(0);
    for (const time of times) expect(time.trim()).toMatch(DATE_TIME);

    await page.click('[data-action=extension_request]');
    const proposed = (await page.inputValue('[data-test=extension-until] input')).trim();
    const match = /^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日$/.exec(proposed);
    expect(match, proposed).not.toBeNull();
    const year = Number(match![1] ?? new Date().getFullYear());
    const weekday = new Date(Date.UTC(year, Number(match![2]) - 1, Number(match![3]))).getUTCDay();
    expect([0, 6]).not.toContain(weekday);
    await page.click('.van-popup__close-icon');
    await page.waitForSelector('[data-test=extension-form]', { state: 'detached' });

    await new OrderScreen(page).checkIn();
    const line = (await page.locator('[data-test=order-timeline] li[data-event-type=check_in] .order-timeline__line').first().textContent())!;
    expect(line).toMatch(/±\d+ 米/);
    expect(line).not.toMatch(COORDINATES);
    await page.click('[data-test=timeline-coordinates]');
    expect(await page.locator('[data-test=order-timeline] li[data-event-type=check_in] .order-timeline__line').first().textContent()).toMatch(COORDINATES);
    await page.click('[data-test=timeline-coordinates]');
    // The address opens in the phone's map app.
    expect(await page.getAttribute('[data-test=order-map]', 'href')).toMatch(/^geo:/);
    // 事件上报 gives the accuracy in Chinese units too.
    await page.goto(`${baseUrl}#/report`);
    await page.click('.report__locate');
    await page.waitForSelector('[data-test=report-position]', { timeout: WAIT_MS });
    expect((await page.textContent('[data-test=report-position]'))!.trim()).toMatch(/^已定位（±\d+ 米）$/);
    await page.goBack();
  });

  it('closes with nothing pre-selected, a draft from the record, 常用语, photo pairs, and shows the whole result', async () => {
    const { page } = phone;
    // Before and after, then a photo of the contact.
    for (const [choice, label] of [['处置前', 'before'], ['处置后', 'after'], ['办理附件', 'other']] as const) {
      await page.click('[data-action=photo_added]');
      await page.click(`[data-test=photo-choice] .van-radio:has-text("${choice}")`);
      await page.setInputFiles('[data-test=photo-gallery]', [{ name: `${label}.jpg`, mimeType: 'image/jpeg', buffer: await makeJpeg(page, `${label} ${Date.now()}`) }]);
      await page.waitForSelector('[data-test=photo-capture]', { state: 'detached', timeout: WAIT_MS });
    }
    expect(await page.locator('[data-test=photo-grid] [data-stage=before]').count()).toBe(1);
    expect(await page.locator('[data-test=photo-grid] [data-stage=after]').count()).toBe(1);

    await page.click('[data-action=close]');
    await page.waitForSelector('[data-test=close-form]');
    // 诉求属实 and 是否解决 start empty and must be chosen.
    expect(await page.locator('[data-test=close-founded] .van-radio__icon--checked').count()).toBe(0);
    expect(await page.locator('[data-test=close-resolution] .van-radio__icon--checked').count()).toBe(0);
    expect(await page.textContent('[data-test=close-missing]')).toContain('请选择诉求是否属实');
    expect(await page.isDisabled('[data-test=close-submit]')).toBe(true);

    // The contact time is chosen with Vant's pickers and shown in the one style.
    expect((await page.inputValue('[data-test=datetime-field] input')).trim()).toMatch(DATE_TIME);
    await page.click('[data-test=datetime-field]');
    await page.click('[data-test=datetime-picker] .van-picker__confirm');
    expect((await page.inputValue('[data-test=datetime-field] input')).trim()).toMatch(DATE_TIME);

    await page.click('[data-test=close-founded] .van-radio:has-text("是")');
    await page.click('[data-test=close-resolution] .van-radio:has-text("已解决")');
    await page.click('[data-test=close-method] .van-radio:has-text("电话")');
    await page.click('[data-test=close-draft]');
    const actions = await page.inputValue('[data-test=close-form] textarea[name=actions]');
    expect(actions).toMatch(/到达现场/);
    expect(actions).toContain('处置前 1 张、处置后 1 张');
    const reply = await page.inputValue('[data-test=close-form] textarea[name=publicReply]');
    expect(reply).toMatch(/^您好，您反映的.+问题，/);
    const phrase = page.locator('[data-test=phrases-publicReply] [data-test=phrase]').first();
    const words = (await phrase.textContent())!.trim();
    await phrase.click();
    expect(await page.inputValue('[data-test=close-form] textarea[name=publicReply]')).toContain(words);

    // Re-file the plain handling photo as proof of contact.
    const other = page.locator('[data-test=close-form] .close-form__photo').last();
    const refiled = (await other.getAttribute('data-sha256'))!;
    await other.locator('.van-radio:has-text("联系证据")').click();
    await page.click('[data-test=close-submit]');
    await page.waitForSelector('[data-test=close-form]', { state: 'detached', timeout: WAIT_MS });

    // The whole result, at full width.
    const result = page.locator('[data-test=order-result]');
    await result.waitFor({ timeout: WAIT_MS });
    expect(await result.locator('[data-test=result-actions]').textContent()).toBe(actions);
    expect(await result.locator('[data-test=result-public-reply]').textContent()).toContain(words);
    expect(await result.locator('[data-test=result-contact]').textContent()).toMatch(/^电话 · /);
    expect(await result.locator('[data-test=result-resolution]').textContent()).toBe('已解决');
    expect(await result.locator(`[data-kind=contact] [data-sha256="${refiled}"]`).count()).toBe(1);
    expect((await result.boundingBox())!.width).toBeGreaterThan(340);
    // The re-filed photo shows its new kind everywhere.
    expect(await page.getAttribute(`[data-test=photo-grid] [data-sha256="${refiled}"]`, 'data-kind')).toBe('联系证据');
    const lines = await page.locator('[data-test=order-timeline] li[data-event-type=photo_added] .order-timeline__line').allTextContents();
    expect(lines.filter((l) => l.startsWith('联系证据'))).toHaveLength(1);
  });
});
