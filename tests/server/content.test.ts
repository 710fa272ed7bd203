/**
 * Content outside the schema, against a real server: refused whole, never
 * stored, never synced to anyone else; an event deleted and put back is a
 * deletion; and an order stored before these rules, with fields now unknown,
 * still loads, derives and is indexed.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intake as buildIntake, payloads, Writer } from '../shared/support/builders.ts';
import { readIndexSummary } from '#shared/order/summary.ts';
import { gridIndexDocName, orderDocName } from '#shared/sync/doc-names.ts';
import { initOrderDoc } from '#shared/sync/order-doc.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { newOrderRow } from '#server/sync/order-row.ts';
import { TestClient, createdId, signIn, waitFor, type DocHandle } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import { startServer, stopAll, tempDir, type ServerProcess } from './support/server.ts';
import { join } from 'node:path';

const MB = 1024 * 1024;
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

async function connect(user: (typeof users)[keyof typeof users], seed: number): Promise<TestClient> {
  const client = await TestClient.connect(server, user, seed);
  clients.push(client);
  return client;
}

async function dispatchedOrder(seed: number): Promise<string> {
  const { token } = await signIn(server.url, users.clerk.id);
  const intake = { id: await createdId(server.url, token, hotlineIntake()) };
  const clerk = await connect(users.clerk, seed);
  const handle = await clerk.open(orderDocName(intake.id)).synced();
  handle.append(clerk.write(handle, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
  await handle.acked();
  return intake.id;
}

type Attack = { name: string; code: string; field?: string; attack: (handle: DocHandle, client: TestClient) => void };

const attacks: Attack[] = [
  { name: '1 MB under a key of the events array', code: 'foreign_type', attack: (h) => h.doc.getMap('events').set('blob', 'x'.repeat(MB)) },
  { name: '1 MB in the list part of the intake map', code: 'foreign_type', attack: (h) => h.doc.getArray('intake').push(['x'.repeat(MB)]) },
  {
    name: 'an event with a 3 MB unknown field',
    code: 'event_too_large',
    attack: (h, c) => h.doc.getArray('events').push([{ ...c.write(h, { type: 'progress', payload: { text: '附件' } }, c.at()), padding: 'x'.repeat(3 * MB) }]),
  },
  {
    name: 'an event with an unknown field in its payload',
    code: 'unknown_field',
    attack: (h, c) => {
      const event = c.write(h, { type: 'progress', payload: { text: '到场' } }, c.at());
      h.doc.getArray('events').push([{ ...event, payload: { ...event.payload, hidden: '不在格式里' } }]);
    },
  },
  {
    name: 'an event deleted and put back identical',
    code: 'event_removed',
    attack: (h) =>
      h.doc.transact(() => {
        const events = h.doc.getArray('events');
        const first: unknown = events.get(0);
        events.delete(0, 1);
        events.push([JSON.parse(JSON.stringify(first))]);
      }),
  },
];

describe('content outside the schema, on a real server', () => {
  it.each(attacks)('refuses $name, and another user never receives it', async ({ code, attack }) => {
    const id = await dispatchedOrder(100 + attacks.findIndex((a) => a.code === code));
    const worker = await connect(users.worker, 200);
    const handle = await worker.open(orderDocName(id)).synced();
    attack(handle, worker);
    expect(await handle.outcome()).toMatchObject({ type: 'refused', code });

    const clerk = await connect(users.clerk, 201);
    const fresh = await clerk.open(orderDocName(id), new Y.Doc()).synced();
    expect([...fresh.doc.share.keys()].filter((name) => name !== 'received').sort()).toEqual(['events', 'intake']);
    expect(fresh.doc.getArray('events').toArray()).toHaveLength(1);
    expect(Y.encodeStateAsUpdate(fresh.doc).length).toBeLessThan(10_000);
    // The refused writer's socket carries on with well-formed work on another order.
    const other = await dispatchedOrder(300 + attacks.findIndex((a) => a.code === code));
    const next = await worker.open(orderDocName(other)).synced();
    next.append(worker.write(next, { type: 'accept', payload: {} }, worker.at()));
    expect(await next.outcome()).toBe('acknowledged');
  }, 60_000);
});

describe('an order stored before these rules', () => {
  it('loads, derives and is indexed, events with fields now unknown and all', async () => {
    const dataDir = await tempDir();
    dirs.push(dataDir);
    // Written into the store as the server of before would have kept it.
    const store = new SqliteStore(join(dataDir, 'lianxin.sqlite'));
    const now = Date.now();
    const intake = buildIntake({ id: 'o-legacy-1', orderNo: 'LEGACY-0001', receivedAt: now - 3_600_000, deadline: now + 86_400_000 });
    const doc = new Y.Doc();
    initOrderDoc(doc, intake);
    const dispatch = new Writer(users.clerk, 400).write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, now - 1_800_000);
    doc.getArray('events').push([{ ...dispatch, legacyField: 'kept by an older client', payload: { ...dispatch.payload, retired: true } }]);
    await store.createOrder(newOrderRow(intake, now - 3_600_000), orderDocName(intake.id), Y.encodeStateAsUpdate(doc));
    await store.close();

    const old = await startServer({ dataDir });
    const clerk = await TestClient.connect(old, users.clerk, 401);
    clients.push(clerk);
    const handle = await clerk.open(orderDocName(intake.id), new Y.Doc()).synced();
    expect(handle.events().map((e) => e.id)).toEqual([dispatch.id]);
    // A new event makes the indexer derive the whole order, the old event included.
    handle.append(clerk.write(handle, { type: 'supervise', payload: { level: 'reminder', note: '请尽快签收' } }, clerk.at()));
    expect(await handle.outcome()).toBe('acknowledged');
    const index = await clerk.open(gridIndexDocName('d1-s1-c1-g1')).synced();
    await waitFor(() => readIndexSummary(intake.id, index.doc.getMap('orders').get(intake.id)).ok, 'the legacy order in the grid index');
    expect(readIndexSummary(intake.id, index.doc.getMap('orders').get(intake.id))).toMatchObject({ ok: true, value: { status: 'dispatched', eventCount: 2, supervision: 'reminder' } });
  }, 60_000);
});
