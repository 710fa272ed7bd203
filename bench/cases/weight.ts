/**
 * Case 7 — weight, from what is built: the PWA's JavaScript and CSS needed
 * for the first paint (the entry chunk and its static imports, which
 * dist/pwa/index.html loads and modulepreloads; gzip), the JavaScript loaded
 * by the end of warming (plus every lazy page and what it imports, which the
 * app imports right after the first paint — pwa/src/router.ts — the service
 * worker's registration chunk and the photo worker), the whole precache
 * (every file the service worker's precache manifest lists, plus the worker
 * and its workbox runtime), and the extension's content scripts
 * (.output/chrome-mv3/content-scripts: what every page of an enabled portal
 * loads) and the panel they load on demand (portal-panel.js). Chunks are attributed from Vite's
 * build manifest (dist/pwa/.vite/manifest.json).
 *
 * Baseline for the first-paint figures: bench/baseline/minimal-vant (a page
 * with a NavBar, Tabs and a list of Cell cards: what a hand-written inbox on
 * the same UI kit needs), built in the same run with the repository's Vite and
 * Vue into a temporary folder (a few seconds).
 *
 * Sizes do not vary between runs: one sample each. Build first with
 * `npm run build` (or `npm start`); what is not built is reported as such.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { FigureSamples, type BenchCase, type Figure } from '../lib/case.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PWA = join(ROOT, 'dist/pwa');
const EXTENSION = join(ROOT, '.output/chrome-mv3');
const BASELINE_APP = fileURLToPath(new URL('../baseline/minimal-vant', import.meta.url));
const BASELINE_LABEL = 'minimal Vant inbox: NavBar, Tabs, Cells';

const gzipKb = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length / 1024;

interface Size {
  readonly rawKb: number;
  readonly gzipKb: number;
}

async function sizes(dir: string, files: readonly string[]): Promise<Size> {
  let raw = 0;
  let gz = 0;
  for (const file of files) {
    const bytes = await readFile(join(dir, file));
    raw += bytes.length / 1024;
    gz += gzipKb(bytes);
  }
  return { rawKb: raw, gzipKb: gz };
}

/** One entry of Vite's build manifest (.vite/manifest.json), keyed by source. */
export interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly css?: readonly string[];
}
export type Manifest = Record<string, ManifestChunk>;

export interface Loaded {
  readonly js: readonly string[];
  readonly css: readonly string[];
}

/** The files the entry loads before it runs (static imports), or also those it imports later (`dynamic`). */
export function loadedFrom(manifest: Manifest, dynamic: boolean): Loaded {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    const chunk = manifest[key];
    for (const next of [...(chunk.imports ?? []), ...(dynamic ? (chunk.dynamicImports ?? []) : [])]) visit(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const chunks = [...seen].map((key) => manifest[key]!);
  return { js: chunks.map((c) => c.file).filter((f) => f.endsWith('.js')), css: [...new Set(chunks.flatMap((c) => c.css ?? []))] };
}

export async function readManifest(dir: string): Promise<Manifest | null> {
  const file = join(dir, '.vite/manifest.json');
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Manifest) : null;
}

/** Without a manifest (an older build): what index.html loads. */
async function loadedByHtml(dir: string): Promise<Loaded> {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const local = (url: string) => url.replace(/^\//, '').split(/[?#]/)[0]!;
  const js = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => local(m[1]!));
  const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => local(m[1]!));
  return { js, css };
}

/** Build the baseline app into a temporary folder; its first-paint JS and CSS. */
async function baselineFirstPaint(): Promise<{ js: Size; css: Size; files: string }> {
  const { build } = await import('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'lianxin-minimal-vant-'));
  // Production code whatever this process's NODE_ENV (as pwa/vite.config.ts does for the PWA).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: BASELINE_APP,
      configFile: false,
      logLevel: 'silent',
      // The PWA's production switches, so the two builds differ only in the app.
      define: { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
      build: { outDir, emptyOutDir: true, target: 'es2022', manifest: true, reportCompressedSize: false },
    });
    const manifest = await readManifest(outDir);
    const loaded = manifest ? loadedFrom(manifest, false) : await loadedByHtml(outDir);
    return { js: await sizes(outDir, loaded.js), css: await sizes(outDir, loaded.css), files: [...loaded.js, ...loaded.css].join(', ') };
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    await rm(outDir, { recursive: true, force: true });
  }
}

function one(name: string, value: number, note: string, baseline?: number): Figure {
  const f = new FigureSamples(name, 'KB', 'lower', { note, ...(baseline !== undefined ? { baselineLabel: BASELINE_LABEL } : {}) });
  f.add(value, baseline);
  return f.figure();
}

async function pwaFigures(log: (line: string) => void): Promise<Figure[]> {
  const manifest = await readManifest(PWA);
  const first = manifest ? loadedFrom(manifest, false) : await loadedByHtml(PWA);
  const warmed = manifest ? loadedFrom(manifest, true) : null;
  // The photo worker is started at launch (pwa/src/photo/process.ts); Vite emits it as an asset.
  const workers = (await readdir(join(PWA, 'assets'))).filter((f) => /^worker-[\w-]+\.js$/.test(f)).map((f) => `assets/${f}`);
  const sw = await readFile(join(PWA, 'sw.js'), 'utf8');
  const precached = [...sw.matchAll(/\{url:"([^"]+)",revision:(?:"[^"]*"|null)\}/g)].map((m) => m[1]!);
  const runtime = (await readdir(PWA)).filter((f) => /^workbox-[\w-]+\.js$/.test(f));
  const js = await sizes(PWA, first.js);
  const css = await sizes(PWA, first.css);
  const precache = await sizes(PWA, [...precached, 'sw.js', ...runtime]);
  const baseline = await baselineFirstPaint();
  log(`baseline (${BASELINE_LABEL}): ${baseline.files}`);
  const figures = [
    one('PWA first-paint JS (gzip)', js.gzipKb, `${first.js.join(', ')}: ${js.rawKb.toFixed(0)} KB raw; baseline ${baseline.js.rawKb.toFixed(0)} KB raw`, baseline.js.gzipKb),
    one('PWA first-paint CSS (gzip)', css.gzipKb, `${first.css.join(', ')}: ${css.rawKb.toFixed(0)} KB raw; baseline ${baseline.css.rawKb.toFixed(0)} KB raw`, baseline.css.gzipKb),
  ];
  if (warmed) {
    const later = [...warmed.js.filter((f) => !first.js.includes(f)), ...workers];
    const all = await sizes(PWA, [...first.js, ...later]);
    figures.push(one('PWA JS loaded by the end of warming (gzip)', all.gzipKb, `first paint + ${later.length} files (lazy pages, their chunks, SW registration, photo worker): ${all.rawKb.toFixed(0)} KB raw`));
  }
  figures.push(one('PWA precache (raw)', precache.rawKb, `${precached.length} precached files + sw.js and the workbox runtime; ${precache.gzipKb.toFixed(0)} KB gzip`));
  return figures;
}

async function extensionFigures(): Promise<Figure[]> {
  const dir = join(EXTENSION, 'content-scripts');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.js'));
  const total = await sizes(dir, files);
  const f = new FigureSamples('extension content scripts (gzip)', 'KB', 'lower', { note: `${files.join(', ')}: ${total.rawKb.toFixed(0)} KB raw` });
  f.add(total.gzipKb);
  const figures = [f.figure()];
  // The panel the content script has the background inject on demand (an adapter's page, or the clerk opening the tab).
  if (existsSync(join(EXTENSION, 'portal-panel.js'))) {
    const panel = await sizes(EXTENSION, ['portal-panel.js']);
    const p = new FigureSamples('extension portal panel, on demand (gzip)', 'KB', 'lower', { note: `portal-panel.js: ${panel.rawKb.toFixed(0)} KB raw; loaded on an adapter's pages or when the tab is opened` });
    p.add(panel.gzipKb);
    figures.push(p.figure());
  }
  // Teaching a portal, injected into the panel's frame only when an admin asks (its own Vue runtime).
  if (existsSync(join(EXTENSION, 'portal-teach.js'))) {
    const teach = await sizes(EXTENSION, ['portal-teach.js']);
    const p = new FigureSamples('extension teaching panel, when asked (gzip)', 'KB', 'lower', { note: `portal-teach.js: ${teach.rawKb.toFixed(0)} KB raw; loaded when an admin opens teaching` });
    p.add(teach.gzipKb);
    figures.push(p.figure());
  }
  return figures;
}

export const weight: BenchCase = {
  id: 'weight',
  title: '7 weight',
  async run(context) {
    const pwaBuilt = existsSync(join(PWA, 'index.html')) && existsSync(join(PWA, 'sw.js'));
    const extensionBuilt = existsSync(join(EXTENSION, 'content-scripts'));
    if (!pwaBuilt && !extensionBuilt) return { skipped: 'not built: run `npm run build` (dist/pwa and .output/chrome-mv3)' };
    const figures = [...(pwaBuilt ? await pwaFigures(context.log) : []), ...(extensionBuilt ? await extensionFigures() : [])];
    const missing = [pwaBuilt ? null : 'the PWA is not built (npm run build:pwa)', extensionBuilt ? null : 'the extension is not built (npm run build:ext)'].filter(Boolean);
    return {
      setup: `sizes of the current builds in dist/pwa and .output/chrome-mv3 (gzip level 9)${missing.length ? `; ${missing.join('; ')}` : ''}`,
      figures,
    };
  },
};
