/**
 * Forged updates are refused whole, the writer is told why, and nothing of
 * them is stored: after a kill -9 and a restart the order holds exactly the
 * legitimate events. The refusal closes only that document's channel: the
 * same socket keeps syncing other orders and other clients carry on.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { Writer, payloads } from '../shared/support/builders.ts';
import { TestClient, createOrders, waitFor, type DocHandle } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let server: ServerProcess;
const dirs: string[] = [];
const clients: TestClient[] = [];
const orderA = { ...hotlineIntake(), id: '' };
const orderB = { ...hotlineIntake(), id: '' };
let dispatch: OrderEvent;

beforeAll(async () => {
  server = await startServer();
  dirs.push(server.dataDir);
  [orderA.id, orderB.id] = await createOrders(server.url, [orderA, orderB]) as [string, string];
  const clerk = await TestClient.connect(server, users.clerk, 5);
  clients.push(clerk);
  const a = await clerk.open(orderDocName(orderA.id)).synced();
  dispatch = clerk.write(a, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at());
  a.append(dispatch);
  await a.acked();
}, 40_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

type Forgery = { name: string; code: string; field?: RegExp; forge: (handle: DocHandle, client: TestClient) => void };

const forgeries: Forgery[] = [
  {
    name: 'an event in another worker\'s name',
    code: 'wrong_actor',
    field: /^events\[.+\]\.actor$/,
    forge: (h, c) => h.append(new Writer(users.worker2, 90).write({ type: 'accept', payload: {} }, c.at(), h.events())),
  },
  {
    name: 'an event claiming the clerk\'s role',
    code: 'wrong_role',
    forge: (h, c) => h.append({ ...c.write(h, { type: 'progress', payload: { text: '假的' } }, c.at()), role: 'street_clerk' }),
  },
  {
    name: 'an event type the role may never write',
    code: 'forbidden_type',
    field: /\.type$/,
    forge: (h, c) => h.append(c.write(h, { type: 'review_pass', payload: {} }, c.at())),
  },
  {
    name: 'an edited intake',
    code: 'intake_changed',
    forge: (h) => h.doc.getMap('intake').set('data', { ...(h.doc.getMap('intake').get('data') as object), title: '被篡改的标题' }),
  },
  { name: 'a deleted event', code: 'event_removed', forge: (h) => h.doc.getArray('events').delete(0, 1) },
  { name: 'a foreign type', code: 'foreign_type', forge: (h) => h.doc.getMap('notes').set('x', 'y') },
  {
    name: 'a malformed event',
    code: 'invalid_event',
    forge: (h, c) => h.doc.getArray('events').push([{ ...c.write(h, { type: 'progress', payload: { text: 'x' } }, c.at()), payload: { text: 7 } }]),
  },
];

describe('the guard on a real server', () => {
  it.each(forgeries)('refuses $name, tells the writer why and keeps the socket serving other orders', async ({ code, field, forge }) => {
    const worker = await TestClient.connect(server, users.worker, 40 + forgeries.findIndex((f) => f.code === code));
    clients.push(worker);
    const a = await worker.open(orderDocName(orderA.id)).synced();
    const b = await worker.open(orderDocName(orderB.id)).synced();
    forge(a, worker);
    const refusal = await a.refusal();
    expect(refusal.code).toBe(code);
    expect(refusal.reason.length).toBeGreaterThan(5);
    if (field) expect(refusal.field).toMatch(field);
    await waitFor(() => a.closed !== null, 'channel closed');
    expect(a.closed).toMatch(new RegExp(`^${code}: `));
    expect(a.provider.unsyncedChanges).toBeGreaterThan(0);

    // Same socket, other order: still syncing and acknowledged.
    b.append(worker.write(b, { type: 'phone_reveal', payload: { purpose: '联系市民' } }, worker.at()));
    await b.acked();
  }, 15_000);

  it('refuses writes under another user\'s Yjs client id, so they cannot shadow that user\'s next events', async () => {
    const victim = await TestClient.connect(server, users.worker, 70);
    const attacker = await TestClient.connect(server, users.worker2, 71);
    clients.push(victim, attacker);
    const mine = await victim.open(orderDocName(orderB.id)).synced();
    mine.append(victim.write(mine, { type: 'progress', payload: { text: '第一条' } }, victim.at()));
    await mine.acked();
    const theirs = await attacker.open(orderDocName(orderB.id)).synced();
    // Yjs itself moves off a client id it sees in use; a forger sets it after syncing.
    theirs.doc.clientID = mine.doc.clientID;
    theirs.append(attacker.write(theirs, { type: 'progress', payload: { text: '抢占' } }, attacker.at()));
    expect((await theirs.refusal()).code).toBe('foreign_client_id');
    const next = victim.write(mine, { type: 'progress', payload: { text: '第二条' } }, victim.at(1000));
    mine.append(next);
    await mine.acked();
    const reader = await TestClient.connect(server, users.clerk, 72);
    clients.push(reader);
    const check = await reader.open(orderDocName(orderB.id), new Y.Doc()).synced();
    expect(check.events().some((e) => e.id === next.id)).toBe(true);
    expect(check.events().some((e) => e.actor === users.worker2.id)).toBe(false);
  }, 15_000);

  it('leaves other clients of the order unaffected and counts refusals by reason', async () => {
    const clerk = await TestClient.connect(server, users.clerk, 50);
    clients.push(clerk);
    const a = await clerk.open(orderDocName(orderA.id)).synced();
    expect(a.events().map((e) => e.id)).toEqual([dispatch.id]);
    expect(a.doc.getMap('notes').size).toBe(0);
    a.append(clerk.write(a, { type: 'supervise', payload: { level: 'reminder', note: '请尽快签收' } }, clerk.at()));
    await a.acked();
    const metrics = await server.metrics();
    for (const { code } of forgeries) expect(metrics).toContain(`lianxin_updates_refused_total{reason="${code}"} 1`);
  }, 15_000);

  it('stored nothing of the forged updates: after kill -9 the order holds only legitimate events', async () => {
    await server.kill('SIGKILL');
    server = await server.restart();
    const clerk = await TestClient.connect(server, users.clerk, 60);
    clients.push(clerk);
    const fresh = await clerk.open(orderDocName(orderA.id), new Y.Doc()).synced();
    const events = fresh.events();
    expect(events[0]!.id).toBe(dispatch.id);
    expect(events.map((e) => e.type)).toEqual(['dispatch', 'supervise']);
    expect(events.every((e) => e.actor === users.clerk.id)).toBe(true);
    expect(fresh.doc.getMap('intake').get('data')).toMatchObject({ title: orderA.title });
    // The server's receipts beside them, for exactly the events it accepted.
    expect([...fresh.doc.share.keys()].sort()).toEqual(['events', 'intake', 'received']);
    expect([...fresh.doc.getMap('received').keys()].sort()).toEqual(events.map((e) => e.id).sort());
    const b = await clerk.open(orderDocName(orderB.id)).synced();
    expect(b.events().filter((e) => e.type === 'phone_reveal')).toHaveLength(forgeries.length);
    expect(b.events().every((e) => e.actor === users.worker.id)).toBe(true);
  }, 40_000);
});
