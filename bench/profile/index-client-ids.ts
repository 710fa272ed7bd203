/**
 * An index doc's Yjs clients over a year of loads (bench/README.md, "Index docs' Yjs clients over a year").
 *
 * In process, the server's own code on a real SQLite store: `Hocuspocus` with `DurableLog` (the load, the log of
 * the server's writes, the fold from the live doc) and the indexer's `IndexWrites` (the direct connection, its
 * batch, its transaction). One street doc lives a year: 20 loads a day (the hold lets it go between bursts of
 * changes; a bulk read or a socket loads it again), and each load writes what a street's day brings in a
 * twentieth: one new order, four summaries rewritten (an event each), one order leaving for the archives — about
 * 100 live orders. After each load's writes the connection is let go and the doc stored and unloaded, as at the end
 * of a hold. Every `--restart-days` days (0: never) the "process" is replaced: a new Hocuspocus and DurableLog on
 * the same store, as a restart or a deploy does.
 *
 * At days 1, 30, 90, 180 and 365 it reports, on the doc as loaded: its clients; its state vector (bytes); its
 * encoded state (what a fold stores and a bulk read sends); a device's sync step 1 (a device holding the doc: its
 * state vector) and the server's answer (sync step 2, the diff against it: no structs, the whole delete set; and
 * Hocuspocus's own step 1, the server's state vector); the load (`onLoadDocument`, ms); and one index transaction
 * (one summary rewritten through `IndexWrites`, from the transaction's start to the end of its cleanup, µs, median of
 * 101).
 *
 *   npx tsx bench/profile/index-client-ids.ts [--days 365] [--restart-days 0] [--loads-per-day 20]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { Hocuspocus } from '@hocuspocus/server';
import { deriveOrder } from '#shared/order/reducer.ts';
import { summarizeOrder, type OrderSummary } from '#shared/order/summary.ts';
import { streetIndexDocName } from '#shared/sync/doc-names.ts';
import { DurableLog, type DurableLogOptions } from '#server/sync/durable.ts';
import { IndexWrites } from '#server/sync/indexer.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { Metrics } from '#server/metrics.ts';
import { DEFAULT_COMPACT_MIN_BYTES } from '#server/config.ts';
import { intake as buildIntake } from '../../tests/shared/support/builders.ts';
import { NOW } from '../lib/guard-fixture.ts';
import { quantile } from '../lib/stats.ts';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '365' },
    'restart-days': { type: 'string', default: '0' },
    'loads-per-day': { type: 'string', default: '20' },
  },
});
const DAYS = Number(values.days);
const RESTART_DAYS = Number(values['restart-days']);
const LOADS_PER_DAY = Number(values['loads-per-day']);
const REPORT_DAYS = new Set([1, 30, 90, 180, 365, DAYS]);
const LIVE_ORDERS = 100;
const NAME = streetIndexDocName('s-bench');

const dir = await mkdtemp(join(tmpdir(), 'lianxin-client-ids-'));
const store = new SqliteStore(join(dir, 'lianxin.sqlite'));

/** The simulated monotonic clock DurableLog's live folds read (`elapsedMs`): a load every 24 h / LOADS_PER_DAY. */
let elapsed = 0;

interface Process {
  readonly hocuspocus: Hocuspocus;
  readonly writes: IndexWrites;
  readonly durable: DurableLog;
}

function startProcess(): Process {
  const durable = new DurableLog({
    store,
    metrics: new Metrics(),
    compactMinBytes: DEFAULT_COMPACT_MIN_BYTES,
    soleWriter: true,
    elapsedMs: () => elapsed,
  } as unknown as DurableLogOptions);
  // The store's debounce shortened (2 s in production): the same hooks run, sooner.
  const hocuspocus = new Hocuspocus({ quiet: true, debounce: 5, maxDebounce: 20, extensions: [durable] });
  return { hocuspocus, durable, writes: new IndexWrites(hocuspocus, undefined, 60_000) };
}

async function unloaded(process_: Process): Promise<void> {
  while (process_.hocuspocus.documents.has(NAME) || process_.hocuspocus.unloadingDocuments.size > 0) await new Promise((r) => setTimeout(r, 2));
}

let orderSeq = 0;
const live = new Map<string, OrderSummary>();
function newSummary(): OrderSummary {
  const i = orderSeq++;
  const intake = buildIntake({ id: `o-${i}`, orderNo: `2026112000${String(i).padStart(6, '0')}`, receivedAt: NOW - 86_400_000, deadline: NOW + 86_400_000 });
  return summarizeOrder(intake, deriveOrder(intake, [], NOW));
}
const rewritten = (s: OrderSummary, n: number): OrderSummary => ({ ...s, eventCount: s.eventCount + 1, lastHlc: `${s.lastHlc}.${n}` });

/** One load's worth of changes: a new order, four rewritten, the oldest gone to the archives. */
function changes(n: number): { orderId: string; summary: OrderSummary | null }[] {
  const out: { orderId: string; summary: OrderSummary | null }[] = [];
  const fresh = newSummary();
  live.set(fresh.id, fresh);
  out.push({ orderId: fresh.id, summary: fresh });
  const ids = [...live.keys()];
  for (let k = 0; k < 4; k++) {
    const id = ids[(n * 7 + k * 13) % ids.length]!;
    const next = rewritten(live.get(id)!, n);
    live.set(id, next);
    out.push({ orderId: id, summary: next });
  }
  if (live.size > LIVE_ORDERS) {
    const oldest = ids[0]!;
    live.delete(oldest);
    out.push({ orderId: oldest, summary: null });
  }
  return out;
}

function syncSizes(doc: Y.Doc): { step1: number; answer: number } {
  // A device holding the doc as the server has it sends its state vector…
  const device = encoding.createEncoder();
  syncProtocol.writeSyncStep1(device, doc);
  // …and the server answers with the diff against it (Hocuspocus: sync step 2) and its own step 1.
  const answer = encoding.createEncoder();
  syncProtocol.writeSyncStep2(answer, doc, Y.encodeStateVector(doc));
  syncProtocol.writeSyncStep1(answer, doc);
  return { step1: encoding.length(device), answer: encoding.length(answer) };
}

const rows: string[] = [];
async function report(day: number, process_: Process): Promise<void> {
  const loadStarted = performance.now();
  const doc = await process_.writes.hold(NAME);
  const loadMs = performance.now() - loadStarted;
  // One transaction timed from its start to the end of its cleanup (Yjs's state vectors before and after, the
  // update encoded for the doc's listeners, Hocuspocus's per-change work, DurableLog's note of the write).
  const times: number[] = [];
  let transactionStarted = 0;
  const onBefore = () => (transactionStarted = performance.now());
  const onAfter = () => times.push((performance.now() - transactionStarted) * 1000);
  doc.on('beforeAllTransactions', onBefore);
  doc.on('afterAllTransactions', onAfter);
  const ids = [...live.keys()];
  for (let i = 0; i < 101; i++) {
    const id = ids[i % ids.length]!;
    const next = rewritten(live.get(id)!, 1_000_000 + i);
    live.set(id, next);
    await process_.writes.write([{ name: NAME, orderId: id, summary: next }]);
  }
  doc.off('beforeAllTransactions', onBefore);
  doc.off('afterAllTransactions', onAfter);
  const { step1, answer } = syncSizes(doc);
  const clients = doc.store.clients.size;
  rows.push(
    `| ${day} | ${clients} | ${Y.encodeStateVector(doc).length} | ${Y.encodeStateAsUpdate(doc).length} | ${step1} | ${answer} | ${loadMs.toFixed(1)} | ${quantile(times, 0.5).toFixed(0)} |`,
  );
  await process_.writes.release();
  await unloaded(process_);
}

let process_ = startProcess();
const started = performance.now();
let n = 0;
for (let day = 1; day <= DAYS; day++) {
  if (RESTART_DAYS > 0 && day > 1 && (day - 1) % RESTART_DAYS === 0) {
    await process_.durable.flush();
    await process_.hocuspocus.closeConnections();
    process_ = startProcess();
  }
  for (let load = 0; load < LOADS_PER_DAY; load++) {
    elapsed += 86_400_000 / LOADS_PER_DAY;
    await process_.writes.write(changes(n++).map((c) => ({ name: NAME, ...c })));
    await process_.writes.release();
    await unloaded(process_);
  }
  if (REPORT_DAYS.has(day)) await report(day, process_);
}
await process_.durable.flush();
const seconds = (performance.now() - started) / 1000;

console.log(`${DAYS} days × ${LOADS_PER_DAY} loads, restart every ${RESTART_DAYS || '∞'} days; ${seconds.toFixed(0)} s; Node ${process.version}`);
console.log('| day | clients | state vector (B) | encoded state (B) | device step 1 (B) | server answer: step 2 + step 1 (B) | load (ms) | index transaction (µs, median of 101) |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
await store.close();
await rm(dir, { recursive: true, force: true });
