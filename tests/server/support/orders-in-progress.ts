/**
 * Orders in progress at the grid's worker, and the notes that rewrite their
 * summaries until a live index doc rolls over (docs/SERVER.md, "Index docs in
 * generations"): the setup the index tests share.
 */
import * as Y from 'yjs';
import { expect } from 'vitest';
import type { OrderSummary } from '#shared/order/summary.ts';
import { INDEX_META_MAP, INDEX_ORDERS_MAP, NEXT_GENERATION_KEY, orderDocName } from '#shared/sync/doc-names.ts';
import { payloads } from '../../shared/support/builders.ts';
import { waitFor } from '../../support/wait.ts';
import type { DocHandle, TestClient } from './client.ts';

/** An existing order dispatched to the grid by `clerk` and accepted by `worker`, both acknowledged: the two handles on it. */
export async function acceptedOrder(clerk: TestClient, worker: TestClient, orderId: string): Promise<{ c: DocHandle; w: DocHandle }> {
  const c = await clerk.open(orderDocName(orderId), new Y.Doc()).synced();
  c.append(clerk.write(c, { type: 'dispatch', payload: payloads.dispatchToGrid() }, clerk.at()));
  expect(await c.settled()).toBeNull();
  const w = await worker.open(orderDocName(orderId), new Y.Doc()).synced();
  await waitFor(() => w.events().length === 1, 'the dispatch at the worker');
  w.append(worker.write(w, { type: 'accept', payload: {} }, worker.at(1000)));
  expect(await w.settled()).toBeNull();
  return { c, w };
}

// Polled often: a rollover takes hundreds of round trips on localhost, each a few milliseconds.
const POLL = { intervalMs: 2 } as const;

/**
 * Progress notes by `worker` on `orders`, one each per round trip, until `live` (a live index doc's generation
 * listing them) names its successor; returns the notes written. Each round's summaries are indexed before the next:
 * the orders' rewrites interleave in the index doc, and only interleaved rewrites grow it (bench/README.md, "Index docs
 * in generations"). Notes are stamped `worker.at(2000 + n)` from `firstNote` on.
 */
export async function noteUntilRolledOver(worker: TestClient, orders: readonly { id: string; w: DocHandle }[], live: Y.Doc, firstNote = 0, maxNotes = 3000): Promise<number> {
  const successor = () => live.getMap(INDEX_META_MAP).get(NEXT_GENERATION_KEY);
  const indexed = () => orders.every(({ id, w }) => (live.getMap<OrderSummary>(INDEX_ORDERS_MAP).get(id)?.eventCount ?? 0) >= w.events().length);
  await waitFor(() => indexed() || successor() !== undefined, 'the orders in the index');
  let notes = 0;
  while (notes < maxNotes && successor() === undefined) {
    for (const { w } of orders) {
      const n = firstNote + notes++;
      w.append(worker.write(w, { type: 'progress', payload: { text: `进展${n}` } }, worker.at(2000 + n)));
    }
    for (const { w } of orders) expect(await w.settled(POLL)).toBeNull();
    await waitFor(() => indexed() || successor() !== undefined, 'the notes indexed', POLL);
  }
  return notes;
}
