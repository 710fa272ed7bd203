/**
 * In process: what a larger fold floor for index docs folded from the live doc costs a cold load, and what it
 * saves per index entry (bench/README.md, "Fan-out, part 9"). An index doc of `orders` summaries is folded to a
 * snapshot, then written as the server writes it: one transaction per entry (one summary changed: its event count
 * up by one), each transaction's update one log entry. Timed: loading the snapshot and a log of 16 KB against
 * one of 64 KB (the doc's `onLoadDocument`: every entry applied in one transaction), and the fold's encode of the
 * live doc (`Y.encodeStateAsUpdate`), whose cost per entry logged is the encode divided by the entries between two folds.
 *
 *   npx tsx bench/profile/index-fold-load.ts
 */
import * as Y from 'yjs';
import { deriveOrder } from '#shared/order/reducer.ts';
import { summarizeOrder, type OrderSummary } from '#shared/order/summary.ts';
import { INDEX_ORDERS_MAP } from '#shared/sync/doc-names.ts';
import { intake as buildIntake } from '../../tests/shared/support/builders.ts';
import { NOW } from '../lib/guard-fixture.ts';
import { LIVE_FOLD_LOG_FACTOR } from '#server/sync/durable.ts';
import { compare } from '../lib/micro.ts';
import { quantile } from '../lib/stats.ts';

function indexDoc(orders: number): { doc: Y.Doc; summaries: OrderSummary[] } {
  const doc = new Y.Doc();
  const summaries: OrderSummary[] = [];
  doc.transact(() => {
    const map = doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
    for (let i = 0; i < orders; i++) {
      const intake = buildIntake({ id: `o-${i}`, orderNo: `2026112000${String(i).padStart(4, '0')}`, receivedAt: NOW - 86_400_000, deadline: NOW + 86_400_000 });
      const summary = summarizeOrder(intake, deriveOrder(intake, [], NOW));
      summaries.push(summary);
      map.set(intake.id, summary);
    }
  });
  return { doc, summaries };
}

/** The log entries of one summary rewrite each, until they hold `bytes`. */
function logOf(doc: Y.Doc, summaries: OrderSummary[], bytes: number): Uint8Array[] {
  const log: Uint8Array[] = [];
  let total = 0;
  const onUpdate = (update: Uint8Array) => {
    log.push(update);
    total += update.length;
  };
  doc.on('update', onUpdate);
  const map = doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
  for (let i = 0; total < bytes; i++) {
    const at = i % summaries.length;
    const previous = summaries[at]!;
    summaries[at] = { ...previous, eventCount: previous.eventCount + 1, lastHlc: `${previous.lastHlc}${i}` };
    map.set(previous.id, summaries[at]);
  }
  doc.off('update', onUpdate);
  return log;
}

function medianMicros(run: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < 40; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return quantile(samples, 0.5);
}

function load(snapshot: Uint8Array, updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    Y.applyUpdate(doc, snapshot);
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

console.log(`median of 40 samples per figure; Node ${process.version}`);
for (const [index, orders] of [20, 20, 100, 500].entries()) {
  const { doc, summaries } = indexDoc(orders);
  const snapshot = Y.encodeStateAsUpdate(doc);
  const small = logOf(doc, summaries, 16 * 1024);
  const large = [...small, ...logOf(doc, summaries, 48 * 1024)];
  const quiet = index === 0;
  compare(`${orders} orders, snapshot ${snapshot.length} B: load with ${small.length} → ${large.length} entries`, () => load(snapshot, small).destroy(), () => load(snapshot, large).destroy(), quiet);
  const encode = medianMicros(() => Y.encodeStateAsUpdate(doc));
  if (!quiet) console.log(`  the fold's encode ${encode.toFixed(0)} µs: ${(encode / small.length).toFixed(1)} → ${(encode / large.length).toFixed(1)} µs per entry logged`);
}

// Part 10: an index doc folded from its live doc at most every 30 s may carry, at a cold load, a log of up to
// LIVE_FOLD_LOG_FACTOR times its snapshot (or 200 entries), where a fold at every store left it at most ≈ 64 KB.
console.log(`\npart 10: a log of 64 KB against ${LIVE_FOLD_LOG_FACTOR}× the snapshot (the most a log reaches before its fold, however recent)`);
for (const orders of [30, 110]) {
  const { doc, summaries } = indexDoc(orders);
  const snapshot = Y.encodeStateAsUpdate(doc);
  const floor = logOf(doc, summaries, 64 * 1024);
  const longest = [...floor, ...logOf(doc, summaries, LIVE_FOLD_LOG_FACTOR * snapshot.length - 64 * 1024)];
  compare(`${orders} orders, snapshot ${snapshot.length} B: load with ${floor.length} → ${longest.length} entries`, () => load(snapshot, floor).destroy(), () => load(snapshot, longest).destroy());
}
