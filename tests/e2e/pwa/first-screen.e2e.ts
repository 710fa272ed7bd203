/**
 * The first screen before the data layer: the inbox is drawn from index.html's
 * early raw read (pwa/src/data/index.ts), and Dexie with the rest of the data
 * layer (pwa/src/data/layer.ts) loads after it. Here the layer's chunk is held
 * back on the network (service workers blocked, so the page's requests reach
 * `context.route`): the inbox is drawn without it, a card tapped meanwhile
 * opens its order page, which waits visibly (its loading state) and shows the
 * order once the layer is let through — no lost tap, no error. Opened on
 * another page, the app asks for the layer at once instead.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '#bench/cases/weight.ts';
import { InboxScreen, LoginScreen, ROOT, launchPhone } from './fixtures.ts';
import { sharedPreview } from './preview.ts';
import { WAIT_MS, waitFor } from '../../support/wait.ts';

const preview = sharedPreview();

describe('the first screen before the data layer', () => {
  it('is drawn from the early read, and a card tapped before the data layer has loaded opens its order once it has, or says it could not and retries', async () => {
    const manifest = await readManifest(join(ROOT, 'dist/pwa'));
    const layerFile = manifest?.['src/data/layer.ts']?.file;
    if (!layerFile) throw new Error('dist/pwa/.vite/manifest.json has no src/data/layer.ts: build the PWA');

    const first = await launchPhone();
    let orderId: string | undefined;
    let orderNo: string | null | undefined;
    try {
      await new LoginScreen(first.page).open(preview.url, '?demo');
      await new LoginScreen(first.page).demo();
      [orderId] = await new InboxScreen(first.page).cardIds();
      orderNo = await first.page.textContent(`.order-card[data-order-id="${orderId}"] .order-card__no`);
    } finally {
      await first.close();
    }
    expect(orderId).toBeTruthy();
    expect(orderNo).toBeTruthy();

    const phone = await launchPhone({ userDataDir: first.userDataDir, blockServiceWorkers: true });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    try {
      const { page, context } = phone;
      await context.route(`**/${layerFile}`, async (route) => {
        asked = true;
        await held;
        await route.continue();
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(preview.url);
      const card = `.order-card[data-order-id="${orderId}"]`;
      await page.waitForSelector(card, { timeout: WAIT_MS });
      expect(await page.evaluate(() => performance.getEntriesByName('lianxin:data-layer-loaded', 'mark').length)).toBe(0);

      await page.click(card);
      await page.waitForFunction((id) => location.hash === `#/orders/${id}`, orderId, { timeout: WAIT_MS });
      // The order page waits for the data layer, and says so.
      await page.waitForSelector('.order-page__state .van-loading', { timeout: WAIT_MS });
      await waitFor(() => asked, 'the data layer asked for');
      expect(await page.evaluate(() => performance.getEntriesByName('lianxin:data-layer-loaded', 'mark').length)).toBe(0);

      release();
      await page.waitForSelector('[data-test=order-timeline]', { timeout: WAIT_MS });
      expect(await page.textContent('main')).toContain(orderNo!);
      expect(errors).toEqual([]);
    } finally {
      release();
      await phone.close();
    }

    // Opened on another page (a deep link): its reads do not wait for an inbox that is not drawn. The layer is
    // asked for at once, and the session comes from it (no `session-ready` while it is held back).
    const again = await launchPhone({ userDataDir: first.userDataDir, blockServiceWorkers: true });
    let releaseAgain: () => void = () => undefined;
    const heldAgain = new Promise<void>((resolve) => (releaseAgain = resolve));
    let askedAgain = false;
    try {
      const { page, context } = again;
      await context.route(`**/${layerFile}`, async (route) => {
        askedAgain = true;
        await heldAgain;
        await route.continue();
      });
      await page.goto(`${preview.url}#/notifications`);
      await waitFor(() => askedAgain, 'the data layer asked for on a deep link');
      expect(await page.evaluate(() => performance.getEntriesByName('lianxin:session-ready', 'mark').length)).toBe(0);
      releaseAgain();
      await page.waitForSelector('main.notifications', { timeout: WAIT_MS });
    } finally {
      releaseAgain();
      await again.close();
    }

    // The layer's code failing to load (the network dropped it): the order page says so instead of loading for
    // ever, the layer is loaded again once the browser is back online, and 重试 opens the order.
    const failing = await launchPhone({ userDataDir: first.userDataDir, blockServiceWorkers: true });
    try {
      const { page, context } = failing;
      let refused = 0;
      let comes = false;
      await context.route(`**/${layerFile}`, async (route) => {
        if (comes) return route.continue();
        refused++;
        await route.abort('connectionreset');
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(preview.url);
      await page.click(`.order-card[data-order-id="${orderId}"]`);
      await page.waitForSelector('[data-test=order-open-failed]', { timeout: WAIT_MS });
      expect(refused).toBeGreaterThan(0);
      comes = true;
      // Back online, the layer is loaded again by itself (so sync starts with no tap); 重试 then opens the order.
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await page.waitForFunction(() => performance.getEntriesByName('lianxin:data-layer-loaded', 'mark').length === 1, null, { timeout: WAIT_MS });
      await page.click('[data-test=order-open-failed] button');
      await page.waitForSelector('[data-test=order-timeline]', { timeout: WAIT_MS });
      expect(errors).toEqual([]);
      expect(await page.textContent('main')).toContain(orderNo!);
    } finally {
      await failing.close();
    }
  });
  it('draws the cards in view first and the rest of the list after the paint, the font laid out before the route', async () => {
    // The early read is in index.html before the stylesheets (a script after them waits for them to load).
    const html = await (await fetch(preview.url)).text();
    expect(html.indexOf('__lianxinFirstRead')).toBeGreaterThan(0);
    expect(html.indexOf('__lianxinFirstRead')).toBeLessThan(html.indexOf('rel="stylesheet"'));

    const first = await launchPhone();
    try {
      await new LoginScreen(first.page).open(preview.url, '?demo=300&demoOpen=200');
      await new LoginScreen(first.page).demo();
    } finally {
      await first.close();
    }
    const phone = await launchPhone({ userDataDir: first.userDataDir });
    try {
      const { page } = phone;
      type Seen = { warmup: boolean; loadingFirst: boolean; firstFrameCards: number; cardTops: number[]; shownBottom: number; code: string[] };
      await page.addInitScript(() => {
        const seen: Seen = { warmup: false, loadingFirst: false, firstFrameCards: -1, cardTops: [], shownBottom: 0, code: [] };
        (window as unknown as { firstScreen: Seen }).firstScreen = seen;
        const observer = new MutationObserver(() => {
          if (document.querySelector('.app-font-warmup')) seen.warmup = true;
          // Vue's own cards (the inbox's last frame, drawn beside #app by index.html's script, is first-frame.e2e.ts's).
          if (!document.querySelector('#app .order-card')) {
            if (document.querySelector('[data-test=inbox-loading]')) seen.loadingFirst = true;
            return;
          }
          observer.disconnect();
          // The frame that paints the first cards (the list's own frame callback was asked for first).
          requestAnimationFrame(() => {
            seen.firstFrameCards = document.querySelectorAll('#app .order-card').length;
            seen.cardTops = [...document.querySelectorAll('#app .order-card')].map((card) => card.getBoundingClientRect().top);
            // Where the screen's list ends: the tabbar's top, or the viewport's bottom when the bar is not over it.
            seen.shownBottom = Math.min(innerHeight, document.querySelector('.van-tabbar')?.getBoundingClientRect().top ?? innerHeight);
            // The scripts and stylesheets fetched before this frame.
            seen.code = performance
              .getEntriesByType('resource')
              .map((entry) => new URL(entry.name).pathname)
              .filter((path) => /\.(js|css)$/.test(path));
          });
        });
        observer.observe(document, { childList: true, subtree: true });
      });
      await page.goto(preview.url);
      const handle = await page.waitForFunction(() => {
        const seen = (window as unknown as { firstScreen: Seen }).firstScreen;
        return seen.firstFrameCards >= 0 ? seen : null;
      }, null, { timeout: WAIT_MS });
      const seen = (await handle.jsonValue())!;
      // The first screen's code came as one script and one stylesheet: each file is a fetch event that the service
      // worker answers one after another while the entry waits (18 files took 100–350 ms from the first request to
      // the last on a cold start: bench/README.md "Cold start, part 11"; pwa/vite.config.ts `firstScreenChunk`).
      expect(seen.code.filter((path) => path.endsWith('.js')), 'scripts before the first cards').toHaveLength(1);
      expect(seen.code.filter((path) => path.endsWith('.css')), 'stylesheets before the first cards').toHaveLength(1);
      // The hidden text that loads the font was there while the route waited for the session, and is gone.
      expect(seen.warmup).toBe(true);
      expect(await page.locator('.app-font-warmup').count()).toBe(0);
      // The early read holds the rows: the inbox's first render has its cards, no loading state drawn before them.
      expect(seen.loadingFirst).toBe(false);
      // Vant's font list with the Chinese fonts named before the generic family (pwa/src/styles.css).
      const font = await page.evaluate(() => getComputedStyle(document.body).getPropertyValue('--van-base-font'));
      expect(font).toMatch(/^\s*-apple-system/);
      expect(font).toMatch(/["']Noto Sans CJK SC["'],\s*["']Source Han Sans SC["'],\s*["']WenQuanYi Micro Hei["'],\s*sans-serif\s*$/);
      // The first frame: the cards that can be seen, down to the screen's bottom or the tabbar, and none below
      // (InboxPage's BARS_HEIGHT: 6 cards on this phone, not 7); then the list's overscan below them.
      const total = Number((await page.textContent('.inbox__count'))?.replace(/\D/g, ''));
      const lastTop = Math.max(...seen.cardTops);
      expect(total).toBeGreaterThan(seen.firstFrameCards);
      expect(seen.cardTops).toHaveLength(seen.firstFrameCards);
      expect(lastTop).toBeLessThan(seen.shownBottom);
      expect(lastTop + 124).toBeGreaterThanOrEqual(seen.shownBottom);
      await waitFor(async () => (await page.locator('.order-card').count()) > seen.firstFrameCards, 'the overscan rows drawn after the paint');
      // (200 open orders: the to-do tab holds more than a screen and both overscans.)
      // At the top the overscan is below the screen only (there is no row above the first): the rows in view
      // and 6 more, not 12 (the after-paint task that mounts them is half as long: bench/README.md "Cold start, part 7").
      const inViewAndBelow = await page.evaluate(() => Math.ceil(innerHeight / 124) + 6);
      expect(await page.locator('.order-card').count()).toBe(Math.min(total, inViewAndBelow));
    } finally {
      await phone.close();
    }
  });
});
