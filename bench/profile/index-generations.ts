/**
 * A street's live index doc over a year at the city day's rate, with and without generations (bench/README.md,
 * "Index docs in generations"). A sibling of index-client-ids.ts, leaner: the doc is a plain `Y.Doc` written as the
 * server writes index docs (one Yjs client per doc and process, one transaction per index batch, `OwnEntries`'
 * rule of writing only real changes is moot here: every summary written is new), without Hocuspocus or the store,
 * so that a year of ≈ 860,000 rewrites runs in a minute on a shared machine.
 *
 * Each day: `--orders-per-day` new orders (the city's 2,117 over ≈ 9 streets: 235), each rewritten `--events` times
 * (≈ 10 events an order) over its days in the list, in batches of `--batch` summaries a transaction; an order leaves
 * the live doc (deleted) after `--live-days` days, so ≈ 300 are listed. With `--generations on`, the doc is checked
 * `--checks-per-day` times a day (where the server folds it) and rolled over past `rolloverThreshold` (the server's
 * own function): a new doc holding the current entries. Three docs see the same writes: without generations, with the
 * server's factor (`ROLLOVER_FACTOR`), and with a factor of 4.
 *
 * At days 30, 180 and 365: the live doc's encoded state (a new device's download before gzip), gzipped, and a new
 * device's `Y.applyUpdate` of it (ms, median of 5, the three alternated in the same run).
 *
 *   npx tsx bench/profile/index-generations.ts [--days 365] [--orders-per-day 235]
 */
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { deriveOrder } from '#shared/order/reducer.ts';
import { summarizeOrder, type OrderSummary } from '#shared/order/summary.ts';
import { INDEX_ORDERS_MAP } from '#shared/sync/doc-names.ts';
import { liveEntryBytes, ROLLOVER_FACTOR, rolloverThreshold } from '#server/sync/index-generations.ts';
import { DEFAULT_INDEX_ROLLOVER_BYTES } from '#server/config.ts';
import { intake as buildIntake } from '../../tests/shared/support/builders.ts';
import { NOW } from '../lib/guard-fixture.ts';
import { quantile } from '../lib/stats.ts';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '365' },
    'orders-per-day': { type: 'string', default: '235' },
    events: { type: 'string', default: '10' },
    'live-days': { type: 'string', default: '1.3' },
    batch: { type: 'string', default: '4' },
    'checks-per-day': { type: 'string', default: '20' },
  },
});
const DAYS = Number(values.days);
const ORDERS_PER_DAY = Number(values['orders-per-day']);
const EVENTS = Number(values.events);
const LIVE_DAYS = Number(values['live-days']);
const BATCH = Number(values.batch);
const CHECKS_PER_DAY = Number(values['checks-per-day']);
const REPORT_DAYS = new Set([30, 180, 365, DAYS]);

/** One street's live index doc, as the server writes it (one client id), in generations or not. */
class Street {
  doc = Street.fresh();
  generations = 0;
  /** `factor`: the rollover threshold's (null: no generations). */
  constructor(readonly factor: number | null) {}

  static fresh(): Y.Doc {
    const doc = new Y.Doc();
    doc.clientID = 1 + Math.floor(Math.random() * 2 ** 30);
    return doc;
  }

  write(batch: readonly [string, OrderSummary | null][]): void {
    this.doc.transact(() => {
      const map = this.doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
      for (const [id, summary] of batch) {
        if (summary === null) map.delete(id);
        else map.set(id, summary);
      }
    });
  }

  /** Where the server folds the doc: its state measured; past the threshold, the next generation from its entries. */
  check(): void {
    if (this.factor === null) return;
    const bytes = Y.encodeStateAsUpdate(this.doc).length;
    if (bytes < rolloverThreshold(liveEntryBytes(this.doc), DEFAULT_INDEX_ROLLOVER_BYTES, this.factor)) return;
    const next = Street.fresh();
    const map = next.getMap<OrderSummary>(INDEX_ORDERS_MAP);
    next.transact(() => {
      for (const [id, summary] of this.doc.getMap<OrderSummary>(INDEX_ORDERS_MAP)) map.set(id, summary);
    });
    this.doc.destroy();
    this.doc = next;
    this.generations += 1;
  }
}

let seq = 0;
const template = (() => {
  const intake = buildIntake({ id: 'o-template', orderNo: '2026112000000000', receivedAt: NOW - 86_400_000, deadline: NOW + 86_400_000 });
  return summarizeOrder(intake, deriveOrder(intake, [], NOW));
})();
/** A summary of the real shape and size (≈ 0.55 KB), its order id and stamp its own. */
function summaryOf(id: string, eventCount: number): OrderSummary {
  return { ...template, id, orderNo: `20261120${id.slice(2).padStart(8, '0')}`, eventCount, lastHlc: `${String(eventCount).padStart(4, '0')}-${id}` };
}

interface Listed {
  readonly id: string;
  events: number;
  readonly leavesAt: number;
}

/** Without generations; with the server's factor; with 4 (the one first sketched). */
const streets = [new Street(null), new Street(ROLLOVER_FACTOR), new Street(4)];
const listed: Listed[] = [];
const rows: string[] = [];
const profiles: string[] = [];
let rewrites = 0;
const started = performance.now();
const rewritesPerDay = ORDERS_PER_DAY * EVENTS;
const turnsPerDay = Math.ceil(rewritesPerDay / BATCH);
for (let day = 1; day <= DAYS; day++) {
  let arrivals = 0;
  for (let turn = 0; turn < turnsPerDay; turn++) {
    const now = day - 1 + turn / turnsPerDay;
    const batch: [string, OrderSummary | null][] = [];
    // New orders arrive evenly over the day.
    while (arrivals < (ORDERS_PER_DAY * (turn + 1)) / turnsPerDay) {
      const order = { id: `o-${seq++}`, events: 1, leavesAt: now + LIVE_DAYS };
      listed.push(order);
      batch.push([order.id, summaryOf(order.id, 1)]);
      arrivals += 1;
    }
    // Those whose time is up leave; the rest get their events.
    while (listed.length > 0 && listed[0]!.leavesAt <= now) batch.push([listed.shift()!.id, null]);
    while (batch.length < BATCH && listed.length > 0) {
      const order = listed[Math.floor(Math.random() * listed.length)]!;
      order.events += 1;
      batch.push([order.id, summaryOf(order.id, order.events)]);
    }
    rewrites += batch.length;
    for (const street of streets) street.write(batch);
    if (turn % Math.floor(turnsPerDay / CHECKS_PER_DAY) === 0) for (const street of streets) street.check();
  }
  if (!REPORT_DAYS.has(day)) continue;
  const states = streets.map((street) => Y.encodeStateAsUpdate(street.doc));
  const times: number[][] = streets.map(() => []);
  // A new device's apply, off and on alternated.
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < streets.length; i++) {
      const device = new Y.Doc();
      const t = performance.now();
      Y.applyUpdate(device, states[i]!);
      times[i]!.push(performance.now() - t);
      device.destroy();
    }
  }
  const entries = streets[0]!.doc.getMap(INDEX_ORDERS_MAP).size;
  // What a device's apply walks: the doc's structs, most of them the deleted items of rewritten summaries.
  const structs = streets.map((street) => {
    let all = 0;
    let deleted = 0;
    for (const list of street.doc.store.clients.values()) {
      all += list.length;
      for (const struct of list) if (struct.deleted) deleted += 1;
    }
    return `${all.toLocaleString('en')} structs, ${deleted.toLocaleString('en')} deleted`;
  });
  profiles.push(`day ${day}: ${structs.join(' | ')}`);
  const cell = (i: number) => `${(states[i]!.length / 1024).toFixed(0)} KB / ${(gzipSync(states[i]!).length / 1024).toFixed(0)} KB / ${quantile(times[i]!, 0.5).toFixed(1)} ms`;
  rows.push(
    `| ${day} | ${rewrites.toLocaleString('en')} | ${entries} (${(liveEntryBytes(streets[0]!.doc) / 1024).toFixed(0)} KB) | ${cell(0)} | ${cell(1)} (${streets[1]!.generations}) | ${cell(2)} (${streets[2]!.generations}) |`,
  );
}
const seconds = (performance.now() - started) / 1000;
console.log(`${DAYS} days, ${ORDERS_PER_DAY} orders a day × ${EVENTS} events, ${LIVE_DAYS} days live, ${BATCH} summaries a transaction, checks ${CHECKS_PER_DAY}/day; ${seconds.toFixed(0)} s; Node ${process.version}`);
console.log(`| day | rewrites | entries (their JSON) | no generations: state / gzip / a new device's apply (median of 5) | factor ${ROLLOVER_FACTOR} (generations so far) | factor 4 (generations so far) |`);
console.log('|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
for (const line of profiles) console.log(line);
