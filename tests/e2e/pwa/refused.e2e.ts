/**
 * Against a real sync server: an order update the server's guard refuses (an
 * event forged into this phone's journal: a grid worker "passing review", a
 * type the role may never write) turns the sync bar to 需处理 — not 同步中 for
 * ever — with the refused changes counted apart from those waiting; the order
 * says which change was refused and why; all of it survives a reload; sign-out
 * stays refused until the user exports and then deletes the refused work,
 * after which the bar says 已同步, the order shows the server's state and
 * sign-out goes through.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, startSyncServer, type SyncServer } from './fixtures.ts';
import { WAIT_MS } from '../../support/wait.ts';

let server: SyncServer;
let appUrl: string;

beforeAll(async () => {
  server = await startSyncServer();
  appUrl = `${server.url}/`;
});

afterAll(async () => {
  await server?.stop();
});

const FORGED_ID = 'forgedreview0001';

describe('an update the server refuses', () => {
  it('shows 需处理 with the reason, survives a reload, and once exported and deleted lets the phone sync and sign out', async () => {
    const phone = await launchPhone();
    try {
      const { page } = phone;
      const login = new LoginScreen(page);
      await login.open(appUrl);
      await login.signIn(server.account('grid_worker'), server.password);
      await page.waitForSelector('.order-card', { timeout: WAIT_MS });

      const orderId = await new InboxScreen(page).findOrder(appUrl, '处理中', 'progress');
      const order = new OrderScreen(page);
      await order.progress('已联系物业，明天上午到场。');
      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });

      // A copy of that legitimate journal row, turned into an event the role may never write.
      await page.evaluate(
        ({ orderId, forgedId }) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('lianxin');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction('journal', 'readwrite');
              const journal = tx.objectStore('journal');
              const all = journal.index('orderId').getAll(orderId);
              all.onsuccess = () => {
                const rows = all.result as { event: { type: string; hlc: string } }[];
                const legit = rows.filter((r) => r.event.type === 'progress').sort((a, b) => (a.event.hlc < b.event.hlc ? 1 : -1))[0]!;
                journal.add({ ...legit, id: forgedId, event: { ...legit.event, id: forgedId, type: 'review_pass', payload: {} }, durableAt: null, unsynced: 1 });
              };
              tx.oncomplete = () => {
                open.result.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
          }),
        { orderId, forgedId: FORGED_ID },
      );

      // On start the engine replays the journal into the order and sends it: the guard refuses it.
      await page.goto(`${appUrl}#/inbox`);
      await page.reload();
      const bar = await page.waitForSelector('[data-test=sync-bar][data-phase=attention]', { timeout: WAIT_MS });
      expect(await bar.textContent()).toContain('需处理');
      expect(await page.textContent('[data-test=sync-refused]')).toContain('1 个工单的更改');
      // Refused changes are not "waiting": nothing says 待同步.
      expect(await bar.textContent()).not.toContain('待同步');

      const refusedOnOrder = async () => {
        await order.open(appUrl, orderId);
        const box = await page.waitForSelector('[data-test=order-refused]', { timeout: WAIT_MS });
        return { text: (await box.textContent()) ?? '', events: await page.locator('[data-test=refused-event]').allTextContents() };
      };
      const shown = await refusedOnOrder();
      expect(shown.text).toContain('服务器拒绝了此工单的 1 项更改');
      expect(shown.text).toContain('当前角色不能进行这项操作');
      expect(shown.events).toHaveLength(1);
      expect(shown.events[0]).toContain('审核通过');

      // Kept across a reload: the refusal is in IndexedDB, not only in memory.
      await page.reload();
      expect((await refusedOnOrder()).events).toHaveLength(1);
      await page.waitForSelector('[data-test=sync-bar][data-phase=attention]', { timeout: WAIT_MS });

      // Tapping the bar leads to Me, where sign-out is still refused.
      await page.click('[data-test=sync-bar]');
      await page.waitForSelector('[data-test=refused-changes]');
      expect(await page.locator('[data-test=refused-order]').allTextContents()).toEqual([expect.stringContaining(orderId)]);
      await page.click('[data-test=sign-out]');
      expect(await (await page.waitForSelector('.van-dialog')).textContent()).toContain('未同步，现在退出会丢失');
      await page.click('.van-dialog__confirm');
      await page.waitForSelector('.van-dialog', { state: 'hidden' });

      // Export, then delete: the file holds the refused event.
      await page.click('[data-test=discard-refused]');
      expect(await (await page.waitForSelector('.van-dialog')).textContent()).toContain('删除后无法恢复');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('.van-dialog__confirm')]);
      const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { events: { orderId: string; event: { id: string } }[] };
      expect(exported.events.map((e) => e.event.id)).toContain(FORGED_ID);
      await page.waitForSelector('[data-test=refused-changes]', { state: 'detached', timeout: WAIT_MS });
      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });

      // The order is the server's again: the legitimate progress, no forged review.
      await order.open(appUrl, orderId);
      await page.waitForSelector('[data-test=order-timeline] li[data-event-type=progress]', { timeout: WAIT_MS });
      expect(await order.timeline()).not.toContain('review_pass');
      expect(await page.locator('[data-test=order-refused]').count()).toBe(0);

      await page.goto(`${appUrl}#/me`);
      await page.click('[data-test=sign-out]');
      expect(await (await page.waitForSelector('.van-dialog')).textContent()).toContain('所有工作都已同步到服务器');
      await page.click('.van-dialog__confirm');
      await page.waitForSelector('.login', { timeout: WAIT_MS });
    } finally {
      await phone.close();
    }
  });
});
