/**
 * A device's database of any shipped version opens in Chromium's IndexedDB as today's app declares it: the
 * schema a new device gets, every row kept but version 3's knowledge entries (shared/local/db.ts declares only
 * the versions with an upgrade, and Dexie diffs the schema the device has; bench/README.md, "Cold start, part 9").
 */
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_VERSIONS } from '../../shared/local/shipped-db.ts';
import { pageBundle } from '../support/page-bundle.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  const script = await pageBundle(fileURLToPath(new URL('./db-upgrade-entry.ts', import.meta.url)));
  // IndexedDB needs an origin: a page of its own on loopback.
  server = createServer((req, res) => {
    const js = req.url === '/upgrade.js';
    res.setHeader('content-type', js ? 'text/javascript' : 'text/html; charset=utf-8');
    res.end(js ? script : '<!doctype html><script src="/upgrade.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the device database in Chromium', () => {
  it.each(SHIPPED_VERSIONS)('opens a database of shipped version %i as a new device’s, every row kept but version 3’s knowledge', async (version) => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(origin);
      const { actual, expected } = await page.evaluate((v) => window.upgradeFrom(v), version);
      expect(actual).toEqual(expected);
      expect(Object.keys(actual.schema)).toEqual(expect.arrayContaining(['docSeeds', 'docSeedPacks', 'docSeedNames']));
    } finally {
      await context.close();
    }
  });
});
