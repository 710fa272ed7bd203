/**
 * The PWA's own first sync at full size, in Chromium (bench/README.md, "First sync, part 4"): the
 * built app (dist/pwa, served by the server at its origin) signs in as the street's clerk on a fresh
 * profile, and the time is taken from the tap on 登录 until the open orders' docs are stored (the
 * session's `prefetched` list written, which the app does after the bulk download resolves), with
 * the first row drawn (the clerk lands on the desk) and the sync bar's 已同步 (index listed) on the way. Beside it, in the same run: the same bytes as one
 * plain GET (Node) plus one `put` of them in the page's IndexedDB.
 *
 *   npx tsx bench/profile/first-sync.ts seed            (once: /tmp/lianxin-first-sync-500.json)
 *   npm run build:pwa && npx tsx bench/profile/first-sync-pwa.ts [rounds=3]
 *   LIANXIN_PWA_DIR=/tmp/dist-before npx tsx bench/profile/first-sync-pwa.ts   (a copy of an earlier build)
 */
import { readFileSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '#demo/index.ts';
import { serverWarmed, spawnLianxin, spawnServer } from '../lib/spawn.ts';

const rounds = Number(process.argv[2] ?? 3);
const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
const { dataDir, clerk } = JSON.parse(readFileSync('/tmp/lianxin-first-sync-500.json', 'utf8')) as { dataDir: string; clerk: string };

/**
 * What the app has stored so far, read with the raw IndexedDB API. A string, not a function: tsx wraps
 * named helpers in a `__name` the page does not have.
 */
const STORED_NOW = `(async () => {
  const names = (await indexedDB.databases()).map((info) => info.name || '');
  if (!names.includes('lianxin')) return { prefetched: -1, seeds: 0, bytes: 0, rows: 0, orderDatabases: 0 };
  const db = await new Promise((resolve, reject) => { const r = indexedDB.open('lianxin'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const read = (store, op) => db.objectStoreNames.contains(store)
    ? new Promise((resolve, reject) => { const r = op(db.transaction(store).objectStore(store)); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); })
    : Promise.resolve(undefined);
  const session = await read('session', (s) => s.get('prefetched'));
  const seeds = (await read('docSeeds', (s) => s.getAll())) || [];
  const rows = (await read('orders', (s) => s.count())) || 0;
  db.close();
  return {
    prefetched: session ? session.value.length : -1,
    seeds: seeds.length,
    bytes: seeds.reduce((n, r) => n + r.update.length, 0),
    rows,
    orderDatabases: names.filter((n) => n.startsWith('order:')).length,
  };
})()`;
interface Stored { prefetched: number; seeds: number; bytes: number; rows: number; orderDatabases: number }
const storedNow = (page: Page) => page.evaluate(STORED_NOW) as Promise<Stored>;

const PUT = (length: number) => `(async () => {
  const all = new Uint8Array(${length});
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('plain-put');
    open.onupgradeneeded = () => open.result.createObjectStore('blobs');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const t = performance.now();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('blobs', 'readwrite', { durability: 'strict' });
    tx.objectStore('blobs').put(all, 'all');
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  return performance.now() - t;
})()`;

// LIANXIN_PWA_DIR: another build of the app (a copy of dist/pwa from before a change), same server.
const server = await spawnLianxin(dataDir, process.env.LIANXIN_PWA_DIR ? ['--pwa-dir', process.env.LIANXIN_PWA_DIR] : []);
const plain = await spawnServer('bench/baseline/plain-http.ts', []);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  await serverWarmed(server);
  for (let round = 0; round < rounds; round++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('.login');
    await page.fill('input[name=username]', clerk);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    const started = performance.now();
    await page.click('button[type=submit]');
    let listedMs = 0;
    let cardMs = 0;
    let state = await storedNow(page);
    for (;;) {
      if (!cardMs && (await page.locator('.order-card, .desk-row').count()) > 0) cardMs = performance.now() - started;
      if (!listedMs && (await page.locator('[data-test=sync-bar][data-phase=synced]').count()) > 0) listedMs = performance.now() - started;
      state = await storedNow(page);
      if (state.prefetched >= 0) break;
      if (performance.now() - started > 300_000) throw new Error(`no download after 300 s: ${JSON.stringify(state)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const storedMs = performance.now() - started;
    // The baseline: the same bytes (the open docs' states the app stored, ~1 MB) as one GET, and one put in this page.
    const size = state.bytes || 1_064_000;
    await (await fetch(`${plain.url}/bytes/${size}`)).arrayBuffer();
    const getStarted = performance.now();
    const body = new Uint8Array(await (await fetch(`${plain.url}/bytes/${size}`)).arrayBuffer());
    const getMs = performance.now() - getStarted;
    const putMs = (await page.evaluate(PUT(body.length))) as number;
    console.log(
      `round ${round + 1}: first card ${cardMs.toFixed(0)} ms, listed (已同步) ${listedMs.toFixed(0)} ms, open orders stored ${storedMs.toFixed(0)} ms ` +
        `(${JSON.stringify(state)}); baseline GET ${getMs.toFixed(1)} ms + put ${putMs.toFixed(1)} ms of ${(size / 1024).toFixed(0)} KB`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
  await plain.stop();
}
