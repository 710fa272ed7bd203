/**
 * A big inbox draws only what is on screen: with 2,000 orders stored, a cold
 * start shows the first tab's count and puts only the visible cards in the DOM.
 */
import { describe, expect, it } from 'vitest';
import { LoginScreen, launchPhone } from './fixtures.ts';
import { sharedPreview } from './preview.ts';

const preview = sharedPreview();

describe('inbox of 2,000 orders', () => {
  it('draws only the visible cards after a cold start', async () => {
    const phone = await launchPhone();
    const dir = phone.userDataDir;
    try {
      const login = new LoginScreen(phone.page);
      await login.open(preview.url, '?demo=2000');
      await login.demo();
      await phone.page.waitForSelector('.order-card');
    } finally {
      await phone.close();
    }
    const cold = await launchPhone({ userDataDir: dir });
    try {
      await cold.page.goto(preview.url);
      await cold.page.waitForSelector('.order-card');
      const count = Number(/\d+/.exec((await cold.page.textContent('.inbox__count')) ?? '')?.[0]);
      expect(count).toBeGreaterThan(40);
      expect(await cold.page.locator('.order-card').count()).toBeLessThan(40);
    } finally {
      await cold.close();
    }
  });
});
