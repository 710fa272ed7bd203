/**
 * Micro-benchmark of the guard's update inspection: the fast path (reading
 * the decoded update) against the copy path (applying it to a copy of the
 * order doc), same process, same docs, interleaved. Too small for a case of
 * the harness (its figures are whole-system ones); run it on its own:
 *
 *   npx tsx bench/inspect-update.ts            # 20 and 200 events
 *   npx tsx bench/inspect-update.ts 20 90 500  # other sizes
 *
 * Prints the median µs per inspection of an honest one-event append.
 */
import * as Y from 'yjs';
import { ORDER_LAYOUT, initOrderDoc, inspectUpdate, inspectUpdateByCopy } from '#shared/sync/order-doc.ts';
import { inspectUpdateFast } from '#shared/sync/inspect-update.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import { quantile } from './lib/stats.ts';

const BATCH = 50; // inspections per sample, so the timer's resolution does not matter
const SAMPLES = 60;

function event(n: number, writer: number): Record<string, unknown> {
  return {
    id: `ev${String(n).padStart(14, '0')}`,
    type: 'note',
    actor: `u-worker-${writer}`,
    role: 'grid_worker',
    unit: 'd1-s1-c1-g1',
    at: 1_790_000_000_000 + n * 60_000,
    hlc: `0000${n.toString(36)}`.slice(-12),
    serverOffsetMs: 12,
    payload: { text: `到现场核实，居民反映的问题已记录，第 ${n} 次跟进。` },
  };
}

/** An order doc with `events` events written one transaction at a time by three devices, and the next honest append. */
function orderWith(events: number): { server: Y.Doc; update: Uint8Array } {
  const server = new Y.Doc();
  const devices = [1, 2, 3].map((id) => {
    const doc = new Y.Doc();
    doc.clientID = id;
    return doc;
  });
  const first = devices[0] as Y.Doc;
  initOrderDoc(first, { id: 'o-bench' } as unknown as OrderIntake); // the layout only; the guard is not run here
  Y.applyUpdate(server, Y.encodeStateAsUpdate(first));
  for (let n = 0; n < events; n++) {
    const device = devices[n % devices.length] as Y.Doc;
    Y.applyUpdate(device, Y.encodeStateAsUpdate(server, Y.encodeStateVector(device)));
    device.getArray('events').push([event(n, n % devices.length)]);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(device, Y.encodeStateVector(server)));
  }
  const writer = devices[1] as Y.Doc;
  Y.applyUpdate(writer, Y.encodeStateAsUpdate(server, Y.encodeStateVector(writer)));
  const before = Y.encodeStateVector(writer);
  writer.getArray('events').push([event(events, 1)]);
  return { server, update: Y.encodeStateAsUpdate(writer, before) };
}

function microsPerCall(run: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i++) run();
  return Number(process.hrtime.bigint() - start) / 1000 / BATCH;
}

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n >= 0);
for (const size of sizes.length > 0 ? sizes : [20, 200]) {
  const { server, update } = orderWith(size);
  if (inspectUpdateFast(server, update, ORDER_LAYOUT) === null) throw new Error('the honest append did not take the fast path');
  const fast: number[] = [];
  const copy: number[] = [];
  for (let i = 0; i < 5; i++) {
    microsPerCall(() => inspectUpdate(server, update));
    microsPerCall(() => inspectUpdateByCopy(server, update));
  }
  for (let i = 0; i < SAMPLES; i++) {
    fast.push(microsPerCall(() => inspectUpdate(server, update)));
    copy.push(microsPerCall(() => inspectUpdateByCopy(server, update)));
  }
  const fastMedian = quantile(fast, 0.5);
  const copyMedian = quantile(copy, 0.5);
  console.log(
    `${String(size).padStart(4)} events: fast ${fastMedian.toFixed(1)} µs, copy ${copyMedian.toFixed(1)} µs per inspection (median of ${SAMPLES}×${BATCH}; ${(copyMedian / fastMedian).toFixed(1)}× faster)`,
  );
}
