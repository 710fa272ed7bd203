/**
 * An index doc's hold (`IndexWrites`, server/sync/indexer.ts) can run out while a batch that writes it waits for
 * another doc of the same batch to load: the batch then takes the doc again and writes it, instead of failing on
 * the closed connection and leaving its entries for their orders' next change.
 */
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import { afterEach, describe, expect, it } from 'vitest';
import { INDEX_ORDERS_MAP } from '#shared/sync/doc-names.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import { summarizeOrder } from '#shared/order/summary.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { IndexWrites } from '../../server/sync/indexer.ts';
import { intake, T0 } from '../shared/support/builders.ts';
import { waitFor } from '../support/wait.ts';

const HOLD_MS = 20;
const FIRST = 'street:first';
const SLOW = 'street:slow';

let hocuspocus: Hocuspocus | null = null;
let writes: IndexWrites | null = null;
afterEach(async () => {
  await writes?.release();
  hocuspocus?.closeConnections();
  writes = null;
  hocuspocus = null;
});

function summary(orderNo: string): OrderSummary {
  const input = intake({ orderNo });
  return summarizeOrder(input, deriveOrder(input, [], T0));
}

describe('index writes across a slow load', () => {
  it("write a held doc whose hold ran out while the batch's other doc loaded", async () => {
    let letLoad = () => {};
    const slowLoad = new Promise<void>((resolve) => (letLoad = resolve));
    const loads: string[] = [];
    const gate: Extension = {
      async onLoadDocument({ documentName }) {
        loads.push(documentName);
        if (documentName === SLOW) await slowLoad;
      },
    };
    hocuspocus = new Hocuspocus({ quiet: true, extensions: [gate] });
    writes = new IndexWrites(hocuspocus, undefined, HOLD_MS);
    const first = summary('ZZ0001');
    await writes.write([{ name: FIRST, orderId: 'o-1', summary: first }]);

    const second = summary('ZZ0002');
    const batch = writes.write([
      { name: FIRST, orderId: 'o-2', summary: second },
      { name: SLOW, orderId: 'o-3', summary: summary('ZZ0003') },
    ]);
    // The first doc's hold runs out while the slow one is still loading: its connection is closed.
    await waitFor(() => (hocuspocus!.documents.get(FIRST)?.getConnectionsCount() ?? 0) === 0, "the first doc's hold to run out");
    letLoad();
    await batch;

    const doc = await writes.hold(FIRST);
    const map = doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
    expect(map.get('o-1')?.orderNo).toBe(first.orderNo);
    expect(map.get('o-2')?.orderNo).toBe(second.orderNo);
    expect((await writes.hold(SLOW)).getMap<OrderSummary>(INDEX_ORDERS_MAP).has('o-3')).toBe(true);
    expect(loads.filter((name) => name === SLOW)).toHaveLength(1);
  });
});
