/**
 * Does Chromium's IndexedDB run two transactions of one database side by side when their stores differ?
 * (bench/README.md, "First sync, part 9"). Raw IndexedDB in a page, no app code: a read-write transaction
 * putting 1,400 rows of an order's size in `orders` (the live rows' write of a first sync), and a
 * one-key read of `session` (the `prefetched` read) or a second read-write transaction in `session`
 * (the docs' store) created right after it, or that write in a second database (part 18), against each alone;
 * ms from the first transaction's creation:
 *
 *   npx tsx bench/profile/idb-queue.ts [rounds=5]
 */
import { chromium } from 'playwright-core';
import { quantile } from '../lib/stats.ts';

const rounds = Number(process.argv[2] ?? 5);
const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium';

/** A string, not a function: tsx wraps named helpers in a `__name` the page does not have. */
const ROUND = `(async () => {
  const open = () => new Promise((resolve, reject) => {
    const r = indexedDB.open('queue-' + Math.random(), 1);
    r.onupgradeneeded = () => {
      const orders = r.result.createObjectStore('orders', { keyPath: 'id' });
      for (const index of ['orderNo', 'status', 'receivedAt']) orders.createIndex(index, index);
      orders.createIndex('tabDeadline', ['tab', 'deadline']);
      orders.createIndex('tabClosed', ['tab', 'closedAt']);
      r.result.createObjectStore('session', { keyPath: 'key' });
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const done = (tx) => new Promise((resolve) => (tx.oncomplete = resolve));
  const rows = (db) => {
    const tx = db.transaction('orders', 'readwrite');
    const store = tx.objectStore('orders');
    for (let i = 0; i < 1400; i++) store.put({ id: 'o' + i, orderNo: 'N' + i, status: 'doing', tab: 'doing', deadline: i, closedAt: 0, receivedAt: i, text: '诉'.repeat(400) });
    return done(tx);
  };
  const read = (db) => new Promise((resolve) => (db.transaction('session').objectStore('session').get('prefetched').onsuccess = resolve));
  const seeds = (db) => {
    const tx = db.transaction('session', 'readwrite');
    for (let i = 0; i < 500; i++) tx.objectStore('session').put({ key: 'seed' + i, value: new Uint8Array(2000) });
    return done(tx);
  };
  const out = {};
  const time = async (label, first, second) => {
    const db = await open();
    const t0 = performance.now();
    const at = (p) => p.then(() => Math.round(performance.now() - t0));
    const a = first ? at(first(db)) : Promise.resolve(null);
    const b = at(second(db));
    out[label] = { first: await a, second: await b };
    db.close();
  };
  await time('session read alone', null, read);
  await time('session read after the rows', rows, read);
  await time('session write alone', null, seeds);
  await time('session write after the rows', rows, seeds);
  // The same write in a database of its own, beside the rows' transaction.
  const other = await open();
  await time("another database's write after the rows", rows, () => seeds(other));
  other.close();
  return out;
})()`;

type Round = Record<string, { first: number | null; second: number }>;
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  // IndexedDB needs an origin: a page served by the route, not about:blank.
  await page.route('http://lianxin.bench/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>queue</title>' }));
  await page.goto('http://lianxin.bench/');
  const all: Round[] = [];
  for (let round = 0; round < rounds; round++) all.push((await page.evaluate(ROUND)) as Round);
  for (const label of Object.keys(all[0]!)) {
    const firsts = all.map((r) => r[label]!.first).filter((v): v is number => v !== null);
    const seconds = all.map((r) => r[label]!.second);
    const rowsPart = firsts.length > 0 ? `the rows committed at ${quantile(firsts, 0.5)} ms (${firsts.join(', ')}), ` : '';
    console.log(`${label}: ${rowsPart}the session's transaction done at ${quantile(seconds, 0.5)} ms (${seconds.join(', ')})`);
  }
} finally {
  await browser.close();
}
