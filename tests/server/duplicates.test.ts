/**
 * Duplicates against a real server (docs/DUPLICATES.md, "Wiring"): an intake
 * answers its likely duplicates with what matched, only from its own street
 * and only orders the caller may see; a merged order's summary follows its
 * master, so once the master is closed the duplicate's row is closed with it.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuplicateSuggestion } from '#shared/duplicates/detect.ts';
import type { OrderIntakeRequest } from '#shared/order/intake.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import type { User } from '#shared/org/roles.ts';
import { INDEX_ORDERS_MAP, orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { TestClient, login, postIntake, signIn, waitFor } from './support/client.ts';
import { hotlineIntake, outsideClerk, places, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';
import { HOUR, DAY, payloads } from '../shared/support/builders.ts';

let server: ServerProcess;
let serverNow: number;
const dirs: string[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startServer();
  dirs.push(server.dataDir);
  serverNow = (await signIn(server.url, users.clerk.id)).serverTime;
}, 40_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

const connect = async (user: User, seed: number) => {
  const client = await TestClient.connect(server, user, seed);
  clients.push(client);
  return client;
};

/** An intake received `hoursAgo` before the server's clock. */
function recent(overrides: Partial<OrderIntakeRequest>, hoursAgo = 1): OrderIntakeRequest {
  const receivedAt = serverNow - hoursAgo * HOUR;
  return hotlineIntake({ receivedAt, deadline: receivedAt + 5 * DAY, ...overrides });
}

type Answer = { id: string; orderNo: string; created: boolean; duplicates: DuplicateSuggestion[] };

async function intake(as: string, request: OrderIntakeRequest): Promise<Answer> {
  const res = await postIntake(server.url, await login(server.url, as), request);
  expect(res.status).toBe(201);
  return res.body as Answer;
}

const manhole = {
  title: '北海路与中州路交叉口西南角下水道井盖缺损',
  content: '北海路与中州路交叉口西南角下水道井盖缺损，夜间行人容易踩空，请尽快处理。',
  address: '北海路与中州路交叉口西南角',
  citizen: { name: '张先生', phone: '13812345678' },
};
const reworded = {
  title: '路口井盖坏了',
  content: '中州路北海路路口西南角那个井盖缺了一块，晚上骑车差点掉进去。',
  address: '中州路北海路路口西南角',
  citizen: { name: '李女士', phone: '15903791122' },
};

describe('duplicates on intake', () => {
  let first: Answer;

  it('answers a new order with its likely duplicates and what matched, from its own street only', async () => {
    first = await intake(users.clerk.id, recent(manhole, 3));
    expect(first.duplicates).toEqual([]);
    // The same words in the other street: never a candidate for street 1, and street 1's order never one for it.
    const elsewhere = await intake(outsideClerk.id, recent({ ...manhole, place: places.outsider }, 2));
    expect(elsewhere.duplicates).toEqual([]);
    const unrelated = await intake(users.clerk.id, recent({ title: '小区路灯不亮', content: '阳光家园5号楼前的路灯一直不亮，晚上很黑。', address: '凯旋路18号阳光家园', citizen: { name: '王女士', phone: '13600001111' } }, 2));
    expect(unrelated.duplicates.filter((d) => d.likely)).toEqual([]);

    const second = await intake(users.clerk.id, recent(reworded));
    expect(second.duplicates.map((d) => d.id)).not.toContain(elsewhere.id);
    const found = second.duplicates.find((d) => d.id === first.id);
    expect(found).toMatchObject({ orderNo: first.orderNo, status: 'pending_dispatch', likely: true });
    const codes = found!.reasons.map((r) => r.code);
    expect(codes).toContain('same_address');
    expect(codes).toContain('similar_content');
    // What matched is said, the number never: the answer holds no phone number.
    expect(JSON.stringify(second.duplicates)).not.toMatch(/1381234|1590379/);

    const again = await intake(outsideClerk.id, recent({ ...reworded, place: places.outsider }));
    expect(again.duplicates.map((d) => d.id)).toEqual([elsewhere.id]);
  }, 60_000);

  it('answers the candidates of an order already in, to those who may merge and see it', async () => {
    const second = await intake(users.clerk.id, recent({ ...reworded, citizen: { name: '赵先生', phone: '13900002222' } }));
    const get = async (as: string, id: string) => {
      const res = await fetch(`${server.url}/api/orders/${id}/duplicates`, { headers: { Authorization: `Bearer ${await login(server.url, as)}` } });
      return { status: res.status, body: (await res.json()) as { duplicates?: DuplicateSuggestion[] } };
    };
    const asClerk = await get(users.clerk.id, second.id);
    expect(asClerk.status).toBe(200);
    expect(asClerk.body.duplicates?.map((d) => d.id)).toContain(first.id);
    expect((await get(users.worker.id, second.id)).status).toBe(403);
    // Another street's clerk: as if the order did not exist.
    expect((await get(outsideClerk.id, second.id)).status).toBe(404);
  }, 60_000);
});

describe('a merged order follows its master', () => {
  it('is closed with the master once the master is closed, in the street index', async () => {
    const master = await intake(users.clerk.id, recent({ ...manhole, address: '九都路88号', title: '九都路88号门前井盖缺损', content: '九都路88号门前下水道井盖缺损，夜间行人容易踩空。' }));
    const duplicate = await intake(users.clerk.id, recent({ ...reworded, address: '九都路88号门口', title: '井盖坏了', content: '九都路88号门口的井盖缺了一块，晚上差点掉进去。' }));
    expect(duplicate.duplicates.find((d) => d.id === master.id)?.likely).toBe(true);

    const clerk = await connect(users.clerk, 31);
    const worker = await connect(users.worker, 32);
    const dup = await clerk.open(orderDocName(duplicate.id), new Y.Doc()).synced();
    dup.append(clerk.write(dup, { type: 'merge', payload: { intoOrderNo: master.orderNo, note: '同一问题' } }, clerk.at()));
    expect(await dup.settled()).toBeNull();

    const index = await clerk.open(streetIndexDocName('d1-s1'), new Y.Doc()).synced();
    const summary = () => index.doc.getMap<OrderSummary>(INDEX_ORDERS_MAP).get(duplicate.id);
    await waitFor(() => summary()?.mergedInto === master.orderNo, 'the duplicate\'s summary names its master');
    expect(summary()).toMatchObject({ status: 'pending_dispatch', mergedInto: master.orderNo, closedAt: null });

    const m = await clerk.open(orderDocName(master.id), new Y.Doc()).synced();
    m.append(clerk.write(m, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at(1000)));
    expect(await m.settled()).toBeNull();
    const w = await worker.open(orderDocName(master.id), new Y.Doc()).synced();
    await waitFor(() => w.events().length === 1, 'the dispatch reaches the worker');
    w.append(worker.write(w, { type: 'accept', payload: {} }, worker.at(2000)));
    w.append(worker.write(w, { type: 'close', payload: payloads.close([]) }, worker.at(3000)));
    expect(await w.settled()).toBeNull();

    // The two entries are written by two indexer runs, which may reach the clerk in different turns.
    const masterEntry = () => index.doc.getMap<OrderSummary>(INDEX_ORDERS_MAP).get(master.id);
    await waitFor(() => summary()?.status === 'closed' && masterEntry()?.status === 'closed', 'the duplicate\'s summary is closed with its master');
    const followed = summary()!;
    const masterSummary = masterEntry()!;
    expect(followed).toMatchObject({ status: 'closed', tab: 'done', mergedInto: master.orderNo, closedAt: masterSummary.closedAt });
    expect(masterSummary.closedAt).not.toBeNull();
  }, 90_000);
});

describe('after a restart', () => {
  it('finds the candidates again, read from storage', async () => {
    const master = await intake(users.clerk.id, recent({ ...manhole, address: '彭西四巷12号', title: '彭西四巷12号井盖缺损', content: '彭西四巷12号门前下水道井盖缺损，夜间行人容易踩空。' }));
    for (const c of clients.splice(0)) c.close();
    server = await server.restart();
    serverNow = (await signIn(server.url, users.clerk.id)).serverTime;
    const again = await intake(users.clerk.id, recent({ ...reworded, address: '彭西四巷12号门口', title: '井盖缺了一块', content: '彭西四巷12号门口的井盖缺了一块，晚上差点掉进去。' }));
    expect(again.duplicates.find((d) => d.id === master.id)).toMatchObject({ likely: true });
  }, 90_000);
});

