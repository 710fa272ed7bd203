/**
 * A really full storage quota: the phone's profile lives
 * on a 32 MB tmpfs, so Chromium's own quota for the app's origin is tiny and
 * real. The page fills it with a second IndexedDB database of blobs in the same
 * origin until Chromium refuses (QuotaExceededError, with about 4 MB of the disk
 * still free: the quota manager says no before the disk is full). Then the
 * app's own writes — a photo and a progress note — must fail with the clear
 * "storage full" message, show nothing as saved, keep what was saved before
 * across a reload and a browser relaunch, and work again once the filler is gone.
 *
 * CDP `Storage.overrideQuotaForOrigin` is ignored by this Chromium (156), hence
 * the tmpfs. Mounting needs root (CI runs as root); without it the suite is
 * skipped and says why.
 *
 * Not covered here: the disk filled by something else (another app), so that
 * LevelDB itself cannot append. Chromium then fails the write with
 * `UnknownError` "… FILE_ERROR_NO_SPACE" (recognised as storage full, see
 * pwa/src/util/storage-full.ts), and, with the app running, usually deletes the
 * origin's whole storage within seconds — every IndexedDB database, Cache
 * Storage and the Origin Private File System — so no copy kept in the browser
 * but `localStorage` survives it (pwa/README.md, Known limits).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, makeJpeg, storedPhotos, type Phone } from './fixtures.ts';
import { WAIT_MS } from '../../support/wait.ts';
import { sharedPreview } from './preview.ts';

const TMPFS_SIZE_MB = 32;
const FILLER_DB = 'quota-filler';
const PHOTO_FULL = '手机存储空间不足，照片未保存。请清理空间后重试，已保存的工作不受影响';
const ACTION_FULL = '手机存储空间不足，本次操作未保存。请清理空间后重试，已保存的工作不受影响';

function mount(dir: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE_MB}m`, 'tmpfs', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Chromium's helpers may hold the profile for a moment after the browser closed. */
async function unmount(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      execFileSync('umount', [dir], { stdio: ['ignore', 'ignore', 'pipe'] });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  execFileSync('umount', ['-l', dir]);
}

/** Why a tmpfs cannot be mounted here, or null when it can. */
function cannotMount(): string | null {
  const probe = mkdtempSync(join(tmpdir(), 'lianxin-e2e-quota-probe-'));
  try {
    mount(probe);
    execFileSync('umount', [probe]);
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `cannot mount a tmpfs for the profile (${stderr || (error as Error).message}); run as root`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const skipReason = cannotMount();
if (skipReason) console.warn(`quota.e2e.ts SKIPPED: ${skipReason}`);

/** Fills the origin's quota with blobs in a database of its own, halving the chunk after each refusal down to one byte, so
 * that not even a small action fits. */
function fillQuota(page: Page): Promise<{ bytes: number; errors: string[] }> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name, 1);
      open.onupgradeneeded = () => open.result.createObjectStore('chunks');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const errors: string[] = [];
    let bytes = 0;
    let key = 0;
    for (let size = 1 << 20; size >= 1; ) {
      const error = await new Promise<DOMException | null>((resolve) => {
        const tx = db.transaction('chunks', 'readwrite');
        tx.objectStore('chunks').put(new Blob([new Uint8Array(size)]), key);
        tx.oncomplete = () => resolve(null);
        tx.onabort = () => resolve(tx.error);
      });
      if (error) {
        errors.push(error.name);
        size = Math.floor(size / 2);
      } else {
        bytes += size;
        key += 1;
      }
    }
    db.close();
    return { bytes, errors };
  }, FILLER_DB);
}

function freeQuota(page: Page): Promise<void> {
  return page.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
      }),
    FILLER_DB,
  );
}

/** "已用 13.2 MB，…" → bytes. */
function usedBytes(text: string): number {
  const match = /已用 ([\d.]+) (B|KB|MB|GB)/.exec(text);
  if (!match) throw new Error(`no usage figure in "${text}"`);
  return Number(match[1]) * 1024 ** ['B', 'KB', 'MB', 'GB'].indexOf(match[2]!);
}

describe.skipIf(skipReason !== null)(skipReason ? `a full storage quota (SKIPPED: ${skipReason})` : 'a full storage quota (profile on a 32 MB tmpfs, demo mode)', () => {
  const preview = sharedPreview();
  let profile: string;
  let mounted = false;
  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'lianxin-e2e-quota-'));
    mount(profile);
    mounted = true;
  });
  afterAll(async () => {
    if (mounted) await unmount(profile);
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('refuses the next photo and action with "storage full", keeps all saved work through reload and relaunch, and works again once space is freed', async () => {
    let phone: Phone | null = await launchPhone({ userDataDir: profile });
    try {
      let page = phone.page;
      const login = new LoginScreen(page);
      await login.open(preview.url, '?demo');
      await login.demo();
      const orderId = await new InboxScreen(page).findOrder(preview.url, '处理中', 'photo_added');
      let order = new OrderScreen(page);
      await order.open(preview.url, orderId);

      // Saved work before the storage fills: a progress note and a photo.
      await order.progress('满之前的进展');
      expect(await order.addPhotos([{ name: 'before.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page, '满之前', 1200, 900) }])).toEqual([]);
      const saved = (await storedPhotos(page)).map((p) => p.sha256);
      expect(saved).toHaveLength(1);
      const timeline = await order.timeline();

      const fill = await fillQuota(page);
      expect(fill.bytes).toBeGreaterThan(4 << 20);
      expect(new Set(fill.errors)).toEqual(new Set(['QuotaExceededError']));

      // The app's own writes now fail, in words, and nothing is shown as saved.
      expect(await order.addPhotos([{ name: 'full.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page, '已满', 1200, 900) }])).toEqual([PHOTO_FULL]);
      expect((await storedPhotos(page)).map((p) => p.sha256)).toEqual(saved);
      expect(await order.timeline()).toEqual(timeline);

      // Topped up first: space the browser freed since (its own files compacted) would let this small write through.
      expect((await fillQuota(page)).errors).toContain('QuotaExceededError');
      // Every notice shown is kept, so a loaded machine cannot read after it has gone (shown for 5 s).
      await page.evaluate(() => {
        const shown: string[] = [];
        (window as unknown as { notices: string[] }).notices = shown;
        new MutationObserver(() => {
          for (const notice of document.querySelectorAll('.van-notify')) if (!shown.includes(notice.textContent ?? '')) shown.push(notice.textContent ?? '');
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      await page.click('[data-action=progress]');
      await page.fill('[data-test=progress-form] textarea', '满了之后的进展');
      await page.click('[data-test=progress-form] button[type=submit]');
      await page.waitForFunction(() => (window as unknown as { notices: string[] }).notices.length > 0, null, { timeout: WAIT_MS });
      expect(await page.evaluate(() => (window as unknown as { notices: string[] }).notices)).toEqual([ACTION_FULL]);
      // The form stays open with the text, so nothing typed is lost either.
      expect(await page.inputValue('[data-test=progress-form] textarea')).toBe('满了之后的进展');
      await page.click('.van-popup__close-icon');
      await page.waitForSelector('[data-test=progress-form]', { state: 'detached' });
      expect(await order.timeline()).toEqual(timeline);

      // Me shows what is used (at least the filler, at most the disk) and no "available" figure:
      // Chromium's estimate() says usage + 1 GiB here, whatever the disk holds.
      await page.goto(`${preview.url}#/me`);
      // Read once the estimate has answered (until then the cell says 正在计算存储用量…, not that it is unknown).
      const storageText = (await page.waitForSelector('[data-test=storage-used]:not([data-state=measuring])').then((el) => el.textContent())) ?? '';
      expect(storageText).toMatch(/^已用 [\d.]+ MB$/);
      const used = usedBytes(storageText);
      expect(used).toBeGreaterThan(fill.bytes);
      expect(used).toBeLessThan(TMPFS_SIZE_MB << 20);

      const savedWorkIsThere = async (): Promise<void> => {
        await order.open(preview.url, orderId);
        expect(await order.timeline()).toEqual(timeline);
        await page.waitForSelector(`[data-test=photo-grid] [data-sha256="${saved[0]}"]`);
        expect((await storedPhotos(page)).map((p) => p.sha256)).toEqual(saved);
      };
      await order.open(preview.url, orderId);
      await page.reload();
      await savedWorkIsThere();

      await phone.close();
      phone = await launchPhone({ userDataDir: profile });
      page = phone.page;
      order = new OrderScreen(page);
      await savedWorkIsThere();

      // Space freed: the next photo and action are saved.
      await freeQuota(page);
      expect(await order.addPhotos([{ name: 'after.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page, '清理之后', 1200, 900) }])).toEqual([]);
      await order.progress('清理之后的进展');
      expect(await storedPhotos(page)).toHaveLength(2);
      expect(await order.timeline()).toEqual(['progress', 'photo_added', ...timeline]);
    } finally {
      await phone?.close();
    }
  });

  // Filling the disk from outside the origin (dd into the tmpfs) makes LevelDB's append fail:
  // UnknownError "… FILE_ERROR_NO_SPACE", now shown as storage full. With the app signed in and
  // syncing, Chromium then deleted the origin's IndexedDB and Cache Storage within about 2 s in
  // 4 of 6 runs (no user action needed), and OPFS with them whenever that was checked, so a
  // write-ahead copy in OPFS is lost with the database; work not yet on the server is gone.
  // The app cannot keep that work; it says what was lost: tests/e2e/pwa/storage-wiped.e2e.ts.
});
