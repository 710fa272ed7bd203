/**
 * A new version never reloads away a half-written form: while a form holds
 * input the prompt holds the update back; once the form is gone, 更新 reloads
 * into the new version and everything saved is still there.
 *
 * The new version is the deployed service worker changed byte for byte (what
 * the browser's update check compares), not a second `vite build`: the
 * prompt, the waiting worker and the reload are the same, and the run stays
 * short, on a copy of the build (the other files share dist/pwa). The new version is
 * activated only once every open tab has warmed its lazy pages (a tab left on
 * the old version must still open them offline).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, privateBuild, startPreview, type Preview, type PrivateBuild } from './fixtures.ts';
import { WAIT_MS } from '../../support/wait.ts';

let build: PrivateBuild;
let preview: Preview;
let original: string;

/** Deploy a new version: a service worker that differs from the running one. */
async function deployNewVersion(id: string): Promise<void> {
  await writeFile(join(build.dir, 'sw.js'), `${original}\n// release ${id}\n`);
}

beforeAll(async () => {
  build = await privateBuild();
  original = await readFile(join(build.dir, 'sw.js'), 'utf8');
  preview = await startPreview(undefined, build.dir);
});

afterAll(async () => {
  await preview?.stop();
  await build?.remove();
});

describe('app update', () => {
  it('waits for the user and never while a form is dirty', async () => {
    const phone = await launchPhone();
    try {
      const { page } = phone;
      const login = new LoginScreen(page);
      await login.demoReadyOffline(preview.url);
      const id = await new InboxScreen(page).findOrder(preview.url, '待签收', 'accept');
      const order = new OrderScreen(page);
      await order.open(preview.url, id);
      await order.accept();
      await page.click('[data-action=progress]');
      await page.fill('[data-test=progress-form] textarea', '写了一半的进展');

      await deployNewVersion(`update-test-${Date.now()}`);
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
      const prompt = await page.waitForSelector('[data-test=update-prompt]', { timeout: WAIT_MS });
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

  it('activates the new version only after every open tab has warmed its lazy pages', async () => {
    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      const login = new LoginScreen(page);
      // This tab stays the first visit's (its registration found no controller); it must reload too.
      await login.demoReadyOffline(preview.url);
      // A second tab still warming: it holds the warming lock (pwa/src/router.ts) until told to let go.
      const other = await context.newPage();
      await other.goto(`${preview.url}#/inbox`);
      await other.waitForSelector('.order-card');
      await other.evaluate(() => {
        void navigator.locks.request('lianxin:warming-pages', { mode: 'shared' }, () => new Promise<void>((resolve) => ((window as unknown as { letGo: () => void }).letGo = resolve)));
      });

      await deployNewVersion(`warming-test-${Date.now()}`);
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
      await page.waitForSelector('[data-test=update-prompt]', { timeout: WAIT_MS });
      await page.click('[data-test=update-prompt] .van-button--primary');
      // 更新 waits for the lock; meanwhile the new worker is still waiting, not active.
      await page.waitForFunction(() => navigator.locks.query().then((state) => (state.pending ?? []).some((lock) => lock.name === 'lianxin:warming-pages' && lock.mode === 'exclusive')));
      expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting !== null && r?.waiting !== undefined))).toBe(true);

      await Promise.all([page.waitForEvent('load'), other.evaluate(() => (window as unknown as { letGo: () => void }).letGo())]);
      await page.waitForSelector('.order-card');
      expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting ?? null))).toBeNull();
      expect(await page.locator('[data-test=update-prompt]').count()).toBe(0);
    } finally {
      await phone.close();
    }
  });
});
