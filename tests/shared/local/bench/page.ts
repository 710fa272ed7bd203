/**
 * The in-browser half of browser-bench.ts: 10,000 synthetic orders through
 * the real projection, the queries the inbox makes, and, for comparison, the
 * same search as a plain scan over a table without the bigram index.
 */
import Dexie, { type Table } from 'dexie';
import { LianxinDb, type OrderRow } from '#shared/local/db.ts';
import { recordEvent } from '#shared/local/journal.ts';
import { countsByTab, inboxPage, projectMany, searchOrders, toOrderRow } from '#shared/local/projection.ts';
import { matchesRuns, searchRuns } from '#shared/local/search.ts';
import { T0, Writer, payloads, users } from '../../support/builders.ts';
import { syntheticSummaries } from '../helpers.ts';

const N = 10_000;
const QUERIES = ['中州路', '彭西四巷', '地下室漏水', '中州路 漏水', '号院', '不存在的地方', '路', '2609121011100000', '069993'];

async function time<T>(label: string, work: () => Promise<T>, note: (result: T) => string = () => ''): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${(performance.now() - started).toFixed(0)} ms ${note(result)}`);
  return result;
}

async function indexed(): Promise<void> {
  await Dexie.delete('bench-indexed');
  const db = new LianxinDb('bench-indexed');
  const sources = syntheticSummaries(N).map((summary) => ({ summary }));
  await time(`projectMany ${N} (first sync)`, () => projectMany(db, sources, 1));
  await time(`projectMany ${N} (all changed)`, () => projectMany(db, sources.map((s) => ({ summary: { ...s.summary, eventCount: 4 } })), 2));
  await time(`projectMany ${N} (none changed)`, () => projectMany(db, sources.map((s) => ({ summary: { ...s.summary, eventCount: 4 } })), 3));
  for (const q of QUERIES) await time(`  search "${q}"`, () => searchOrders(db, q, 50), (rows) => `(${rows.length})`);
  const counts = await time('  countsByTab', () => countsByTab(db), (c) => JSON.stringify(c));
  await time('  inboxPage done, offset 1000', () => inboxPage(db, 'done', { limit: 30, offset: 1000, now: T0 }));
  await time(`  inboxPage todo (${counts.todo} rows sorted in memory)`, () => inboxPage(db, 'todo', { limit: 30, now: T0 }));
  const writer = new Writer(users.clerk, 1);
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const event = writer.write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + i);
    const started = performance.now();
    await recordEvent(db, 'syn-1', event);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`  recordEvent (strict durability): median ${times[10]!.toFixed(1)} ms, max ${times[20]!.toFixed(1)} ms`);
  db.close();
}

async function scanned(): Promise<void> {
  await Dexie.delete('bench-scan');
  const db = new Dexie('bench-scan', { chromeTransactionDurability: 'strict' }) as Dexie & { orders: Table<Omit<OrderRow, 'terms'>, string> };
  db.version(1).stores({ orders: 'id, orderNo, status, [tab+deadline], [tab+closedAt], deadline, receivedAt, updatedAt' });
  const rows = syntheticSummaries(N).map((summary) => {
    const { terms: _terms, ...row } = toOrderRow({ summary }, undefined, 1);
    return row;
  });
  await time(`scan variant: bulkPut ${N} without *terms`, () => db.transaction('rw', db.orders, () => db.orders.bulkPut(rows)));
  for (const q of QUERIES.slice(0, 6)) {
    const runs = searchRuns(q);
    await time(`  scan "${q}"`, () => db.orders.orderBy('receivedAt').reverse().filter((r) => matchesRuns(r.searchText, runs)).limit(50).toArray(), (r) => `(${r.length})`);
  }
  db.close();
}

export async function runBench(): Promise<void> {
  await indexed();
  await scanned();
}
