/**
 * Two instances on one Redis and one PostgreSQL each index the orders written
 * through them (server/sync/indexer.ts, from their own live doc). Found by the
 * city-day benchmark (bench/cases/city-day.ts: with 2 and 3 instances, 1–2 of
 * 100 orders ended with a street-index summary short of their last events,
 * every event acknowledged and in PostgreSQL): an instance whose indexer run
 * is slow (a slow database, a busy event loop) writes the summary it derived
 * before the other instance indexed later events, after it, and nothing
 * writes the newer one again — the instance that took the later events has
 * already run, and relayed updates do not start a run.
 *
 * Here instance b reaches PostgreSQL through a proxy that, from the worker's
 * 办结 on, delays every chunk by 250 ms, so b's run for 办结 (derive, then the
 * row's read and write, then the index docs) ends a second or more after a's
 * runs for the clerk's 审核, 回复 and 回访. Fails until the indexer stops
 * writing older summaries over newer ones (e.g. an entry or a row is only
 * replaced by one derived from at least as many events).
 * Needs redis-server and PostgreSQL 15; skipped, saying which, without them.
 */
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import type { EventDraft } from '#shared/order/events.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import { orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { payloads, sha } from '../shared/support/builders.ts';
import { TestClient, createOrder, waitFor } from './support/client.ts';
import { users } from './support/fixture.ts';
import type { ServerProcess } from './support/server.ts';
import { describeTwoInstances } from './support/two-instances.ts';
import { PostgresStore } from '#server/store/postgres.ts';

/** The clerk's 审核, 回复 and 回访 after a 办结, each written once the previous one is acknowledged. */
const CLERK_AFTER_CLOSE: readonly EventDraft[] = [
  { type: 'review_pass', payload: {} },
  { type: 'portal_reply', payload: {} },
  { type: 'callback', payload: { satisfaction: 'satisfied', reached: 'phone' } },
];

describeTwoInstances('an order indexed on two instances', { redisLinkForB: true, slowDatabaseForB: true }, (cluster) => {
  // b reaches PostgreSQL through `slow` and Redis through `link`: held, it hears nothing from a and a nothing from it,
  // with no outage (no catch-up).
  const { clients } = cluster;

  it('ends with the summary of its last event, whichever instance indexed last', async () => {
    const { a, b, slow } = cluster;
    const clerk = await TestClient.connect(a, users.clerk, 1);
    const worker = await TestClient.connect(b, users.worker, 2);
    clients.push(clerk, worker);
    const street = await clerk.open(streetIndexDocName('d1-s1')).synced();
    const stale: string[] = [];
    // The late write lands after the newer one or concurrently with it (then Yjs orders the two by client id): four orders.
    for (let round = 0; round < 4; round++) {
      slow.setDelay(0);
      const order = await createOrder(a.url);
      const atA = await clerk.open(orderDocName(order.id)).synced();
      const atB = await worker.open(orderDocName(order.id)).synced(30_000);
      const entry = () => street.doc.getMap<OrderSummary>('orders').get(order.id);
      const history: string[] = [];
      const t0 = performance.now();
      street.doc.getMap<OrderSummary>('orders').observe((event) => {
        if (event.keysChanged.has(order.id)) history.push(`${Math.round(performance.now() - t0)} ${entry()?.status} ${entry()?.eventCount}`);
      });

      atA.append(clerk.write(atA, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
      await atA.acked();
      await waitFor(() => atB.events().length === 1, 'the dispatch relayed to b');
      for (const draft of [
        { type: 'accept', payload: {} },
        { type: 'photo_added', payload: payloads.photo(round + 1) },
      ] as const) {
        atB.append(worker.write(atB, draft, worker.at(1000)));
        await atB.acked(30_000);
      }
      await waitFor(() => entry()?.status === 'in_progress' && entry()?.eventCount === 3, 'b’s index of the accept and the photo');

      // 办结 on b, whose database is now slow; as soon as a has it, the clerk's 审核, 回复 and 回访 on a, each acknowledged.
      slow.setDelay(250);
      const close = worker.write(atB, { type: 'close', payload: payloads.close([sha(round + 1)]) }, worker.at(2000));
      atB.append(close);
      await waitFor(() => atA.events().some((e) => e.id === close.id), '办结 relayed to a');
      for (const draft of CLERK_AFTER_CLOSE) {
        atA.append(clerk.write(atA, draft, clerk.at(3000)));
        await atA.acked();
      }
      await atB.acked(30_000);
      expect(atA.events()).toHaveLength(7);
      // Every event is in the doc on both instances; the street's index must say so once both indexers are done.
      await waitFor(() => atB.events().length === 7, 'the clerk’s events relayed to b');
      const converged = await waitFor(() => entry()?.eventCount === 7 && entry()?.status === 'called_back', 'the street index at a shows 回访 with all 7 events', { timeoutMs: 10_000 }).then(
        () => true,
        () => false,
      );
      if (!converged) stale.push(`order ${round + 1}: the entry at a over time (ms, status, events): ${history.join(' | ')}`);
      atA.destroy();
      atB.destroy();
    }
    expect(stale, 'street-index entries left behind by an older summary').toEqual([]);
  }, 120_000);

  it('ends with the summary of the most events when two instances write the entry concurrently, whatever their Yjs client ids', async () => {
    const { a, b, slow, link } = cluster;
    // Each instance holds the street index for the whole test (a watcher on each), so each writes it under one Yjs
    // client id throughout; of two concurrent writes of an entry the Y.Map keeps the one of the higher id. The older
    // write is made on b for one order and on a for the other: whichever instance has the higher id, one of the two
    // orders has its older summary kept by Yjs, every run — unless the instances make the newer one win.
    slow.setDelay(0);
    const on = (server: ServerProcess, name: string) => ({ server, name });
    const [clerkA, clerkB, workerA, workerB] = await Promise.all([
      TestClient.connect(a, users.clerk, 11),
      TestClient.connect(b, users.clerk, 12),
      TestClient.connect(a, users.worker, 13),
      TestClient.connect(b, users.worker, 14),
    ]);
    clients.push(clerkA, clerkB, workerA, workerB);
    const streets = new Map([
      ['a', await clerkA.open(streetIndexDocName('d1-s1')).synced()],
      ['b', await clerkB.open(streetIndexDocName('d1-s1')).synced()],
    ]);
    const stale: string[] = [];
    for (const [older, newer] of [
      [on(b, 'b'), on(a, 'a')],
      [on(a, 'a'), on(b, 'b')],
    ] as const) {
      const clerk = newer.server === a ? clerkA : clerkB;
      const [worker, workerThere] = older.server === a ? [workerA, workerB] : [workerB, workerA];
      const order = await createOrder(a.url);
      const name = orderDocName(order.id);
      const atClerk = await clerk.open(name).synced(30_000);
      const atWorker = await worker.open(name).synced(30_000);
      // The worker's device, later connected to the other instance (a load balancer's choice after a reconnect).
      const atWorkerThere = await workerThere.open(name).synced(30_000);
      const entryAt = (instance: string) => streets.get(instance)!.doc.getMap<OrderSummary>('orders').get(order.id);
      const both = (count: number) => entryAt('a')?.eventCount === count && entryAt('b')?.eventCount === count;

      atClerk.append(clerk.write(atClerk, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
      await atClerk.acked();
      await waitFor(() => atWorker.events().length === 1, 'the dispatch relayed to the worker’s instance');
      for (const draft of [
        { type: 'accept', payload: {} },
        { type: 'photo_added', payload: payloads.photo(older.name === 'b' ? 1 : 2) },
      ] as const) {
        atWorker.append(worker.write(atWorker, draft, worker.at(1000)));
        await atWorker.acked();
      }
      await waitFor(() => both(3) && atWorkerThere.events().length === 3 && atClerk.events().length === 3, 'both instances at 3 events, in the order and the index');

      // From here until `release`, neither instance hears the other.
      link.hold();
      try {
        // 办结 on the older instance, which indexes it: 4 events.
        atWorker.append(worker.write(atWorker, { type: 'close', payload: payloads.close([sha(older.name === 'b' ? 1 : 2)]) }, worker.at(2000)));
        await atWorker.acked();
        await waitFor(() => entryAt(older.name)?.eventCount === 4, `the ${older.name} instance’s index at 办结`);
        // The worker's device brings its 办结 to the newer instance itself; there the clerk's 审核, 回复 and 回访 follow: 7.
        Y.applyUpdate(atWorkerThere.doc, Y.encodeStateAsUpdate(atWorker.doc, Y.encodeStateVector(atWorkerThere.doc)));
        await atWorkerThere.acked();
        await waitFor(() => atClerk.events().length === 4, `办结 on the ${newer.name} instance, from the worker’s device`);
        for (const draft of CLERK_AFTER_CLOSE) {
          atClerk.append(clerk.write(atClerk, draft, clerk.at(3000)));
          await atClerk.acked();
        }
        await waitFor(() => entryAt(newer.name)?.eventCount === 7, `the ${newer.name} instance’s index at 回访`);
        // Neither has seen the other's write: the two writes of the entry are concurrent.
        expect(entryAt(older.name)?.eventCount, `the ${older.name} instance, cut off, still at 办结`).toBe(4);
      } finally {
        link.release();
      }
      // Both copies of the street index settle on one entry (the relay carries each write across).
      await waitFor(() => atWorker.events().length === 7 && JSON.stringify(entryAt('a')) === JSON.stringify(entryAt('b')), 'both instances holding the same entry');
      const converged = await waitFor(() => both(7) && entryAt('a')?.status === 'called_back', 'the street index at 回访 with all 7 events on both instances').then(
        () => true,
        () => false,
      );
      if (!converged) stale.push(`older write on ${older.name}: the entry is at ${entryAt('a')?.status} with ${entryAt('a')?.eventCount} events on both instances`);
      for (const handle of [atClerk, atWorker, atWorkerThere]) handle.destroy();
    }
    expect(stale, 'street-index entries left on the older of two concurrent writes').toEqual([]);
    // And it was the instance whose newer write Yjs did not keep that wrote it again (one of the two orders, every run).
    const rewrites = async (server: ServerProcess) => Number(/^lianxin_index_rewrites_total (\d+)$/m.exec(await server.metrics())?.[1] ?? 0);
    expect((await rewrites(a)) + (await rewrites(b)), 'index entries written again').toBeGreaterThan(0);
  }, 180_000);

  it('keeps the order’s row in the store at the state of the most events, whichever instance’s run ends last', async () => {
    const { a, b, slow, link, postgres } = cluster;
    // The row (status, target, assignee, participants: what authorisation reads) is written by each instance's
    // indexer run. Here b, cut off from a, indexes the worker's 办结 (4 events) after a has indexed 回访 (7): the
    // row must stay at 回访, and nothing later (relay, recheck) would bring it back if b's write landed.
    slow.setDelay(0);
    const [clerk, workerA, workerB, watcher] = await Promise.all([
      TestClient.connect(a, users.clerk, 31),
      TestClient.connect(a, users.worker, 32),
      TestClient.connect(b, users.worker, 33),
      TestClient.connect(b, users.clerk, 34),
    ]);
    clients.push(clerk, workerA, workerB, watcher);
    const streets = { a: await clerk.open(streetIndexDocName('d1-s1')).synced(), b: await watcher.open(streetIndexDocName('d1-s1')).synced() };
    const order = await createOrder(a.url);
    const atClerk = await clerk.open(orderDocName(order.id)).synced();
    const atWorkerA = await workerA.open(orderDocName(order.id)).synced(30_000);
    // The worker's other device, connected to b.
    const atWorkerB = await workerB.open(orderDocName(order.id)).synced(30_000);
    const entryAt = (instance: 'a' | 'b') => streets[instance].doc.getMap<OrderSummary>('orders').get(order.id);
    const store = await PostgresStore.open(postgres.url);
    const row = () => store.getOrder(order.id);
    const indexRuns = async (server: ServerProcess) => Number(/^lianxin_index_seconds_count (\d+)$/m.exec(await server.metrics())?.[1] ?? 0);
    try {
      atClerk.append(clerk.write(atClerk, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
      await atClerk.acked();
      await waitFor(() => atWorkerA.events().length === 1, 'the dispatch at the worker’s device on a');
      for (const draft of [
        { type: 'accept', payload: {} },
        { type: 'photo_added', payload: payloads.photo(3) },
      ] as const) {
        atWorkerA.append(workerA.write(atWorkerA, draft, workerA.at(1000)));
        await atWorkerA.acked();
      }
      await waitFor(
        async () => atWorkerB.events().length === 3 && entryAt('a')?.eventCount === 3 && entryAt('b')?.eventCount === 3 && (await row())?.status === 'in_progress',
        'both instances at 3 events, in the order, the index and the row',
      );

      link.hold();
      try {
        // On a: the worker's 办结, then the clerk's 审核, 回复 and 回访, indexed there: the row at 回访.
        atWorkerA.append(workerA.write(atWorkerA, { type: 'close', payload: payloads.close([sha(3)]) }, workerA.at(2000)));
        // Just the 办结, as the worker's other device will bring it to b.
        const closeOnly = Y.encodeStateAsUpdate(atWorkerA.doc, Y.encodeStateVector(atWorkerB.doc));
        await atWorkerA.acked();
        await waitFor(() => atClerk.events().length === 4, '办结 at the clerk');
        for (const draft of CLERK_AFTER_CLOSE) {
          atClerk.append(clerk.write(atClerk, draft, clerk.at(3000)));
          await atClerk.acked();
        }
        await waitFor(async () => entryAt('a')?.eventCount === 7 && (await row())?.status === 'called_back', 'a’s index and the row at 回访');

        // Then b, which has heard none of it, gets the 办结 from the worker's other device and indexes it: a run of 4 events.
        const before = await indexRuns(b);
        Y.applyUpdate(atWorkerB.doc, closeOnly);
        await atWorkerB.acked();
        expect(atWorkerB.events()).toHaveLength(4);
        await waitFor(async () => (await indexRuns(b)) > before, 'b’s indexer run for 办结 ended');
        expect((await row())?.status, 'the row after b’s run of fewer events').toBe('called_back');
        // b's run did write, and the store kept the row of more events.
        expect(await b.metrics()).toMatch(/^lianxin_index_stale_rows_total [1-9]\d*$/m);
      } finally {
        link.release();
      }
      await waitFor(() => atWorkerB.events().length === 7 && entryAt('a')?.eventCount === 7 && entryAt('b')?.eventCount === 7, 'all 7 events and the index on both instances');
      expect(await row()).toMatchObject({ status: 'called_back', eventCount: 7 });
    } finally {
      await store.close();
    }
  }, 120_000);

  it('ends with every event when each instance indexed one the other had not seen (a tie on the event count)', async () => {
    const { a, b, slow, link } = cluster;
    slow.setDelay(0);
    const clerk = await TestClient.connect(a, users.clerk, 21);
    const worker = await TestClient.connect(b, users.worker, 22);
    const watcher = await TestClient.connect(b, users.clerk, 23);
    clients.push(clerk, worker, watcher);
    const streets = [await clerk.open(streetIndexDocName('d1-s1')).synced(), await watcher.open(streetIndexDocName('d1-s1')).synced()];
    const order = await createOrder(a.url);
    const atA = await clerk.open(orderDocName(order.id)).synced();
    const atB = await worker.open(orderDocName(order.id)).synced(30_000);
    const entries = () => streets.map((street) => street.doc.getMap<OrderSummary>('orders').get(order.id));
    atA.append(clerk.write(atA, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
    await atA.acked();
    await waitFor(() => atB.events().length === 1, 'the dispatch relayed to b');
    atB.append(worker.write(atB, { type: 'accept', payload: {} }, worker.at(1000)));
    await atB.acked();
    await waitFor(() => entries().every((e) => e?.eventCount === 2) && atA.events().length === 2, 'both instances at 2 events');

    link.hold();
    try {
      // Neither hears the other: a worker's 进展 on b and the clerk's 督办 on a, each indexed where it was written.
      atB.append(worker.write(atB, { type: 'progress', payload: { text: '进展' } }, worker.at(2000)));
      atA.append(clerk.write(atA, { type: 'supervise', payload: { level: 'reminder', note: '请尽快' } }, clerk.at(2000)));
      await Promise.all([atA.acked(), atB.acked()]);
      await waitFor(() => entries().every((e) => e?.eventCount === 3), 'each instance’s index at 3 events, a different third one');
    } finally {
      link.release();
    }
    await waitFor(() => atA.events().length === 4 && atB.events().length === 4, 'both events on both instances');
    await waitFor(() => entries().every((e) => e?.eventCount === 4), 'the street index with all 4 events on both instances').catch(() => {
      throw new Error(`the street index stayed at ${entries().map((e) => e?.eventCount).join(' and ')} events on a and b, with 4 in the order`);
    });
  }, 120_000);
});
