/**
 * Live index docs in generations with two instances (docs/SERVER.md, "Index docs in generations"): an instance that
 * writes nothing to an index still names its current generation on its read paths after the other one rolled it
 * over (the bulk read's `moved`, the reports).
 */
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { INDEX_META_MAP, INDEX_ORDERS_MAP, indexGenerationDocName, NEXT_GENERATION_KEY, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { TestClient, createOrder, login, waitFor, type DocHandle } from './support/client.ts';
import { acceptedOrder, noteUntilRolledOver } from './support/orders-in-progress.ts';
import { users } from './support/fixture.ts';
import type { ServerProcess } from './support/server.ts';
import { describeTwoInstances } from './support/two-instances.ts';

const street = streetIndexDocName('d1-s1');

async function bulk(server: ServerProcess, names: string[]): Promise<Record<string, { update?: string; moved?: string }>> {
  const res = await fetch(`${server.url}/api/docs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await login(server.url, users.clerk.id)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ names }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { docs: Record<string, { update?: string; moved?: string }> }).docs;
}

/** The Open311 request of this order number as the clerk reads it (from the street's index): its HTTP status. */
async function open311Status(server: ServerProcess, orderNo: string): Promise<number> {
  const res = await fetch(`${server.url}/open311/v2/requests/${orderNo}.json`, { headers: { Authorization: `Bearer ${await login(server.url, users.clerk.id)}` } });
  await res.arrayBuffer();
  return res.status;
}

// A floor of 1 KB: the street's index rolls over after a few hundred notes.
describeTwoInstances(
  'live index docs in generations (two instances)',
  { env: { INDEX_ROLLOVER: '1KB', COMPACT_MIN_BYTES: '256', COMPACT_DEBOUNCE: '50ms', COMPACT_MAX_DEBOUNCE: '200ms', ORDER_MAX_EVENTS: '5000', USER_DAILY_EVENTS: '100000' } },
  (cluster) => {
    it('the instance that did not roll the index over reads the record again on its read paths: its bulk read and its reports name the new generation', async () => {
      const { a, b } = cluster;
      const clerk = await TestClient.connect(a, users.clerk, 81);
      const worker = await TestClient.connect(a, users.worker, 82);
      cluster.clients.push(clerk, worker);
      const live = (await clerk.open(street, new Y.Doc()).synced()).doc;
      const orders: { id: string; orderNo: string; w: DocHandle }[] = [];
      for (let i = 0; i < 2; i++) {
        const order = await createOrder(a.url);
        orders.push({ ...order, w: (await acceptedOrder(clerk, worker, order.id)).w });
      }
      await waitFor(() => orders.every(({ id }) => live.getMap(INDEX_ORDERS_MAP).has(id)), 'the orders in the street index');
      // b answers a bulk read and a report of the street before the rollover: it has read the record (generation 0).
      expect((await bulk(b, [street]))[street]?.update).toBeDefined();
      await waitFor(async () => (await open311Status(b, orders[0]!.orderNo)) === 200, 'the order in b’s report');
      await noteUntilRolledOver(worker, orders, live);
      const next = indexGenerationDocName(street, 1);
      expect(live.getMap(INDEX_META_MAP).get(NEXT_GENERATION_KEY)).toBe(next);
      // An order created after the rollover is listed in generation 1 only.
      const third = await createOrder(a.url);
      const g1 = (await clerk.open(next, new Y.Doc()).synced()).doc;
      await waitFor(() => g1.getMap(INDEX_ORDERS_MAP).has(third.id), 'the new order in generation 1');
      expect((await bulk(a, [street]))[street]).toEqual({ moved: next });
      // b wrote nothing to the street's index since: it learns the rollover from the record alone, in its report (first:
      // the bulk read would teach it) and in its bulk read.
      expect(await open311Status(b, third.orderNo)).toBe(200);
      expect((await bulk(b, [street]))[street]).toEqual({ moved: next });
    }, 400_000);
  },
);
