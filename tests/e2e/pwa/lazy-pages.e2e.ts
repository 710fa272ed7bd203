/**
 * Lazy pages and the update guarantee: the first paint loads only the entry
 * chunk and its static imports; then the app imports every lazy page
 * (pwa/src/router.ts: right after it in a tab the service worker does not
 * control yet, else once a newer version is found), so a tab still on an old
 * version opens every page offline even once that version's files are gone
 * from the cache (what a new worker's activation does). A cold start after one
 * online visit opens every page offline from the precache without warming.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadedFrom, readManifest } from '#bench/cases/weight.ts';
import { InboxScreen, LoginScreen, ROOT, launchPhone, privateBuild, startPreview } from './fixtures.ts';
import type { Page } from 'playwright-core';
import { sharedPreview } from './preview.ts';
import { WAIT_MS } from '../../support/wait.ts';

const preview = sharedPreview();
let firstPaint: readonly string[];
/** Every script the app loads by the end of warming but not for the first paint: the lazy pages, their chunks, the SW registration. */
let later: string[];
/** Loaded only when used, not warmed: the .xlsx writer (exceljs), on the 数据分析 page's 导出 .xlsx. */
let onDemand: string[];
/** Code that only the 数据分析 page may load: ECharts (and vue-echarts), exceljs. */
const PAGE_ONLY_CODE = ['_echarts_instance_', 'x-vue-echarts', 'xl/workbook.xml'];

beforeAll(async () => {
  const manifest = await readManifest(join(ROOT, 'dist/pwa'));
  if (!manifest) throw new Error('dist/pwa/.vite/manifest.json is missing: build the PWA');
  firstPaint = loadedFrom(manifest, false).js;
  const afterFirstPaint = loadedFrom(manifest, true).js.filter((file) => !firstPaint.includes(file));
  onDemand = afterFirstPaint.filter((file) => /report-xlsx/.test(file));
  later = afterFirstPaint.filter((file) => !onDemand.includes(file));
});

describe('lazy pages', () => {
  it('are split from the first paint, and an old tab still opens every page offline once its cache is gone', async () => {
    expect(later.some((file) => /OrderDetailPage/.test(file))).toBe(true);
    expect(later.some((file) => /MePage/.test(file))).toBe(true);
    // 数据分析 (and whatever only it imports) never in the worker's first paint.
    expect(later.some((file) => /IndicatorsPage/.test(file))).toBe(true);
    expect(firstPaint.some((file) => /IndicatorsPage|indicators/i.test(file))).toBe(false);
    // Nor its charts (echarts) or its .xlsx writer (exceljs), which is not even warmed.
    expect(onDemand).toHaveLength(1);
    const code = async (files: readonly string[]) => (await Promise.all(files.map((file) => readFile(join(ROOT, 'dist/pwa', file), 'utf8')))).join('\n');
    const first = await code(firstPaint);
    for (const marker of PAGE_ONLY_CODE) expect(first, `first paint holds ${marker}`).not.toContain(marker);
    // The first cards come from the Dexie projection: no Yjs (the order docs, the sync engine) before them.
    expect(first, 'first paint holds Yjs').not.toContain('Yjs was already imported');
    expect(await code(later)).toContain('Yjs was already imported');
    // The knowledge base's pages, its worker client (named 'lianxin-knowledge') and the search: never in the first paint.
    expect(firstPaint.some((file) => /Knowledge/.test(file))).toBe(false);
    expect(first).not.toContain('lianxin-knowledge');
    expect(later.some((file) => /KnowledgePage/.test(file))).toBe(true);
    const warmed = await code(later);
    expect(warmed).toContain('_echarts_instance_');
    expect(warmed).not.toContain('xl/workbook.xml');
    expect(await code(onDemand)).toContain('xl/workbook.xml');
    const html = await readFile(join(ROOT, 'dist/pwa/index.html'), 'utf8');
    for (const file of firstPaint) expect(html, `index.html loads ${file}`).toContain(file);
    for (const file of later) expect(html, `${file} is not loaded by index.html`).not.toContain(file);

    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      await new LoginScreen(page).open(preview.url, '?demo');
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      await new LoginScreen(page).demo();
      const [orderId] = await new InboxScreen(page).cardIds();
      expect(orderId).toBeTruthy();

      // Warming: every lazy page's files are fetched after the first paint without being opened.
      await page.waitForFunction(
        (files) => files.every((file) => performance.getEntriesByType('resource').some((entry) => entry.name.endsWith(file))),
        later,
        { timeout: WAIT_MS },
      );
      const fetchedXlsx = await page.evaluate((file) => performance.getEntriesByType('resource').some((entry) => entry.name.endsWith(file)), onDemand[0]!);
      expect(fetchedXlsx).toBe(false);

      // What activating a new version does to this tab: the old precache is gone, and there is no network.
      await page.evaluate(async () => {
        for (const key of await caches.keys()) await caches.delete(key);
      });
      await context.setOffline(true);
      const gone = await page.evaluate((file) => fetch(new URL(file, document.baseURI)).then(() => 'fetched', () => 'failed'), later[0]!);
      expect(gone).toBe('failed');

      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.evaluate((id) => (location.hash = `#/orders/${id}`), orderId!);
      await page.waitForSelector('[data-test=order-timeline]');
      await page.evaluate(() => (location.hash = '#/report'));
      await page.waitForSelector('main.report');
      await page.evaluate(() => (location.hash = '#/me'));
      await page.waitForSelector('[data-test=storage-used]');
      await page.evaluate(() => (location.hash = '#/indicators'));
      await page.waitForSelector('[data-indicator=received]');
      await page.waitForSelector('.trend-chart canvas');
      // English: its messages (precompiled, like Chinese) were loaded by warming, so the switch works offline too.
      await page.evaluate(() => (location.hash = '#/me'));
      await page.click('[data-test=language] .van-cell:has-text("English")');
      await page.evaluate(() => (location.hash = '#/inbox'));
      await page.waitForSelector('.van-tab:has-text("To accept")');
      // A message with a placeholder ('{time} left', …) is formatted, not shown as its source.
      const cardText = await page.locator('.order-card').first().innerText();
      expect(cardText).toMatch(/ (left|overdue|late)\b|accept within /);
      expect(cardText).not.toContain('{');
      await page.evaluate(() => (location.hash = '#/me'));
      await page.click('[data-test=language] .van-cell:has-text("简体中文")');
      await page.evaluate(() => (location.hash = '#/inbox'));
      await page.waitForSelector('.van-tab:has-text("待签收")');
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('a cold start after one online visit opens every page offline without warming, and warms once a newer version is found', async () => {
    // It deploys a new version by editing the service worker: on a copy of the build, which no other file serves.
    const build = await privateBuild();
    const own = await startPreview(undefined, build.dir);
    const sw = join(build.dir, 'sw.js');
    const original = await readFile(sw, 'utf8');
    const first = await launchPhone();
    let orderId: string | undefined;
    try {
      await new LoginScreen(first.page).open(own.url, '?demo');
      await first.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      await new LoginScreen(first.page).demo();
      [orderId] = await new InboxScreen(first.page).cardIds();
    } finally {
      await first.close();
    }
    expect(orderId).toBeTruthy();

    // The browser relaunched on the same profile, offline: the worker serves this version from its precache.
    const phone = await launchPhone({ userDataDir: first.userDataDir });
    try {
      const { page, context } = phone;
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await context.setOffline(true);
      await page.goto(own.url);
      await page.waitForSelector('.order-card', { timeout: WAIT_MS });
      // The warm phase waits for a newer version: nothing lazy is imported meanwhile.
      await waitForMark(page, 'lianxin:warming-deferred');
      expect(await marked(page, 'lianxin:warming')).toBe(false);
      expect(await fetched(page, later.filter((file) => /Page-/.test(file)))).toEqual([]);

      await page.evaluate((id) => (location.hash = `#/orders/${id}`), orderId!);
      await page.waitForSelector('[data-test=order-timeline]');
      await page.evaluate(() => (location.hash = '#/report'));
      await page.waitForSelector('main.report');
      await page.evaluate(() => (location.hash = '#/notifications'));
      await page.waitForSelector('main.notifications');
      await page.evaluate(() => (location.hash = '#/knowledge'));
      await page.waitForSelector('[data-test=kb-search]');
      await page.evaluate(() => (location.hash = '#/indicators'));
      await page.waitForSelector('[data-indicator=received]');
      await page.waitForSelector('.trend-chart canvas');
      await page.evaluate(() => (location.hash = '#/me'));
      await page.waitForSelector('[data-test=storage-used]');
      await page.click('[data-test=language] .van-cell:has-text("English")');
      await page.evaluate(() => (location.hash = '#/inbox'));
      await page.waitForSelector('.van-tab:has-text("To accept")');
      await page.evaluate(() => (location.hash = '#/me'));
      await page.click('[data-test=language] .van-cell:has-text("简体中文")');
      expect(errors).toEqual([]);

      // Back online, a newer version is deployed and found: this tab warms before it can be activated.
      await context.setOffline(false);
      await writeFile(sw, `${original}\n// release lazy-pages-${Date.now()}\n`);
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.update()));
      await waitForMark(page, 'lianxin:warming');
      await page.waitForFunction(
        (files) => files.every((file) => performance.getEntriesByType('resource').some((entry) => entry.name.endsWith(file))),
        later,
        { timeout: WAIT_MS },
      );
    } finally {
      await phone.close();
      await own.stop();
      await build.remove();
    }
  });
});

function waitForMark(page: Page, name: string): Promise<unknown> {
  return page.waitForFunction((name) => performance.getEntriesByName(name, 'mark').length > 0, name, { timeout: WAIT_MS });
}

function marked(page: Page, name: string): Promise<boolean> {
  return page.evaluate((name) => performance.getEntriesByName(name, 'mark').length > 0, name);
}

/** Which of `files` this page has fetched. */
function fetched(page: Page, files: readonly string[]): Promise<string[]> {
  return page.evaluate((files) => files.filter((file) => performance.getEntriesByType('resource').some((entry) => entry.name.endsWith(file))), files);
}
