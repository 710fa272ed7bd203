/**
 * Two users of different roles work one order through a real server; users
 * outside its scope are refused; index docs follow the order and are
 * read-only; a worker's field report is accepted on first sync.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridIndexDocName, orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { appendEvents, initOrderDoc, readEvents, receivedAtOf } from '#shared/sync/order-doc.ts';
import { OrderIntakeSchema } from '#shared/order/intake.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { readIndexSummary, summarizeOrder } from '#shared/order/summary.ts';
import * as v from 'valibot';
import { payloads } from '../shared/support/builders.ts';
import { TestClient, createOrders, login, postIntake, waitFor } from './support/client.ts';
import { fieldReport, hotlineIntake, outsider, places, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let server: ServerProcess;
const clients: TestClient[] = [];
const connect = async (user: Parameters<typeof TestClient.connect>[1], seed = 1) => {
  const client = await TestClient.connect(server, user, seed);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  server = await startServer();
}, 40_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await server.kill();
  await stopAll([server.dataDir]);
});

/** A field report's times, on the server's clock: reported now, due in five days. */
const reportedNow = (client: TestClient) => ({ receivedAt: client.at(), deadline: client.at(5 * 24 * 60 * 60 * 1000) });

async function newOrder(overrides = {}) {
  const intake = hotlineIntake(overrides);
  const res = await postIntake(server.url, await login(server.url, users.clerk.id), intake);
  expect(res.status).toBe(201);
  return { ...intake, id: (res.body as { id: string }).id };
}

describe('order sync between a clerk and a grid worker', () => {
  it('carries each side\'s events to the other, acknowledged by the server', async () => {
    const order = await newOrder();
    const clerk = await connect(users.clerk, 11);
    const worker = await connect(users.worker, 12);

    const clerkDoc = await clerk.open(orderDocName(order.id)).synced();
    expect(clerkDoc.doc.getMap('intake').get('data')).toMatchObject({ id: order.id, orderNo: order.orderNo });
    const dispatch = clerk.write(clerkDoc, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at());
    clerkDoc.append(dispatch);
    await clerkDoc.acked();

    const workerDoc = await worker.open(orderDocName(order.id)).synced();
    await waitFor(() => workerDoc.events().length === 1, 'dispatch at the worker');
    const accept = worker.write(workerDoc, { type: 'accept', payload: {} }, worker.at());
    const progress = worker.write(workerDoc, { type: 'progress', payload: { text: '已到场，正在联系城管局' } }, worker.at(1000));
    workerDoc.append(accept);
    workerDoc.append(progress);
    await workerDoc.acked();

    await waitFor(() => clerkDoc.events().length === 3, 'worker events at the clerk');
    expect(clerkDoc.events().map((e) => e.id)).toEqual([dispatch.id, accept.id, progress.id]);

    // The index of the order's grid lists it with its derived status.
    const index = await worker.open(gridIndexDocName('d1-s1-c1-g1')).synced();
    await waitFor(() => (index.doc.getMap<{ status: string }>('orders').get(order.id)?.status ?? '') === 'in_progress', 'index summary in_progress');
    expect(index.doc.getMap('orders').get(order.id)).toMatchObject({ orderNo: order.orderNo, assignee: users.worker.id, status: 'in_progress' });

    // The entry is the shared summary of the derived order, and reads back
    // through the PWA's reader unchanged.
    const intake = v.parse(OrderIntakeSchema, clerkDoc.doc.getMap('intake').get('data'));
    // (With the receive times the server recorded, which reach the clerk's doc too.)
    await waitFor(() => clerkDoc.events().every((e) => receivedAtOf(clerkDoc.doc)(e.id) !== undefined), 'receipts at the clerk');
    const expected = summarizeOrder(intake, deriveOrder(intake, clerkDoc.events(), Date.now(), { receivedAt: receivedAtOf(clerkDoc.doc) }));
    const entry = () => index.doc.getMap('orders').get(order.id);
    await waitFor(() => JSON.stringify(entry()) === JSON.stringify(expected), 'index entry equal to the shared summary');
    expect(readIndexSummary(order.id, entry())).toEqual({ ok: true, value: expected });
  }, 20_000);

  it('refuses the order to users outside its scope, with the reason', async () => {
    const order = await newOrder();
    for (const user of [outsider, users.otherGridWorker]) {
      const client = await connect(user);
      const handle = client.open(orderDocName(order.id));
      expect(await handle.deniedReason()).toMatch(/^out_of_scope: /);
      expect(handle.doc.getMap('intake').size).toBe(0);
    }
    await server.logged(`"event":"document_denied","user":"${outsider.id}","doc":"${orderDocName(order.id)}","code":"out_of_scope"`);
  }, 15_000);

  it('opens the order to another grid once it is dispatched there', async () => {
    const order = await newOrder();
    const clerk = await connect(users.clerk, 21);
    const clerkDoc = await clerk.open(orderDocName(order.id)).synced();
    clerkDoc.append(clerk.write(clerkDoc, { type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, clerk.at()));
    await clerkDoc.acked();
    const other = await connect(users.otherGridWorker, 22);
    const otherIndex = await other.open(gridIndexDocName('d1-s1-c1-g2')).synced();
    await waitFor(() => otherIndex.doc.getMap('orders').has(order.id), 'order in grid 2 index');
    const handle = await other.open(orderDocName(order.id)).synced();
    expect(handle.events()).toHaveLength(1);
  }, 15_000);

  it('lets a worker who acted offline before a reassignment deliver their events, shown as conflicts', async () => {
    // Placed in grid 2, dispatched to grid 1: the worker of grid 1 sees it only as the dispatch target.
    const order = await newOrder({ place: { districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g2' } });
    const clerk = await connect(users.clerk, 41);
    const clerkDoc = await clerk.open(orderDocName(order.id)).synced();
    clerkDoc.append(clerk.write(clerkDoc, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
    await clerkDoc.acked();

    const device = new Y.Doc();
    const online = await connect(users.worker, 42);
    await online.open(orderDocName(order.id), device).synced();
    online.close(); // the worker goes into a basement
    const offline = await connect(users.worker, 43);
    const accept = offline.write({ events: () => readEvents(device).events }, { type: 'accept', payload: {} }, offline.at());
    appendEvents(device, [accept]);

    // Meanwhile the clerk sends the order to grid 2, on a clock that puts it before the accept.
    const redispatch = clerk.write(clerkDoc, { type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, clerk.at(1));
    expect(redispatch.hlc < accept.hlc).toBe(true);
    clerkDoc.append(redispatch);
    await clerkDoc.acked();

    const back = offline.open(orderDocName(order.id), device);
    await back.synced();
    await back.acked();
    await waitFor(() => clerkDoc.events().some((e) => e.id === accept.id), 'late accept at the clerk');
    const view = deriveOrder(v.parse(OrderIntakeSchema, order), clerkDoc.events(), clerk.at());
    expect(view.conflicts.map((c) => c.eventId)).toEqual([accept.id]);
    expect(view.target?.unitId).toBe('d1-s1-c1-g2');
  }, 15_000);

  it('lets one socket open hundreds of order docs at once (a street\'s open orders)', async () => {
    // Hocuspocus alone resets a socket with more than 100 documents awaiting authentication.
    const ids = await createOrders(server.url, Array.from({ length: 250 }, () => hotlineIntake()));
    expect(new Set(ids).size).toBe(250);
    const clerk = await connect(users.clerk, 31);
    const handles = ids.map((id) => clerk.open(orderDocName(id)));
    await Promise.all(handles.map((h) => h.synced()));
    expect(handles.every((h, i) => (h.doc.getMap('intake').get('data') as { id?: string } | undefined)?.id === ids[i])).toBe(true);
    expect(handles.some((h) => h.closed !== null)).toBe(false);
  }, 60_000);

  it('serves index docs only within scope, and read-only', async () => {
    const worker = await connect(users.worker);
    expect(await worker.open(streetIndexDocName('d1-s1')).deniedReason()).toMatch(/^out_of_scope/);
    expect(await worker.open(gridIndexDocName('d1-s1-c1-g2')).deniedReason()).toMatch(/^out_of_scope/);
    const own = await worker.open(gridIndexDocName('d1-s1-c1-g1')).synced();
    own.doc.getMap('orders').set('forged', { status: 'archived' });
    const clerk = await connect(users.clerk);
    const street = await clerk.open(streetIndexDocName('d1-s1')).synced();
    const again = await clerk.open(gridIndexDocName('d1-s1-c1-g1')).synced();
    await new Promise((r) => setTimeout(r, 300));
    expect(again.doc.getMap('orders').has('forged')).toBe(false);
    expect(street.doc.getMap('orders').size).toBeGreaterThan(0);
    expect(own.provider.unsyncedChanges).toBeGreaterThan(0);
  }, 15_000);

  it('accepts a worker\'s field report on first sync and lists it for the clerk', async () => {
    const worker = await connect(users.worker, 31);
    const report = fieldReport(users.worker, places.grid1, reportedNow(worker));
    const { id } = report;
    const doc = new Y.Doc();
    initOrderDoc(doc, report);
    const handle = await worker.open(orderDocName(id), doc).synced();
    await handle.acked();
    expect(handle.closed).toBeNull();

    const clerk = await connect(users.clerk, 32);
    const clerkDoc = await clerk.open(orderDocName(id)).synced();
    expect(clerkDoc.doc.getMap('intake').get('data')).toMatchObject({ id, source: 'field_report', reportedBy: users.worker.id });
    const index = await clerk.open(streetIndexDocName('d1-s1')).synced();
    await waitFor(() => index.doc.getMap('orders').has(id), 'field report in the street index');
  }, 15_000);

  it('refuses a field report placed outside the reporter\'s grid, and an unknown order to a clerk', async () => {
    const other = await connect(users.otherGridWorker);
    const report = fieldReport(users.otherGridWorker, places.grid1, reportedNow(other));
    const doc = new Y.Doc();
    initOrderDoc(doc, report);
    const handle = other.open(orderDocName(report.id), doc);
    expect(await handle.refusal()).toMatchObject({ code: 'place_out_of_scope', field: 'intake.place' });
    const clerk = await connect(users.clerk);
    expect(await clerk.open(orderDocName(`nothing-${Date.now()}`)).deniedReason()).toMatch(/^unknown_order/);
  }, 15_000);
});
