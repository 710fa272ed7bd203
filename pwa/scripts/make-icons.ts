/**
 * Draws the app icons (a white 连 on the hotline red) in headless Chromium and
 * writes them to pwa/public/icons/. The PNGs are committed; run this again only
 * to change the design: `npx tsx pwa/scripts/make-icons.ts`.
 *
 * Needs a CJK font on the machine (Debian: `apt-get install fonts-wqy-microhei`),
 * otherwise the glyph renders as a box — the script refuses in that case.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const OUT = fileURLToPath(new URL('../public/icons/', import.meta.url));

interface IconSpec {
  readonly file: string;
  readonly size: number;
  /** Maskable icons keep the glyph inside the central 80 % safe zone and fill the whole square. */
  readonly maskable: boolean;
}

const ICONS: readonly IconSpec[] = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-192.png', size: 192, maskable: true },
  { file: 'maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true },
  { file: 'favicon-48.png', size: 48, maskable: false },
];

function draw(size: number, maskable: boolean): string {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  const red = '#d7000f';
  if (maskable) {
    ctx.fillStyle = red;
    ctx.fillRect(0, 0, size, size);
  } else {
    // A rounded red tile on a transparent ground, as launchers show plain icons.
    const r = size * 0.22;
    ctx.fillStyle = red;
    ctx.beginPath();
    ctx.roundRect(0, 0, size, size, r);
    ctx.fill();
  }
  const glyphSize = size * (maskable ? 0.5 : 0.66);
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = `bold ${glyphSize}px "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif`;
  ctx.fillText('连', size / 2, size / 2 + glyphSize * 0.04);
  return canvas.toDataURL('image/png');
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><meta charset="utf-8"><body></body>');
  const hasCjk = await page.evaluate(() => document.fonts.check('16px "WenQuanYi Micro Hei"'));
  const measured = await page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = '100px sans-serif';
    // A missing glyph falls back to a narrow box; a CJK glyph is about 1 em wide.
    return ctx.measureText('连').width;
  });
  if (!hasCjk && measured < 80) throw new Error('no CJK font found: install fonts-wqy-microhei first');
  for (const icon of ICONS) {
    // Passed as source text: a TS loader may wrap functions in helpers the page does not have.
    const url = await page.evaluate(`(${draw.toString()})(${icon.size}, ${icon.maskable})`);
    const base64 = String(url).replace(/^data:image\/png;base64,/, '');
    await writeFile(OUT + icon.file, Buffer.from(base64, 'base64'));
    console.log(`wrote ${icon.file}`);
  }
} finally {
  await browser.close();
}
