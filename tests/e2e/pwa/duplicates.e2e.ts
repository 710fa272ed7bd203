/**
 * 并单 in real Chromium: the intake of a second call about the same manhole
 * answers the first order as its likely duplicate; on the clerk's desk the
 * 并单 sheet lists it with what matched, the clerk merges, and once the
 * master is dispatched, accepted and closed (by scripted clients) the merged
 * order's page shows the master's result and reply, and its row is closed.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuplicateSuggestion } from '#shared/duplicates/detect.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { TestClient, postIntake, signIn, waitFor } from '../../server/support/client.ts';
import { hotlineIntake } from '../../server/support/fixture.ts';
import { DAY, HOUR, payloads } from '../../shared/support/builders.ts';
import { WAIT_MS } from '../../support/wait.ts';
import { LoginScreen, OrderScreen, launchPhone, startSyncServer, type SyncServer } from './fixtures.ts';

let server: SyncServer;
let appUrl: string;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startSyncServer();
  appUrl = `${server.url}/`;
});

afterAll(async () => {
  for (const client of clients) client.close();
  await server?.stop();
});

describe('并单', () => {
  it('merges a duplicate into its master, which it then follows to 已办结 with the master\'s result', async () => {
    const worker = server.user('grid_worker');
    const clerkUser = server.user('street_clerk');
    const clerkLogin = await signIn(server.url, clerkUser.id, server.password);
    const workerLogin = (await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: worker.id, password: server.password }),
    }).then((res) => res.json())) as { place: { districtId: string; streetId: string; communityId: string; gridId: string } };
    const place = workerLogin.place;
    const at = (hoursAgo: number) => ({ receivedAt: clerkLogin.serverTime - hoursAgo * HOUR, deadline: clerkLogin.serverTime - hoursAgo * HOUR + 5 * DAY });
    const first = await postIntake(server.url, clerkLogin.token, hotlineIntake({
      place,
      ...at(3),
      title: '并单测试：洛浦路66号门前井盖缺损',
      content: '洛浦路66号门前人行道上的下水道井盖缺了一角，夜间行人容易踩空，请尽快处理。',
      address: '洛浦路66号门前',
      citizen: { name: '张先生', phone: '13812345678' },
    }));
    const masterNo = (first.body as { orderNo: string }).orderNo;
    const masterId = (first.body as { id: string }).id;
    const second = await postIntake(server.url, clerkLogin.token, hotlineIntake({
      place,
      ...at(1),
      title: '并单测试：井盖坏了',
      content: '洛浦路66号门口那个井盖缺了一块，晚上骑车差点掉进去。',
      address: '洛浦路66号门口',
      citizen: { name: '李女士', phone: '15903791122' },
    }));
    expect(second.status).toBe(201);
    const duplicate = second.body as { id: string; orderNo: string; duplicates: DuplicateSuggestion[] };
    expect(duplicate.duplicates.find((d) => d.orderNo === masterNo)?.likely).toBe(true);

    const phone = await launchPhone();
    try {
      const { page } = phone;
      const login = new LoginScreen(page);
      await login.open(appUrl);
      await login.signIn(clerkUser.id, server.password);
      await page.waitForSelector('[data-test=sync-bar][data-phase=synced]', { timeout: WAIT_MS });
      const order = new OrderScreen(page);
      await order.open(appUrl, duplicate.id);
      // Before anyone dispatches it, the order says it has a likely duplicate.
      await page.waitForSelector('[data-test=duplicate-hint]', { timeout: WAIT_MS });
      expect(await page.textContent('[data-test=duplicate-hint]')).toMatch(/发现 \d+ 条疑似重复件/);
      await page.click('[data-action=merge]');
      const candidate = `[data-test=merge-candidate-${masterNo}]`;
      await page.waitForSelector(candidate, { timeout: WAIT_MS });
      const reasons = await page.textContent(`${candidate} [data-test=merge-reasons]`);
      expect(reasons).toMatch(/地址/);
      expect(reasons).toMatch(/内容相似/);
      expect(await page.textContent(candidate)).toContain('并单测试：洛浦路66号门前井盖缺损');
      await page.click(candidate);
      await page.fill('[data-test=merge-form] textarea[name=note]', '与主工单反映同一井盖');
      await page.click('[data-test=merge-submit]');
      await page.waitForSelector('[data-test=merge-form]', { state: 'detached', timeout: WAIT_MS });
      await page.waitForSelector('[data-test=merged-follow]', { timeout: WAIT_MS });
      expect(await page.textContent('[data-test=merged-follow]')).toContain(`已并单至 ${masterNo}`);
      await page.waitForFunction(() => document.querySelector('[data-test=merged-status]')?.textContent?.includes('待派单'), null, { timeout: WAIT_MS });

      // The master is worked on elsewhere: dispatched, accepted and closed.
      const clerk = await TestClient.connect(server, clerkUser, 51, server.password);
      const field = await TestClient.connect(server, worker, 52, server.password);
      clients.push(clerk, field);
      const m = await clerk.open(orderDocName(masterId), new Y.Doc()).synced();
      m.append(clerk.write(m, { type: 'dispatch', payload: { unitId: worker.unitId, unitKind: 'grid' } }, clerk.at()));
      expect(await m.settled()).toBeNull();
      const w = await field.open(orderDocName(masterId), new Y.Doc()).synced();
      await waitFor(() => w.events().length === 1, 'the dispatch reaches the worker');
      w.append(field.write(w, { type: 'accept', payload: {} }, field.at(1000)));
      w.append(field.write(w, { type: 'close', payload: payloads.close([]) }, field.at(2000)));
      expect(await w.settled()).toBeNull();

      // The merged order shows the master's result and reply.
      await page.waitForFunction(() => document.querySelector('[data-test=merged-status]')?.textContent?.includes('已办结'), null, { timeout: WAIT_MS });
      expect(await page.textContent('[data-test=merged-resolution]')).toContain('已解决');
      expect(await page.textContent('[data-test=merged-actions]')).toContain(payloads.close([]).actions);
      expect(await page.textContent('[data-test=merged-reply]')).toContain(payloads.close([]).publicReply);

      // And its row in the street's list is closed with the master (the index follows it).
      await page.goto(`${appUrl}#/inbox`);
      await waitFor(
        () =>
          page.evaluate(
            (id) =>
              new Promise<boolean>((resolve) => {
                const open = indexedDB.open('lianxin');
                open.onsuccess = () => {
                  const get = open.result.transaction('orders').objectStore('orders').get(id);
                  get.onsuccess = () => {
                    const row = get.result as { status?: string; mergedInto?: string } | undefined;
                    resolve(row?.status === 'closed' && typeof row.mergedInto === 'string');
                    open.result.close();
                  };
                  get.onerror = () => resolve(false);
                };
                open.onerror = () => resolve(false);
              }),
            duplicate.id,
          ),
        "the duplicate's row closed with its master in the street's list",
      );
    } finally {
      await phone.close();
    }
  });
});
