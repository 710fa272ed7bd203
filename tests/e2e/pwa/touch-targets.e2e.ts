/**
 * Every field label fits one line, and every control a grid worker taps is at least 44×44 CSS px at phone size
 * (390×844): the test walks each page and sheet the worker uses (demo mode, no
 * server) and lists every visible interactive element smaller than that.
 *
 * An element counts as covered when an interactive ancestor that does the same
 * thing on a tap is large enough (a switch inside its clickable cell, an input
 * inside its field row).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, type Phone } from './fixtures.ts';
import { WAIT_MS } from '../../support/wait.ts';

const MIN = 44;
/** Rounding of fractional layouts (e.g. 43.99 px). */
const SLACK = 0.5;

/** Visible interactive elements below MIN×MIN, as "selector-ish (w×h) text". */
function smallTargets(page: Page, where: string): Promise<string[]> {
  return page.evaluate(
    ({ min, slack, where }) => {
      const TARGETS = [
        'button',
        'a[href]',
        'input:not([type=hidden])',
        'textarea',
        'select',
        '[role=button]',
        '[role=radio]',
        '[role=checkbox]',
        '[role=switch]',
        '[role=tab]',
        '[tabindex="0"]',
        '.van-popup__close-icon',
        '.van-cell--clickable',
        '.van-tabbar-item',
      ].join(',');
      // What takes the tap for what it holds: a clickable row, a radio's label, a button around an icon.
      const CONTAINERS = '.van-cell--clickable, .van-radio, .van-checkbox, label, button, a[href], [role=button], [role=tab]';
      // A text input is focused by a tap anywhere on its field row (Vant's label is for the input).
      const FIELD_ROWS = '.van-field, .van-search';
      const big = (r: DOMRect) => r.width + slack >= min && r.height + slack >= min;
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') return false;
        // Offscreen sheets and collapsed panels.
        if (r.bottom <= 0 || r.right <= 0 || r.left >= window.innerWidth || r.top >= window.innerHeight) return false;
        // Under an overlay or a sheet: not tappable now, measured on its own screen.
        const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
        const y = Math.min(Math.max(r.top + r.height / 2, 0), window.innerHeight - 1);
        const top = document.elementFromPoint(x, y);
        return top !== null && (el.contains(top) || top.contains(el));
      };
      const out: string[] = [];
      for (const el of document.querySelectorAll(TARGETS)) {
        if (!visible(el)) continue;
        const r = el.getBoundingClientRect();
        if (big(r)) continue;
        const input = el.matches('input, textarea, select');
        let covered = input && big(el.closest(FIELD_ROWS)?.getBoundingClientRect() ?? r);
        for (let up = covered ? null : (el.parentElement?.closest(CONTAINERS) ?? null); up; up = up.parentElement?.closest(CONTAINERS) ?? null) {
          if (big(up.getBoundingClientRect())) {
            covered = true;
            break;
          }
        }
        if (covered) continue;
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].slice(0, 2).join('.')}`;
        const text = (el.textContent ?? (el as HTMLInputElement).placeholder ?? '').trim().slice(0, 20);
        out.push(`${where}: ${name} (${Math.round(r.width)}×${Math.round(r.height)}) ${text}`);
      }
      // Field labels on one line (退回原因类型 wrapped at 390 px): the lines its text is laid out on.
      for (const label of document.querySelectorAll('.van-field__label, .van-button__text')) {
        if (!visible(label)) continue;
        const lines = new Set<number>();
        const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const r of range.getClientRects()) if (r.width > 0) lines.add(Math.round(r.top));
        }
        if (lines.size > 1) out.push(`${where}: label on ${lines.size} lines: ${(label.textContent ?? '').trim().slice(0, 20)}`);
      }
      return out;
    },
    { min: MIN, slack: SLACK, where },
  );
}

let phone: Phone;
let baseUrl: string;

beforeAll(async () => {
  baseUrl = `${inject('pwaPreviewUrl')}?demo`;
  phone = await launchPhone();
});

afterAll(async () => {
  await phone?.close();
});

async function sheet(page: Page, action: string, selector: string, found: string[]): Promise<void> {
  await page.click(`[data-action=${action}]`);
  await page.waitForSelector(selector, { timeout: WAIT_MS });
  await page.waitForFunction(() => !document.querySelector('.van-popup-slide-bottom-enter-active'), null, { timeout: WAIT_MS });
  found.push(...(await smallTargets(page, action)));
}

async function closeSheet(page: Page, selector: string): Promise<void> {
  await page.click('.van-popup__close-icon');
  const dialog = page.locator('.van-dialog__confirm');
  // A sheet with something written asks before discarding it.
  await Promise.race([page.waitForSelector(selector, { state: 'detached', timeout: WAIT_MS }), dialog.waitFor({ timeout: WAIT_MS }).then(() => dialog.click())]).catch(() => undefined);
  await page.waitForSelector(selector, { state: 'detached', timeout: WAIT_MS });
}

describe('touch targets at 390×844', () => {
  it('lists no control smaller than 44×44 CSS px on any page or sheet a worker uses', async () => {
    const { page } = phone;
    const found: string[] = [];
    const login = new LoginScreen(page);
    await login.open(inject('pwaPreviewUrl'));
    found.push(...(await smallTargets(page, 'login')));
    await login.open(baseUrl.replace('?demo', ''), '?demo');
    await login.demo();

    const inbox = new InboxScreen(page);
    await inbox.open(baseUrl, '待签收');
    found.push(...(await smallTargets(page, 'inbox')));

    const order = new OrderScreen(page);
    const toAccept = await inbox.findOrder(baseUrl, '待签收', 'accept');
    await order.open(baseUrl, toAccept);
    found.push(...(await smallTargets(page, 'order to accept')));
    await sheet(page, 'return', '[data-test=return-form]', found);
    await closeSheet(page, '[data-test=return-form]');

    const doing = await inbox.findOrder(baseUrl, '处理中', 'close');
    await order.open(baseUrl, doing);
    await page.evaluate(() => window.scrollTo(0, 0));
    found.push(...(await smallTargets(page, 'order in progress')));
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    found.push(...(await smallTargets(page, 'order in progress (bottom)')));

    for (const [action, selector] of [
      ['check_in', '[data-test=check-in-form]'],
      ['progress', '[data-test=progress-form]'],
      ['photo_added', '[data-test=photo-capture]'],
      ['extension_request', '[data-test=extension-form]'],
    ] as const) {
      const offered = await order.actions();
      if (!offered.includes(action)) continue;
      await sheet(page, action, selector, found);
      if (action === 'extension_request') {
        await page.click('[data-test=extension-until]');
        await page.waitForSelector('.van-picker', { timeout: WAIT_MS });
        found.push(...(await smallTargets(page, 'extension date picker')));
        await page.click('.van-picker__cancel');
      }
      await closeSheet(page, selector);
    }

    await sheet(page, 'close', '[data-test=close-form]', found);
    const form = page.locator('[data-test=close-form]');
    // Scroll the sheet through, measuring each screenful.
    for (let i = 0; i < 6; i++) {
      await form.evaluate((el, step) => el.closest('.van-popup')?.scrollTo(0, step * 700), i);
      found.push(...(await smallTargets(page, `close form (${i})`)));
    }
    await page.click('[data-test=datetime-field]');
    await page.waitForSelector('[data-test=datetime-picker]', { timeout: WAIT_MS });
    found.push(...(await smallTargets(page, 'contact time picker')));
    await page.click('[data-test=datetime-picker] .van-picker__cancel');
    await closeSheet(page, '[data-test=close-form]');

    await inbox.open(baseUrl, '已办结');
    const [closed] = await inbox.cardIds();
    await order.open(baseUrl, closed!);
    await page.waitForSelector('[data-test=order-result]', { timeout: WAIT_MS });
    found.push(...(await smallTargets(page, 'closed order')));
    await page.evaluate(() => document.querySelector('[data-test=order-result]')?.scrollIntoView());
    found.push(...(await smallTargets(page, 'closed order (result)')));

    await page.goto(`${baseUrl}#/report`);
    await page.waitForSelector('form, [data-test=field-report]', { timeout: WAIT_MS });
    found.push(...(await smallTargets(page, 'field report')));
    await page.goto(`${baseUrl}#/me`);
    await page.waitForSelector('[data-test=me-unit]', { timeout: WAIT_MS });
    found.push(...(await smallTargets(page, 'me')));

    expect([...new Set(found)]).toEqual([]);
  });
});
