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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft } from '#shared/order/events.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import { orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { payloads, sha } from '../shared/support/builders.ts';
import { TestClient, createOrder, waitFor } from './support/client.ts';
import { users } from './support/fixture.ts';
import { missingBinaries, startPostgres, startRedis, startSlowPostgresProxy, type Service } from './support/services.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

const missing = missingBinaries();
if (missing) console.warn(`index-race tests skipped: ${missing}`);

describe.skipIf(missing !== null)('an order indexed on two instances', () => {
  let redis: Service;
  let postgres: Service;
  let slow: Awaited<ReturnType<typeof startSlowPostgresProxy>>;
  let a: ServerProcess;
  let b: ServerProcess;
  const clients: TestClient[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    slow = await startSlowPostgresProxy(postgres);
    a = await startServer({ env: { DATABASE_URL: postgres.url, REDIS_URL: redis.url, INSTANCE_NAME: 'a' } });
    b = await startServer({ env: { DATABASE_URL: slow.url, REDIS_URL: redis.url, INSTANCE_NAME: 'b' }, importFixture: false });
    dirs.push(a.dataDir, b.dataDir);
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await stopAll(dirs);
    await slow?.stop();
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });

  it('ends with the summary of its last event, whichever instance indexed last', async () => {
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
      const clerkDrafts: EventDraft[] = [
        { type: 'review_pass', payload: {} },
        { type: 'portal_reply', payload: {} },
        { type: 'callback', payload: { satisfaction: 'satisfied', reached: 'phone' } },
      ];
      for (const draft of clerkDrafts) {
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
});
