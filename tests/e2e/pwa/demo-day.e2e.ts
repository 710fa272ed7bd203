/**
 * A worker's day in demo mode (no server), offline throughout: accept, check
 * in with the position permission withdrawn, add progress, three photos, close.
 * Everything survives a reload, a tab killed right after an action, and a
 * browser restart. Bad input (no position, a non-image, an incomplete close)
 * gets a clear message and loses nothing.
 */
import { describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, makeJpeg } from './fixtures.ts';
import { sharedPreview } from './preview.ts';

const preview = sharedPreview();

describe('offline worker day (demo data)', () => {
  it('keeps every action through reloads, a killed tab and a browser restart', async () => {
    const phone = await launchPhone();
    const dir = phone.userDataDir;
    // Found in the inbox in the first session, reopened after the restart.
    const found = { first: '', second: '' };
    try {
      const { page, context } = phone;
      const login = new LoginScreen(page);
      await login.demoReadyOffline(preview.url);
      await context.setOffline(true);

      const inbox = new InboxScreen(page);
      found.first = await inbox.findOrder(preview.url, '待签收', 'accept');
      found.second = await inbox.findOrder(preview.url, '待签收', 'accept', [found.first]);
      const { first, second } = found;
      const order = new OrderScreen(page);
      await order.open(preview.url, first);
      expect(await order.actions()).toEqual(['return', 'accept']);
      await order.accept();
      // No position (permission withdrawn): the worker is told why, and the check-in and the
      // photos record "no position" and its reason explicitly instead of nothing.
      await context.clearPermissions();
      await page.click('[data-action=check_in]');
      await page.waitForSelector('[data-test=check-in-form] >> text=定位权限被拒绝');
      await page.click('[data-test=check-in-form] button[type=submit]');
      await page.waitForSelector('[data-test=check-in-form]', { state: 'detached' });
      expect(await page.textContent('[data-test=order-timeline] li[data-event-type=check_in]')).toContain('定位权限被拒绝');
      await order.progress('已到场，联系区市政局疏通管道。');

      const photos = await Promise.all(['现场 1', '现场 2', '现场 3'].map((label) => makeJpeg(page, label)));
      const messages = await order.addPhotos([
        ...photos.map((buffer, i) => ({ name: `p${i + 1}.jpg`, mimeType: 'image/jpeg', buffer })),
        { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') },
      ]);
      expect(messages).toEqual(['3 张照片已保存到本机', 'notes.txt 不是图片，已跳过']);
      expect(await page.locator('[data-test=photo-grid] [data-sha256]').count()).toBe(3);
      expect(await page.locator('[data-test=order-timeline] li[data-event-type=photo_added]').allTextContents()).toEqual(Array(3).fill(expect.stringContaining('定位权限被拒绝')));

      // The close is refused until it holds what the portal needs.
      await page.click('[data-action=close]');
      await page.waitForSelector('[data-test=close-form]');
      expect(await page.isDisabled('[data-test=close-submit]')).toBe(true);
      await page.click('.van-popup__close-icon');
      await order.close({ actions: '已联系区市政局疏通管道，现场不再返水。', publicReply: '您反映的问题已处理，感谢监督。', method: '电话' });

      // Newest first; the demo's own history (dispatch …) follows.
      const expected = ['close', 'photo_added', 'photo_added', 'photo_added', 'progress', 'check_in', 'accept'];
      const timeline = await order.timeline();
      expect(timeline.slice(0, expected.length)).toEqual(expected);
      expect(timeline).toContain('dispatch');

      await page.reload();
      await page.waitForSelector('[data-test=order-timeline] li[data-event-type=close]');
      expect(await order.timeline()).toEqual(timeline);

      // Kill the tab right after an action is reported saved.
      const tab2 = await context.newPage();
      const order2 = new OrderScreen(tab2);
      await order2.open(preview.url, second);
      await tab2.click('[data-action=accept]');
      await tab2.click('.van-dialog__confirm');
      await tab2.waitForSelector('.van-toast >> text=已保存到本机');
      await tab2.close();
      const third = await context.newPage();
      const order3 = new OrderScreen(third);
      await order3.open(preview.url, second);
      await third.waitForSelector('[data-test=order-timeline] li[data-event-type=accept]');
    } finally {
      await phone.close();
    }

    const restarted = await launchPhone({ userDataDir: dir });
    try {
      await restarted.context.setOffline(true);
      const order = new OrderScreen(restarted.page);
      await order.open(preview.url, found.first);
      await restarted.page.waitForSelector('[data-test=order-timeline] li[data-event-type=close]');
      expect((await order.timeline()).filter((t) => t === 'photo_added')).toHaveLength(3);
      expect(await restarted.page.textContent('[data-test=sync-bar]')).toContain('张照片待同步');
      await order.open(preview.url, found.second);
      await restarted.page.waitForSelector('[data-test=order-timeline] li[data-event-type=accept]');
    } finally {
      await restarted.close();
    }
  });
});
