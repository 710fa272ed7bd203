/**
 * In process, two items of the server's CPU on a device's return (bench/README.md, "Back online,
 * part 5"), each the way main did it against the way it is done now, interleaved:
 *
 * 1. the checks of a device's step 2 before Hocuspocus applies it: the update decoded for the
 *    clocks it writes (`Y.parseUpdateMeta`) and again by the guard's inspection, against one
 *    decode handed to both (`decodeUpdate`);
 * 2. an index doc's log entry after a burst of server writes: `Y.mergeUpdates` of the
 *    transactions' updates against the entry built from the live doc (`UnloggedWrites`), in the
 *    back-online case's shape (a grid index of 300 orders, 200 summaries written over 20 of them)
 *    and in a steady flush of a street's index (3,000 orders, 5 summaries written);
 * 3. a Hocuspocus `Document` created for a doc being loaded, without a `guid` (Yjs draws a uuidv4:
 *    31 webcrypto calls) against with its name as `guid` (`DurableLog.onCreateDocument`, part 6).
 *
 *   npx tsx bench/profile/reconnect-cpu.ts
 */
import * as Y from 'yjs';
import { Document } from '@hocuspocus/server';
import { deriveOrder } from '#shared/order/reducer.ts';
import { summarizeOrder } from '#shared/order/summary.ts';
import { guardOrderUpdate } from '#shared/sync/guard.ts';
import { decodeUpdate } from '#shared/sync/inspect-update.ts';
import { appendEvents, initOrderDoc, readEvents } from '#shared/sync/order-doc.ts';
import { UnloggedWrites } from '../../server/sync/server-writes.ts';
import { users, Writer } from '../../tests/shared/support/builders.ts';
import { context, NOW, order, tree } from '../lib/guard-fixture.ts';
import { compare } from '../lib/micro.ts';


/** An order of `count` progress events by the worker, and the device's step 2 adding a photo event (the case's change). */
function stepTwo(count: number): { server: Y.Doc; update: Uint8Array } {
  const server = new Y.Doc();
  initOrderDoc(server, order);
  const writer = new Writer(users.worker, 1);
  for (let n = 0; n < count; n++) {
    appendEvents(server, [writer.write({ type: 'progress', payload: { text: `到现场核实，第 ${n} 次跟进。` } }, NOW - (count - n) * 60_000, readEvents(server).events)]);
  }
  const device = new Y.Doc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(device);
  const payload = { sha256: 'a'.repeat(64), kind: 'handling' as const, mime: 'image/jpeg' as const, size: 300 * 1024, width: 1600, height: 1200, takenAt: NOW - 1000, location: { kind: 'none' as const, reason: 'indoors' as const } };
  appendEvents(device, [writer.write({ type: 'photo_added', payload }, NOW - 1000, readEvents(device).events)]);
  return { server, update: Y.encodeStateAsUpdate(device, before) };
}

function clocksWritten(structs: readonly (Y.Item | Y.GC | Y.Skip)[]): Map<number, number> {
  const to = new Map<number, number>();
  for (const struct of structs) to.set(struct.id.client, struct.id.clock + struct.length);
  return to;
}

/** An index doc of `orders` summaries, then `writes` transactions each writing one of the first `written` orders' summary again. */
function indexBurst(orders: number, written: number, writes: number): { updates: Uint8Array[]; pending: UnloggedWrites } {
  const summary = summarizeOrder(order, deriveOrder(order, [], NOW));
  const doc = new Y.Doc();
  const map = doc.getMap<unknown>('orders');
  doc.transact(() => {
    for (let n = 0; n < orders; n++) map.set(`o-${n}`, { ...summary, id: `o-${n}`, orderNo: String(250912101108000000 + n), eventCount: 1 });
  });
  const updates: Uint8Array[] = [];
  const pending = new UnloggedWrites(doc);
  doc.on('update', (update: Uint8Array) => updates.push(update));
  doc.on('afterTransaction', (tr: Y.Transaction) => pending.add(tr));
  for (let n = 0; n < writes; n++) {
    const id = `o-${n % written}`;
    doc.transact(() => map.set(id, { ...summary, id, orderNo: String(250912101108000000 + (n % written)), eventCount: 2 + n }));
  }
  return { updates, pending };
}

console.log(`median of 40 samples per figure; Node ${process.version}`);
for (const [index, count] of [10, 10, 40].entries()) {
  const { server, update } = stepTwo(count);
  const verdict = guardOrderUpdate(server, order.id, update, users.worker, tree, context);
  if (!verdict.ok) throw new Error(`the bench's step 2 is refused: ${verdict.refusal.code} ${verdict.refusal.reason}`);
  const quiet = index === 0;
  compare(
    `step 2 checks, order of ${count} events (${update.length} B)`,
    () => {
      Y.parseUpdateMeta(update);
      return guardOrderUpdate(server, order.id, update, users.worker, tree, context);
    },
    () => {
      const decoded = decodeUpdate(update);
      clocksWritten(decoded.structs);
      return guardOrderUpdate(server, order.id, decoded, users.worker, tree, context);
    },
    quiet,
  );
}
const bursts = [
  [300, 20, 200, 'grid index after a burst'],
  [300, 20, 200, 'grid index after a burst'],
  [3000, 5, 5, 'street index, a steady flush'],
] as const;
for (const [index, [orders, written, writes, label]] of bursts.entries()) {
  const { updates, pending } = indexBurst(orders, written, writes);
  const merged = Y.mergeUpdates(updates);
  const entry = pending.encode();
  compare(`${label}: ${orders} orders, ${writes} writes (${merged.length} → ${entry.length} B)`, () => Y.mergeUpdates(updates), () => pending.encode(), index === 0);
}
for (const quiet of [true, false]) {
  compare(
    'a Document created (no guid → its name as guid)',
    () => new Document('order:o-1', {}).destroy(),
    () => new Document('order:o-1', { guid: 'order:o-1' }).destroy(),
    quiet,
  );
}
