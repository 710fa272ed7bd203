/**
 * A bloated order on real servers: the attack that made one order 78 MB
 * (twenty events of 3.9 MB each), measured on a server of this tree and,
 * as the baseline in the same run, on a server of another tree (the code
 * before, e.g. `git archive 2fe0086 | tar -x -C /tmp/lianxin-before` with
 * `node_modules` linked in). Both start from the same order, written into
 * their stores as it would have been stored; this tree's server runs with its
 * order limits raised so that it accepts updates to it (with the defaults it
 * refuses them: order_full). Measured: a worker device's first sync of the
 * order, the acknowledgement of small updates to it (a plain append, and a
 * device's offline work from two app sessions; one every 300 ms), and
 * /healthz every 100 ms while they run and for 4 s after (compaction).
 *
 *   npx tsx bench/bloated-order.ts --before /tmp/lianxin-before [--events 20] [--event-mb 3.9] [--updates 16]
 *
 * Prints medians (and min–max) per server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { createHlc } from '#shared/clock/hlc.ts';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { stampEvent } from '#shared/order/stamp.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { appendEvents, initOrderDoc, readEvents } from '#shared/sync/order-doc.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { newOrderRow } from '#server/sync/order-row.ts';
import { fixtureFile, PASSWORD, users } from '../tests/server/support/fixture.ts';
import { BrowserLikeWebSocket } from '../tests/server/support/client.ts';
import { intake as buildIntake, payloads } from '../tests/shared/support/builders.ts';
import { spawnServer, type ServerHandle } from './lib/spawn.ts';
import { quantile, summarize, type Summary } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    events: { type: 'string', default: '20' },
    'event-mb': { type: 'string', default: '3.9' },
    updates: { type: 'string', default: '16' },
  },
});
if (!values.before) throw new Error('--before DIR: a tree of the code to compare with (see the header)');
const BEFORE = resolve(values.before);
const AFTER = resolve(import.meta.dirname, '..');
const EVENTS = Number(values.events);
const EVENT_BYTES = Math.round(Number(values['event-mb']) * 1024 * 1024);
const UPDATES = Number(values.updates);
const PAUSE_MS = 300;

interface Result {
  readonly firstSync: number;
  readonly append: Summary;
  readonly twoSessions: Summary;
  readonly health: Summary & { readonly p90: number };
  readonly storedMb: number;
}

/** The order as the server before stored it: a dispatch and `EVENTS` events each carrying `EVENT_BYTES` in a field nobody reads. */
async function writeOrder(dataDir: string, now: number): Promise<string> {
  const store = new SqliteStore(join(dataDir, 'lianxin.sqlite'));
  const intake = buildIntake({ id: 'o-bloated', orderNo: 'BLOATED-0001', receivedAt: now - 3 * 86_400_000, deadline: now + 2 * 86_400_000 });
  const doc = new Y.Doc();
  initOrderDoc(doc, intake);
  const clerk = stampEvent({ type: 'dispatch', payload: payloads.dispatchToGrid() }, { user: users.clerk, now: now - 2 * 86_400_000, hlc: createHlc('dev-clerk1'), seen: [], random: seededRandomBytes(1) });
  if (!clerk.ok) throw new Error('dispatch');
  appendEvents(doc, [clerk.value]);
  let hlc = createHlc('dev-grid1');
  const random = seededRandomBytes(2);
  const seen: OrderEvent[] = [clerk.value];
  await store.createOrder(newOrderRow(intake, now - 3 * 86_400_000), orderDocName(intake.id), Y.encodeStateAsUpdate(doc));
  const padding = 'x'.repeat(EVENT_BYTES);
  for (let n = 0; n < EVENTS; n++) {
    const before = Y.encodeStateVector(doc);
    const stamped = stampEvent({ type: 'progress', payload: { text: `第 ${n} 次` } }, { user: users.worker, now: now - 86_400_000 + n * 60_000, hlc, seen: seen.map((e) => e.hlc), random });
    if (!stamped.ok) throw new Error('event');
    hlc = stamped.hlc;
    seen.push(stamped.value);
    doc.getArray('events').push([{ ...stamped.value, padding }]);
    await store.appendUpdate(orderDocName(intake.id), Y.encodeStateAsUpdate(doc, before));
  }
  // Folded into a snapshot, as the server before had done after the attack.
  await store.compactDoc(orderDocName(intake.id), (state) => {
    const merged = new Y.Doc();
    if (state.snapshot) Y.applyUpdate(merged, state.snapshot);
    for (const update of state.updates) Y.applyUpdate(merged, update);
    return Y.encodeStateAsUpdate(merged);
  });
  await store.close();
  return intake.id;
}

async function signIn(url: string): Promise<{ token: string; serverTime: number }> {
  const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: users.worker.id, password: PASSWORD }) });
  return (await res.json()) as { token: string; serverTime: number };
}

function whenAcked(provider: HocuspocusProvider): Promise<void> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error('no acknowledgement in 60 s')), 60_000);
    const check = () => {
      if (provider.unsyncedChanges !== 0) return;
      clearTimeout(timer);
      provider.off('unsyncedChanges', check);
      done();
    };
    provider.on('unsyncedChanges', check);
    check();
  });
}

async function measure(root: string, label: string): Promise<Result> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lianxin-bloat-'));
  let server: ServerHandle | null = null;
  try {
    const now = Date.now();
    const orderId = await writeOrder(dataDir, now);
    const fixture = join(dataDir, 'fixture.json');
    await writeFile(fixture, JSON.stringify({ units: fixtureFile().units, users: fixtureFile().users }));
    server = await spawnServer(join(root, 'server/main.ts'), ['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--no-seed-demo', '--quiet', '--import', fixture], {
      // Ignored by the server before; this tree's would refuse every update to so big an order.
      ORDER_MAX_BYTES: '512MB',
      EVENT_MAX_BYTES: '8MB',
    });
    const { token, serverTime } = await signIn(server.url);
    const socket = new HocuspocusProviderWebsocket({ url: server.wsUrl, WebSocketPolyfill: BrowserLikeWebSocket });
    const doc = new Y.Doc();
    const started = performance.now();
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: orderDocName(orderId), token, document: doc });
    provider.attach();
    await new Promise<void>((done) => provider.on('synced', ({ state }: { state: boolean }) => state && done()));
    const firstSync = performance.now() - started;

    // /healthz, every 100 ms while the updates run.
    const health: number[] = [];
    let failures = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const t = performance.now();
        const ok = await fetch(`${server!.url}/healthz`).then(
          (r) => r.arrayBuffer().then(() => true),
          () => false,
        );
        if (ok) health.push(performance.now() - t);
        else failures += 1;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    let hlc = createHlc('dev-bench');
    const random = seededRandomBytes(3);
    let n = 0;
    const next = (): OrderEvent => {
      const stamped = stampEvent({ type: 'progress', payload: { text: `小更新 ${n++}` } }, { user: users.worker, now: serverTime + n, hlc, seen: readEvents(doc).events.map((e) => e.hlc), random });
      if (!stamped.ok) throw new Error('update');
      hlc = stamped.hlc;
      return stamped.value;
    };
    const append: number[] = [];
    const sessions: number[] = [];
    for (let i = 0; i < UPDATES; i++) {
      const t = performance.now();
      if (i % 2 === 0) {
        appendEvents(doc, [next()]);
      } else {
        // Offline work of two app sessions: two Yjs client ids in one update (the app
        // restarted between them). One transaction, the client id changed inside it, so
        // that the device does not copy 78 MB to build it.
        doc.transact(() => {
          appendEvents(doc, [next()]);
          doc.clientID = Math.floor(Math.random() * 2 ** 31);
          appendEvents(doc, [next()]);
        });
      }
      await whenAcked(provider);
      (i % 2 === 0 ? append : sessions).push(performance.now() - t);
      // A person's pace, not a flood: the server's debounced work (compaction) runs between updates.
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
    // And a while after the last one, when compaction follows.
    await new Promise((r) => setTimeout(r, 4000));
    polling = false;
    await poll;
    provider.destroy();
    socket.destroy();
    const result: Result = { firstSync, append: summarize(append), twoSessions: summarize(sessions), health: { ...summarize(health), p90: quantile(health, 0.9) }, storedMb: Y.encodeStateAsUpdate(doc).length / 1024 / 1024 };
    console.log(`${label}: done${failures > 0 ? `, ${failures} /healthz requests failed` : ''}`);
    return result;
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const show = (s: Summary) => `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)}, n=${s.runs})`;
const before = await measure(BEFORE, 'before');
const after = await measure(AFTER, 'after');
console.log(`\nan order of ${EVENTS} events of ${(EVENT_BYTES / 1024 / 1024).toFixed(1)} MB (${before.storedMb.toFixed(0)} MB as a device holds it); medians (min–max, n)`);
for (const [name, pick] of [
  ['first sync of the order', (r: Result) => `${r.firstSync.toFixed(0)} ms`],
  ['plain append → acknowledged', (r: Result) => show(r.append)],
  ['two-session update → acknowledged', (r: Result) => show(r.twoSessions)],
  ['/healthz while updating', (r: Result) => `${show(r.health)}, p90 ${r.health.p90.toFixed(1)} ms`],
] as const) {
  console.log(`${name.padEnd(36)} before ${pick(before).padEnd(34)} after ${pick(after)}`);
}
