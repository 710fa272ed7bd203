/**
 * Micro-benchmark of what the server does for one small update to an order
 * doc, against the size of the doc: the guard (inspecting the update, looking
 * up reused ids, validating what it adds, the time rules) and the indexer's
 * read of the order (validating its events, deriving it). The baseline is the
 * same work as the server did it before (bench/baseline/guard-before.ts: the
 * fast path for a plain append, a copy of the doc for anything else, a scan
 * of every event, every event validated again), measured in the same process,
 * on the same docs and updates, interleaved. Too small for a case of the
 * harness (its figures are whole-system ones); run it on its own:
 *
 *   npx tsx bench/update-cost.ts                 # 20, 200, 1000 events and a 78 MB order
 *   npx tsx bench/update-cost.ts 50 500          # other event counts (no big order)
 *
 * Prints median µs per update, and the ratio after ÷ before.
 */
import * as Y from 'yjs';
import { createHlc } from '#shared/clock/hlc.ts';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { stampEvent } from '#shared/order/stamp.ts';
import { guardOrderUpdate } from '#shared/sync/guard.ts';
import { appendEvents, initOrderDoc, readEvents, receivedAtOf } from '#shared/sync/order-doc.ts';
import { users } from '../tests/shared/support/builders.ts';
import { guardBefore, readEventsBefore } from './baseline/guard-before.ts';
import { context, NOW, order, tree } from './lib/guard-fixture.ts';
import { compare, SAMPLES } from './lib/micro.ts';

const MB = 1024 * 1024;

/** An order with `count` events by the worker, a minute apart (each `padding` bytes larger, as the bloat attack wrote them), each received as written. */
function orderDoc(count: number, padding: number): { server: Y.Doc; events: OrderEvent[]; stamp: (at: number, seen: OrderEvent[], seed: number) => OrderEvent } {
  const server = new Y.Doc();
  initOrderDoc(server, order);
  let hlc = createHlc('dev-grid1');
  const random = seededRandomBytes(1);
  const stamp = (at: number, seen: OrderEvent[], seed: number): OrderEvent => {
    const stamped = stampEvent({ type: 'progress', payload: { text: `到现场核实，第 ${seed} 次跟进。` } }, { user: users.worker, now: at, hlc, seen: seen.map((e) => e.hlc), random });
    if (!stamped.ok) throw new Error('bench event does not validate');
    hlc = stamped.hlc;
    return stamped.value;
  };
  const events: OrderEvent[] = [];
  const start = NOW - count * 60_000 - 3_600_000;
  const received = server.getMap<number>('received');
  for (let n = 0; n < count; n++) {
    const event = stamp(start + n * 60_000, events, n);
    events.push(event);
    const raw = padding > 0 ? { ...event, padding: 'x'.repeat(padding) } : event;
    server.getArray('events').push([raw]);
    received.set(event.id, event.at);
  }
  return { server, events, stamp };
}

/** A plain append of one event from the worker's device, as the PWA sends it. */
function plainAppend(server: Y.Doc, event: OrderEvent): Uint8Array {
  const device = new Y.Doc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(device);
  appendEvents(device, [event]);
  return Y.encodeStateAsUpdate(device, before);
}

/** Offline work of two app sessions (two Yjs client ids) in one update, as a device sends it when back online. */
function twoSessions(server: Y.Doc, first: OrderEvent, second: OrderEvent): Uint8Array {
  const device = new Y.Doc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
  const sv = Y.encodeStateVector(device);
  appendEvents(device, [first]);
  const restarted = new Y.Doc();
  Y.applyUpdate(restarted, Y.encodeStateAsUpdate(device));
  appendEvents(restarted, [second]);
  return Y.encodeStateAsUpdate(restarted, sv);
}

const args = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const sizes: [number, number][] = args.length > 0 ? args.map((n) => [n, 0]) : [[20, 0], [200, 0], [1000, 0], [20, Math.round(3.9 * MB)]];
console.log(`median of ${SAMPLES} samples per figure; Node ${process.version}`);
// A first pass over the smallest order, not reported: the first figures otherwise include the JIT warming up.
for (const [index, [count, padding]] of [sizes[0]!, ...sizes].entries()) {
  const quiet = index === 0;
  const { server, events, stamp } = orderDoc(count, padding);
  const size = Y.encodeStateAsUpdate(server).length;
  const name = `${count} events, ${size >= MB ? `${(size / MB).toFixed(0)} MB` : `${Math.round(size / 1024)} KB`}`;
  const next = stamp(NOW - 60_000, events, 9_999);
  const append = plainAppend(server, next);
  const later = stamp(NOW - 30_000, [...events, next], 10_000);
  const sessions = twoSessions(server, next, later);
  const ok = guardOrderUpdate(server, order.id, append, users.worker, tree, context);
  if (!ok.ok) throw new Error(`the bench append is refused: ${ok.refusal.code} ${ok.refusal.reason}`);
  const both = guardOrderUpdate(server, order.id, sessions, users.worker, tree, context);
  if (!both.ok || both.events.length !== 2) throw new Error('the two-session update is refused');
  compare(`${name}: guard, plain append (${append.length} B)`, () => guardBefore(server, append), () => guardOrderUpdate(server, order.id, append, users.worker, tree, context), quiet);
  compare(`${name}: guard, two sessions (${sessions.length} B)`, () => guardBefore(server, sessions), () => guardOrderUpdate(server, order.id, sessions, users.worker, tree, context), quiet);
  compare(
    `${name}: indexer read and derive`,
    () => deriveOrder(order, readEventsBefore(server), NOW),
    () => deriveOrder(order, readEvents(server).events, NOW, { receivedAt: receivedAtOf(server) }),
    quiet,
  );
}
