/**
 * Helpers for the office's e2e tests (office-actions, desk, full-loop): file
 * an order through the server's intake, read an order as the server holds
 * it, drive the order page's action sheets, a worker's 办结 and 事件上报,
 * 已回复 as the extension writes it, and the desk's queues.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { LianxinApi } from '#shared/client/api.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { readEvents, readIntake } from '#shared/sync/order-doc.ts';
import { deriveOrder, type OrderView } from '#shared/order/reducer.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import { markReplied } from '#extension/entrypoints/background/reply-rule.ts';
import { TestClient } from '../../server/support/client.ts';
import { hotlineIntake } from '../../server/support/fixture.ts';
import { OrderScreen, makeJpeg, type SyncServer } from './fixtures.ts';
import { WAIT_MS } from '../../support/wait.ts';

/**
 * A new hotline order (at the demo worker's grid unless the intake says otherwise), filed by the clerk through the
 * intake API, due `dueInMs` after the server's now (five days unless said).
 */
export async function newOrder(server: SyncServer, address = '幸福里小区8号楼', overrides: Parameters<typeof hotlineIntake>[0] = {}, dueInMs = 5 * 86_400_000): Promise<string> {
  const api = new LianxinApi({ baseUrl: server.url });
  const { token, serverTime } = await api.login(server.account('street_clerk'), server.password);
  const intake = { ...hotlineIntake({ address, ...overrides }), receivedAt: serverTime, deadline: serverTime + dueInMs };
  const { id } = await api.createOrders(token, intake);
  return id;
}

let readerSeed = 100;
/** The order as the server holds it, read by a scripted client of the clerk. */
export async function serverOrder(server: SyncServer, id: string): Promise<{ intake: OrderIntake; view: OrderView }> {
  const reader = await TestClient.connect(server, server.user('street_clerk'), readerSeed++, server.password);
  try {
    const doc = (await reader.open(orderDocName(id)).synced()).doc;
    const intake = readIntake(doc);
    if (!intake?.ok) throw new Error(`order ${id} has no intake on the server`);
    return { intake: intake.value, view: deriveOrder(intake.value, readEvents(doc).events, Date.now()) };
  } finally {
    reader.close();
  }
}

let replySeed = 300;
/**
 * 已回复 as the extension writes it once the reply is in the portal: its own
 * `markReplied` (which refuses where the rules would only record a
 * conflict), over a scripted client of the clerk.
 */
export async function replyAsExtension(server: SyncServer, id: string): Promise<void> {
  const clerk = server.user('street_clerk');
  const scripted = await TestClient.connect(server, clerk, replySeed++, server.password);
  try {
    const doc = await scripted.open(orderDocName(id)).synced();
    await markReplied(
      {
        act: async (orderId, draft, allow) => {
          if (orderId !== id) throw new Error(`asked to reply to ${orderId}`);
          const intake = readIntake(doc.doc);
          if (!intake?.ok) throw new Error(`order ${id} has no intake`);
          allow?.(deriveOrder(intake.value, readEvents(doc.doc).events, scripted.at()));
          doc.append(scripted.write(doc, draft, scripted.at()));
          const refused = await doc.settled();
          if (refused) throw new Error(`the server refused 已回复 on ${id}: ${JSON.stringify(refused)}`);
          return deriveOrder(intake.value, readEvents(doc.doc).events, scripted.at());
        },
      },
      id,
      'e2e-portal',
      clerk,
    );
  } finally {
    scripted.close();
  }
}

/** Waits until the order page on `page` shows an event of `type` in its timeline `count` times. */
export async function seen(page: Page, type: string, count = 1): Promise<void> {
  await page.waitForFunction(
    ({ type, count }) => document.querySelectorAll(`[data-test=order-timeline] li[data-event-type=${type}]`).length >= count,
    { type, count },
    { timeout: WAIT_MS },
  );
}

/** Waits until the order page on `page` shows `label` as the order's status. */
export async function statusIs(page: Page, label: string): Promise<void> {
  await page.waitForFunction((label) => document.querySelector('.order-page__status .van-tag')?.textContent?.trim() === label, label, { timeout: WAIT_MS });
}

export async function sheetAction(page: Page, action: string, form: string): Promise<void> {
  await page.click(`[data-test=order-actions] [data-action=${action}]`, { timeout: WAIT_MS });
  await page.waitForSelector(`[data-test=${form}]`);
}

export async function submitted(page: Page, form: string, button: string): Promise<void> {
  await page.click(`[data-test=${button}]`);
  await page.waitForSelector(`[data-test=${form}]`, { state: 'detached', timeout: WAIT_MS });
}

/** Opens the 派单 sheet, checks the unit it suggests, and dispatches there. */
export async function dispatchBySuggestion(page: Page, expected: string): Promise<void> {
  await sheetAction(page, 'dispatch', 'dispatch-form');
  const suggestion = await page.waitForSelector('[data-test=dispatch-suggestion]', { timeout: WAIT_MS });
  expect(await suggestion.getAttribute('data-unit')).toBe(expected);
  await suggestion.click();
  await submitted(page, 'dispatch-form', 'dispatch-submit');
}

/** The worker's 办结 on the order open on `worker`, with a site photo if it has none yet. */
export async function workerCloses(worker: Page, label: string): Promise<void> {
  const order = new OrderScreen(worker);
  if ((await worker.locator('[data-test=photo-grid] [data-sha256]').count()) === 0) {
    expect(await order.addPhotos([{ name: 'site.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(worker, label) }])).toEqual([]);
  }
  await order.close({ actions: `${label}：已到场处理完毕，现场恢复正常。`, publicReply: '您反映的问题已处理，感谢监督。', method: '电话' });
}

/** The worker's 事件上报 form, filled but not sent. */
export async function fillReport(worker: Page, appUrl: string, kind: string, title: string, content: string, address: string): Promise<void> {
  await worker.goto(`${appUrl}#/report`);
  await worker.waitForSelector('[data-test=report-kind]');
  await worker.click(`[data-test=report-kind] [data-value=${kind}]`);
  await worker.fill('input[placeholder="一句话说明问题，例如：井盖缺损"]', title);
  await worker.fill('textarea[placeholder="详细描述现场情况"]', content);
  await worker.fill('input[placeholder="事发地址或附近标志"]', address);
}

// ---- the desk ----

/** The count shown for each queue on the desk. */
export async function queueCounts(page: Page): Promise<Record<string, number>> {
  return page.$$eval('[data-test^=desk-queue-]:not([data-test=desk-queue-count])', (buttons) =>
    Object.fromEntries(
      buttons.map((b) => [(b as HTMLElement).dataset.test!.slice('desk-queue-'.length), Number(b.querySelector('[data-test=desk-queue-count]')?.textContent)]),
    ),
  );
}

/**
 * Waits until the desk shows every queue's count (the index has reached the device; no queue still arriving
 * shows –, bench/README.md "First sync, part 13") and one queue has orders.
 */
export async function waitForCounts(page: Page): Promise<Record<string, number>> {
  await page.waitForFunction(
    () => {
      const shown = [...document.querySelectorAll('[data-test=desk-queue-count]')].map((el) => Number(el.textContent));
      return shown.every((n) => Number.isInteger(n)) && shown.some((n) => n > 0);
    },
    null,
    { timeout: WAIT_MS },
  );
  return queueCounts(page);
}

/** Waits until the desk shows `n` as the count of `queue`. */
export async function waitForQueueCount(page: Page, queue: string, n: number): Promise<void> {
  await page.waitForFunction(([q, want]) => Number(document.querySelector(`[data-test=desk-queue-${q}] [data-test=desk-queue-count]`)?.textContent) === want, [queue, n] as const, {
    timeout: WAIT_MS,
  });
}

/** Shows `queue` on the desk and waits for its first rows. */
export async function showQueue(page: Page, queue: string): Promise<void> {
  await page.click(`[data-test=desk-queue-${queue}]`);
  await page.waitForFunction((q) => document.querySelector(`[data-test=desk-queue-${q}]`)?.getAttribute('aria-pressed') === 'true', queue);
  await page.waitForSelector('[data-test=desk-row]', { timeout: WAIT_MS });
}

/** The ids of the desk's rows drawn now. */
export function rowIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-test=desk-row]', (rows) => rows.map((r) => (r as HTMLElement).dataset.orderId!));
}

/** Shows `queue`, waits for the order's row in it, and opens the order in the desk's right pane. */
export async function openFromQueue(page: Page, queue: string, id: string): Promise<void> {
  await showQueue(page, queue);
  const row = `[data-test=desk-row][data-order-id="${id}"]`;
  await page.waitForSelector(row, { timeout: WAIT_MS });
  await page.click(row);
  await page.waitForURL(new RegExp(`order=${id}`), { timeout: WAIT_MS });
  await page.waitForSelector('[data-test=desk-order] [data-test=order-timeline]', { timeout: WAIT_MS });
}
