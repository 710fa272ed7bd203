/**
 * The office's half of the loop in real Chromium, two browser contexts
 * against a real sync server: a grid worker's phone and a street clerk.
 *
 * - 派单 through the tree with the address's suggestion → 签收 → 办结 →
 *   审核退回 (with a redo deadline) → the worker redoes and closes → 审核通过 →
 *   已回复 (written as the extension writes it, by a scripted client) → 回访
 *   不满意, which offers 重办 at once → 重办.
 * - 延期: one request approved (the deadline moves), one refused (it does not).
 * - 督办 reaches the worker's phone as a banner with the reason.
 * - A returned order shows the handler's reason and is dispatched again.
 * - A worker's 事件上报 with a photo: the clerk sees the photo and dispatches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { TestClient } from '../../server/support/client.ts';
import { LoginScreen, OrderScreen, launchPhones, makeJpeg, startSyncServer, type SyncServer } from './fixtures.ts';
import { dispatchBySuggestion, fillReport, newOrder as fileOrder, seen, serverOrder as readOrder, sheetAction, submitted, workerCloses } from './office.ts';
import { WAIT_MS } from '../../support/wait.ts';

let server: SyncServer;
let appUrl: string;
let phones: Awaited<ReturnType<typeof launchPhones>>;
let worker: Page;
let clerk: Page;

/** The worker's grid and its community (demo ids: d1-s1-c1-g1 under d1-s1-c1). */
let grid: string;
let community: string;

beforeAll(async () => {
  server = await startSyncServer({ seed: { count: 40, openCount: 12, org: { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 1, gridsPerCommunity: 2 } } });
  appUrl = `${server.url}/`;
  grid = server.user('grid_worker').unitId;
  community = grid.replace(/-g\d+$/, '');
  phones = await launchPhones(2);
  worker = phones.phones[0]!.page;
  clerk = phones.phones[1]!.page;
  for (const [page, role] of [
    [worker, 'grid_worker'],
    [clerk, 'street_clerk'],
  ] as const) {
    const login = new LoginScreen(page);
    await login.open(appUrl);
    await login.signIn(server.account(role), server.password);
    await page.waitForSelector('[data-test=sync-bar]', { timeout: WAIT_MS });
  }
});

afterAll(async () => {
  await phones?.close();
  await server?.stop();
});

const newOrder = (address?: string) => fileOrder(server, address);
const serverOrder = (id: string) => readOrder(server, id);

describe('the office on an order', () => {
  let loopOrder = '';

  it('派单 by the suggestion → 签收 → 办结 → 审核退回 → 重办 办结 → 审核通过 → 已回复 → 回访 不满意 → 重办', async () => {
    loopOrder = await newOrder();
    const onClerk = new OrderScreen(clerk);
    const onWorker = new OrderScreen(worker);

    await onClerk.open(appUrl, loopOrder);
    await dispatchBySuggestion(clerk, grid);
    await seen(clerk, 'dispatch');

    await onWorker.open(appUrl, loopOrder);
    await worker.waitForSelector('[data-action=accept]', { timeout: WAIT_MS });
    await onWorker.accept();
    await workerCloses(worker, '第一次办理');

    // 审核退回 with a reason; the redo deadline is the sheet's default.
    await seen(clerk, 'close');
    await sheetAction(clerk, 'review', 'review-form');
    await clerk.click('[data-test=review-decision] [data-value=reject]');
    await clerk.fill('[data-test=review-form] textarea[name=reason]', '照片看不清井盖，请补拍');
    await submitted(clerk, 'review-form', 'review-submit');
    await seen(clerk, 'review_reject');

    // Back on the worker's phone as 重办: the reason in the timeline, 办结 offered again.
    await seen(worker, 'review_reject');
    expect(await worker.textContent('[data-test=order-timeline]')).toContain('照片看不清井盖');
    await worker.waitForSelector('[data-action=close]', { timeout: WAIT_MS });
    await workerCloses(worker, '补拍后');

    await seen(clerk, 'close', 2);
    await sheetAction(clerk, 'review', 'review-form');
    await submitted(clerk, 'review-form', 'review-submit');
    await seen(clerk, 'review_pass');

    // 已回复 as the extension writes it.
    const scripted = await TestClient.connect(server, server.user('street_clerk'), 41, server.password);
    try {
      const doc = await scripted.open(orderDocName(loopOrder)).synced();
      doc.append(scripted.write(doc, { type: 'portal_reply', payload: { portal: 'e2e' } }, scripted.at()));
      await doc.acked();
    } finally {
      scripted.close();
    }
    await seen(clerk, 'portal_reply');

    // 回访 不满意 → the page offers 重办 at once, its reason taken from the call.
    await sheetAction(clerk, 'callback', 'callback-form');
    await clerk.click('[data-test=callback-reached] [data-value=phone]');
    await clerk.click('[data-test=callback-satisfaction] [data-value=unsatisfied]');
    await clerk.fill('[data-test=callback-form] textarea[name=note]', '群众说井盖仍然松动');
    await submitted(clerk, 'callback-form', 'callback-submit');
    await clerk.waitForSelector('.van-dialog >> text=群众不满意', { timeout: WAIT_MS });
    await clerk.click('.van-dialog__confirm');
    await clerk.waitForSelector('[data-test=reopen-form]');
    expect(await clerk.inputValue('[data-test=reopen-form] textarea[name=reason]')).toBe('群众说井盖仍然松动');
    await submitted(clerk, 'reopen-form', 'reopen-submit');
    await seen(clerk, 'reopen');

    // On the worker's phone, so on the server.
    await seen(worker, 'reopen');
    await worker.waitForSelector('[data-action=close]', { timeout: WAIT_MS });
    const reopened = (await serverOrder(loopOrder)).view;
    expect(reopened).toMatchObject({ status: 'in_progress', reviewRejections: 1, reopenCount: 1, conflicts: [] });
    // The redo's deadline is in the future, and the whole history is still there.
    expect(reopened.deadline).toBeGreaterThan(Date.now());
    expect(reopened.timeline.filter((e) => e.event.type === 'close')).toHaveLength(2);
  });

  it('延期: approved moves the deadline, refused does not; each shows the request first', async () => {
    const onWorker = new OrderScreen(worker);
    await onWorker.open(appUrl, loopOrder);
    const request = async (reason: string) => {
      await sheetAction(worker, 'extension_request', 'extension-form');
      await worker.fill('[data-test=extension-form] textarea[name=reason]', reason);
      await worker.click('[data-test=extension-form] button[type=submit]');
      await worker.waitForSelector('[data-test=extension-form]', { state: 'detached', timeout: WAIT_MS });
    };
    const decide = async (decision: 'approve' | 'refuse', reason: string) => {
      await sheetAction(clerk, 'extension_decide', 'extension-decision-form');
      expect(await clerk.textContent('[data-test=extension-decision-form]')).toContain(reason);
      await clerk.click(`[data-test=extension-decision] [data-value=${decision}]`);
      if (decision === 'refuse') await clerk.fill('[data-test=extension-decision-form] textarea[name=reason]', '时限内可以完成');
      await submitted(clerk, 'extension-decision-form', 'extension-decision-submit');
    };

    const before = (await serverOrder(loopOrder)).view.deadline;
    await request('需要协调施工单位更换井座');
    await new OrderScreen(clerk).open(appUrl, loopOrder);
    await seen(clerk, 'extension_request');
    await decide('approve', '需要协调施工单位更换井座');
    await seen(worker, 'extension_approve');
    const approved = (await serverOrder(loopOrder)).view;
    expect(approved.deadline).toBeGreaterThan(before);
    expect(approved.deadlineExtended).toBe(true);

    await request('再延几天');
    await seen(clerk, 'extension_request', 2);
    await decide('refuse', '再延几天');
    await seen(worker, 'extension_refuse');
    expect(await worker.textContent('[data-test=order-timeline]')).toContain('时限内可以完成');
    const refused = (await serverOrder(loopOrder)).view;
    expect(refused.deadline).toBe(approved.deadline);
    expect(refused.pendingExtension).toBeNull();
  });

  it("督办 reaches the worker's phone as a banner with who, why and by when", async () => {
    await sheetAction(clerk, 'supervise', 'supervise-form');
    await clerk.click('[data-test=supervise-level] [data-value=warning]');
    await clerk.fill('[data-test=supervise-form] textarea[name=note]', '群众第三次来电，请今天答复');
    await clerk.click('[data-test=supervise-hours] [data-value="4"]');
    await submitted(clerk, 'supervise-form', 'supervise-submit');
    await seen(clerk, 'supervise');

    const banner = await worker.waitForSelector('[data-test=supervision-banner]', { timeout: WAIT_MS });
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('黄牌警告');
    expect(text).toContain('群众第三次来电，请今天答复');
    expect(text).toMatch(/请于 .+ 前响应/);
  });

  it('a returned order shows the reason and is dispatched again', async () => {
    const id = await newOrder('青年巷7号');
    const onClerk = new OrderScreen(clerk);
    const onWorker = new OrderScreen(worker);
    await onClerk.open(appUrl, id);
    await dispatchBySuggestion(clerk, grid);

    await onWorker.open(appUrl, id);
    await worker.waitForSelector('[data-action=return]', { timeout: WAIT_MS });
    await onWorker.returnOrder('不属于本网格，属于社区公共部位');

    await seen(clerk, 'return');
    expect(await (await clerk.waitForSelector('[data-test=returned-notice]', { timeout: WAIT_MS })).textContent()).toContain('不属于本网格');
    await sheetAction(clerk, 'dispatch', 'dispatch-form');
    expect(await clerk.textContent('[data-test=dispatch-form] [data-test=returned-notice]')).toContain('不属于本网格');
    // The grid that returned it is not suggested again; the clerk picks the community in the tree.
    expect(await clerk.getAttribute('[data-test=dispatch-suggestion]', 'data-unit')).not.toBe(grid);
    await clerk.click(`[data-test=dispatch-tree] [data-unit="${community}"]`);
    await submitted(clerk, 'dispatch-form', 'dispatch-submit');
    await seen(clerk, 'dispatch', 2);
    expect(await clerk.locator('[data-test=returned-notice]').count()).toBe(0);
  });

  it("a worker's field report with a photo: the clerk sees the photo and dispatches the report", async () => {
    await fillReport(worker, appUrl, 'facility', '路灯杆倾斜', '北海路口路灯杆被车撞歪，有倾倒危险。', '幸福里小区8号楼东侧');
    await worker.setInputFiles('.report__add input[type=file]', [{ name: 'lamp.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(worker, '路灯') }]);
    await worker.waitForSelector('.report__thumb', { timeout: WAIT_MS });
    await worker.click('.report form button[type=submit]');
    await worker.waitForURL(/#\/orders\/fr-/, { timeout: WAIT_MS });
    const id = /#\/orders\/(fr-[0-9a-z]+)/.exec(worker.url())![1]!;
    await worker.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });

    const { intake } = await serverOrder(id);
    expect(intake).toMatchObject({ fieldKind: 'facility', type: 'other', orderNo: expect.stringMatching(new RegExp(`^SB-${grid.toUpperCase()}-\\d{8}-[A-Z]{3}1$`)) });

    const onClerk = new OrderScreen(clerk);
    await onClerk.open(appUrl, id);
    await clerk.waitForSelector('[data-test=report-photos] [data-sha256] img', { timeout: WAIT_MS });
    expect(await clerk.textContent('.order-page__title')).toContain('路灯杆倾斜');
    await dispatchBySuggestion(clerk, grid);
    await seen(clerk, 'dispatch');
  });

  it('自行处置: the report is closed in the same step, on the phone and on the server', async () => {
    await fillReport(worker, appUrl, 'environment', '绿化带垃圾堆积', '幸福里小区东门绿化带有生活垃圾堆积。', '幸福里小区东门');
    await worker.click('[data-test=report-self-handled]');
    await worker.fill('textarea[name=handled]', '已联系保洁当场清运完毕。');
    await worker.click('.report form button[type=submit]');
    await worker.waitForURL(/#\/orders\/fr-/, { timeout: WAIT_MS });
    const id = /#\/orders\/(fr-[0-9a-z]+)/.exec(worker.url())![1]!;
    await seen(worker, 'close');
    await worker.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
    const { intake, view } = await serverOrder(id);
    expect(intake.selfHandled).toBe(true);
    expect(view).toMatchObject({ status: 'closed', assignee: server.user('grid_worker').id, conflicts: [] });
    expect(view.result?.actions).toBe('已联系保洁当场清运完毕。');
  });

  it('有冲突: the clerk sees what happened and settles it', async () => {
    const id = await newOrder('青年巷9号');
    const scripted = await TestClient.connect(server, server.user('street_clerk'), 61, server.password);
    try {
      const doc = await scripted.open(orderDocName(id)).synced();
      // An archive written before anything was closed: kept, shown, without effect.
      doc.append(scripted.write(doc, { type: 'archive', payload: {} }, scripted.at()));
      await doc.acked();
    } finally {
      scripted.close();
    }
    await new OrderScreen(clerk).open(appUrl, id);
    await clerk.click('[data-test=conflict-resolve]', { timeout: WAIT_MS });
    await clerk.waitForSelector('[data-test=conflict-form]');
    expect(await clerk.textContent('[data-test=conflict-what]')).toContain('归档');
    await clerk.fill('[data-test=conflict-form] textarea[name=note]', '误操作，工单尚未办结');
    await submitted(clerk, 'conflict-form', 'conflict-submit');
    await seen(clerk, 'conflict_resolve');
    await clerk.waitForSelector('[data-test=order-conflicts] >> text=已处理', { timeout: WAIT_MS });
    expect(await clerk.locator('[data-test=conflict-resolve]').count()).toBe(0);
  });
});
