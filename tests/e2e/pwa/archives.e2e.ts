/**
 * Issue 18, history on demand: the server keeps called-back orders in the
 * live index for 30 days, archived and merged ones not at all ("First sync,
 * part 8"): they are in the archive docs of the month they closed in. A
 * supervisor's device syncs the live index; 数据分析 of a month long past
 * fetches the archives it needs, says so, and keeps them: offline, after a
 * reload, the same month shows the same figures from the device. A worker's
 * 已办结 opens this month's and last month's archives, so an order archived
 * lately is still found there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { computeIndicators } from '#shared/indicators/indicators.ts';
import { DAY_MS } from '#shared/indicators/period.ts';
import { indicatorRow, type IndicatorRow } from '#shared/indicators/row.ts';
import { LianxinApi } from '#shared/client/api.ts';
import { recentArchiveMonths } from '#shared/order/index-placement.ts';
import { archiveIndexDocName, gridIndexDocName, INDEX_ORDERS_MAP } from '#shared/sync/doc-names.ts';
import * as Y from 'yjs';
import { LoginScreen, launchPhone, startSyncServer, storedRows, type SyncServer } from './fixtures.ts';
import { WAIT_MS } from '../../support/wait.ts';

let server: SyncServer;

beforeAll(async () => {
  server = await startSyncServer({
    // A third of a year of one small street: most orders finished long ago.
    seed: { count: 360, openCount: 12, periodDays: 120, org: { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 1, gridsPerCommunity: 2 } },
    indexLiveMs: 30 * DAY_MS,
  });
});

afterAll(async () => {
  await server?.stop();
});

type Row = IndicatorRow & { readonly status: string };

/** Every order row on the device, read without the app, and the page's clock when read. */
const deviceRows = (page: Page) => storedRows<Row>(page, 'orders');

/** The period the page shows, as `[from, to)`. */
async function shownPeriod(page: Page): Promise<{ from: number; to: number }> {
  const [from, to] = (await page.locator('[data-test=period]').innerText()).split(' – ').map((d) => Date.parse(`${d.trim()}T00:00:00+08:00`));
  return { from: from!, to: to! + DAY_MS };
}

async function stepBack(page: Page, months: number): Promise<void> {
  for (let i = 0; i < months; i++) {
    const before = await page.locator('[data-test=period]').innerText();
    await page.click('[aria-label=上一期]');
    await page.waitForFunction((text) => document.querySelector('[data-test=period]')?.textContent !== text, before, { timeout: WAIT_MS });
  }
}

const received = async (page: Page): Promise<number> => Number(await page.locator('[data-indicator=received] strong').innerText());

describe('archives on demand', () => {
  it('fetches the archive months of a month long past for 数据分析, says how fresh they are, and shows them offline after a reload', async () => {
    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      const login = new LoginScreen(page);
      await login.openReadyOffline(`${server.url}/`);
      await login.signIn(server.account('supervisor'), server.password);
      await page.waitForURL(/#\/indicators/, { timeout: WAIT_MS });
      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
      await page.waitForSelector('[data-indicator=received]', { timeout: WAIT_MS });

      // Before: nothing finished over two months ago is on the device (the live index holds the last 30 days,
      // the page fetched this month's and last month's archives).
      const longAgo = (rows: readonly Row[], now: number) => rows.filter((r) => (r.status === 'archived' || r.status === 'called_back') && (r.closedAt ?? r.receivedAt) < now - 62 * DAY_MS);
      const first = await deviceRows(page);
      expect(longAgo(first.rows, first.now)).toEqual([]);

      // Three months back: the archives from then to now are fetched.
      await stepBack(page, 3);
      const period = await shownPeriod(page);
      const inPeriod = (rows: readonly Row[]) => rows.filter((r) => r.receivedAt >= period.from && r.receivedAt < period.to);
      await page.waitForSelector('[data-test=archive-status][data-state=fresh]', { timeout: WAIT_MS });
      const fetched = await deviceRows(page);
      const old = inPeriod(fetched.rows);
      expect(old.length).toBeGreaterThan(0);
      expect(longAgo(old, fetched.now).length).toBeGreaterThan(0);
      const shown = await received(page);
      expect(shown).toBe(computeIndicators(fetched.rows.map(indicatorRow), period, fetched.now).received.value);
      expect(shown).toBeGreaterThan(0);
      expect(await page.locator('[data-test=archive-status]').innerText()).toMatch(/历史工单（.+）已存本机，更新于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

      // Offline, reloaded: the page starts at this month again; the month long past is still there.
      await context.setOffline(true);
      await page.reload();
      await page.waitForSelector('[data-indicator=received]', { timeout: WAIT_MS });
      await stepBack(page, 3);
      expect(await shownPeriod(page)).toEqual(period);
      await page.waitForSelector('[data-test=archive-status][data-state=fresh]', { timeout: WAIT_MS });
      await page.waitForFunction((n) => document.querySelector('[data-indicator=received] strong')?.textContent?.trim() === String(n), shown, { timeout: WAIT_MS });
      // A month never fetched says it will load once online.
      await stepBack(page, 2);
      await page.waitForSelector('[data-test=archive-status][data-state=waiting]', { timeout: WAIT_MS });
      expect(await page.locator('[data-test=archive-status]').innerText()).toContain('联网后自动加载');
    } finally {
      await phone.close();
    }
  }, 240_000);
  it('lists an order archived lately, no longer in the live index, in the worker’s 已办结 from this month’s and last month’s archives, kept offline', async () => {
    const worker = server.user('grid_worker');
    const api = new LianxinApi({ baseUrl: server.url });
    const { token, serverTime } = await api.login(worker.id, server.password);
    /** The entries of an index doc as the server lists it now (a bulk read, as a new device's). */
    const entries = async (name: string): Promise<Map<string, { status: string; orderNo: string; closedAt: number | null }>> => {
      const entry = (await api.fetchDocs(token, [name]))[name];
      const doc = new Y.Doc();
      if (entry && 'update' in entry) Y.applyUpdate(doc, entry.update);
      const map = new Map(doc.getMap<{ status: string; orderNo: string; closedAt: number | null }>(INDEX_ORDERS_MAP).entries());
      doc.destroy();
      return map;
    };
    const grid = gridIndexDocName(worker.unitId);
    // Archived orders leave the live index at once: none is listed there, however lately it closed.
    const live = await entries(grid);
    expect(live.size).toBeGreaterThan(0);
    expect([...live.values()].filter((e) => e.status === 'archived' || e.status === 'merged')).toEqual([]);
    let lately: { id: string; orderNo: string } | null = null;
    for (const month of recentArchiveMonths(serverTime).reverse()) {
      for (const [id, e] of await entries(archiveIndexDocName(grid, month))) if (e.status === 'archived' && (lately === null || lately.id < id)) lately = { id, orderNo: e.orderNo };
      if (lately) break;
    }
    expect(lately).not.toBeNull();
    const { id, orderNo } = lately!;

    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      const login = new LoginScreen(page);
      await login.openReadyOffline(`${server.url}/`);
      await login.signIn(worker.id, server.password);
      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
      // 已办结: this month's and last month's archives open with the tab, and say how fresh they are.
      await page.click('.van-tab:has-text("已办结")');
      await page.waitForSelector('[data-test=archive-status][data-state=fresh]', { timeout: WAIT_MS });
      expect(await page.locator('[data-test=archive-status]').innerText()).toMatch(/历史工单（\d{4}-\d{2}、\d{4}-\d{2}）已存本机/);
      await page.fill('[data-test=inbox-search] input', orderNo);
      await page.waitForSelector(`[data-order-id="${id}"]`, { timeout: WAIT_MS });

      // Offline, reloaded: still there, from the archives kept on the device.
      await context.setOffline(true);
      await page.reload();
      // The inbox started offline before the tab is chosen: a click on the first frame's tabs could be drawn over.
      await page.waitForSelector('[data-test=sync-bar][data-phase=offline]', { timeout: WAIT_MS });
      await page.click('.van-tab:has-text("已办结")');
      await page.waitForSelector('[data-test=archive-status][data-state=fresh]', { timeout: WAIT_MS });
      await page.fill('[data-test=inbox-search] input', orderNo);
      await page.waitForSelector(`[data-order-id="${id}"]`, { timeout: WAIT_MS });
    } finally {
      await phone.close();
    }
  }, 240_000);
});
