/**
 * Two server instances on one Redis and one PostgreSQL: a client on each sees
 * the other's events live, and what both acknowledged survives killing both.
 * Needs redis-server and PostgreSQL 15 binaries; skipped, saying which are
 * missing, only when they are not installed.
 */
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { gridIndexDocName, orderDocName } from '#shared/sync/doc-names.ts';
import { payloads } from '../shared/support/builders.ts';
import { TestClient, createOrder, waitFor } from './support/client.ts';
import { users } from './support/fixture.ts';
import { describeTwoInstances } from './support/two-instances.ts';
import { PostgresStore } from '#server/store/postgres.ts';

describeTwoInstances('two instances on Redis and PostgreSQL', {}, (cluster) => {
  it('relays events both ways between clients on different instances, durably', async () => {
    const { a, postgres, clients } = cluster;
    let { b } = cluster;
    const order = await createOrder(a.url);

    const clerk = await TestClient.connect(a, users.clerk, 1);
    const worker = await TestClient.connect(b, users.worker, 2);
    clients.push(clerk, worker);
    const atA = await clerk.open(orderDocName(order.id)).synced();
    const atB = await worker.open(orderDocName(order.id)).synced();
    expect(atB.doc.getMap('intake').get('data')).toMatchObject({ orderNo: order.orderNo });

    const dispatch = clerk.write(atA, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at());
    atA.append(dispatch);
    await atA.acked();
    const relayStarted = Date.now();
    await waitFor(() => atB.events().some((e) => e.id === dispatch.id), 'dispatch relayed to instance b');
    const relayMs = Date.now() - relayStarted;

    const accept = worker.write(atB, { type: 'accept', payload: {} }, worker.at());
    atB.append(accept);
    await atB.acked();
    await waitFor(() => atA.events().some((e) => e.id === accept.id), 'accept relayed to instance a');
    console.info(`relay a → b after ack: ${relayMs} ms`);

    // The index doc, maintained by whichever instance took the write, reads the same on both.
    const indexAtA = await clerk.open(gridIndexDocName('d1-s1-c1-g1')).synced();
    await waitFor(() => (indexAtA.doc.getMap<{ status: string }>('orders').get(order.id)?.status ?? '') === 'in_progress', 'index at a');

    // Either instance may fold the shared log (the one that runs second finds nothing left to fold):
    // wait for the store to hold the order as one snapshot and no log.
    const store = await PostgresStore.open(postgres.url);
    try {
      await waitFor(async () => {
        const state = await store.loadDoc(orderDocName(order.id));
        return state.snapshot !== null && state.updates.length === 0;
      }, 'the order’s log folded into its snapshot in PostgreSQL');
    } finally {
      await store.close();
    }
    await Promise.any([a.logged('"event":"doc_compacted"'), b.logged('"event":"doc_compacted"')]);
    for (const server of [a, b]) expect(server.logs()).not.toMatch(/"level":"error"/);
    // Kill both; everything acknowledged is in PostgreSQL.
    await Promise.all([a.kill('SIGKILL'), b.kill('SIGKILL')]);
    for (const c of clients.splice(0)) c.close();
    b = await b.restart();
    const reader = await TestClient.connect(b, users.supervisor, 3);
    clients.push(reader);
    const fresh = await reader.open(orderDocName(order.id), new Y.Doc()).synced();
    expect(fresh.events().map((e) => e.id)).toEqual([dispatch.id, accept.id]);
  }, 60_000);
});
