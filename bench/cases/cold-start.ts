/**
 * Case 1 — cold start. The built PWA (dist/pwa under vite preview) signed in
 * through its own demo path (`?demo=N&demoOpen=M` writes N orders' inbox rows
 * into the app's IndexedDB at sign-in, M of them open: 10,000 and 200, a
 * street's month with its open work; quick mode 300 with the demo's default share open); then the
 * browser is closed, and every run relaunches Chromium on the same profile and
 * opens the app: the service worker serves it from its precache, the inbox
 * reads IndexedDB.
 *
 * Timed from navigation start (the page's performance time origin):
 * - inbox painted: the animation frame after the first order card is in the DOM (the inbox's last frame, drawn by
 *   index.html's script before the app's code has run, once the seeding start has recorded it);
 * - first contentful paint: the browser's own, when those pixels were painted (after the frame's layout);
 * - inbox painted by Vue: the same as inbox painted for the first card Vue drew;
 * - interactive: the end of the last long task (≥ 50 ms) before a quiet second
 *   after that paint (the usual time-to-interactive rule), or the paint itself.
 * Baseline (the floor): another cold relaunch opens a blank page of the same
 * origin whose inline script reads the rows of the app's first screen (the
 * to-do tab's rows by the [tab+deadline] index) with the raw IndexedDB API;
 * the case checks that the app showed as many rows as the floor read.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { LoginScreen, launchPhone, startPreview, type Phone } from '../../tests/e2e/pwa/fixtures.ts';
import { FigureSamples, type BenchCase } from '../lib/case.ts';
import { pageSays } from '../lib/page-says.ts';
import { pwaNotBuilt } from '../lib/pwa.ts';
import { waitFor } from '../../tests/support/wait.ts';

declare global {
  interface Window {
    benchCold?: { cardAt: number | null; vueCardAt: number | null; longTasks: { start: number; end: number }[] };
  }
}

const QUIET_MS = 1000;

/**
 * Waits until `count` inbox rows are in the app's database (the demo writes them in batches). Polled from here:
 * `waitForFunction` takes the promise an async predicate returns for a truthy answer, and would not wait.
 */
export async function waitForRows(page: Page, count: number): Promise<void> {
  await waitFor(
    () =>
      page.evaluate(
        (count) =>
          new Promise<boolean>((resolve) => {
            const open = indexedDB.open('lianxin');
            open.onerror = () => resolve(false);
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains('orders')) return (db.close(), resolve(false));
              const counted = db.transaction('orders').objectStore('orders').count();
              counted.onsuccess = () => (db.close(), resolve(counted.result >= count));
              counted.onerror = () => (db.close(), resolve(false));
            };
          }),
        count,
      ),
    `${count} rows in the app's database`,
    { timeoutMs: 300_000, intervalMs: 500 },
  );
}

/**
 * Waits until the app has recorded the inbox's last frame (shared/local/first-frame.ts) in its session table for
 * the to-do rows as they are now (a frame recorded while the demo was still writing rows would not be drawn).
 */
export async function waitForFirstFrame(page: Page): Promise<void> {
  await waitFor(
    () =>
      page.evaluate(
        () =>
          new Promise<boolean>((resolve) => {
            const open = indexedDB.open('lianxin');
            open.onerror = () => resolve(false);
            open.onsuccess = () => {
              const db = open.result;
              const read = db.transaction(['session', 'orders']);
              const frame = read.objectStore('session').get('firstFrame');
              const rows = read.objectStore('orders').index('[tab+deadline]').getAll(IDBKeyRange.bound(['todo'], ['todo', []]));
              read.oncomplete = () => {
                db.close();
                const print = (rows.result as { id: string; updatedAt: number }[]).map((row) => `${row.id}@${row.updatedAt}`).sort().join(' ');
                resolve((frame.result as { value: { rows: string } } | undefined)?.value.rows === print);
              };
              read.onabort = () => (db.close(), resolve(false));
            };
          }),
      ),
    "the inbox's last frame recorded for the rows as they are",
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}

async function measureApp(userDataDir: string, url: string): Promise<{ paintedMs: number; vuePaintedMs: number; contentfulMs: number; interactiveMs: number; shownRows: number; marks: string }> {
  const phone: Phone = await launchPhone({ userDataDir });
  try {
    const { page } = phone;
    await page.addInitScript((quietMs) => {
      const state: NonNullable<Window['benchCold']> = { cardAt: null, vueCardAt: null, longTasks: [] };
      window.benchCold = state;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) state.longTasks.push({ start: entry.startTime, end: entry.startTime + entry.duration });
      }).observe({ type: 'longtask', buffered: true });
      // No named function in here: tsx would wrap it in its `__name` helper, which the page does not have.
      const seen = new MutationObserver(() => {
        if (!document.querySelector('.order-card')) return;
        seen.disconnect();
        requestAnimationFrame(() => {
          const painted = performance.now();
          state.cardAt = painted;
          // Interactive: a quiet second after the paint (no long task in it), checked by a timer of the page's own.
          const timer = setInterval(() => {
            const lastEnd = state.longTasks.filter((t) => t.end > painted).reduce((end, t) => Math.max(end, t.end), painted);
            if (performance.now() - lastEnd < quietMs) return;
            clearInterval(timer);
            console.log(`lianxin-bench:interactive ${JSON.stringify({ painted, interactive: lastEnd })}`);
          }, 100);
        });
      });
      seen.observe(document, { childList: true, subtree: true });
      // Vue's own first card (the first may be the inbox's last frame, drawn by index.html's script before Vue ran).
      const vue = new MutationObserver(() => {
        if (!document.querySelector('#app .order-card')) return;
        vue.disconnect();
        requestAnimationFrame(() => (state.vueCardAt = performance.now()));
      });
      vue.observe(document, { childList: true, subtree: true });
    }, QUIET_MS);
    const said = pageSays<{ painted: number; interactive: number }>(page, 'interactive', 120_000);
    await page.goto(url);
    const { painted, interactive } = await said;
    const vuePainted = await page.evaluate(() => window.benchCold!.vueCardAt ?? NaN);
    // The browser's own first contentful paint: the case's "painted" is stamped at the start of the frame, before its
    // layout, and the drawn frame's first layout (fonts found for its words) falls after it (bench/README.md part 14).
    const contentful = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    // What held interactive back: the long tasks after the paint, as the log's profile of the case.
    const after = await page.evaluate((painted) => window.benchCold!.longTasks.filter((t) => t.end > painted), painted);
    const longTasks = `${after.length} long tasks after the paint, ${Math.round(after.reduce((sum, t) => sum + t.end - t.start, 0))} ms in all${after.length > 0 ? `, longest ${Math.round(Math.max(...after.map((t) => t.end - t.start)))} ms` : ''}`;
    // The first screen's row count ("共 200 条"), to be compared with the floor's.
    const shownRows = Number((await page.textContent('.inbox__count'))?.replace(/\D/g, '') ?? NaN);
    // Where the time went: navigation milestones, the scripts and stylesheets fetched before the paint (how many,
    // the last one's end) and the app's own marks (lianxin:*), ms from navigation start.
    const marks = await page.evaluate((painted) => {
      const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      const own = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('lianxin:'));
      const code = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
        (r) => r.startTime < painted && /\.(js|css)$/.test(new URL(r.name).pathname),
      );
      const entries: [string, number][] = [
        ['response', nav?.responseEnd ?? 0],
        ['domInteractive', nav?.domInteractive ?? 0],
        ...(code.length > 0 ? [[`code-requested`, Math.min(...code.map((r) => r.startTime))] as [string, number], [`code-${code.length}-files-in`, Math.max(...code.map((r) => r.responseEnd))] as [string, number]] : []),
        ...own.map((m): [string, number] => [m.name.slice('lianxin:'.length), m.startTime]),
      ];
      return entries.map(([name, at]) => `${name} ${Math.round(at)}`).join(', ');
    }, painted);
    return { paintedMs: painted, vuePaintedMs: vuePainted, contentfulMs: contentful, interactiveMs: interactive, shownRows, marks: `${marks}; first contentful paint ${Math.round(contentful)}, Vue's cards ${Math.round(vuePainted)}, interactive ${Math.round(interactive)}, ${longTasks}` };
  } finally {
    await phone.close();
  }
}

/** A blank page of the app's origin reading the to-do tab's rows with the raw IndexedDB API, from navigation start. */
const FLOOR_PAGE = `<!doctype html><meta charset="utf-8"><title>floor</title><script>
const open = indexedDB.open('lianxin');
open.onerror = () => console.log('lianxin-bench:floor ' + JSON.stringify({ error: String(open.error) }));
open.onsuccess = () => {
  const db = open.result;
  const read = db.transaction('orders').objectStore('orders').index('[tab+deadline]').getAll(IDBKeyRange.bound(['todo'], ['todo', []]));
  read.onsuccess = () => {
    const at = performance.now();
    console.log('lianxin-bench:floor ' + JSON.stringify({ at, rows: read.result.length }));
  };
  read.onerror = () => console.log('lianxin-bench:floor ' + JSON.stringify({ error: String(read.error) }));
};
</script>`;

/**
 * What vite preview proxies /api/ to. /api/ is outside the service worker's
 * navigation fallback, so the floor page comes from here, on the app's origin;
 * anything else is a 404 (demo mode has no server).
 */
async function startFloorServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === '/api/bench-floor') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(FLOOR_PAGE);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function measureFloor(userDataDir: string, url: string): Promise<{ ms: number; rows: number }> {
  const phone = await launchPhone({ userDataDir });
  try {
    const { page } = phone;
    const said = pageSays<{ at: number; rows: number } | { error: string }>(page, 'floor', 60_000);
    await page.goto(`${url}api/bench-floor`);
    const floor = await said;
    if ('error' in floor) throw new Error(`raw IndexedDB read failed: ${floor.error}`);
    return { ms: floor.at, rows: floor.rows };
  } finally {
    await phone.close();
  }
}

export const coldStart: BenchCase = {
  id: 'cold-start',
  title: '1 cold start',
  async run(context) {
    const notBuilt = pwaNotBuilt();
    if (notBuilt) return { skipped: notBuilt };
    const count = context.quick ? 300 : 10_000;
    // 10,000 orders, 200 of them open. Quick mode keeps the demo's default share (about 30 %).
    const demoQuery = context.quick ? `?demo=${count}` : `?demo=${count}&demoOpen=200`;
    const floorServer = await startFloorServer();
    const preview = await startPreview(floorServer.url);
    const painted = new FigureSamples('inbox painted', 'ms', 'lower', {
      baselineLabel: 'raw IndexedDB read of the to-do rows, blank page',
      note: 'from navigation start, cold Chromium on the same profile, app from the service worker precache',
    });
    const vuePainted = new FigureSamples("inbox painted by Vue (its own first card's frame)", 'ms', 'lower', {
      baselineLabel: 'raw IndexedDB read of the to-do rows, blank page',
      note: "the same as 'inbox painted' when index.html's script drew no last frame",
    });
    const contentful = new FigureSamples('first contentful paint', 'ms', 'lower', {
      baselineLabel: 'raw IndexedDB read of the to-do rows, blank page',
      note: "the browser's own: when the first screen's pixels were painted (the app draws nothing before its inbox)",
    });
    const interactive = new FigureSamples('interactive', 'ms', 'lower', {
      baselineLabel: 'raw IndexedDB read of the to-do rows, blank page',
      note: `end of the last long task before ${QUIET_MS} ms without one after the paint`,
    });
    let todoRows = 0;
    try {
      const seeding = await launchPhone();
      const { userDataDir } = seeding;
      try {
        const login = new LoginScreen(seeding.page);
        await login.open(preview.url, demoQuery);
        await seeding.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
        context.log(`signing in to demo mode: ${demoQuery}`);
        // Not `login.demo()`: writing 10,000 rows on a loaded machine can outlast its 30 s wait for a card.
        await seeding.page.click('text=演示模式');
        await waitForRows(seeding.page, count);
        await seeding.page.waitForSelector('.order-card', { timeout: 120_000 });
        // The inbox's last frame, which every start after this one draws before the app's code has run.
        await waitForFirstFrame(seeding.page);
      } finally {
        await seeding.close();
      }
      for (let run = 1; run <= context.runs; run++) {
        const app = await measureApp(userDataDir, preview.url);
        const floor = await measureFloor(userDataDir, preview.url);
        todoRows = floor.rows;
        context.log(`run ${run}: painted ${Math.round(app.paintedMs)} ms (${app.marks}); floor ${Math.round(floor.ms)} ms`);
        if (app.shownRows !== floor.rows) throw new Error(`the app's first screen showed ${app.shownRows} rows, the floor read ${floor.rows}`);
        painted.add(app.paintedMs, floor.ms);
        vuePainted.add(app.vuePaintedMs, floor.ms);
        contentful.add(app.contentfulMs, floor.ms);
        interactive.add(app.interactiveMs, floor.ms);
      }
    } finally {
      await preview.stop();
      await new Promise((resolve) => floorServer.server.close(resolve));
    }
    return {
      setup: `${count.toLocaleString('en')} demo orders in the local store (${context.quick ? 'about 30 %' : '200'} open, ${todoRows} of them in the to-do tab, the first screen), built PWA under vite preview, 390×844 phone Chromium relaunched cold per run`,
      figures: [painted.figure(), contentful.figure(), vuePainted.figure(), interactive.figure()],
    };
  },
};
