/**
 * The office's desk against a real sync server with the demo's month: a
 * street clerk at a 1280×800 window lands on 工作台, sees the queues' counts,
 * opens an order from a queue into the right pane, moves to the next with the
 * keyboard, and still has the queues offline after a reload. A supervisor
 * lands on the 超期 queue of the district; an admin finds a user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LoginScreen, launchPhone, startSyncServer, type SyncServer } from './fixtures.ts';
import { WAIT_MS } from '../../support/wait.ts';
import { newOrder, queueCounts, rowIds as rowsOf, showQueue as show, waitForCounts, waitForQueueCount as waitForCount } from './office.ts';

let server: SyncServer;
let appUrl: string;

beforeAll(async () => {
  server = await startSyncServer();
  appUrl = `${server.url}/`;
});

afterAll(async () => {
  await server?.stop();
});

const shownCount = async (page: Page) => Number((await page.textContent('[data-test=desk-count]'))?.match(/共 (\d+) 件/)?.[1]);

describe('the desk', () => {
  it('shows a clerk the queues, opens an order beside them, moves on by keyboard, and works offline', async () => {
    const desk = await launchPhone({ desk: true });
    try {
      const { page, context } = desk;
      const login = new LoginScreen(page);
      await login.open(appUrl);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
      await login.signIn(server.account('street_clerk'), server.password);
      await page.waitForURL(/#\/desk/, { timeout: WAIT_MS });
      expect(await page.textContent('.van-nav-bar__title')).toBe('工作台');

      const counts = await waitForCounts(page);
      expect(Object.keys(counts).sort()).toEqual(['callback', 'conflicts', 'dispatch', 'extension', 'overdue', 'reply', 'review', 'warning']);
      // A queue with at least two orders, to step through.
      const queue = Object.entries(counts).find(([, n]) => n >= 2)?.[0];
      expect(queue).toBeTruthy();
      await page.click(`[data-test=desk-queue-${queue}]`);
      await page.waitForFunction((q) => document.querySelector(`[data-test=desk-queue-${q}]`)?.getAttribute('aria-pressed') === 'true', queue);
      expect(await shownCount(page)).toBe(counts[queue!]);

      const [first, second] = await rowsOf(page);
      await page.click(`[data-test=desk-row][data-order-id="${first}"]`);
      await page.waitForSelector('[data-test=desk-order] .order-page__title', { timeout: WAIT_MS });
      expect(page.url()).toContain(`order=${first}`);
      const firstTitle = await page.textContent('[data-test=desk-order] .order-page__title');
      expect(firstTitle).toBe(await page.textContent(`[data-test=desk-row][data-order-id="${first}"] .desk-row__title`));

      await page.keyboard.press('j');
      await page.waitForURL(new RegExp(`order=${second}`), { timeout: WAIT_MS });
      await page.waitForSelector(`[data-test=desk-row][data-order-id="${second}"][aria-current=true]`);
      await page.keyboard.press('k');
      await page.waitForURL(new RegExp(`order=${first}`), { timeout: WAIT_MS });

      // Selecting orders shows the batch bar with how many.
      if (queue === 'dispatch' || queue === 'callback' || queue === 'reply') {
        await page.click(`[data-test=desk-row][data-order-id="${second}"] [data-test=desk-row-select]`);
        expect(await page.textContent('[data-test=desk-batch-count]')).toBe('已选 1 件');
      }

      // Offline, after a reload: the queues come from the device.
      await context.setOffline(true);
      await page.reload();
      await page.waitForSelector('[data-test=sync-bar][data-phase=offline]', { timeout: WAIT_MS });
      const offline = await waitForCounts(page);
      expect(offline).toEqual(counts);
      await page.waitForSelector('[data-test=desk-order] .order-page__title', { timeout: WAIT_MS });
      await context.setOffline(false);
    } finally {
      await desk.close();
    }
  });

  it('opens the 派单 sheet with d, and dispatches and archives selected orders in one go', async () => {
    const desk = await launchPhone({ desk: true });
    try {
      const { page } = desk;
      // The demo's 待派单 depends on the hour it was seeded at (orders come in working hours): three of the test's own.
      for (const address of ['青年巷11号', '青年巷12号', '青年巷13号']) await newOrder(server, address);
      const login = new LoginScreen(page);
      await login.open(appUrl);
      await login.signIn(server.account('street_clerk'), server.password);
      await page.waitForURL(/#\/desk/, { timeout: WAIT_MS });
      await waitForCounts(page);
      await page.waitForFunction(() => Number(document.querySelector('[data-test=desk-queue-dispatch] [data-test=desk-queue-count]')?.textContent) >= 3, null, {
        timeout: WAIT_MS,
      });
      const counts = await queueCounts(page);
      expect(counts.dispatch).toBeGreaterThanOrEqual(3);
      expect(counts.callback).toBeGreaterThanOrEqual(1);
      expect(counts.reply).toBeGreaterThanOrEqual(1);
      const rowIds = () => rowsOf(page);
      const showQueue = (queue: string) => show(page, queue);
      const waitForQueueCount = (queue: string, n: number) => waitForCount(page, queue, n);

      // d on a 待派单 order opens its 派单 sheet; closing it, the keys are the desk's again.
      await showQueue('dispatch');
      const [first, second, third] = await rowIds();
      await page.click(`[data-test=desk-row][data-order-id="${first}"]`);
      await page.waitForSelector('[data-test=desk-order] .order-page__title', { timeout: WAIT_MS });
      await page.keyboard.press('d');
      await page.waitForSelector('[data-test=dispatch-form]', { state: 'visible', timeout: WAIT_MS });
      await page.click('.van-popup__close-icon');
      await page.waitForSelector('[data-test=dispatch-form]', { state: 'detached', timeout: WAIT_MS });

      // 批量派单: one tree for two orders, a dispatch written to each; they leave the queue.
      for (const id of [second, third]) await page.click(`[data-test=desk-row][data-order-id="${id}"] [data-test=desk-row-select]`);
      await page.click('[data-test=desk-batch-dispatch]');
      await page.waitForSelector('[data-test=dispatch-form]', { state: 'visible', timeout: WAIT_MS });
      expect(await page.textContent('[data-test=dispatch-form] .sheet-form__title')).toBe('批量派单（2 件）');
      expect(await page.$('[data-test=dispatch-suggestion]')).toBeNull();
      await page.click('[data-test=dispatch-tree] [data-unit]');
      await page.click('[data-test=dispatch-submit]');
      await page.waitForSelector('[data-test=dispatch-form]', { state: 'detached', timeout: WAIT_MS });
      await waitForQueueCount('dispatch', counts.dispatch! - 2);
      expect(await rowIds()).not.toContain(second);

      // 批量归档: allowed on a replied order (回访 queue), written; refused on a reviewed one (回复 queue), skipped and said so.
      await showQueue('callback');
      const [replied] = await rowIds();
      await page.click(`[data-test=desk-row][data-order-id="${replied}"] [data-test=desk-row-select]`);
      await page.click('[data-test=desk-batch-archive]');
      await page.click('.van-dialog__confirm');
      await page.waitForFunction(() => document.querySelector('.van-notify')?.textContent?.includes('已处理 1 件；跳过 0 件'), null, { timeout: WAIT_MS });
      await waitForQueueCount('callback', counts.callback! - 1);

      await showQueue('reply');
      const [reviewed] = await rowIds();
      await page.click(`[data-test=desk-row][data-order-id="${reviewed}"] [data-test=desk-row-select]`);
      await page.click('[data-test=desk-batch-archive]');
      await page.click('.van-dialog__confirm');
      await page.waitForFunction(() => document.querySelector('.van-notify')?.textContent?.includes('已处理 0 件；跳过 1 件'), null, { timeout: WAIT_MS });
      expect(await rowIds()).toContain(reviewed);
    } finally {
      await desk.close();
    }
  });

  it('lands a supervisor on the indicators, and shows the overdue queue of the district on the desk, read-only', async () => {
    const desk = await launchPhone({ desk: true });
    try {
      const { page } = desk;
      const login = new LoginScreen(page);
      await login.open(appUrl);
      await login.signIn(server.account('supervisor'), server.password);
      await page.waitForURL(/#\/indicators/, { timeout: WAIT_MS });
      await page.click('[data-test=tab-desk]');
      await page.waitForURL(/#\/desk/, { timeout: WAIT_MS });
      expect(await page.textContent('.van-nav-bar__title')).toBe('本区督查');
      const counts = await waitForCounts(page);
      expect(Object.keys(counts).sort()).toEqual(['conflicts', 'overdue', 'warning']);
      expect(await page.getAttribute('[data-test=desk-queue-overdue]', 'aria-pressed')).toBe('true');
      expect(counts.overdue).toBeGreaterThan(0);
      expect(await shownCount(page)).toBe(counts.overdue);
      // Orders of more than one street: the whole district.
      await page.waitForSelector('[data-test=desk-row]');
      expect(await page.$('[data-test=desk-row-select]')).toBeNull();
      expect(await page.$('[data-test=desk-no-scope]')).toBeNull();
    } finally {
      await desk.close();
    }
  });

  it('lets an admin find a user', async () => {
    const desk = await launchPhone({ desk: true });
    try {
      const { page } = desk;
      const login = new LoginScreen(page);
      await login.open(appUrl);
      await login.signIn(server.account('admin'), server.password);
      await page.waitForURL(/#\/admin/, { timeout: WAIT_MS });
      const clerk = server.user('street_clerk');
      await page.waitForSelector('[data-test=admin-user]', { timeout: WAIT_MS });
      await page.fill('[data-test=admin-search] input', clerk.name);
      await page.waitForFunction((id) => {
        const cells = [...document.querySelectorAll('[data-test=admin-user]')];
        return cells.length >= 1 && cells.every((c) => c.textContent?.includes(id) || false) && cells.some((c) => c.textContent?.includes(id));
      }, clerk.id);
      expect(await page.textContent('[data-test=admin-user]')).toContain(clerk.name);
      // Admins read no orders: the inbox is not theirs.
      await page.goto(`${appUrl}#/inbox`);
      await page.waitForURL(/#\/admin/, { timeout: WAIT_MS });
    } finally {
      await desk.close();
    }
  });
});
