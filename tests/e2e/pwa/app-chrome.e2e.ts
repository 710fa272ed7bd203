/**
 * The app's frame on a phone, as built: the tab bar stays on the screen's bottom edge however far the inbox is
 * scrolled, the last card scrolls clear of it, and the app's own theme (styles.css) is the one in effect. Both
 * broke silently when Vite linked Vant's base.css after the app's stylesheet (pwa/vite.config.ts
 * `vantBaseFirst`): the bar sat at the end of the list, the buttons were Vant's blue.
 */
import { describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, launchPhone } from './fixtures.ts';
import { sharedPreview } from './preview.ts';
import { WAIT_MS } from '../../support/wait.ts';

const preview = sharedPreview();

describe("the app's frame on a phone", () => {
  it('keeps the tab bar on the bottom edge of the screen over a scrolled inbox, the last card above it, in the app’s own colours', async () => {
    const phone = await launchPhone();
    try {
      const { page } = phone;
      await new LoginScreen(page).open(preview.url, '?demo');
      await new LoginScreen(page).demo();
      await new InboxScreen(page).open(preview.url, '全部');
      const cards = await new InboxScreen(page).cardIds();
      expect(cards.length).toBeGreaterThan(3);

      const frame = () =>
        page.evaluate(() => {
          const bar = document.querySelector('[data-test=tabbar] .van-tabbar, .van-tabbar[data-test=tabbar]');
          if (!bar) throw new Error('no tab bar');
          const cardsNow = [...document.querySelectorAll('.order-card')];
          const last = cardsNow[cardsNow.length - 1];
          return {
            position: getComputedStyle(bar).position,
            barTop: bar.getBoundingClientRect().top,
            barBottom: bar.getBoundingClientRect().bottom,
            viewport: window.innerHeight,
            scrollable: document.documentElement.scrollHeight > window.innerHeight,
            lastCardBottom: last ? last.getBoundingClientRect().bottom : null,
            primary: getComputedStyle(document.documentElement).getPropertyValue('--van-primary-color').trim().toLowerCase(),
          };
        });

      const top = await frame();
      expect(top.position).toBe('fixed');
      expect(top.scrollable).toBe(true);
      expect(Math.abs(top.barBottom - top.viewport)).toBeLessThan(1);
      expect(top.primary).toBe('#d7000f');

      // To the end of the list (windowed: the last cards are drawn once scrolled to).
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForFunction(() => Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight - 1, null, { timeout: WAIT_MS });
      await page.waitForFunction(
        () => {
          const cardsNow = [...document.querySelectorAll('.order-card')];
          const last = cardsNow[cardsNow.length - 1];
          return last !== undefined && last.getBoundingClientRect().bottom <= window.innerHeight;
        },
        null,
        { timeout: WAIT_MS },
      );
      const end = await frame();
      expect(Math.abs(end.barBottom - end.viewport)).toBeLessThan(1);
      expect(end.lastCardBottom).not.toBeNull();
      expect(end.lastCardBottom ?? Infinity).toBeLessThanOrEqual(end.barTop + 1);
    } finally {
      await phone.close();
    }
  });
});
