/**
 * Case 5 — photo pipeline. The built PWA (dist/pwa under vite preview) in demo
 * mode on a phone-sized Chromium: a 12-megapixel JPEG, drawn deterministically
 * by the page (gradients and seeded noise, so it weighs what a phone photo
 * weighs), goes in through the order page's gallery input — the app's own
 * path: position, watermark, the photo worker (pwa/src/photo/worker.ts: decode,
 * scale to 1920, stamp, encode, thumbnail, SHA-256) and the IndexedDB write —
 * until the sheet closes because the photo is stored.
 *
 * Timed in the page, from the change event on the input to the sheet gone; the UI
 * thread's long tasks (PerformanceObserver 'longtask', ≥ 50 ms) in that window
 * are summed; the stored photo's size is read back from IndexedDB.
 * Baseline: `browser-image-compression` (bundled with esbuild, its web worker
 * loading the library from a blob URL instead of its CDN) on the same file
 * with the same settings (maxWidthOrHeight 1920, JPEG, quality 0.85) — resize
 * and encode only: no watermark, no hash, no thumbnail, nothing stored.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, startPreview } from '../../tests/e2e/pwa/fixtures.ts';
import { FigureSamples, type BenchCase } from '../lib/case.ts';
import { pageScript, pwaNotBuilt, ROOT } from '../lib/pwa.ts';
import { JPEG_QUALITY } from '../../pwa/src/photo/process.ts';

declare global {
  interface Window {
    benchLongTasks?: { start: number; duration: number }[];
    benchChangeAt?: number;
    benchStoredAt?: number;
    benchPhoto?: File;
  }
}

/** Draws a width × height JPEG in the page, kept there as `benchPhoto`; returns its size in bytes. */
export function drawPhoto(page: Page, width: number, height: number, seed: number): Promise<number> {
  return page.evaluate(
    async ({ width, height, seed }) => {
      const canvas = new OffscreenCanvas(width, height);
      const g = canvas.getContext('2d')!;
      const sky = g.createLinearGradient(0, 0, width, height);
      sky.addColorStop(0, '#6a8caf');
      sky.addColorStop(0.5, '#c9b38a');
      sky.addColorStop(1, '#3d5a3a');
      g.fillStyle = sky;
      g.fillRect(0, 0, width, height);
      let state = seed >>> 0 || 1;
      for (let i = 0; i < 400; i++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const x = state % width;
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const y = state % height;
        g.fillStyle = `hsl(${state % 360} 40% ${30 + (state % 40)}%)`;
        g.fillRect(x, y, (state % 400) + 20, ((state >>> 8) % 300) + 20);
      }
      // Sensor-like noise: what makes a real photo weigh megabytes.
      const image = g.getImageData(0, 0, width, height);
      const data = image.data;
      for (let i = 0; i < data.length; i += 4) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const n = (state >>> 24) - 128;
        data[i] = data[i]! + (n >> 3);
        data[i + 1] = data[i + 1]! + (n >> 3);
        data[i + 2] = data[i + 2]! + (n >> 3);
      }
      g.putImageData(image, 0, 0);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
      window.benchPhoto = new File([blob], `IMG_${seed}.jpg`, { type: 'image/jpeg', lastModified: 0 });
      return blob.size;
    },
    { width, height, seed },
  );
}

/** Sums the long tasks overlapping [from, to] (the one dispatching the change event started just before it). */
function longTaskMs(page: Page, from: number, to: number): Promise<number> {
  return page.evaluate(({ from, to }) => (window.benchLongTasks ?? []).filter((t) => t.start + t.duration >= from && t.start <= to).reduce((sum, t) => sum + t.duration, 0), { from, to });
}

/** Sizes of the photos stored in the app's IndexedDB databases, by hash. */
function storedPhotoSizes(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const sizes: Record<string, number> = {};
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
      if (db.objectStoreNames.contains('photos')) {
        const rows = await new Promise<{ sha256: string; blob: Blob }[]>((resolve, reject) => {
          const request = db.transaction('photos').objectStore('photos').getAll();
          request.onsuccess = () => resolve(request.result as { sha256: string; blob: Blob }[]);
          request.onerror = () => reject(request.error ?? new Error('read failed'));
        });
        for (const row of rows) sizes[row.sha256] = row.blob.size;
      }
      db.close();
    }
    return sizes;
  });
}

/** SSIM of the stored photo `sha256` against the original (bench/lib/page/ssim.ts). */
function storedPhotoSsim(page: Page, sha256: string): Promise<number> {
  return page.evaluate(async (sha) => {
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
      const row = db.objectStoreNames.contains('photos')
        ? await new Promise<{ blob: Blob } | undefined>((resolve, reject) => {
            const request = db.transaction('photos').objectStore('photos').get(sha);
            request.onsuccess = () => resolve(request.result as { blob: Blob } | undefined);
            request.onerror = () => reject(request.error ?? new Error('read failed'));
          })
        : undefined;
      db.close();
      if (row) return window.benchSsim(row.blob, window.benchPhoto!);
    }
    throw new Error(`stored photo ${sha} not found`);
  }, sha256);
}

/**
 * The photo is handed to the gallery input in the page, as a picked file is
 * (Playwright's setInputFiles would build the file on the UI thread first).
 */
async function ours(page: Page): Promise<{ ms: number; blockedMs: number; kb: number; ssim: number }> {
  const before = await storedPhotoSizes(page);
  await page.click('[data-action=photo_added]');
  await page.waitForSelector('[data-test=photo-gallery]');
  await page.evaluate(() => {
    delete window.benchStoredAt;
    const input = document.querySelector<HTMLInputElement>('[data-test=photo-gallery]')!;
    const transfer = new DataTransfer();
    transfer.items.add(window.benchPhoto!);
    input.files = transfer.files;
    window.benchChangeAt = performance.now();
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForFunction(
    () => {
      const sheet = document.querySelector('[data-test=photo-capture]');
      if (sheet && !sheet.querySelector('p.sheet-form__error')) return false;
      window.benchStoredAt ??= performance.now();
      return true;
    },
    null,
    { timeout: 60_000, polling: 'raf' },
  );
  if (await page.locator('[data-test=photo-capture] p.sheet-form__error').count()) {
    throw new Error(`the app refused the photo: ${(await page.locator('[data-test=photo-capture] p[role=status]').allTextContents()).join('; ')}`);
  }
  const { from, to } = await page.evaluate(() => ({ from: window.benchChangeAt ?? NaN, to: window.benchStoredAt ?? NaN }));
  const after = await storedPhotoSizes(page);
  const added = Object.keys(after).filter((sha) => !(sha in before));
  if (added.length !== 1) throw new Error(`expected one new stored photo, found ${added.length}`);
  return { ms: to - from, blockedMs: await longTaskMs(page, from, to), kb: after[added[0]!]! / 1024, ssim: await storedPhotoSsim(page, added[0]!) };
}

async function baseline(page: Page): Promise<{ ms: number; blockedMs: number; kb: number; ssim: number }> {
  const result = await page.evaluate(async () => {
    const started = performance.now();
    const out = await window.benchImageCompression(window.benchPhoto!, {
      maxWidthOrHeight: 1920,
      fileType: 'image/jpeg',
      initialQuality: 0.85,
      useWebWorker: true,
      libURL: (window as unknown as { benchLibUrl: string }).benchLibUrl,
    });
    const to = performance.now();
    return { from: started, to, bytes: out.size, ssim: await window.benchSsim(out, window.benchPhoto!) };
  });
  return { ms: result.to - result.from, blockedMs: await longTaskMs(page, result.from, result.to), kb: result.bytes / 1024, ssim: result.ssim };
}

export const photoPipeline: BenchCase = {
  id: 'photo-pipeline',
  title: '5 photo pipeline',
  async run(context) {
    const notBuilt = pwaNotBuilt();
    if (notBuilt) return { skipped: notBuilt };
    const [width, height] = context.quick ? [2000, 1500] : [4000, 3000];
    const library = await pageScript('bench/lib/page/image-compression.ts');
    const ssimScript = await pageScript('bench/lib/page/ssim.ts');
    const libraryUmd = await readFile(join(ROOT, 'node_modules/browser-image-compression/dist/browser-image-compression.js'), 'utf8');
    const preview = await startPreview();
    // The baseline library is injected into the app's page (an inline script, a blob: worker), which
    // the app's Content-Security-Policy refuses: this phone does not enforce it.
    const phone = await launchPhone({ bypassCsp: true });
    const time = new FigureSamples('photo → stored', 'ms', 'lower', {
      baselineLabel: 'browser-image-compression (resize + encode only)',
      note: 'gallery input → worker (decode, scale to 1920, watermark, encode, thumbnail, SHA-256) → IndexedDB, sheet closed',
    });
    const blocked = new FigureSamples('UI thread blocked (long tasks)', 'ms', 'lower', { baselineLabel: 'browser-image-compression, web worker', note: 'sum of long tasks ≥ 50 ms on the page during the run' });
    const size = new FigureSamples('output size', 'KB', 'lower', { baselineLabel: 'browser-image-compression', note: `1920 px long side, JPEG quality ${JPEG_QUALITY} (ours watermarked; the baseline 0.85)` });
    const quality = new FigureSamples('quality: SSIM to the original', 'SSIM', 'higher', {
      baselineLabel: 'browser-image-compression',
      note: 'luma SSIM (8×8 windows) of the stored photo against the original scaled to the same size by exact area averaging (bench/lib/page/ssim.ts); ours carries the watermark',
    });
    let inputKb = 0;
    try {
      const { page } = phone;
      await page.addInitScript(() => {
        window.benchLongTasks = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.benchLongTasks!.push({ start: entry.startTime, duration: entry.duration });
        }).observe({ type: 'longtask', buffered: true });
      });
      const login = new LoginScreen(page);
      await login.open(preview.url, '?demo');
      await login.demo();
      const inbox = new InboxScreen(page);
      const orderId = await inbox.findOrder(preview.url, '待签收', 'accept');
      const order = new OrderScreen(page);
      await order.open(preview.url, orderId);
      await order.accept();
      await page.addScriptTag({ content: library });
      await page.addScriptTag({ content: ssimScript });
      await page.evaluate((umd) => {
        (window as unknown as { benchLibUrl: string }).benchLibUrl = URL.createObjectURL(new Blob([umd], { type: 'text/javascript' }));
      }, libraryUmd);
      for (let run = 1; run <= context.runs; run++) {
        inputKb = (await drawPhoto(page, width, height, run)) / 1024;
        const a = await ours(page);
        const b = await baseline(page);
        time.add(a.ms, b.ms);
        blocked.add(a.blockedMs, b.blockedMs);
        size.add(a.kb, b.kb);
        quality.add(a.ssim, b.ssim);
      }
      context.log(`long tasks seen on the page in all: ${await page.evaluate(() => window.benchLongTasks?.length ?? -1)}`);
    } finally {
      await phone.close();
      await preview.stop();
    }
    return {
      setup: `${width}×${height} JPEG (${(inputKb / 1024).toFixed(1)} MB) drawn by the page, built PWA in demo mode under vite preview, 390×844 phone Chromium`,
      figures: [time.figure(), blocked.figure(), size.figure(), quality.figure()],
    };
  },
};
