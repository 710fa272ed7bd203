/**
 * What a street's live index state is made of, and what decoding it costs (bench/README.md, "First sync,
 * part 7"): the state a new device's bulk read brings, from the store `first-sync.ts seed` made, split by
 * the orders' statuses, into live entries, overwritten (deleted) items and the delete set; then the same
 * entries as a server that has run for months holds them (every event rewrote the entry; orders that left
 * for the archives leave a deleted key behind); then `applyUpdate` timed in Node: alone, with an `update`
 * listener on the doc (y-indexeddb and the provider have one in the PWA: Yjs then encodes the whole state
 * again to hand it to them), and per share of the entries.
 *
 *   npx tsx bench/profile/first-sync.ts seed          (once)
 *   npx tsx bench/profile/index-anatomy.ts [rounds=7]
 */
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { DEMO_PASSWORD } from '#demo/index.ts';
import { isFinalStatus, isOpenStatus } from '#shared/order/status.ts';
import { readIndexSummary, type OrderSummary } from '#shared/order/summary.ts';
import { INDEX_ORDERS_MAP, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { serverWarmed, spawnLianxin } from '../lib/spawn.ts';
import { login } from '../lib/sync-client.ts';

const rounds = Number(process.argv[2] ?? 7);
const seedFile = process.env.LIANXIN_FIRST_SYNC_SEED ?? '/tmp/lianxin-first-sync-500.json';
const { dataDir, clerk, street } = JSON.parse(readFileSync(seedFile, 'utf8')) as { dataDir: string; clerk: string; street: string };

const server = await spawnLianxin(dataDir);
let state: Uint8Array;
try {
  await serverWarmed(server);
  const token = await login(server.url, clerk, DEMO_PASSWORD);
  const name = streetIndexDocName(street);
  const res = await fetch(`${server.url}/api/docs`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ names: [name] }) });
  console.log(`bulk read of ${name}: ${res.headers.get('content-length')} bytes on the wire (gzip)`);
  state = Buffer.from(((await res.json()) as { docs: Record<string, { update: string }> }).docs[name]!.update, 'base64');
} finally {
  await server.stop();
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Median ms of `rounds` calls (after one warm-up). */
function timed(run: () => void): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** The state of a fresh doc holding these entries, each written once. */
function written(entries: readonly OrderSummary[]): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
  doc.transact(() => {
    for (const e of entries) map.set(e.id, e);
  });
  return Y.encodeStateAsUpdate(doc);
}

/** Bytes of the delete set alone (the difference from the state's own state vector carries no structs). */
const deleteSetBytes = (update: Uint8Array) => Y.diffUpdate(update, Y.encodeStateVectorFromUpdate(update)).length;

function anatomy(label: string, update: Uint8Array): void {
  const { structs, ds } = Y.decodeUpdate(update);
  let live = 0;
  let deleted = 0;
  let gc = 0;
  for (const s of structs) {
    if (s instanceof Y.Item) {
      if (s.content instanceof Y.ContentDeleted) deleted += 1;
      else live += 1;
    } else gc += 1;
  }
  let ranges = 0;
  for (const r of ds.clients.values()) ranges += r.length;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const map = doc.getMap(INDEX_ORDERS_MAP);
  // Keys ever set, listed or not: a removed key keeps its (deleted) item in the map.
  const keys = map._map.size;
  const dsBytes = deleteSetBytes(update);
  console.log(`\n${label}: ${kb(update.length)}, ${map.size} entries listed, ${keys} keys ever set`);
  console.log(`  structs: ${live} live items, ${deleted} deleted items (content dropped by gc), ${gc} GC runs; delete set ${ranges} ranges, ${kb(dsBytes)}`);
}

const doc = new Y.Doc();
Y.applyUpdate(doc, state);
const entries: OrderSummary[] = [];
doc.getMap(INDEX_ORDERS_MAP).forEach((raw, id) => {
  const s = readIndexSummary(id, raw);
  if (s.ok) entries.push(s.value);
});
const open = entries.filter((e) => isOpenStatus(e.status));
const closedLive = entries.filter((e) => !isOpenStatus(e.status) && !isFinalStatus(e.status));
const final = entries.filter((e) => isFinalStatus(e.status));
const byStatus = new Map<string, number>();
for (const e of entries) byStatus.set(e.status, (byStatus.get(e.status) ?? 0) + 1);
console.log(`entries: ${entries.length} (${[...byStatus].map(([s, n]) => `${s} ${n}`).join(', ')})`);

anatomy('the live index as the bulk read sends it', state);
const parts = [
  ['open (待办, 处理中, 其他)', open],
  ['closed, not archived or merged (the desk\'s queues, 已办)', closedLive],
  ['archived or merged', final],
] as const;
const all = written(entries);
console.log(`\nthe same entries written once: ${kb(all.length)} (${(all.length / entries.length).toFixed(0)} B an entry)`);
const json = entries.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0);
console.log(`  their JSON: ${kb(json)} (${(json / entries.length).toFixed(0)} B an entry)`);
const decodeAll = timed(() => Y.applyUpdate(new Y.Doc(), all));
for (const [label, part] of parts) {
  const u = written(part);
  const ms = timed(() => Y.applyUpdate(new Y.Doc(), u));
  console.log(`  ${label}: ${part.length} entries, ${kb(u.length)} (${((100 * u.length) / all.length).toFixed(0)} %), applyUpdate ${ms.toFixed(1)} ms (${((100 * ms) / decodeAll).toFixed(0)} % of ${decodeAll.toFixed(1)} ms)`);
}

// Another encoding of the same entries, for comparison: each a JSON string (one string for Yjs to decode, not an
// object of ~45 keys and values), parsed when read.
const strings = new Y.Doc();
strings.transact(() => {
  for (const e of entries) strings.getMap<string>(INDEX_ORDERS_MAP).set(e.id, JSON.stringify(e));
});
const asStrings = Y.encodeStateAsUpdate(strings);
const stringsMs = timed(() => Y.applyUpdate(new Y.Doc(), asStrings));
const parsedMs = timed(() => {
  const d = new Y.Doc();
  Y.applyUpdate(d, asStrings);
  d.getMap<string>(INDEX_ORDERS_MAP).forEach((text) => void JSON.parse(text));
});
console.log(`  as JSON strings instead: ${kb(asStrings.length)}, applyUpdate ${stringsMs.toFixed(1)} ms, and every string parsed ${parsedMs.toFixed(1)} ms (objects: ${decodeAll.toFixed(1)} ms)`);

// What `applyUpdate` of the bulk read's state costs in the PWA's setting, in Node.
const plain = timed(() => Y.applyUpdate(new Y.Doc(), state));
const observed = timed(() => {
  const d = new Y.Doc();
  d.getMap(INDEX_ORDERS_MAP).observe((event) => void event.changes.keys.size);
  Y.applyUpdate(d, state);
});
const listened = timed(() => {
  const d = new Y.Doc();
  d.getMap(INDEX_ORDERS_MAP).observe((event) => void event.changes.keys.size);
  d.on('update', () => undefined);
  Y.applyUpdate(d, state);
});
const validate = timed(() => {
  const d = new Y.Doc();
  Y.applyUpdate(d, state);
  d.getMap(INDEX_ORDERS_MAP).forEach((raw, id) => void readIndexSummary(id, raw));
});
const encode = timed(() => void Y.encodeStateAsUpdate(doc));
console.log(`\napplyUpdate of the bulk read's state (${kb(state.length)}), Node, medians of ${rounds}:`);
console.log(`  alone ${plain.toFixed(1)} ms; with the map observed (the engine's projection) ${observed.toFixed(1)} ms; and an 'update' listener on the doc (y-indexeddb, the provider) ${listened.toFixed(1)} ms`);
console.log(`  (the encoding of the whole state, for comparison: encodeStateAsUpdate ${encode.toFixed(1)} ms); applyUpdate + every entry validated ${validate.toFixed(1)} ms`);

// The same entries as a server that has run holds them: each order's entry written once per event (the indexer
// writes a summary when it changes, and `eventCount` changes with every event), on a gc'd doc as Hocuspocus's are,
// then the orders that left for the archives removed (the same number again as listed finished orders, 30 days
// each, over the 182 days of the seed: an estimate of the shape, not of a real street).
const history = new Y.Doc();
const hmap = history.getMap<OrderSummary>(INDEX_ORDERS_MAP);
const left = final.map((e, i) => ({ ...e, id: `${e.id.slice(0, 40)}x${i}` }));
// Interleaved, as the orders' events are (one order's writes in a row would merge into one deleted run).
const lives = [...entries, ...left];
// An entry of no events yet is written once.
const writes = (e: OrderSummary) => Math.max(1, e.eventCount);
const most = Math.max(...lives.map(writes));
for (let n = 1; n <= most; n++) {
  for (const e of lives) if (writes(e) >= n) history.transact(() => hmap.set(e.id, n === writes(e) ? e : { ...e, eventCount: n }));
}
history.transact(() => {
  for (const e of left) hmap.delete(e.id);
});
const aged = Y.encodeStateAsUpdate(history);
anatomy(`the same entries after a life of rewrites (${lives.reduce((n, e) => n + writes(e), 0)} writes) and ${left.length} orders gone to the archives`, aged);
console.log(`  over the entries written once: +${kb(aged.length - all.length)} (+${((100 * (aged.length - all.length)) / all.length).toFixed(0)} %), applyUpdate ${timed(() => Y.applyUpdate(new Y.Doc(), aged)).toFixed(1)} ms`);
