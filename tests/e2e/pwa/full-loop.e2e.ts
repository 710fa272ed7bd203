/**
 * The whole 12345 loop in real Chromium, three browser contexts at once
 * against one real sync server: a grid worker's phone (390×844), a street
 * clerk's desk (1280×800) and a supervisor's desk. Orders come in through the
 * server's intake API; everything after is done through the apps' screens,
 * except 已回复, which is written as the extension writes it (its own
 * `markReplied`, over a scripted client) once the reply is in the portal.
 *
 * - The loop: intake → 派单 → 签收 → 办结 → 审核退回 → 重办 → 办结 → 审核通过 →
 *   回复 → 回访 不满意 → 重办 → 办结 → 审核通过 → 回复 → 回访 满意 → 归档, the clerk
 *   offline for the 审核退回 and again for the 回访 and 重办 (queued, sent on
 *   reconnect), the desk's keys held while a dialog is open.
 * - 延期 approved and refused from the desk's 延期待批 queue.
 * - 督办 by the supervisor reaching the worker's banner and notifications.
 * - A returned order re-dispatched; a field report dispatched; a duplicate
 *   merged and closed with its master.
 *
 * What a user sees is asserted (status labels, queue counts, banners), and
 * the server's state where it matters. office-actions.e2e.ts and
 * duplicates.e2e.ts cover the sheets' details (suggestions, what matched).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LoginScreen, OrderScreen, launchPhones, networkSwitch, startSyncServer, type SyncServer } from './fixtures.ts';
import {
  dispatchBySuggestion,
  fillReport,
  newOrder,
  openFromQueue,
  queueCounts,
  replyAsExtension,
  seen,
  serverOrder,
  showQueue,
  sheetAction,
  statusIs,
  submitted,
  waitForCounts,
  waitForQueueCount,
  workerCloses,
} from './office.ts';
import { WAIT_MS } from '../../support/wait.ts';

let server: SyncServer;
let appUrl: string;
let devices: Awaited<ReturnType<typeof launchPhones>>;
let worker: Page;
let clerk: Page;
let clerkNetwork: Awaited<ReturnType<typeof networkSwitch>>;
let supervisor: Page;
/** The worker's grid and its community (demo ids: d1-s1-c1-g1 under d1-s1-c1). */
let grid: string;
let community: string;

beforeAll(async () => {
  server = await startSyncServer({ seed: { count: 40, openCount: 12, org: { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 1, gridsPerCommunity: 2 } } });
  appUrl = `${server.url}/`;
  grid = server.user('grid_worker').unitId;
  community = grid.replace(/-g\d+$/, '');
  devices = await launchPhones(['phone', 'desk', 'desk']);
  const [w, c, s] = devices.phones as [(typeof devices.phones)[number], (typeof devices.phones)[number], (typeof devices.phones)[number]];
  worker = w.page;
  clerk = c.page;
  clerkNetwork = await networkSwitch(c.context);
  supervisor = s.page;
  for (const [page, role, lands] of [
    [worker, 'grid_worker', /#\/inbox/],
    [clerk, 'street_clerk', /#\/desk/],
    [supervisor, 'supervisor', /#\/indicators/],
  ] as const) {
    const login = new LoginScreen(page);
    await login.open(appUrl);
    await login.signIn(server.account(role), server.password);
    await page.waitForURL(lands, { timeout: WAIT_MS });
  }
  await waitForCounts(clerk);
});

afterAll(async () => {
  await devices?.close();
  await server?.stop();
});

/** The worker opens the order from the notification list, by the entry of `kind` about it. */
async function workerOpensFromNotification(id: string, kind: string): Promise<void> {
  await worker.goto(`${appUrl}#/notifications`);
  const entry = `[data-test=notification-${kind}][data-order="${id}"]`;
  await worker.waitForSelector(entry, { timeout: WAIT_MS });
  await worker.click(entry);
  await worker.waitForFunction((id) => location.hash === `#/orders/${id}`, id, { timeout: WAIT_MS });
  await worker.waitForSelector('[data-test=order-timeline]', { timeout: WAIT_MS });
}

/** The clerk's desk: an order's 派单 to the worker's grid, from the 待派单 queue, by the `d` key and the address's suggestion. */
async function clerkDispatches(id: string): Promise<void> {
  await openFromQueue(clerk, 'dispatch', id);
  await clerk.keyboard.press('d');
  await clerk.waitForSelector('[data-test=dispatch-form]', { state: 'visible', timeout: WAIT_MS });
  const suggestion = await clerk.waitForSelector('[data-test=dispatch-suggestion]', { timeout: WAIT_MS });
  expect(await suggestion.getAttribute('data-unit')).toBe(grid);
  await suggestion.click();
  await submitted(clerk, 'dispatch-form', 'dispatch-submit');
  await statusIs(clerk, '待签收');
  // The queue's rows and counts come from one list: once the row has left 待派单, counts read after this exclude it.
  await clerk.waitForSelector(`[data-test=desk-row][data-order-id="${id}"]`, { state: 'detached', timeout: WAIT_MS });
}

/** The clerk's network switch, and the sync bar saying what it holds. */
async function clerkOffline(): Promise<void> {
  await clerkNetwork.offline();
  await clerk.waitForSelector('[data-test=sync-bar][data-phase=offline]', { timeout: WAIT_MS });
}
async function clerkOnline(): Promise<void> {
  await clerkNetwork.online();
  await clerk.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
}
const pendingOnClerk = (n: number) => clerk.waitForSelector(`[data-test=sync-bar][data-phase=offline] >> text=${n} 项更改待同步`, { timeout: WAIT_MS });

describe('the whole loop', () => {
  it('intake → 派单 → 签收 → 办结 → 审核退回 → 重办 … → 回访 满意 → 归档, the clerk offline for part of it', async () => {
    const before = await queueCounts(clerk);
    const id = await newOrder(server, '幸福里小区8号楼');

    // Intake: the order appears in the clerk's 待派单.
    await waitForQueueCount(clerk, 'dispatch', before.dispatch! + 1);
    await clerkDispatches(id);
    await waitForQueueCount(clerk, 'dispatch', before.dispatch!);

    // 签收 and 办结 on the phone, opened from the 新派单 notification.
    await workerOpensFromNotification(id, 'dispatch');
    await statusIs(worker, '待签收');
    await new OrderScreen(worker).accept();
    await statusIs(worker, '处理中');
    await workerCloses(worker, '第一次办理');
    await statusIs(worker, '已办结');

    // 审核退回, offline: written on the desk, queued, sent on reconnect.
    await waitForQueueCount(clerk, 'review', before.review! + 1);
    await openFromQueue(clerk, 'review', id);
    await seen(clerk, 'close');
    await statusIs(clerk, '已办结');
    await clerkOffline();
    await clerk.keyboard.press('r');
    await clerk.waitForSelector('[data-test=review-form]', { state: 'visible', timeout: WAIT_MS });
    expect(await clerk.getAttribute('[data-test=review-decision] [data-value=reject]', 'aria-checked')).toBe('true');
    await clerk.fill('[data-test=review-form] textarea[name=reason]', '照片看不清井盖，请补拍');
    await submitted(clerk, 'review-form', 'review-submit');
    await statusIs(clerk, '处理中');
    await waitForQueueCount(clerk, 'review', before.review!);
    await pendingOnClerk(1);
    // Nothing has left the desk: the phone still shows its 办结.
    expect(await worker.locator('[data-test=order-timeline] li[data-event-type=review_reject]').count()).toBe(0);
    await clerkOnline();

    // 重办 on the phone: the reason, and 办结 offered again.
    await seen(worker, 'review_reject');
    await statusIs(worker, '处理中');
    expect(await worker.textContent('[data-test=order-timeline]')).toContain('照片看不清井盖');
    await workerCloses(worker, '补拍后');

    // 审核通过 by the `a` key.
    await seen(clerk, 'close', 2);
    await statusIs(clerk, '已办结');
    await waitForQueueCount(clerk, 'review', before.review! + 1);
    await clerk.keyboard.press('a');
    await clerk.waitForSelector('[data-test=review-form]', { state: 'visible', timeout: WAIT_MS });
    await submitted(clerk, 'review-form', 'review-submit');
    await statusIs(clerk, '已审核');
    await waitForQueueCount(clerk, 'reply', before.reply! + 1);

    // 回复: the extension marks it replied once the reply is in the portal.
    await replyAsExtension(server, id);
    await statusIs(clerk, '已回复');
    await waitForQueueCount(clerk, 'reply', before.reply!);
    await waitForQueueCount(clerk, 'callback', before.callback! + 1);

    // 回访 不满意 → 重办, offline again: two changes queued.
    await openFromQueue(clerk, 'callback', id);
    await clerkOffline();
    await sheetAction(clerk, 'callback', 'callback-form');
    await clerk.click('[data-test=callback-reached] [data-value=phone]');
    await clerk.click('[data-test=callback-satisfaction] [data-value=unsatisfied]');
    await clerk.fill('[data-test=callback-form] textarea[name=note]', '群众说井盖仍然松动');
    await submitted(clerk, 'callback-form', 'callback-submit');
    await clerk.waitForSelector('.van-dialog >> text=群众不满意', { timeout: WAIT_MS });
    // Under the dialog the desk's keys are held: j does not move to another order, a opens nothing.
    await clerk.keyboard.press('j');
    await clerk.keyboard.press('a');
    expect(new URL(clerk.url()).hash).toContain(`order=${id}`);
    expect(await clerk.locator('[data-test=review-form]').count()).toBe(0);
    expect(await clerk.locator('.van-dialog >> text=群众不满意').isVisible()).toBe(true);
    await clerk.click('.van-dialog__confirm');
    await clerk.waitForSelector('[data-test=reopen-form]');
    expect(await clerk.inputValue('[data-test=reopen-form] textarea[name=reason]')).toBe('群众说井盖仍然松动');
    await submitted(clerk, 'reopen-form', 'reopen-submit');
    await statusIs(clerk, '处理中');
    await waitForQueueCount(clerk, 'callback', before.callback!);
    await pendingOnClerk(2);
    await clerkOnline();

    // The phone: 回访不满意 and 重办 arrive; the third 办结.
    await seen(worker, 'reopen');
    await statusIs(worker, '处理中');
    await workerCloses(worker, '更换井座后');

    // 审核通过 → 回复 → 回访 满意 → 归档.
    await seen(clerk, 'close', 3);
    await clerk.keyboard.press('a');
    await clerk.waitForSelector('[data-test=review-form]', { state: 'visible', timeout: WAIT_MS });
    await submitted(clerk, 'review-form', 'review-submit');
    await statusIs(clerk, '已审核');
    await replyAsExtension(server, id);
    await statusIs(clerk, '已回复');
    await sheetAction(clerk, 'callback', 'callback-form');
    await clerk.click('[data-test=callback-reached] [data-value=phone]');
    await clerk.click('[data-test=callback-satisfaction] [data-value=satisfied]');
    await submitted(clerk, 'callback-form', 'callback-submit');
    await statusIs(clerk, '已回访');
    await clerk.click('[data-test=order-actions] [data-action=archive]');
    await clerk.click('.van-dialog__confirm');
    await statusIs(clerk, '已归档');
    await clerk.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });

    // Every queue the order passed through is as it was before it came in.
    for (const queue of ['dispatch', 'review', 'reply', 'callback', 'extension', 'conflicts'] as const) await waitForQueueCount(clerk, queue, before[queue]!);
    await statusIs(worker, '已归档');

    // The server holds the same story: nothing in conflict, every step once where it should be.
    const { view } = await serverOrder(server, id);
    expect(view).toMatchObject({ status: 'archived', reviewRejections: 1, reopenCount: 1, conflicts: [] });
    const count = (type: string) => view.timeline.filter((e) => e.event.type === type).length;
    expect([count('dispatch'), count('accept'), count('close'), count('review_reject'), count('review_pass'), count('portal_reply'), count('callback'), count('reopen'), count('archive')]).toEqual([
      1, 1, 3, 1, 2, 2, 2, 1, 1,
    ]);

    // The supervisor reads the same order, read-only.
    await supervisor.goto(`${appUrl}#/desk?order=${id}`);
    await statusIs(supervisor, '已归档');
    await seen(supervisor, 'archive');
  });
});

describe('around the loop', () => {
  /** An order dispatched from the desk and accepted on the phone. */
  async function acceptedOrder(address: string): Promise<string> {
    const id = await newOrder(server, address);
    await clerkDispatches(id);
    await workerOpensFromNotification(id, 'dispatch');
    await new OrderScreen(worker).accept();
    await statusIs(worker, '处理中');
    return id;
  }

  let working = '';

  it('延期 from the desk\'s 延期待批: approved moves the deadline, refused does not', async () => {
    working = await acceptedOrder('青年巷3号');
    const base = await queueCounts(clerk);
    const request = async (reason: string) => {
      await sheetAction(worker, 'extension_request', 'extension-form');
      await worker.fill('[data-test=extension-form] textarea[name=reason]', reason);
      await worker.click('[data-test=extension-form] button[type=submit]');
      await worker.waitForSelector('[data-test=extension-form]', { state: 'detached', timeout: WAIT_MS });
    };
    const decide = async (decision: 'approve' | 'refuse', reason: string, nth: number) => {
      await waitForQueueCount(clerk, 'extension', base.extension! + 1);
      await openFromQueue(clerk, 'extension', working);
      expect(await clerk.textContent(`[data-test=desk-row][data-order-id="${working}"]`)).toContain(reason);
      await seen(clerk, 'extension_request', nth);
      await clerk.keyboard.press('e');
      await clerk.waitForSelector('[data-test=extension-decision-form]', { state: 'visible', timeout: WAIT_MS });
      expect(await clerk.textContent('[data-test=extension-decision-form]')).toContain(reason);
      await clerk.click(`[data-test=extension-decision] [data-value=${decision}]`);
      if (decision === 'refuse') await clerk.fill('[data-test=extension-decision-form] textarea[name=reason]', '时限内可以完成');
      await submitted(clerk, 'extension-decision-form', 'extension-decision-submit');
      await waitForQueueCount(clerk, 'extension', base.extension!);
    };

    const before = (await serverOrder(server, working)).view.deadline;
    await request('需要协调施工单位更换井座');
    await decide('approve', '需要协调施工单位更换井座', 1);
    await seen(worker, 'extension_approve');
    const approved = (await serverOrder(server, working)).view;
    expect(approved.deadline).toBeGreaterThan(before);
    expect(approved.deadlineExtended).toBe(true);

    await request('再延几天');
    await decide('refuse', '再延几天', 2);
    await seen(worker, 'extension_refuse');
    expect(await worker.textContent('[data-test=order-timeline]')).toContain('时限内可以完成');
    const refused = (await serverOrder(server, working)).view;
    expect(refused.deadline).toBe(approved.deadline);
    expect(refused.pendingExtension).toBeNull();
  });

  it("督办 by the supervisor reaches the worker's banner and notification list", async () => {
    await supervisor.goto(`${appUrl}#/desk?order=${working}`);
    await statusIs(supervisor, '处理中');
    await sheetAction(supervisor, 'supervise', 'supervise-form');
    await supervisor.click('[data-test=supervise-level] [data-value=listed]');
    await supervisor.fill('[data-test=supervise-form] textarea[name=note]', '区里挂牌督办：井座今天必须更换');
    await supervisor.click('[data-test=supervise-hours] [data-value="4"]');
    await submitted(supervisor, 'supervise-form', 'supervise-submit');
    await seen(supervisor, 'supervise');
    // On the supervisor's 超期 queue: open and under 督办.
    await showQueue(supervisor, 'overdue');
    await supervisor.waitForSelector(`[data-test=desk-row][data-order-id="${working}"]`, { timeout: WAIT_MS });
    expect(await supervisor.textContent(`[data-test=desk-row][data-order-id="${working}"]`)).toContain('挂牌督办');

    const banner = await worker.waitForSelector('[data-test=supervision-banner]', { timeout: WAIT_MS });
    expect(await banner.textContent()).toContain('挂牌督办');
    expect(await banner.textContent()).toContain('区里挂牌督办：井座今天必须更换');
    await worker.goto(`${appUrl}#/notifications`);
    const entry = await worker.waitForSelector(`[data-test=notification-supervise][data-order="${working}"]`, { timeout: WAIT_MS });
    expect(await entry.textContent()).toContain('区里挂牌督办');
  });

  it('a returned order is dispatched again, to the community', async () => {
    const id = await newOrder(server, '青年巷7号');
    await clerkDispatches(id);
    const base = await queueCounts(clerk);
    await workerOpensFromNotification(id, 'dispatch');
    await new OrderScreen(worker).returnOrder('不属于本网格，属于社区公共部位');
    await statusIs(worker, '已退回');

    await waitForQueueCount(clerk, 'dispatch', base.dispatch! + 1);
    await openFromQueue(clerk, 'dispatch', id);
    expect(await clerk.textContent(`[data-test=desk-row][data-order-id="${id}"]`)).toContain('退回：不属于本网格');
    await statusIs(clerk, '已退回');
    await sheetAction(clerk, 'dispatch', 'dispatch-form');
    await clerk.click(`[data-test=dispatch-tree] [data-unit="${community}"]`);
    await submitted(clerk, 'dispatch-form', 'dispatch-submit');
    await statusIs(clerk, '待签收');
    await waitForQueueCount(clerk, 'dispatch', base.dispatch!);
    expect((await serverOrder(server, id)).view.target).toMatchObject({ unitId: community });
  });

  it("a worker's field report is dispatched from the desk", async () => {
    const base = await queueCounts(clerk);
    await fillReport(worker, appUrl, 'facility', '路灯杆倾斜', '北海路口路灯杆被车撞歪，有倾倒危险。', '幸福里小区8号楼东侧');
    await worker.click('.report form button[type=submit]');
    await worker.waitForURL(/#\/orders\/fr-/, { timeout: WAIT_MS });
    const id = /#\/orders\/(fr-[0-9a-z]+)/.exec(worker.url())![1]!;

    await waitForQueueCount(clerk, 'dispatch', base.dispatch! + 1);
    await openFromQueue(clerk, 'dispatch', id);
    expect(await clerk.textContent(`[data-test=desk-row][data-order-id="${id}"]`)).toContain('事件上报');
    expect(await clerk.textContent('[data-test=desk-order] .order-page__title')).toContain('路灯杆倾斜');
    await dispatchBySuggestion(clerk, grid);
    await statusIs(clerk, '待签收');
    await waitForQueueCount(clerk, 'dispatch', base.dispatch!);
    await workerOpensFromNotification(id, 'dispatch');
    await statusIs(worker, '待签收');
  });

  // It once flaked twice over: a doc reopened at once on the shared socket never had its writes
  // acknowledged (fixed in shared/client/sync.ts: each provider routed by its own session key), and
  // the merged duplicate came back to 待派单 when the index's summary arrived, showing its master's
  // status (followedSummary); a duplicate following a master now waits in no queue (queues.ts).
  it('a duplicate is merged into its master and closed with it', async () => {
    const master = await newOrder(server, '洛浦路66号门前', {
      title: '并单测试：洛浦路66号门前井盖缺损',
      content: '洛浦路66号门前人行道上的下水道井盖缺了一角，夜间行人容易踩空，请尽快处理。',
      citizen: { name: '张先生', phone: '13812345678' },
    });
    const duplicate = await newOrder(server, '洛浦路66号门口', {
      title: '并单测试：井盖坏了',
      content: '洛浦路66号门口那个井盖缺了一块，晚上骑车差点掉进去。',
      citizen: { name: '李女士', phone: '15903791122' },
    });

    // 并单 on the desk: the master is among the candidates.
    await openFromQueue(clerk, 'dispatch', duplicate);
    await clerk.waitForSelector('[data-test=duplicate-hint]', { timeout: WAIT_MS });
    await sheetAction(clerk, 'merge', 'merge-form');
    const { intake } = await serverOrder(server, master);
    const candidate = `[data-test=merge-candidate-${intake.orderNo}]`;
    await clerk.waitForSelector(candidate, { timeout: WAIT_MS });
    await clerk.click(candidate);
    await clerk.fill('[data-test=merge-form] textarea[name=note]', '与主工单反映同一井盖');
    await submitted(clerk, 'merge-form', 'merge-submit');
    await statusIs(clerk, '已并单');
    // It leaves 待派单.
    try {
      await clerk.waitForSelector(`[data-test=desk-row][data-order-id="${duplicate}"]`, { state: 'detached', timeout: WAIT_MS });
    } catch (error) {
      // Say whether the write got stuck (sync) or the row did (the desk's rows).
      const phase = await clerk.getAttribute('[data-test=sync-bar]', 'data-phase');
      const { status } = (await serverOrder(server, duplicate)).view;
      throw new Error(`the merged row stayed in 待派单 (sync bar: ${phase}, server status: ${status})`, { cause: error });
    }

    // The master goes round: 派单 → 签收 → 办结.
    await clerkDispatches(master);
    await workerOpensFromNotification(master, 'dispatch');
    await new OrderScreen(worker).accept();
    await workerCloses(worker, '并单主件');

    // The duplicate follows: closed, with the master's result and reply.
    await clerk.goto(`${appUrl}#/desk?q=dispatch&order=${duplicate}`);
    await clerk.waitForFunction(() => document.querySelector('[data-test=merged-status]')?.textContent?.includes('已办结'), null, { timeout: WAIT_MS });
    expect(await clerk.textContent('[data-test=merged-actions]')).toContain('并单主件');
    expect(await clerk.textContent('[data-test=merged-reply]')).toContain('您反映的问题已处理');
    expect((await serverOrder(server, duplicate)).view).toMatchObject({ status: 'merged', mergedInto: intake.orderNo });
  });
});
