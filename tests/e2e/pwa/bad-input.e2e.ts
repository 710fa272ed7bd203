/**
 * Bad input on the photo path: each gets a clear message and nothing already
 * saved is lost.
 * - demo mode, offline: a cancelled chooser, an empty file and a non-image store
 *   nothing; a huge photo (8000×6000) is scaled to ≤ 1920 px and saved.
 *   A full storage quota is real in quota.e2e.ts (the profile on a small tmpfs).
 * - with a server that refuses the photo for good (413: its size limit is set
 *   tiny): the sync bar says so in words instead of 同步中 for ever, Me lists
 *   it, and the photo stays on the phone and in the export.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, makeJpeg, storedPhotos } from './fixtures.ts';
import { sharedPreview } from './preview.ts';
import { WAIT_MS } from '../../support/wait.ts';

const photoEvents = (order: OrderScreen) => order.timeline().then((types) => types.filter((t) => t === 'photo_added').length);

describe('bad photo input (demo mode, offline)', () => {
  const preview = sharedPreview();

  it('refuses empty and non-image files and shrinks a huge photo', async () => {
    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      const login = new LoginScreen(page);
      await login.demoReadyOffline(preview.url);
      await context.setOffline(true);
      const orderId = await new InboxScreen(page).findOrder(preview.url, '处理中', 'photo_added');
      const order = new OrderScreen(page);
      await order.open(preview.url, orderId);
      const photosBefore = await photoEvents(order);

      // A cancelled chooser (no file) does nothing and says nothing.
      await page.click('[data-action=photo_added]');
      await page.setInputFiles('[data-test=photo-gallery]', []);
      expect(await page.locator('[data-test=photo-capture] p[role=status]').count()).toBe(0);
      await page.click('.van-popup__close-icon');
      await page.waitForSelector('[data-test=photo-capture]', { state: 'detached' });

      // An empty file and a text file: named, skipped, nothing stored.
      expect(
        await order.addPhotos([
          { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) },
          { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') },
        ]),
      ).toEqual(['empty.jpg 无法读取，已跳过', 'notes.txt 不是图片，已跳过']);
      expect(await storedPhotos(page)).toEqual([]);
      expect(await photoEvents(order)).toBe(photosBefore);

      // A huge photo is scaled to a long side of 1920 px and saved.
      const huge = await makeJpeg(page, '超大照片', 8000, 6000);
      expect(await order.addPhotos([{ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: huge }])).toEqual([]);
      const [saved] = await storedPhotos(page);
      expect(saved).toMatchObject({ width: 1920, height: 1440 });
      expect(await photoEvents(order)).toBe(photosBefore + 1);
    } finally {
      await phone.close();
    }
  });
});

describe('a photo the server refuses for good', () => {
  let server: import('#server/app.ts').RunningServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lianxin-e2e-bad-input-'));
    const { startServer } = await import('#server/app.ts');
    // Every real photo is larger than this: the server answers 413 too_large.
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir, seedDemo: 'always', quiet: true, photoMaxBytes: 2048 });
  });
  afterAll(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is reported in words, not retried, and kept on the phone and in the export', async () => {
    const seeded = server.seeded!;
    const worker = seeded.accounts.find((a) => a.role === 'grid_worker')!;
    const app = `${server.url}/`;
    const phone = await launchPhone();
    try {
      const { page } = phone;
      const login = new LoginScreen(page);
      await login.open(app);
      await login.signIn(worker.id, seeded.password);
      await page.waitForSelector('.order-card', { timeout: WAIT_MS });
      const orderId = await new InboxScreen(page).findOrder(app, '处理中', 'photo_added');
      const order = new OrderScreen(page);
      await order.open(app, orderId);
      expect(await order.addPhotos([{ name: 'site.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page, `现场 ${Date.now()}`) }])).toEqual([]);
      const [photo] = await storedPhotos(page);

      const bar = await page.waitForSelector('[data-test=sync-bar][data-phase=attention]', { timeout: WAIT_MS });
      expect(await bar.textContent()).toContain('需处理');
      expect(await page.textContent('[data-test=sync-photos-rejected]')).toContain('1 张照片被服务器拒绝：照片超过服务器允许的大小');

      await page.goto(`${app}#/me`);
      expect(await page.textContent('[data-test=rejected-photo]')).toContain(`工单 ${orderId}：照片超过服务器允许的大小`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')]);
      const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { photos: { sha256: string; base64: string }[] };
      expect(exported.photos.map((p) => p.sha256)).toEqual([photo!.sha256]);

      // After a reload it is still a problem, not "syncing": the rejection was persisted.
      await page.reload();
      await page.waitForSelector('[data-test=sync-bar][data-phase=attention]', { timeout: WAIT_MS });
      await order.open(app, orderId);
      await page.waitForSelector(`[data-test=photo-grid] [data-sha256="${photo!.sha256}"]`);
    } finally {
      await phone.close();
    }
  });
});
