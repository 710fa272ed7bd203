/**
 * Orders before they exist, against a real server: an order's id cannot be
 * guessed from its number, a missing order's doc can be opened only to create
 * a field report there and then, a user can hold only a few such docs and
 * only for a while, and a channel is re-decided when the order it follows
 * gets content or its scope changes.
 */
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { cryptoRandomBytes, newId } from '#shared/clock/ids.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { initOrderDoc, readEvents, readIntake } from '#shared/sync/order-doc.ts';
import { createOrder, login, postIntake, waitFor } from './support/client.ts';
import { fieldReport, hotlineIntake, outsider, places, users } from './support/fixture.ts';
import { RawSocket, authMessage } from './support/wire.ts';
import { startServer } from './support/server.ts';
import { serverForFile } from './support/suite.ts';

const suite = serverForFile();
const { connect } = suite;
const sockets: RawSocket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});

/** What a raw socket has been sent of `doc`'s content, applied to an empty doc. */
function contentSeen(socket: RawSocket, doc: string): Y.Doc {
  const seen = new Y.Doc();
  for (const update of socket.updates(doc)) Y.applyUpdate(seen, update);
  return seen;
}

const closeReason = (socket: RawSocket) => socket.texts().find((m) => m.type === 7)?.text ?? null;

describe('orders before they exist', () => {
  it('gives nothing to someone holding order:o-<number> open before the intake, and the order gets an id not made from its number', async () => {
    const intake = hotlineIntake();
    const guessed = `o-${intake.orderNo}`;
    const attacker = await connect(outsider, 11);
    const held = attacker.open(orderDocName(guessed));
    const res = await postIntake(suite.server.url, await login(suite.server.url, users.clerk.id), { ...intake, id: guessed } as typeof intake);
    expect(res.status).toBe(201);
    await waitFor(() => held.denied !== null || held.closed !== null || readIntake(held.doc) !== null, 'the held doc to be refused, closed or filled');
    expect(readIntake(held.doc)).toBeNull();

    const { id } = res.body as { id: string };
    expect(id).not.toBe(guessed);
    expect(id).not.toContain(intake.orderNo);
    expect(id).toMatch(/^o-[0-9a-z]{16}$/);
    expect(await attacker.open(orderDocName(id)).deniedReason()).toMatch(/^out_of_scope: /);
  }, 60_000);

  it('refuses to open a missing order whose id is not a field report\'s random id', async () => {
    const worker = await connect(users.worker, 12);
    expect(await worker.open(orderDocName('o-250900000001')).deniedReason()).toMatch(/^unknown_order: /);
    expect(await worker.open(orderDocName('fr-1')).deniedReason()).toMatch(/^unknown_order: /);
    const clerk = await connect(users.clerk, 13);
    expect(await clerk.open(orderDocName(`fr-${newId(cryptoRandomBytes)}`)).deniedReason()).toMatch(/^unknown_order: /);
  }, 60_000);

  it('closes a missing order\'s channel when its first sync does not create a field report', async () => {
    const worker = await connect(users.worker, 14);
    const empty = worker.open(orderDocName(`fr-${newId(cryptoRandomBytes)}`));
    await waitFor(() => empty.closed !== null || empty.denied !== null, 'the empty channel to be closed');
    expect(empty.closed ?? empty.denied).toMatch(/^unknown_order: /);

    // The same user creating one the normal way is unaffected.
    const report = fieldReport(users.worker, places.grid1);
    const doc = new Y.Doc();
    initOrderDoc(doc, report);
    const handle = await worker.open(orderDocName(report.id), doc).synced();
    expect(await handle.settled()).toBeNull();
    expect(handle.closed).toBeNull();
  }, 60_000);

  it('closes a held channel before the order created on it reaches a holder outside its scope', async () => {
    const report = fieldReport(users.worker, places.grid1);
    const name = orderDocName(report.id);
    const holder = await RawSocket.open(suite.server.wsUrl);
    sockets.push(holder);
    holder.send(authMessage(name, await login(suite.server.url, outsider.id)));
    await waitFor(() => holder.auths().length > 0, 'the holder authenticated');
    expect(holder.auths()[0]).toMatchObject({ doc: name, ok: true });

    const reporter = await connect(users.worker, 15);
    const doc = new Y.Doc();
    initOrderDoc(doc, report);
    expect(await reporter.open(name, doc).settled()).toBeNull();
    await waitFor(() => closeReason(holder) !== null || readIntake(contentSeen(holder, name)) !== null, 'the holder closed or sent the order');
    expect(readIntake(contentSeen(holder, name))).toBeNull();
    expect(closeReason(holder)).toMatch(/^out_of_scope: /);
  }, 60_000);

  it('closes a live channel when the dispatch that opened it stops applying', async () => {
    const { id } = await createOrder(suite.server.url);
    const name = orderDocName(id);
    // A supervisor takes a copy before the dispatch, and merges the order offline.
    const stale = new Y.Doc();
    const early = await connect(users.supervisor, 16);
    await early.open(name, stale).synced();
    early.close();

    const clerk = await connect(users.clerk, 17);
    const clerkDoc = await clerk.open(name).synced();
    clerkDoc.append(clerk.write(clerkDoc, { type: 'dispatch', payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }, clerk.at()));
    expect(await clerkDoc.settled()).toBeNull();
    const other = await connect(users.otherGridWorker, 18);
    const followed = await other.open(name).synced();
    await waitFor(() => followed.events().length === 1, 'the dispatch at grid 2');

    const late = await connect(users.supervisor, 19);
    // Stamped when the supervisor took the copy: after the intake, before the dispatch.
    const merge = late.write({ events: () => readEvents(stale).events }, { type: 'merge', payload: { intoOrderNo: '2509000000000001' } }, early.at());
    const mergeDoc = late.open(name, stale);
    mergeDoc.append(merge);
    expect(await mergeDoc.settled()).toBeNull();

    // Merged earlier in clock order, the order never went to grid 2.
    await waitFor(() => followed.closed !== null, 'grid 2\'s channel closed');
    expect(followed.closed).toMatch(/^out_of_scope: /);
    expect(await other.open(name, new Y.Doc()).deniedReason()).toMatch(/^out_of_scope: /);
  }, 60_000);

  it('lets a user hold only a bounded number of new orders, each only for a while', async () => {
    const quick = await startServer({ env: { NEW_ORDER_TIMEOUT: '1s' } });
    suite.removeAfter(quick.dataDir);
    const token = await login(quick.url, users.worker.id);
    const socket = await RawSocket.open(quick.wsUrl);
    sockets.push(socket);
    const names = Array.from({ length: 105 }, () => orderDocName(`fr-${newId(cryptoRandomBytes)}`));
    for (const name of names) socket.send(authMessage(name, token));
    await waitFor(() => socket.auths().length === names.length, 'an answer for every document');
    const denied = socket.auths().filter((a) => !a.ok);
    expect(socket.auths().filter((a) => a.ok)).toHaveLength(100);
    expect(denied).toHaveLength(5);
    for (const d of denied) expect(d.text).toMatch(/^too_many_new_orders: /);
    await waitFor(() => socket.texts().filter((m) => m.type === 7).length === 100, 'every held channel closed');
    for (const m of socket.texts().filter((t) => t.type === 7)) expect(m.text).toMatch(/^unknown_order: /);
  }, 60_000);
});

