/**
 * The inbox's last frame (shared/local/first-frame.ts): recorded as data from what Vue drew, drawn again by
 * index.html's early read at the next start before the app's code has run, and replaced by Vue's own first
 * frame. Drawn only when it is still what Vue would draw. Here the app's entry is held back on the network
 * (service workers blocked, so the page's requests reach `context.route`) to look at the drawn frame alone.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readManifest } from '#bench/cases/weight.ts';
import { FRAME_ATTRIBUTE, type FirstFrame } from '#shared/local/first-frame.ts';
import { LoginScreen, ROOT, launchPhone, shiftPageClock, storedRows, type Phone } from './fixtures.ts';
import { sharedPreview } from './preview.ts';
import { WAIT_MS, waitFor } from '../../support/wait.ts';

const preview = sharedPreview();
const ROOT_ID = 'lianxin-first-frame';
/**
 * The pages' clock: started at a fixed moment when this file runs (a Friday, 10:00 in China). A frame is drawn only
 * until the first of its cards changes colour or place; with the demo's orders made relative to the real clock, that
 * moment could fall between a frame's recording and the next start.
 */
const CLOCK_OFFSET = Date.UTC(2026, 11, 4, 2) - Date.now();
const pageNow = (): number => Date.now() + CLOCK_OFFSET;

async function launchOnClock(options?: Parameters<typeof launchPhone>[0]): Promise<Phone> {
  const phone = await launchPhone(options);
  await shiftPageClock(phone.context, CLOCK_OFFSET);
  return phone;
}

async function storedFrame(page: Page): Promise<FirstFrame | undefined> {
  const { rows } = await storedRows<{ key: string; value: unknown }>(page, 'session');
  return rows.find((row) => row.key === 'firstFrame')?.value as FirstFrame | undefined;
}

/** Rewrites fields of the stored frame with the raw IndexedDB API. */
async function rewriteFrame(page: Page, change: Partial<Omit<FirstFrame, 'tree'>>): Promise<void> {
  await page.evaluate(
    (change) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('lianxin');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('session', 'readwrite');
          const store = tx.objectStore('session');
          const read = store.get('firstFrame');
          read.onsuccess = () => store.put({ key: 'firstFrame', value: { ...read.result.value, ...change } });
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    change,
  );
}

/**
 * The frame this page recorded, once it has been written: a page writes its first recording at once (after the
 * screen settles) and later ones only when the screen changed, so after this nothing overwrites what a test changes.
 */
async function savedFrame(page: Page): Promise<FirstFrame> {
  await page.waitForFunction(() => performance.getEntriesByName('lianxin:first-frame-saved', 'mark').length > 0, null, { timeout: WAIT_MS });
  const frame = await storedFrame(page);
  if (!frame) throw new Error('the frame marked saved is not stored');
  return frame;
}

/** The page loaded anew: whether its early read drew the frame (after Vue's cards are in, either way). */
async function drawnOnLoad(page: Page, url: string): Promise<boolean> {
  // By way of a blank page: a URL differing from the page's only after its '#' would not load the document again.
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForSelector('#app .order-card, #app main:not(.inbox)', { timeout: WAIT_MS });
  return page.evaluate(() => performance.getEntriesByName('lianxin:first-frame', 'mark').length === 1);
}

/** A subtree as the frame keeps it (the recorder's rules, restated): what the drawn frame and Vue's own DOM are compared on. */
function normalised(page: Page, selector: string): Promise<string> {
  return page.evaluate(
    ({ selector, attributes }) => {
    const keep = new RegExp(attributes);
    const walk = (node: Node, blank: boolean): unknown => {
      if (node.nodeType === Node.TEXT_NODE) return blank ? '' : node.nodeValue;
      if (!(node instanceof HTMLElement || node instanceof SVGElement)) return null;
      const attributes = [...node.attributes].filter((a) => keep.test(a.name)).map((a) => `${a.name}=${a.value}`);
      const styles = [...node.style].map((p) => `${p}:${node.style.getPropertyValue(p)}`);
      return [node.localName, attributes, styles, ...[...node.childNodes].map((child) => walk(child, blank || node.hasAttribute('data-clock'))).filter((child) => child !== null)];
    };
    const root = document.querySelector(selector);
    return root ? JSON.stringify([...root.childNodes].map((child) => walk(child, false)).filter((child) => child !== null)) : '';
    },
    { selector, attributes: FRAME_ATTRIBUTE.source },
  );
}

describe("the inbox's last frame", () => {
  it("is drawn by the early read before the app's code has run, as Vue drew it, inert, and Vue's own replaces it", async () => {
    const manifest = await readManifest(join(ROOT, 'dist/pwa'));
    const entry = manifest?.['index.html']?.file;
    if (!entry) throw new Error('dist/pwa/.vite/manifest.json has no index.html entry: build the PWA');

    const first = await launchOnClock();
    try {
      await new LoginScreen(first.page).open(preview.url, '?demo');
      expect(Math.abs((await first.page.evaluate(() => new Date().getTime())) - pageNow())).toBeLessThan(60_000);
      await new LoginScreen(first.page).demo();
      const frame = await savedFrame(first.page);
      // On this clock the first card changes colour or place ≈ 8 minutes after the frame is recorded: after this file's end.
      expect(frame.validUntil === null || frame.validUntil - pageNow() > 5 * 60_000, `valid until ${frame.validUntil}`).toBe(true);
      expect(frame.build).toBe(entry);
      expect(frame.tab).toBe('todo');
    } finally {
      await first.close();
    }

    const phone = await launchOnClock({ userDataDir: first.userDataDir, blockServiceWorkers: true });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    try {
      const { page, context } = phone;
      await context.route(`**/${entry}`, async (route) => {
        await held;
        await route.continue();
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // Not waiting for 'load', which waits for the held entry.
      await page.goto(preview.url, { waitUntil: 'commit' });
      await page.waitForSelector(`#${ROOT_ID} .order-card`, { timeout: WAIT_MS });
      // The app's code has not run: the screen is the drawn frame alone, which no tap or screen reader reaches.
      expect(await page.evaluate(() => performance.getEntriesByName('lianxin:data-layer', 'mark').length)).toBe(0);
      expect(await page.locator('#app *').count()).toBe(0);
      expect(await page.getAttribute(`#${ROOT_ID}`, 'inert')).toBe('');
      expect(await page.getAttribute(`#${ROOT_ID}`, 'aria-hidden')).toBe('true');
      // The whole screen: the sync bar, the search, the tabs with their count, the cards, the tabbar.
      for (const part of ['.sync-bar', '.van-search', '.van-tabs', '.van-tabbar']) expect(await page.locator(`#${ROOT_ID} ${part}`).count(), part).toBeGreaterThan(0);
      // No old countdown: the time-left words are blank until Vue writes them; their colour is the one Vue gives.
      const times = await page.locator(`#${ROOT_ID} .order-card__time`).allTextContents();
      expect(times.length).toBeGreaterThan(0);
      expect(times.every((text) => text === '')).toBe(true);
      const drawn = await normalised(page, `#${ROOT_ID}`);
      const drawnBoxes = await page.locator(`#${ROOT_ID} .order-card`).evaluateAll((cards) => cards.map((card) => card.getBoundingClientRect().toJSON() as DOMRect));

      release();
      await page.waitForFunction((id) => document.getElementById(id) === null && document.querySelector('#app .order-card') !== null, ROOT_ID, { timeout: WAIT_MS });
      expect(await page.evaluate(() => performance.getEntriesByName('lianxin:first-frame-replaced', 'mark').length)).toBe(1);
      // Vue's cards stand where the drawn ones stood, and once its list has its overscan, its DOM is the frame's.
      const vueBoxes = await page.locator('#app .order-card').evaluateAll((cards) => cards.map((card) => card.getBoundingClientRect().toJSON() as DOMRect));
      for (const [i, box] of vueBoxes.entries()) expect(box, `card ${i}`).toEqual(drawnBoxes[i]);
      await waitFor(async () => (await normalised(page, '#app')) === drawn, "Vue's screen the same as the drawn frame");
      expect(await page.locator('#app .order-card__time').first().textContent()).not.toBe('');
      expect(errors).toEqual([]);
    } finally {
      release();
      await phone.close();
    }
  });

  it('is drawn only while it is still what Vue would draw, and is forgotten with the session', async () => {
    const phone = await launchOnClock();
    try {
      const { page } = phone;
      await new LoginScreen(page).open(preview.url, '?demo');
      await new LoginScreen(page).demo();
      await savedFrame(page);
      expect(await drawnOnLoad(page, preview.url), 'the frame as recorded').toBe(true);

      // An order's row changed since (as sync or an action would change it while the inbox is not shown).
      await savedFrame(page);
      await page.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('lianxin');
            open.onsuccess = () => {
              const tx = open.result.transaction('orders', 'readwrite');
              const cursor = tx.objectStore('orders').openCursor();
              cursor.onsuccess = () => {
                const row = cursor.result?.value as { tab: string; updatedAt: number } | undefined;
                if (cursor.result && row?.tab !== 'todo') return cursor.result.continue();
                if (cursor.result && row) cursor.result.update({ ...row, updatedAt: row.updatedAt + 1 });
              };
              tx.oncomplete = () => {
                open.result.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
          }),
      );
      expect(await drawnOnLoad(page, preview.url), 'a row changed since').toBe(false);

      await savedFrame(page);
      await rewriteFrame(page, { validUntil: pageNow() - 1 });
      expect(await drawnOnLoad(page, preview.url), 'a card due to change colour or place').toBe(false);

      await savedFrame(page);
      await rewriteFrame(page, { build: 'assets/index-another.js' });
      expect(await drawnOnLoad(page, preview.url), 'another build').toBe(false);

      await savedFrame(page);
      expect(await drawnOnLoad(page, `${preview.url}#/me`), 'another page opened').toBe(false);

      await page.goto(`${preview.url}#/inbox`);
      await savedFrame(page);
      await page.evaluate(() => localStorage.setItem('lianxin.locale', 'en'));
      expect(await drawnOnLoad(page, preview.url), 'another language').toBe(false);
      await page.evaluate(() => localStorage.removeItem('lianxin.locale'));

      // Signing out forgets it with the session.
      await page.goto(preview.url);
      await savedFrame(page);
      await page.click('[data-test=tab-me]');
      await page.click('[data-test=sign-out]');
      // Me reloads the page after a sign-out (nothing of the user stays in memory).
      const reloaded = page.waitForEvent('load', { timeout: WAIT_MS });
      await page.click('.van-dialog__confirm');
      await reloaded;
      await page.waitForSelector('.login', { timeout: WAIT_MS });
      expect(await storedFrame(page)).toBeUndefined();
    } finally {
      await phone.close();
    }
  });
});
