/**
 * In process: what a reconnecting order doc's load costs in the back-online case's shape (bench/README.md,
 * "Back online, part 7"): the stored doc as the log holds it after others wrote while the device was away
 * (its first entry, then per event the client's update and the server's receipts: 21 entries for 10 events),
 * applied entry by entry in one transaction, against the same state as one folded snapshot.
 *
 *   npx tsx bench/profile/doc-load.ts
 */
import * as Y from 'yjs';
import { appendEvents, initOrderDoc, readEvents, ReceiptWriter } from '#shared/sync/order-doc.ts';
import { users, Writer } from '../../tests/shared/support/builders.ts';
import { NOW, order } from '../lib/guard-fixture.ts';
import { compare } from '../lib/micro.ts';

/** The log of an order doc: its creation, then `events` progress events, each followed by its receipt entry. */
function storedLog(events: number): Uint8Array[] {
  const server = new Y.Doc();
  const receipts = new ReceiptWriter(server);
  const log: Uint8Array[] = [];
  server.on('update', (update: Uint8Array) => log.push(update));
  initOrderDoc(server, order);
  const device = new Y.Doc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
  const writer = new Writer(users.worker, 1);
  for (let n = 0; n < events; n++) {
    const before = Y.encodeStateVector(device);
    const event = writer.write({ type: 'progress', payload: { text: `街道协调第 ${n} 条进展` } }, NOW - (events - n) * 60_000, readEvents(device).events);
    appendEvents(device, [event]);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(device, before));
    const receipt = receipts.record([[event.id, `${NOW}.sig`]]);
    if (receipt) Y.applyUpdate(server, receipt);
  }
  return log;
}

function load(snapshot: Uint8Array | null, updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc({ guid: 'order:o-1' });
  doc.transact(() => {
    if (snapshot) Y.applyUpdate(doc, snapshot);
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

console.log(`median of 40 samples per figure; Node ${process.version}`);
for (const [index, events] of [10, 10, 30].entries()) {
  const log = storedLog(events);
  const folded = Y.encodeStateAsUpdate(load(null, log));
  compare(
    `order doc, ${events} events: ${log.length} entries → one snapshot (${log.reduce((a, u) => a + u.length, 0)} → ${folded.length} B)`,
    () => load(null, log).destroy(),
    () => load(folded, []).destroy(),
    index === 0,
  );
}
