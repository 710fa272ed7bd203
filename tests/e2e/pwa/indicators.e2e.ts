/**
 * 数据分析 offline: a supervisor signs in and lands on it, syncs the
 * district's street indexes, goes offline, reloads, sees the indicators computed from the device's rows, and
 * opens the orders behind 当前超期. The figure is checked against the shared
 * function applied to the rows read straight from IndexedDB; so are cells of
 * the 月通报 .xlsx the page exports offline (exceljs from the precache).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { computeIndicators } from '#shared/indicators/indicators.ts';
import { overdueOpenCount } from '#shared/indicators/overdue.ts';
import { DAY_MS } from '#shared/indicators/period.ts';
import { TYPE_NAMES } from '#shared/indicators/report.ts';
import { sharesBy } from '#shared/indicators/shares.ts';
import { indicatorRow, type IndicatorRow } from '#shared/indicators/row.ts';
import { LianxinApi } from '#shared/client/api.ts';
import { LoginScreen, launchPhone, startSyncServer, storedRows, type SyncServer } from './fixtures.ts';
import { hotlineIntake } from '../../server/support/fixture.ts';
import { WAIT_MS } from '../../support/wait.ts';

let server: SyncServer;

beforeAll(async () => {
  server = await startSyncServer();
  // One open order past its deadline whatever the day and hour: the demo's open orders are received lately and
  // may all be within their deadlines (on a Sunday evening they were), and 当前超期 is then rightly 0.
  const api = new LianxinApi({ baseUrl: server.url });
  const { token, serverTime } = await api.login(server.account('street_clerk'), server.password);
  await api.createOrders(token, { ...hotlineIntake({ address: '幸福里小区3号楼' }), receivedAt: serverTime - 10 * DAY_MS, deadline: serverTime - 3 * DAY_MS });
});

afterAll(async () => {
  await server?.stop();
});

/** Every order row on the device, read without the app, and the page's clock when read. */
const deviceRows = (page: Page) => storedRows<IndicatorRow>(page, 'orders');

const tileValue = (page: Page, key: string): Promise<string> => page.locator(`[data-indicator=${key}] strong`).innerText();

describe('indicators', () => {
  it('shows the figures offline from the synced index, opens the orders behind 当前超期 and exports the 月通报 .xlsx', async () => {
    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const login = new LoginScreen(page);
      await login.open(`${server.url}/`);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      // A supervisor lands on the indicators of the district.
      await login.signIn(server.account('supervisor'), server.password);
      await page.waitForURL(/#\/indicators/, { timeout: WAIT_MS });
      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
      await page.waitForSelector('[data-indicator=received]', { timeout: WAIT_MS });

      await context.setOffline(true);
      await page.reload();
      await page.waitForSelector('[data-indicator=overdueOpen]', { timeout: WAIT_MS });
      await page.waitForSelector('[data-test=freshness] >> text=数据截至', { timeout: WAIT_MS });

      const before = await deviceRows(page);
      const shown = Number(await tileValue(page, 'overdueOpen'));
      const after = await deviceRows(page);
      expect(before.rows.length).toBeGreaterThan(0);
      // Overdue-now only grows with the clock, and nothing syncs offline: the figure lies between the two reads.
      const low = overdueOpenCount(before.rows.map(indicatorRow), before.now).value;
      const high = overdueOpenCount(after.rows.map(indicatorRow), after.now).value;
      expect(shown).toBeGreaterThanOrEqual(low);
      expect(shown).toBeLessThanOrEqual(high);
      expect(shown).toBeGreaterThan(0);

      await page.click('[data-indicator=overdueOpen]');
      const title = await page.locator('.van-nav-bar__title').innerText();
      expect(title).toContain(`${shown} 件`);
      await page.waitForSelector('.order-card', { timeout: WAIT_MS });
      const overdueCards = await page.locator('.order-card').count();
      expect(overdueCards).toBeGreaterThan(0);
      expect(overdueCards).toBeLessThanOrEqual(shown);
      expect(await page.locator('.order-card--overdue').count()).toBe(overdueCards);
      // The list as .xlsx: one sheet, its orders.
      const [listDownload] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), page.click('[data-test=list-export-xlsx]')]);
      const list = new ExcelJS.Workbook();
      await list.xlsx.readFile((await listDownload.path())!);
      expect(list.worksheets).toHaveLength(1);
      expect(list.worksheets[0]!.getRow(1).getCell(1).value).toBe('工单编号');
      expect(list.worksheets[0]!.rowCount - 1).toBe(shown);

      // The 月通报 .xlsx, exported offline, read back: its cells are the shared functions over the device's rows.
      await page.click('.van-nav-bar__left');
      const [from, to] = (await page.locator('[data-test=period]').innerText()).split(' – ').map((d) => Date.parse(`${d.trim()}T00:00:00+08:00`));
      const period = { from: from!, to: to! + DAY_MS };
      const xlsxBefore = await deviceRows(page);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), page.click('[data-test=export-xlsx]')]);
      expect(download.suggestedFilename()).toMatch(/-月通报\.xlsx$/);
      const xlsxAfter = await deviceRows(page);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile((await download.path())!);
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['汇总', '排名', '类型构成', '超期清单', '不满意回访']);
      const summary = workbook.getWorksheet('汇总')!;
      const figure = (name: string): unknown => summary.getRow(summary.getColumn(1).values.indexOf(name)).getCell(2).value;
      const atBefore = computeIndicators(xlsxBefore.rows.map(indicatorRow), period, xlsxBefore.now);
      const atAfter = computeIndicators(xlsxAfter.rows.map(indicatorRow), period, xlsxAfter.now);
      expect(figure('受理量')).toBe(atBefore.received.value);
      expect(figure('办结量')).toBe(atBefore.closed.value);
      expect(figure('办结率')).toBe(atBefore.closeRate.rate);
      expect(figure('超期件数')).toBeGreaterThanOrEqual(atBefore.overdue.value);
      expect(figure('超期件数')).toBeLessThanOrEqual(atAfter.overdue.value);
      expect(workbook.getWorksheet('超期清单')!.rowCount - 1).toBe(figure('超期件数'));
      const types = workbook.getWorksheet('类型构成')!;
      const shares = sharesBy(xlsxBefore.rows.map(indicatorRow), period, 'type');
      expect(types.rowCount - 1).toBe(shares.length);
      shares.forEach((share, i) => {
        const row = types.getRow(i + 2);
        expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value]).toEqual([TYPE_NAMES[share.key as keyof typeof TYPE_NAMES], share.count, share.share]);
      });
      expect(atBefore.received.value).toBeGreaterThan(0);

      // The ranking drills down to a community and back.
      const unit = page.locator('.ranking__unit').first();
      const name = await unit.innerText();
      await unit.click();
      await page.waitForSelector(`[data-test=crumbs] >> text=${name}`);
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
