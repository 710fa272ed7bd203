/**
 * Write limits, against a real server: per event (serialized size), per order
 * (event count; stored bytes in tests/shared/sync/guard-limits.test.ts) and
 * per user in any 24 hours (kept in the store, so a restart does not reset
 * them). Each refusal names its code and reason to the writer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { payloads, sha } from '../shared/support/builders.ts';
import { TestClient, createdId, signIn } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

const dirs: string[] = [];
const clients: TestClient[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

async function serverWith(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer({ env });
  dirs.push(server.dataDir);
  return server;
}

async function connect(server: ServerProcess, user: (typeof users)[keyof typeof users], seed: number): Promise<TestClient> {
  const client = await TestClient.connect(server, user, seed);
  clients.push(client);
  return client;
}

async function dispatchedOrder(server: ServerProcess, seed: number): Promise<string> {
  const { token } = await signIn(server.url, users.clerk.id);
  const intake = { id: await createdId(server.url, token, hotlineIntake()) };
  const clerk = await connect(server, users.clerk, seed);
  const handle = await clerk.open(orderDocName(intake.id)).synced();
  handle.append(clerk.write(handle, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
  await handle.acked();
  return intake.id;
}

describe('write limits on a real server', () => {
  it('refuses an event above 64 KB by default: a close citing 1,200 photos', async () => {
    const server = await serverWith({});
    const id = await dispatchedOrder(server, 1);
    const worker = await connect(server, users.worker, 2);
    const handle = await worker.open(orderDocName(id)).synced();
    handle.append(worker.write(handle, { type: 'accept', payload: {} }, worker.at()));
    await handle.acked();
    handle.append(worker.write(handle, { type: 'close', payload: payloads.close(Array.from({ length: 1200 }, (_, i) => sha(i + 1))) }, worker.at()));
    const outcome = await handle.outcome();
    expect(outcome).toMatchObject({ type: 'refused', code: 'event_too_large' });
    expect(outcome === 'acknowledged' ? '' : outcome.reason).toMatch(/65536|64 KB/);
  }, 60_000);

  it('refuses the event past ORDER_MAX_EVENTS', async () => {
    const server = await serverWith({ ORDER_MAX_EVENTS: '4' });
    const id = await dispatchedOrder(server, 10);
    const worker = await connect(server, users.worker, 11);
    const handle = await worker.open(orderDocName(id)).synced();
    handle.append(worker.write(handle, { type: 'accept', payload: {} }, worker.at()));
    handle.append(worker.write(handle, { type: 'progress', payload: { text: '第二条' } }, worker.at()));
    handle.append(worker.write(handle, { type: 'progress', payload: { text: '第三条' } }, worker.at()));
    expect(await handle.outcome()).toBe('acknowledged');
    handle.append(worker.write(handle, { type: 'progress', payload: { text: '第四条' } }, worker.at()));
    expect(await handle.outcome()).toMatchObject({ type: 'refused', code: 'order_full' });
  }, 60_000);

  it('refuses a user\'s events past USER_DAILY_EVENTS in 24 hours, across orders and across a restart, and only that user\'s', async () => {
    let server = await serverWith({ USER_DAILY_EVENTS: '3' });
    const first = await dispatchedOrder(server, 20);
    const second = await dispatchedOrder(server, 21);
    const worker = await connect(server, users.worker, 22);
    const a = await worker.open(orderDocName(first)).synced();
    a.append(worker.write(a, { type: 'accept', payload: {} }, worker.at()));
    a.append(worker.write(a, { type: 'progress', payload: { text: '一' } }, worker.at()));
    expect(await a.outcome()).toBe('acknowledged');
    const b = await worker.open(orderDocName(second)).synced();
    b.append(worker.write(b, { type: 'accept', payload: {} }, worker.at()));
    expect(await b.outcome()).toBe('acknowledged');

    await server.kill();
    server = await server.restart();
    const again = await connect(server, users.worker, 23);
    const c = await again.open(orderDocName(second)).synced();
    c.append(again.write(c, { type: 'progress', payload: { text: '第四条' } }, again.at()));
    expect(await c.outcome()).toMatchObject({ type: 'refused', code: 'daily_limit' });

    const colleague = await connect(server, users.worker2, 24);
    const d = await colleague.open(orderDocName(second)).synced();
    d.append(colleague.write(d, { type: 'phone_reveal', payload: {} }, colleague.at()));
    expect(await d.outcome()).toBe('acknowledged');
  }, 90_000);
});
