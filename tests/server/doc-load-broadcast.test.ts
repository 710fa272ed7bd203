/**
 * A client opening an order doc the server holds only in its store gets what it lacks once, in
 * its sync step 2 — not also the whole stored doc as an update first. Hocuspocus's Document buffers
 * the load's own change for a broadcast at the next setImmediate, by which time the connection that
 * asked for the doc is attached (bench/README.md, "Back online, part 2"); DurableLog flushes that
 * buffer while no connection is attached.
 */
import * as decoding from 'lib0/decoding';
import { expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { createOrder } from './support/client.ts';
import { users } from './support/fixture.ts';
import { serverForFile } from './support/suite.ts';

const suite = serverForFile();

/** Sync messages of type "update" (y-protocols 0/2) the server sent this provider. */
function countUpdates(data: unknown): number {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : null;
  if (!bytes) return 0;
  const decoder = decoding.createDecoder(bytes);
  decoding.readVarString(decoder);
  if (decoding.readVarUint(decoder) !== 0) return 0;
  return decoding.readVarUint(decoder) === 2 ? 1 : 0;
}

it('sends a doc loaded from the store only in the sync step 2, not also as an update beforehand', async () => {
  const first = await createOrder(suite.server.url);
  const second = await createOrder(suite.server.url);
  // A fresh process on the same data: both docs are in the store, none in memory.
  await suite.server.kill();
  const restarted = await suite.server.restart();
  const client = await suite.connect(users.clerk, 1, restarted);

  const handle = client.open(orderDocName(first.id));
  let updates = 0;
  handle.provider.on('message', ({ event }: { event: MessageEvent }) => {
    updates += countUpdates(event.data);
  });
  await handle.synced();
  expect(handle.doc.getMap('intake').size).toBeGreaterThan(0);
  // A later exchange on the same socket: anything the server queued for the first doc has arrived by its end.
  await client.open(orderDocName(second.id)).synced();
  expect(updates).toBe(0);
  await restarted.kill();
});
