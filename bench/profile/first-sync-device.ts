/**
 * The PWA's side of a first sync in Chromium (bench/README.md, "First sync: the device's
 * work"): the `first-sync` case's device is a Node process that keeps what it downloads in
 * memory; the PWA stores it. This fetches the street index and the open orders' docs from a
 * seeded server (`bench/profile/first-sync.ts seed` first) and times, in a page with the app's
 * own code (first-sync-device.page.ts), what the PWA does with them, several rounds each:
 *
 *   npx tsx bench/profile/first-sync.ts seed            (once: /tmp/lianxin-first-sync-500.json)
 *   npx tsx bench/profile/first-sync-device.ts [rounds=3]
 *   LIANXIN_DEVICE_ONLY=live-rows npx tsx bench/profile/first-sync-device.ts 8   (the PWA's live rows, part 13)
 */
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD } from '#demo/index.ts';
import { isOpenStatus } from '#shared/order/status.ts';
import { readIndexSummary } from '#shared/order/summary.ts';
import { orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import * as Y from 'yjs';
import { pageScript } from '../lib/pwa.ts';
import { serverWarmed, spawnLianxin } from '../lib/spawn.ts';
import { login } from '../lib/sync-client.ts';

const rounds = Number(process.argv[2] ?? 3);
const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
const { dataDir, clerk, street } = JSON.parse(readFileSync('/tmp/lianxin-first-sync-500.json', 'utf8')) as { dataDir: string; clerk: string; street: string };

type Marks = Record<string, number>;
interface DevicePage {
  index(name: string, base64: string): Promise<Marks>;
  perDocDatabases(docs: Record<string, string>): Promise<Marks>;
  seeds(docs: Record<string, string>): Promise<Marks>;
  plainPut(docs: Record<string, string>): Promise<Marks>;
  openOrder(orderId: string): Promise<Marks>;
  rowVariants(base64: string): Promise<Marks>;
  liveRowVariants(base64: string): Promise<Marks>;
  wipe(): Promise<void>;
}

const server = await spawnLianxin(dataDir);
let indexName: string;
let indexState: string;
let docs: Record<string, string>;
try {
  await serverWarmed(server);
  const token = await login(server.url, clerk, DEMO_PASSWORD);
  const bulk = async (names: string[]) =>
    ((await (await fetch(`${server.url}/api/docs`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ names }) })).json()) as { docs: Record<string, { update: string }> }).docs;
  indexName = streetIndexDocName(street);
  indexState = (await bulk([indexName]))[indexName]!.update;
  const doc = new Y.Doc({ guid: indexName });
  Y.applyUpdate(doc, Buffer.from(indexState, 'base64'));
  const open: string[] = [];
  doc.getMap('orders').forEach((raw, id) => {
    const summary = readIndexSummary(id, raw);
    if (summary.ok && isOpenStatus(summary.value.status)) open.push(id);
  });
  docs = Object.fromEntries(Object.entries(await bulk(open.map(orderDocName))).map(([name, entry]) => [name, entry.update]));
  console.log(`index ${(indexState.length / 1024).toFixed(0)} KB of base64, ${open.length} open docs`);
} finally {
  await server.stop();
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  // IndexedDB needs an origin: a page served by the route, not about:blank.
  await page.route('http://lianxin.bench/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>first sync</title>' }));
  await page.goto('http://lianxin.bench/');
  await page.addScriptTag({ content: await pageScript('bench/profile/first-sync-device.page.ts') });
  const call = <K extends keyof DevicePage>(fn: K, ...args: Parameters<DevicePage[K]>) =>
    page.evaluate(({ fn, args }) => ((globalThis as unknown as { firstSyncDevice: Record<string, (...a: unknown[]) => Promise<unknown>> }).firstSyncDevice[fn]!)(...args), { fn, args }) as ReturnType<DevicePage[K]>;
  const anOrder = Object.keys(docs)[0]!.slice('order:'.length);
  const results: Record<string, Marks[]> = {};
  const add = (label: string, marks: Marks) => (results[label] ??= []).push(marks);
  const only = process.env.LIANXIN_DEVICE_ONLY;
  for (let round = 0; round < rounds; round++) {
    await call('wipe');
    if (only === 'live-rows') {
      add("the PWA's live rows written in different ways (part 13)", await call('liveRowVariants', indexState));
      continue;
    }
    add('index rows written in different ways (part 5)', await call('rowVariants', indexState));
    if (only === 'rows') continue;
    add('index (y-indexeddb, validate, project)', await call('index', indexName, indexState));
    add('open docs: a Y.Doc and a database each (before)', await call('perDocDatabases', docs));
    add('open one order, from its database', await call('openOrder', anOrder));
    await call('wipe');
    add('open docs: stored as sent (after)', await call('seeds', docs));
    add('open one order, first open (seed absorbed)', await call('openOrder', anOrder));
    add('open one order, second open (seed dropped)', await call('openOrder', anOrder));
    add('open one order, third open', await call('openOrder', anOrder));
    await call('wipe');
    add('baseline: the same bytes, one put', await call('plainPut', docs));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [label, runs] of Object.entries(results)) {
    const totals = runs.map((m) => Object.values(m).reduce((a, b) => a + b, 0));
    console.log(`${label}: ${median(totals).toFixed(1)} ms (${totals.map((t) => t.toFixed(0)).join(', ')})`);
    for (const key of Object.keys(runs[0]!)) console.log(`    ${key.padEnd(44)} ${median(runs.map((m) => m[key] ?? 0)).toFixed(1).padStart(8)} ms`);
  }
} finally {
  await browser.close();
}
