/**
 * The office's actions against a real server: the new payload fields pass the
 * guard and nothing else does, a community handler passes what the community
 * was sent to its own grid (and not outside), and a worker's field report
 * photo is readable by the clerk and by the handler it is dispatched to, and
 * by no one outside.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#shared/org/roles.ts';
import { gridIndexDocName, orderDocName } from '#shared/sync/doc-names.ts';
import { initOrderDoc } from '#shared/sync/order-doc.ts';
import { TestClient, createOrder, login, waitFor } from './support/client.ts';
import { fieldReport, outsider, places, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let server: ServerProcess;
const dirs: string[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startServer();
  dirs.push(server.dataDir);
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

describe('office events through the guard', () => {
  it('takes a redo deadline, a 督办 response time and how a call-back reached the citizen; refuses a field no schema names', async () => {
    const { id } = await createOrder(server.url);
    const clerk = await connect(users.clerk, 301);
    const handle = await clerk.open(orderDocName(id), new Y.Doc()).synced();
    handle.append(clerk.write(handle, { type: 'supervise', payload: { level: 'listed', note: '群众多次来电', respondWithinHours: 4 } }, clerk.at()));
    expect(await handle.settled()).toBeNull();
    handle.append(clerk.write(handle, { type: 'reopen', payload: { reason: '回访不满意', until: clerk.at(3 * 86_400_000) } }, clerk.at()));
    expect(await handle.settled()).toBeNull();
    handle.append(clerk.write(handle, { type: 'callback', payload: { satisfaction: 'unsatisfied', reached: 'sms' } }, clerk.at()));
    expect(await handle.settled()).toBeNull();

    const other = await connect(users.clerk, 302);
    const second = await other.open(orderDocName(id), new Y.Doc()).synced();
    const event = other.write(second, { type: 'supervise', payload: { level: 'reminder', note: '请尽快' } }, other.at());
    second.append({ ...event, payload: { ...event.payload, respondBy: 5 } } as typeof event);
    expect(await second.settled()).toMatchObject({ code: 'unknown_field' });
  }, 60_000);
});

describe('community dispatch', () => {
  it("lets a community handler pass the community's order to its grid, whose worker then opens it; never outside", async () => {
    const { id } = await createOrder(server.url);
    const clerk = await connect(users.clerk, 311);
    const byClerk = await clerk.open(orderDocName(id), new Y.Doc()).synced();
    byClerk.append(clerk.write(byClerk, { type: 'dispatch', payload: { unitId: 'd1-s1-c1', unitKind: 'community' } }, clerk.at()));
    expect(await byClerk.settled()).toBeNull();

    const community = await connect(users.community, 312);
    const byCommunity = await community.open(orderDocName(id), new Y.Doc()).synced();
    byCommunity.append(community.write(byCommunity, { type: 'accept', payload: {} }, community.at()));
    byCommunity.append(community.write(byCommunity, { type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, community.at()));
    expect(await byCommunity.settled()).toBeNull();
    byCommunity.append(community.write(byCommunity, { type: 'dispatch', payload: { unitId: outsider.unitId, unitKind: 'grid' } }, community.at()));
    expect(await byCommunity.settled()).toMatchObject({ code: 'target_out_of_scope' });

    const worker = await connect(users.otherGridWorker, 313);
    const byWorker = await worker.open(orderDocName(id), new Y.Doc()).synced();
    expect(byWorker.events().filter((e) => e.type === 'dispatch').map((e) => e.payload)).toEqual([
      { unitId: 'd1-s1-c1', unitKind: 'community' },
      { unitId: 'd1-s1-c1-g2', unitKind: 'grid' },
    ]);
  }, 60_000);
});

describe("a field report's photo", () => {
  it('is readable by the clerk and by the handler it is dispatched to, not by a stranger', async () => {
    const bytes = new Uint8Array(4096);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    bytes.set(new TextEncoder().encode(`report-${process.pid}-${Date.now()}`), 8);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const reporterToken = await login(server.url, users.worker.id);
    const put = await fetch(`${server.url}/api/photos/${hash}`, { method: 'PUT', headers: { Authorization: `Bearer ${reporterToken}`, 'Content-Type': 'image/png' }, body: bytes });
    expect(put.status).toBe(201);

    const report = fieldReport(users.worker, places.grid1, {
      fieldKind: 'facility',
      attachments: [{ sha256: hash, name: 'photo-1.png', mime: 'image/png', size: bytes.length }],
    });
    const doc = new Y.Doc();
    initOrderDoc(doc, report);
    const reporter = await connect(users.worker, 321);
    expect(await reporter.open(orderDocName(report.id), doc).settled()).toBeNull();
    const index = await reporter.open(gridIndexDocName(places.grid1.gridId)).synced();
    await waitFor(() => index.doc.getMap('orders').has(report.id), 'the report in its grid index');

    const get = async (user: User) => (await fetch(`${server.url}/api/photos/${hash}`, { headers: { Authorization: `Bearer ${await login(server.url, user.id)}` } })).status;
    await waitFor(async () => (await get(users.clerk)) === 200, 'the clerk reads the report photo');
    expect(await get(users.otherGridWorker)).toBe(404);

    const clerk = await connect(users.clerk, 322);
    const handle = await clerk.open(orderDocName(report.id), new Y.Doc()).synced();
    handle.append(clerk.write(handle, { type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, clerk.at()));
    expect(await handle.settled()).toBeNull();
    await waitFor(async () => (await get(users.otherGridWorker)) === 200, 'the dispatched handler reads the report photo');
    expect(await get(outsider)).toBe(404);
  }, 60_000);
});
