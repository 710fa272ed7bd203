/**
 * Time written by clients, against a real server: stamps the server cannot
 * believe are refused; the server records when it received each event, the
 * clients read it, and deadlines count from it; a worker offline for three
 * days (the server's clock really moves on, through libfaketime) delivers
 * every event. Events are stamped relative to the server's clock at sign-in.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '#shared/clock/hlc.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { readIndexSummary } from '#shared/order/summary.ts';
import { gridIndexDocName, orderDocName } from '#shared/sync/doc-names.ts';
import { readEvents, readIntake, receivedAtOf } from '#shared/sync/order-doc.ts';
import { Writer, payloads } from '../shared/support/builders.ts';
import { TestClient, createdId, signIn, waitFor, type DocHandle } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import { fakeClockMissing, startServer, stopAll, type ServerProcess } from './support/server.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let server: ServerProcess;
const dirs: string[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  // The skew is set here so that the margins below are plain: 10 minutes.
  server = await startServer({ env: { CLOCK_SKEW: '10m' } });
  dirs.push(server.dataDir);
}, 40_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

async function connect(user: (typeof users)[keyof typeof users], seed: number, on = server): Promise<TestClient> {
  const client = await TestClient.connect(on, user, seed);
  clients.push(client);
  return client;
}

/** A hotline order in grid 1, dispatched there by the clerk; its deadline `deadlineIn` after the server's clock. */
async function dispatchedOrder(deadlineIn: number, seed: number): Promise<{ id: string; clerk: TestClient; handle: DocHandle; dispatch: OrderEvent }> {
  const { token, serverTime } = await signIn(server.url, users.clerk.id);
  const intake = { id: await createdId(server.url, token, hotlineIntake({ receivedAt: serverTime - 6 * HOUR, deadline: serverTime + deadlineIn })) };
  const clerk = await connect(users.clerk, seed);
  const handle = await clerk.open(orderDocName(intake.id)).synced();
  const dispatch = clerk.write(handle, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at());
  handle.append(dispatch);
  await handle.acked();
  return { id: intake.id, clerk, handle, dispatch };
}

const receivedAt = (handle: DocHandle) => receivedAtOf(handle.doc);

describe('time written by clients, on a real server', () => {
  it('refuses stamps it cannot believe — the years 2999 and 2000, an HLC of 1970, an offset of 9e15 — and stores none', async () => {
    const { id } = await dispatchedOrder(5 * DAY, 1);
    const forgeries: { code: string; forge: (c: TestClient, h: DocHandle) => OrderEvent }[] = [
      { code: 'time_in_future', forge: (c, h) => c.write(h, { type: 'progress', payload: { text: '2999 年' } }, Date.UTC(2999, 0, 1)) },
      { code: 'time_too_old', forge: (c, h) => c.write(h, { type: 'progress', payload: { text: '2000 年' } }, Date.UTC(2000, 0, 2)) },
      { code: 'hlc_out_of_order', forge: (c, h) => ({ ...c.write(h, { type: 'progress', payload: { text: '1970 年' } }, c.at()), hlc: encodeHlc({ wall: 0, counter: 0, node: 'dev-grid1' }) }) },
      { code: 'offset_out_of_range', forge: (c, h) => ({ ...c.write(h, { type: 'progress', payload: { text: '偏移' } }, c.at()), serverOffsetMs: 9e15 }) },
    ];
    for (const [index, { code, forge }] of forgeries.entries()) {
      const worker = await connect(users.worker, 10 + index);
      const handle = await worker.open(orderDocName(id)).synced();
      handle.append(forge(worker, handle));
      expect(await handle.outcome(), code).toMatchObject({ type: 'refused', code });
    }
    await server.kill('SIGKILL');
    server = await server.restart();
    const reader = await connect(users.clerk, 19);
    const stored = await reader.open(orderDocName(id), new Y.Doc()).synced();
    expect(stored.events().map((e) => e.type)).toEqual(['dispatch']);
  }, 60_000);

  it('refuses a dispatch stamped before the worker\'s accept that its writer had received, and the worker\'s events stay applied', async () => {
    const { id, handle: clerkDoc, dispatch } = await dispatchedOrder(5 * DAY, 20);
    const worker = await connect(users.worker, 21);
    const handle = await worker.open(orderDocName(id)).synced();
    const accept = worker.write(handle, { type: 'accept', payload: {} }, worker.at());
    handle.append(accept);
    for (let i = 1; i <= 16; i++) handle.append(worker.write(handle, { type: 'progress', payload: { text: `第 ${i} 次跟进` } }, worker.at(i * 1000)));
    await handle.acked();

    await waitFor(() => clerkDoc.events().length === 18, 'the clerk has the worker\'s events');
    // A clerk's device that has seen all 18 events writes a re-dispatch claiming a time before the accept.
    const backdated = new Writer(users.clerk, 22).write({ type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, accept.at - MINUTE, [dispatch]);
    clerkDoc.append(backdated);
    const outcome = await clerkDoc.outcome();
    expect(outcome).toMatchObject({ type: 'refused' });
    expect(['time_before_seen', 'hlc_out_of_order']).toContain(outcome === 'acknowledged' ? outcome : outcome.code);

    const reader = await connect(users.supervisor, 23);
    const stored = await reader.open(orderDocName(id), new Y.Doc()).synced();
    const intake = readIntake(stored.doc);
    if (!intake?.ok) throw new Error('no intake');
    const view = deriveOrder(intake.value, stored.events(), reader.at(), { receivedAt: receivedAt(stored) });
    expect(view).toMatchObject({ status: 'in_progress', assignee: users.worker.id, conflicts: [] });
    expect(view.timeline).toHaveLength(18);
  }, 60_000);

  it('refuses an overdue order\'s close stamped before the order existed', async () => {
    const { id } = await dispatchedOrder(-HOUR, 30);
    const worker = await connect(users.worker, 31);
    const handle = await worker.open(orderDocName(id)).synced();
    handle.append(worker.write(handle, { type: 'accept', payload: {} }, worker.at()));
    handle.append(worker.write(handle, { type: 'photo_added', payload: payloads.photo(1) }, worker.at()));
    await handle.acked();
    handle.append(worker.write(handle, { type: 'close', payload: payloads.close() }, worker.at(-2 * HOUR)));
    expect(await handle.outcome()).toMatchObject({ type: 'refused', code: 'time_before_seen' });
  }, 60_000);

  it('records when it received each event, tells every client, and counts the order closed then', async () => {
    // Deadline 4 minutes before the clerk's sign-in; the worker's close claims 8 minutes before its own,
    // within the 10-minute skew of what it had seen, so the close is accepted and its time believed only as far as the server can.
    const { id } = await dispatchedOrder(-4 * MINUTE, 40);
    const worker = await connect(users.worker, 41);
    const handle = await worker.open(orderDocName(id)).synced();
    handle.append(worker.write(handle, { type: 'accept', payload: {} }, worker.at()));
    handle.append(worker.write(handle, { type: 'photo_added', payload: payloads.photo(1) }, worker.at()));
    await handle.acked();
    const close = worker.write(handle, { type: 'close', payload: payloads.close() }, worker.at(-8 * MINUTE));
    handle.append(close);
    expect(await handle.outcome()).toBe('acknowledged');
    // The writer's own device learns the receipt too.
    await waitFor(() => receivedAt(handle)(close.id) !== undefined, 'the receipt on the worker\'s device');
    const received = receivedAt(handle)(close.id)!;
    expect(received).toBeGreaterThanOrEqual(worker.serverTime);

    const clerk = await connect(users.clerk, 42);
    const stored = await clerk.open(orderDocName(id), new Y.Doc()).synced();
    const intake = readIntake(stored.doc);
    if (!intake?.ok) throw new Error('no intake');
    expect(receivedAt(stored)(close.id)).toBe(received);
    const view = deriveOrder(intake.value, readEvents(stored.doc).events, clerk.at(), { receivedAt: receivedAt(stored) });
    expect(view).toMatchObject({ status: 'closed', closedAt: received, overdue: true });
    expect(view.result?.at).toBe(close.at);

    // The index the server writes says the same.
    const index = await clerk.open(gridIndexDocName('d1-s1-c1-g1')).synced();
    await waitFor(() => {
      const summary = readIndexSummary(id, index.doc.getMap('orders').get(id));
      return summary.ok && summary.value.status === 'closed';
    }, 'the closed order in the grid index');
    const summary = readIndexSummary(id, index.doc.getMap('orders').get(id));
    expect(summary).toMatchObject({ ok: true, value: { closedAt: received } });
  }, 60_000);
});

describe('a worker offline for three days', () => {
  const missing = fakeClockMissing();

  it.skipIf(missing !== null)(`delivers every event it wrote, to a server whose clock moved on three days${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    let own = await startServer({ env: { CLOCK_SKEW: '10m' } });
    dirs.push(own.dataDir);
    const { token } = await signIn(own.url, users.clerk.id);
    const intake = { id: await createdId(own.url, token, hotlineIntake()) };
    const clerk = await connect(users.clerk, 50, own);
    const clerkDoc = await clerk.open(orderDocName(intake.id)).synced();
    clerkDoc.append(clerk.write(clerkDoc, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
    await clerkDoc.acked();

    // The worker's phone syncs the order, then loses its signal for three days.
    const worker = await connect(users.worker, 51, own);
    const phone = new Y.Doc();
    await worker.open(orderDocName(intake.id), phone).synced();
    worker.close();
    const offline = new Writer(users.worker, 52);
    const written: OrderEvent[] = [];
    const write = (draft: Parameters<Writer['write']>[0], offset: number) => {
      const event = offline.write(draft, worker.at(offset), readEvents(phone).events);
      written.push(event);
      phone.getArray('events').push([JSON.parse(JSON.stringify(event))]);
    };
    write({ type: 'accept', payload: {} }, HOUR);
    for (let hour = 2; hour < 72; hour += 3) write({ type: 'progress', payload: { text: `第 ${hour} 小时的记录` } }, hour * HOUR);
    write({ type: 'photo_added', payload: payloads.photo(1) }, 71 * HOUR);
    write({ type: 'close', payload: payloads.close() }, 71 * HOUR + 30 * MINUTE);

    // Three days later, the same server (its data) on a clock three days on.
    await own.kill();
    own = await own.restart({ clockOffsetMs: 3 * DAY });
    const back = await connect(users.worker, 53, own);
    expect(back.serverTime - worker.serverTime).toBeGreaterThan(3 * DAY - HOUR);
    const handle = back.open(orderDocName(intake.id), phone);
    await handle.synced();
    expect(await handle.outcome()).toBe('acknowledged');

    const reader = await connect(users.clerk, 54, own);
    const stored = await reader.open(orderDocName(intake.id), new Y.Doc()).synced();
    const ids = new Set(stored.events().map((e) => e.id));
    expect(written.filter((e) => !ids.has(e.id))).toEqual([]);
    const read = readIntake(stored.doc);
    if (!read?.ok) throw new Error('no intake');
    const view = deriveOrder(read.value, stored.events(), reader.at(), { receivedAt: receivedAt(stored) });
    expect(view).toMatchObject({ status: 'closed', conflicts: [] });
    // Received when it arrived, three days after it was written.
    expect(view.closedAt).toBeGreaterThanOrEqual(back.serverTime);
  }, 90_000);
});
