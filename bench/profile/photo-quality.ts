/**
 * Encoder settings for the photo pipeline tried side by side (bench/README.md,
 * "Photo pipeline"): the photo case's 12 MP test photo, scaled to 1920 and
 * encoded in the page the way pwa/src/photo/worker.ts does (no watermark),
 * each variant's size and its SSIM against the original scaled by area
 * averaging (bench/lib/page/ssim.ts). `node --import tsx bench/profile/photo-quality.ts`
 */
import { chromium } from 'playwright-core';
import { drawPhoto } from '../cases/photo-pipeline.ts';
import { pageScript } from '../lib/pwa.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto('about:blank');
  await page.addScriptTag({ content: await pageScript('bench/lib/page/ssim.ts') });
  const variants = (process.argv[2] ?? 'draw:0.85,bitmap:0.85,draw:0.8,bitmap:0.8,bitmap:0.82,bitmap:0.83').split(',');
  for (const seed of [1, 2]) {
    await drawPhoto(page, 4000, 3000, seed);
    for (const variant of variants) {
      const [resize, q] = variant.split(':') as [string, string];
      const result = await page.evaluate(async ({ resize, quality }) => {
        const file = window.benchPhoto!;
        const full = await createImageBitmap(file, { imageOrientation: 'from-image' });
        const scale = Math.min(1, 1920 / Math.max(full.width, full.height));
        const width = Math.round(full.width * scale);
        const height = Math.round(full.height * scale);
        const bitmap = resize === 'bitmap' ? await createImageBitmap(file, { imageOrientation: 'from-image', resizeWidth: width, resizeHeight: height, resizeQuality: 'high' }) : full;
        let source: ImageBitmap | OffscreenCanvas = bitmap;
        if (resize === 'half' && bitmap.width >= 2 * width) {
          // Halve first (an exact 2×2 average), then the rest of the way.
          const half = new OffscreenCanvas(Math.round(bitmap.width / 2), Math.round(bitmap.height / 2));
          const h = half.getContext('2d')!;
          h.imageSmoothingQuality = 'medium';
          h.drawImage(bitmap, 0, 0, half.width, half.height);
          source = half;
        }
        const canvas = new OffscreenCanvas(width, height);
        const ctx = canvas.getContext('2d')!;
        ctx.imageSmoothingQuality = resize === 'low' || resize === 'medium' ? resize : 'high';
        ctx.drawImage(source, 0, 0, width, height);
        const blob = await canvas.convertToBlob({ type: resize === 'webp' ? 'image/webp' : 'image/jpeg', quality });
        return { kb: blob.size / 1024, ssim: await window.benchSsim(blob, file) };
      }, { resize, quality: Number(q) });
      console.log(`seed ${seed} ${variant.padEnd(14)} ${result.kb.toFixed(0).padStart(5)} KB  SSIM ${result.ssim.toFixed(4)}`);
    }
  }
} finally {
  await browser.close();
}
