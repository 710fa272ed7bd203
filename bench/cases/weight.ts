/**
 * Case 7 — weight, from what is built: the PWA's JavaScript and CSS needed
 * for the first paint (the entry script and its modulepreloads in
 * dist/pwa/index.html, gzip), the whole precache (every file the service
 * worker's precache manifest lists, plus the worker and its workbox runtime),
 * and the extension's content scripts (.output/chrome-mv3/content-scripts).
 * Sizes do not vary between runs: one sample each. Build first with
 * `npm run build` (or `npm start`); what is not built is reported as such.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { FigureSamples, type BenchCase, type Figure } from '../lib/case.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PWA = join(ROOT, 'dist/pwa');
const EXTENSION = join(ROOT, '.output/chrome-mv3');

const gzipKb = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length / 1024;

async function sizes(dir: string, files: readonly string[]): Promise<{ rawKb: number; gzipKb: number }> {
  let raw = 0;
  let gz = 0;
  for (const file of files) {
    const bytes = await readFile(join(dir, file));
    raw += bytes.length / 1024;
    gz += gzipKb(bytes);
  }
  return { rawKb: raw, gzipKb: gz };
}

async function pwaFigures(): Promise<Figure[]> {
  const html = await readFile(join(PWA, 'index.html'), 'utf8');
  const local = (url: string) => url.replace(/^\//, '').split(/[?#]/)[0]!;
  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => local(m[1]!));
  const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => local(m[1]!));
  const sw = await readFile(join(PWA, 'sw.js'), 'utf8');
  const precached = [...sw.matchAll(/\{url:"([^"]+)",revision:(?:"[^"]*"|null)\}/g)].map((m) => m[1]!);
  const runtime = (await readdir(PWA)).filter((f) => /^workbox-[\w-]+\.js$/.test(f));
  const js = await sizes(PWA, scripts);
  const css = await sizes(PWA, styles);
  const precache = await sizes(PWA, [...precached, 'sw.js', ...runtime]);
  const one = (name: string, value: number, note: string) => {
    const f = new FigureSamples(name, 'KB', 'lower', { note });
    f.add(value);
    return f.figure();
  };
  return [
    one('PWA first-paint JS (gzip)', js.gzipKb, `${scripts.join(', ')}: ${js.rawKb.toFixed(0)} KB raw`),
    one('PWA first-paint CSS (gzip)', css.gzipKb, `${styles.join(', ')}: ${css.rawKb.toFixed(0)} KB raw`),
    one('PWA precache (raw)', precache.rawKb, `${precached.length} precached files + sw.js and the workbox runtime; ${precache.gzipKb.toFixed(0)} KB gzip`),
  ];
}

async function extensionFigures(): Promise<Figure[]> {
  const dir = join(EXTENSION, 'content-scripts');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.js'));
  const total = await sizes(dir, files);
  const f = new FigureSamples('extension content scripts (gzip)', 'KB', 'lower', { note: `${files.join(', ')}: ${total.rawKb.toFixed(0)} KB raw` });
  f.add(total.gzipKb);
  return [f.figure()];
}

export const weight: BenchCase = {
  id: 'weight',
  title: '7 weight',
  async run() {
    const pwaBuilt = existsSync(join(PWA, 'index.html')) && existsSync(join(PWA, 'sw.js'));
    const extensionBuilt = existsSync(join(EXTENSION, 'content-scripts'));
    if (!pwaBuilt && !extensionBuilt) return { skipped: 'not built: run `npm run build` (dist/pwa and .output/chrome-mv3)' };
    const figures = [...(pwaBuilt ? await pwaFigures() : []), ...(extensionBuilt ? await extensionFigures() : [])];
    const missing = [pwaBuilt ? null : 'the PWA is not built (npm run build:pwa)', extensionBuilt ? null : 'the extension is not built (npm run build:ext)'].filter(Boolean);
    return {
      setup: `sizes of the current builds in dist/pwa and .output/chrome-mv3 (gzip level 9)${missing.length ? `; ${missing.join('; ')}` : ''}`,
      figures,
    };
  },
};
