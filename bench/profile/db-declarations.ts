/**
 * What the device database's version declarations cost when the data layer first constructs it, cold, in
 * Chromium (bench/README.md, "Cold start, part 9"): `new LianxinDb()` as the app has it (the versions with an
 * upgrade, and the latest), against the same database declared as every shipped version was (six declarations).
 * A fresh browser context per sample, so the code runs cold as at a start; the two alternate. ms, medians:
 *
 *   npx tsx bench/profile/db-declarations.ts [samples per side=12]
 */
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { quantile } from '../lib/stats.ts';

const samples = Number(process.argv[2] ?? 12);
const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium';

const ENTRY = `
import Dexie from 'dexie';
import { LianxinDb } from '#shared/local/db.ts';
import { declareShipped } from './tests/shared/local/shipped-db.ts';
const constructors = {
  now: () => new LianxinDb('now'),
  shipped: () => {
    const db = new Dexie('shipped');
    declareShipped(db, 5);
    db.version(6).stores({ orders: 'id, &orderNo, status, [tab+deadline], [tab+closedAt], receivedAt, *terms' });
    return db;
  },
};
window.constructDb = (which) => {
  const start = performance.now();
  constructors[which]();
  return performance.now() - start;
};
`;

const bundle = await build({ stdin: { contents: ENTRY, loader: 'ts', resolveDir: process.cwd() }, bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'warning' });
const script = bundle.outputFiles[0]!.text;
const server = createServer((req, res) => {
  const js = req.url === '/db.js';
  res.setHeader('content-type', js ? 'text/javascript' : 'text/html; charset=utf-8');
  res.end(js ? script : '<!doctype html><script src="/db.js"></script>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const times: Record<'now' | 'shipped', number[]> = { now: [], shipped: [] };
try {
  for (let i = 0; i < 2 * samples; i++) {
    // now, shipped, shipped, now, …: neither side always first.
    const which = i % 4 === 0 || i % 4 === 3 ? 'now' : 'shipped';
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(origin);
    times[which].push(await page.evaluate((w) => (window as unknown as { constructDb: (w: string) => number }).constructDb(w), which));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const now = quantile(times.now, 0.5);
const shipped = quantile(times.shipped, 0.5);
const range = (list: number[]) => `${Math.min(...list).toFixed(1)}–${Math.max(...list).toFixed(1)}`;
console.log(`new LianxinDb(), cold: ${now.toFixed(2)} ms (${range(times.now)}) against ${shipped.toFixed(2)} ms (${range(times.shipped)}) for every shipped version declared: ${(now / shipped).toFixed(2)}×, ${samples} samples a side`);
