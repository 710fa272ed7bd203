/**
 * The PWA's own first sync in Chromium (issue 18): the built app, served by the Lianxin server at its
 * origin, signs in on a fresh browser context, and the time is taken from the tap on 登录 until the open
 * orders' docs are stored (the session's `prefetched` list written, which the app does once the bulk
 * download resolved: its `lianxin:prefetched` mark), with the first row drawn and the sync bar's 已同步
 * (index listed) on the way. The page times each itself, from the tap's event, and says so on the console
 * (`pageSays`): nothing is polled in the page while it syncs (bench/README.md, "First sync, part 10": the
 * poll's evaluations and its own IndexedDB transactions every 25 ms ran beside the app's). The baseline is
 * the same bytes (the open docs' states as stored) as one plain GET plus one `put` of them in a page's
 * IndexedDB at the app's origin, taken after the app's browser closed (`plainFloor`).
 * Used by the `first-sync` case and `bench/profile/first-sync-pwa.ts`.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchPhone, LoginScreen } from '../../tests/e2e/pwa/fixtures.ts';
import { pageSays } from './page-says.ts';
import { quantile } from './stats.ts';

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
  const packs = (await read('docSeedPacks', (s) => s.getAll())) || [];
  const seeds = packs.flatMap((pack) => pack.updates);
  const rows = (await read('orders', (s) => s.count())) || 0;
  db.close();
  return {
    prefetched: session ? session.value.length : -1,
    seeds: seeds.length,
    bytes: seeds.reduce((n, update) => n + update.length, 0),
    rows,
    orderDatabases: names.filter((n) => n.startsWith('order:')).length,
  };
})()`;
/**
 * The app's orders store as created (key path, indexes) and the rows of its open tabs (待办, 处理中, 其他), read
 * after "stored": what `rowsFloor` writes again raw. A string, as STORED_NOW.
 */
const OPEN_ROWS_NOW = `(async () => {
  const db = await new Promise((resolve, reject) => { const r = indexedDB.open('lianxin'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const store = db.transaction('orders').objectStore('orders');
  const indexes = [...store.indexNames].map((name) => { const i = store.index(name); return { name, keyPath: i.keyPath, unique: i.unique, multiEntry: i.multiEntry }; });
  const keyPath = store.keyPath;
  const rows = await new Promise((resolve, reject) => { const r = store.getAll(); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  db.close();
  return { keyPath, indexes, rows: rows.filter((row) => row.tab !== 'done') };
})()`;
export interface OrdersShape {
  readonly keyPath: string | string[];
  readonly indexes: readonly { readonly name: string; readonly keyPath: string | string[]; readonly unique: boolean; readonly multiEntry: boolean }[];
  readonly rows: readonly unknown[];
}

export interface Stored { prefetched: number; seeds: number; bytes: number; rows: number; orderDatabases: number }
const storedNow = (page: Page) => page.evaluate(STORED_NOW) as Promise<Stored>;

/**
 * In the page, from its first script on (a string: see STORED_NOW): the tap on 登录, the first row drawn,
 * the sync bar's 已同步 and the app's `lianxin:prefetched` mark, each said once on the console with its
 * page time. Only the first tap counts.
 */
const WATCH = `(() => {
  const say = (tag, at) => console.log('lianxin-bench:' + tag + ' ' + JSON.stringify(at));
  let tapped = false;
  document.addEventListener('click', (event) => {
    if (tapped || !(event.target instanceof Element) || !event.target.closest('button[type=submit]')) return;
    tapped = true;
    say('tap', event.timeStamp);
  }, true);
  let card = false;
  let listed = false;
  const seen = new MutationObserver(() => {
    if (!card && document.querySelector('.order-card, .desk-row')) { card = true; say('card', performance.now()); }
    if (!listed && document.querySelector('[data-test=sync-bar][data-phase=synced]')) { listed = true; say('listed', performance.now()); }
    if (card && listed) seen.disconnect();
  });
  seen.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-phase'] });
  new PerformanceObserver((list, observer) => {
    const mark = list.getEntries().find((entry) => entry.name === 'lianxin:prefetched');
    if (!mark) return;
    observer.disconnect();
    say('stored', mark.startTime);
  }).observe({ type: 'mark' });
})()`;

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


/**
 * The structural floor (bench/README.md, "First sync, part 19"): in one strict transaction, the app's open rows
 * as records of a store of the app's shape (its key path and indexes) and the docs' bytes as one value, i.e. the
 * writes a device must make to list those orders by tab and open them offline, made with the raw API.
 */
const ROWS_PUT = (shape: OrdersShape, length: number) => `(async () => {
  const shape = ${JSON.stringify(shape)};
  await new Promise((resolve) => { const d = indexedDB.deleteDatabase('plain-rows'); d.onsuccess = d.onerror = d.onblocked = () => resolve(); });
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('plain-rows');
    open.onupgradeneeded = () => {
      const orders = open.result.createObjectStore('orders', { keyPath: shape.keyPath });
      for (const i of shape.indexes) orders.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
      open.result.createObjectStore('blobs');
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const all = new Uint8Array(${length});
  const t = performance.now();
  await new Promise((resolve, reject) => {
    const tx = db.transaction(['orders', 'blobs'], 'readwrite', { durability: 'strict' });
    const orders = tx.objectStore('orders');
    for (const row of shape.rows) orders.put(row);
    tx.objectStore('blobs').put(all, 'all');
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  return performance.now() - t;
})()`;

export interface PwaFirstSync {
  readonly cardMs: number;
  readonly listedMs: number;
  readonly storedMs: number;
  readonly stored: Stored;
  /** The baseline: one plain GET of the open docs' bytes, and one put of them in the page. */
  readonly getMs: number;
  readonly putMs: number;
  /** The structural floor's write: the app's open rows as records of the app's shape and the bytes as one value, one transaction. */
  readonly rowsPutMs: number;
  /** The open rows the structural floor wrote (the app's, read after "stored"). */
  readonly openRows: number;
  /** The app's marks (`lianxin:*`, the doc name left out), ms from the tap; the first of each name. */
  readonly steps: Record<string, number>;
}

/**
 * One first sync on a fresh phone profile (390×844, as the e2e tests'). `profileTo`: write the page's
 * main-thread CPU profile from the tap to the end there (`bench/profile/cpuprofile.ts` sums it).
 */
export async function pwaFirstSync(appUrl: string, plainUrl: string, username: string, password: string, profileTo?: string): Promise<PwaFirstSync> {
  const phone = await launchPhone();
  try {
    const { page } = phone;
    await page.addInitScript(WATCH);
    await new LoginScreen(page).open(appUrl);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    const cdp = profileTo ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    // Until all: the open orders stored (the end point) and 已同步 (every row written, 已办's too).
    const said = ['tap', 'card', 'listed', 'stored'].map((tag) => pageSays<number>(page, tag, 300_000));
    await page.click('button[type=submit]');
    const [tapAt, cardAt, listedAt, storedAt] = (await Promise.all(said)) as [number, number, number, number];
    const [cardMs, listedMs, storedMs] = [cardAt - tapAt, listedAt - tapAt, storedAt - tapAt];
    const stored = await storedNow(page);
    const shape = (await page.evaluate(OPEN_ROWS_NOW)) as OrdersShape;
    // The app's own marks of the steps (shared/client/sync.ts `markStep`, the pages' marks), from the tap.
    const steps = Object.fromEntries(
      ((await page.evaluate(`performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])`)) as [string, number][])
        .filter(([, at]) => at >= tapAt)
        .reverse()
        .map(([name, at]) => [name.replace(/^lianxin:/, '').replace(/:(street|grid|community):.*/, ''), Math.round(at - tapAt)]),
    );
    if (cdp && profileTo) writeFileSync(profileTo, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    await phone.close();
    return { cardMs, listedMs, storedMs, stored, ...(await plainFloor(appUrl, plainUrl, Math.max(stored.bytes, 1), shape)), openRows: shape.rows.length, steps };
  } finally {
    await phone.close();
  }
}

/** Floor samples taken per run; the median is the run's baseline. */
const FLOOR_SAMPLES = 3;

/**
 * The baseline, out of the app's shadow: in a fresh phone profile at the app's origin (the sign-in
 * screen, which syncs nothing; no service worker), once the app's browser has closed — taken beside the app's page, it ran
 * while the app was still writing its history and the server still serving it (bench/README.md, "First
 * sync and back online: the floors out of our shadow") — one plain GET of `size` bytes and one put of them, and the
 * structural floor's write (`ROWS_PUT`), `FLOOR_SAMPLES` times; the medians.
 */
async function plainFloor(appUrl: string, plainUrl: string, size: number, shape: OrdersShape): Promise<{ getMs: number; putMs: number; rowsPutMs: number }> {
  const phone = await launchPhone({ blockServiceWorkers: true }); // no precache download beside the floor
  try {
    await new LoginScreen(phone.page).open(appUrl);
    await (await fetch(`${plainUrl}/bytes/${size}`)).arrayBuffer(); // the server generates the blob once
    const samples: { getMs: number; putMs: number; rowsPutMs: number }[] = [];
    for (let n = 0; n < FLOOR_SAMPLES; n++) {
      const getStarted = performance.now();
      const body = await (await fetch(`${plainUrl}/bytes/${size}`)).arrayBuffer();
      const getMs = performance.now() - getStarted;
      const putMs = (await phone.page.evaluate(PUT(body.byteLength))) as number;
      samples.push({ getMs, putMs, rowsPutMs: (await phone.page.evaluate(ROWS_PUT(shape, body.byteLength))) as number });
    }
    const median = (pick: (s: (typeof samples)[number]) => number) => quantile(samples.map(pick), 0.5);
    return { getMs: median((s) => s.getMs), putMs: median((s) => s.putMs), rowsPutMs: median((s) => s.rowsPutMs) };
  } finally {
    await phone.close();
  }
}
