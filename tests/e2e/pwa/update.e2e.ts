/**
 * A new version never reloads away a half-written form: while a form holds
 * input the prompt holds the update back; once the form is gone, 更新 reloads
 * into the new version and everything saved is still there.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, OrderScreen, ROOT, launchPhone, startPreview, type Preview } from './fixtures.ts';

let preview: Preview;

function build(id: string): void {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'pwa/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, LIANXIN_BUILD_ID: id },
    stdio: 'inherit',
  });
}

beforeAll(async () => {
  preview = await startPreview();
});

afterAll(async () => {
  await preview?.stop();
  build(''); // leave dist/pwa as a plain build
});

describe('app update', () => {
  it('waits for the user and never while a form is dirty', async () => {
    const phone = await launchPhone();
    try {
      const { page } = phone;
      const login = new LoginScreen(page);
      await login.open(preview.url, '?demo');
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
      await login.demo();
      const id = await new InboxScreen(page).findOrder(preview.url, '待签收', 'accept');
      const order = new OrderScreen(page);
      await order.open(preview.url, id);
      await order.accept();
      await page.click('[data-action=progress]');
      await page.fill('[data-test=progress-form] textarea', '写了一半的进展');

      build(`update-test-${Date.now()}`);
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
      const prompt = await page.waitForSelector('[data-test=update-prompt]', { timeout: 20_000 });
      expect(await prompt.textContent()).toContain('正在填写表单');
      expect(await page.isDisabled('[data-test=update-prompt] .van-button--primary')).toBe(true);
      // Nothing reloaded: the half-written text is still in the form.
      expect(await page.inputValue('[data-test=progress-form] textarea')).toBe('写了一半的进展');

      await page.click('.van-popup__close-icon');
      await page.waitForSelector('[data-test=progress-form]', { state: 'detached' });
      expect(await prompt.textContent()).toContain('新版本可用');
      await Promise.all([page.waitForEvent('load'), page.click('[data-test=update-prompt] .van-button--primary')]);
      await page.waitForSelector('[data-test=order-timeline] li[data-event-type=accept]');
      expect(await page.locator('[data-test=update-prompt]').count()).toBe(0);
    } finally {
      await phone.close();
    }
  });
});
