/**
 * Resize and encoder settings for the photo pipeline tried side by side
 * (bench/README.md, "Photo pipeline"): the photo case's 12 MP test photo,
 * scaled to 1920 and encoded in the page, each variant's size, its SSIM
 * against the original scaled by area averaging (bench/lib/page/ssim.ts), and
 * its resize and encode times. The watermark (pwa/src/photo/watermark.ts,
 * five lines) is stamped unless the variant starts with `nw-`.
 *
 * A variant is `resize:encoder:setting`:
 * - resize `high` (the canvas's 'high' filter, one step), `area` (the worker's
 *   exact area average, pwa/src/photo/area-resize.ts, read in 64-row strips);
 * - encoder `canvas` (setting: quality 0–1) or `moz` (MozJPEG via
 *   @jsquash/jpeg, setting: quality 0–100 then `+option=value`…, e.g.
 *   `moz:87+quant_table=2+baseline=true`).
 *
 * `node --import tsx bench/profile/photo-quality.ts 'high:canvas:0.85,area:canvas:0.84'`
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { drawPhoto } from '../cases/photo-pipeline.ts';
import { pageScript, ROOT } from '../lib/pwa.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
const WATERMARK = ['2026-12-05 13:20:00（设备时间）', '经度 116.397 纬度 39.909 ±12 米', '东城区景山街道某某胡同 12 号院', '工单 261205064621000123', '处理人 张三'];
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto('about:blank');
  await page.addScriptTag({ content: await pageScript('bench/lib/page/ssim.ts') });
  await page.addScriptTag({ content: await pageScript('bench/lib/page/photo-tools.ts') });
  const wasm = (await readFile(join(ROOT, 'node_modules/@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm'))).toString('base64');
  await page.evaluate((bytes) => window.benchMozInit(bytes), wasm);
  const variants = (process.argv[2] ?? 'high:canvas:0.85,area:canvas:0.84,area:canvas:0.85,high:moz:87+quant_table=2+baseline=true,area:moz:85+quant_table=0+baseline=true').split(',');
  for (const seed of [1, 2]) {
    await drawPhoto(page, 4000, 3000, seed);
    for (const variant of variants) {
      const result = await page.evaluate(
        async ({ variant, watermark }) => {
          const stamped = !variant.startsWith('nw-');
          const [resize, encoder, setting] = variant.replace(/^nw-/, '').split(':') as [string, string, string];
          const file = window.benchPhoto!;
          const full = await createImageBitmap(file, { imageOrientation: 'from-image' });
          const [width, height] = [1920, Math.round((1920 * full.height) / full.width)];
          const canvas = new OffscreenCanvas(width, height);
          const ctx = canvas.getContext('2d')!;
          const r0 = performance.now();
          if (resize === 'area') {
            const strip = new OffscreenCanvas(full.width, 64);
            const s = strip.getContext('2d', { willReadFrequently: true })!;
            const scaled = window.benchAreaResize(
              (y, rows) => {
                s.clearRect(0, 0, full.width, 64);
                s.drawImage(full, 0, y, full.width, rows, 0, 0, full.width, rows);
                return s.getImageData(0, 0, full.width, rows).data;
              },
              full,
              width,
              height,
              64,
            );
            ctx.putImageData(scaled, 0, 0);
          } else {
            ctx.imageSmoothingQuality = 'high';
            ctx.drawImage(full, 0, 0, width, height);
            ctx.getImageData(0, 0, 1, 1);
          }
          const resizeMs = performance.now() - r0;
          if (stamped) window.benchWatermark(ctx, width, height, watermark);
          const e0 = performance.now();
          let blob: Blob;
          if (encoder === 'moz') {
            const [quality, ...options] = setting.split('+');
            const parsed: Record<string, number | boolean> = { quality: Number(quality) };
            for (const option of options) {
              const [key, value] = option.split('=') as [string, string];
              parsed[key] = value === 'true' ? true : value === 'false' ? false : Number(value);
            }
            blob = new Blob([await window.benchMozEncode(ctx.getImageData(0, 0, width, height), parsed)], { type: 'image/jpeg' });
          } else {
            blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: Number(setting) });
          }
          const encodeMs = performance.now() - e0;
          return { kb: blob.size / 1024, ssim: await window.benchSsim(blob, file), resizeMs, encodeMs };
        },
        { variant, watermark: WATERMARK },
      );
      console.log(`seed ${seed} ${variant.padEnd(46)} ${result.kb.toFixed(0).padStart(5)} KB  SSIM ${result.ssim.toFixed(4)}  resize ${result.resizeMs.toFixed(0).padStart(5)} ms  encode ${result.encodeMs.toFixed(0).padStart(5)} ms`);
    }
  }
} finally {
  await browser.close();
}
