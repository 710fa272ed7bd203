/**
 * Lazy pages and the update guarantee: the first paint loads only the entry
 * chunk and its static imports; right after it the app imports every lazy
 * page (pwa/src/router.ts), so a tab still on an old version opens every page
 * offline even once that version's files are gone from the cache (what a new
 * worker's activation does).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, ROOT, launchPhone, startPreview, type Preview } from './fixtures.ts';

interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
}

let preview: Preview;
let firstPaint: string[];
let lazyPages: string[];

beforeAll(async () => {
  const manifest = JSON.parse(await readFile(join(ROOT, 'dist/pwa/.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const closure = (keys: readonly string[]) => {
    const seen = new Set<string>();
    const visit = (key: string) => {
      if (seen.has(key) || !manifest[key]) return;
      seen.add(key);
      for (const next of manifest[key].imports ?? []) visit(next);
    };
    keys.forEach(visit);
    return [...seen].map((key) => manifest[key]!.file);
  };
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry)!;
  firstPaint = closure([entry]);
  const pages = (manifest[entry]!.dynamicImports ?? []).filter((key) => /\/pages\/\w+Page\.vue$/.test(key));
  lazyPages = closure(pages).filter((file) => file.endsWith('.js') && !firstPaint.includes(file));
  preview = await startPreview();
});

afterAll(async () => {
  await preview?.stop();
});

describe('lazy pages', () => {
  it('are split from the first paint, and an old tab still opens every page offline once its cache is gone', async () => {
    expect(lazyPages.some((file) => /OrderDetailPage/.test(file))).toBe(true);
    expect(lazyPages.some((file) => /MePage/.test(file))).toBe(true);
    const html = await readFile(join(ROOT, 'dist/pwa/index.html'), 'utf8');
    for (const file of lazyPages) expect(html, `${file} is not loaded by index.html`).not.toContain(file);

    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      await new LoginScreen(page).open(preview.url, '?demo');
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
      await new LoginScreen(page).demo();
      const [orderId] = await new InboxScreen(page).cardIds();
      expect(orderId).toBeTruthy();

      // Warming: every lazy page's files are fetched after the first paint without being opened.
      await page.waitForFunction(
        (files) => files.every((file) => performance.getEntriesByType('resource').some((entry) => entry.name.endsWith(file))),
        lazyPages,
        { timeout: 20_000 },
      );

      // What activating a new version does to this tab: the old precache is gone, and there is no network.
      await page.evaluate(async () => {
        for (const key of await caches.keys()) await caches.delete(key);
      });
      await context.setOffline(true);
      const gone = await page.evaluate((file) => fetch(new URL(file, document.baseURI)).then(() => 'fetched', () => 'failed'), lazyPages[0]!);
      expect(gone).toBe('failed');

      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.evaluate((id) => (location.hash = `#/orders/${id}`), orderId!);
      await page.waitForSelector('[data-test=order-timeline]');
      await page.evaluate(() => (location.hash = '#/report'));
      await page.waitForSelector('main.report');
      await page.evaluate(() => (location.hash = '#/me'));
      await page.waitForSelector('[data-test=storage-used]');
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
