/**
 * Case 2 — first sync. A new device signs in as the clerk of a street whose
 * index lists 500 open and 10,000 closed orders, and bootstraps as the PWA's
 * sync engine does: the street index doc's state through the bulk read
 * (gzipped), its socket exchange for the difference and, meanwhile (the open
 * orders are known from the bulk read's state: bench/README.md "First sync,
 * part 6"), every open order's doc through the bulk read (`POST /api/docs`,
 * 500 names a request) instead of one handshake per doc. Done when every open
 * order's doc is on the device: the PWA stores the open docs' states as the
 * server sent them, in one transaction, and decodes one when it is opened
 * (`SyncEngine.download`, shared/local/doc-seeds.ts); this Node device keeps
 * them as sent, in memory (no IndexedDB here: what the PWA's storage costs in
 * Chromium is `bench/profile/first-sync-device.ts`, bench/README.md "First
 * sync, part 4"). The index is decoded and every entry validated, as the PWA
 * does to list them.
 *
 * Also measured, for the design: the same open docs through one WebSocket
 * handshake each (what the bulk read replaces).
 *
 * Baseline: the same bytes (index state + open docs' states) as one plain
 * HTTP download from a plain Node server.
 *
 * The server runs with its default live window (`--index-live 30d`, issue 18):
 * archived and merged orders, and called-back ones that closed more than 30
 * days ago, are in their months' archive index docs, not in the live street
 * index the device syncs. `LIANXIN_BENCH_INDEX_LIVE=off` measures the
 * index that keeps every order live (`--index-live off`).
 */
import * as Y from 'yjs';
import { DEMO_PASSWORD } from '#demo/index.ts';
import { isOpenStatus } from '#shared/order/status.ts';
import { readIndexSummary } from '#shared/order/summary.ts';
import { orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { quantile } from '../lib/stats.ts';
import { FigureSamples, type BenchCase, type BenchContext } from '../lib/case.ts';
import { demoDataDir } from '../lib/demo-store.ts';
import { pwaNotBuilt } from '../lib/pwa.ts';
import { pwaFirstSync } from '../lib/pwa-first-sync.ts';
import { serverWarmed, spawnLianxin, spawnServer, type ServerHandle } from '../lib/spawn.ts';
import { BenchSocket, login, synced } from '../lib/sync-client.ts';

const FULL = { open: 500, closed: 10_000 };
const QUICK = { open: 50, closed: 500 };
const BULK_LIMIT = 500;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Finished orders stay in the live index this long (the server's default `--index-live`); null: for ever. */
const LIVE_DAYS = process.env.LIANXIN_BENCH_INDEX_LIVE === 'off' ? null : 30;
/** The orders were received over half a year (the demo's default of 30 days would leave nothing to archive). */
const PERIOD_DAYS = 182;
/** One street (four communities of four grids): every order is in the clerk's index. */
const ORG = { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 4, gridsPerCommunity: 4 };

interface DeviceRun {
  readonly loginMs: number;
  readonly indexMs: number;
  readonly allOpenMs: number;
  /** The open docs' bulk reads alone (beside the socket's exchange of the index). */
  readonly docsMs: number;
  readonly bytes: number;
  /** The bulk reads' bodies as sent (gzip): the index's, then the open docs'. */
  readonly wireBytes: number;
  readonly openCount: number;
}

export const firstSync: BenchCase = {
  id: 'first-sync',
  title: '2 first sync',
  async run(context) {
    const size = context.quick ? QUICK : FULL;
    context.log(`seeding ${size.open} open + ${size.closed} closed orders`);
    const seedStarted = performance.now();
    const seeded = await demoDataDir({ now: Date.now(), seed: 2, org: ORG, count: size.open + size.closed, openCount: size.open, periodDays: PERIOD_DAYS, indexLiveMs: LIVE_DAYS === null ? null : LIVE_DAYS * DAY_MS });
    const { dataDir, demo } = seeded;
    context.log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    const clerk = demo.users.find((u) => u.role === 'street_clerk');
    if (!clerk) throw new Error('the demo has no street clerk');

    const figures = {
      login: new FigureSamples('sign-in (POST /api/login)', 'ms', 'lower', { note: 'scrypt password check' }),
      index: new FigureSamples('sign-in → index listed', 'ms', 'lower', { note: 'login + street index doc synced and every entry validated' }),
      bulk: new FigureSamples('sign-in → every open order on device', 'ms', 'lower', {
        baselineLabel: 'same bytes, one plain HTTP GET',
        note: 'index through the bulk read, decoded and validated; open docs through POST /api/docs, kept as sent (decoded when opened)',
      }),
      bulkOnly: new FigureSamples('index → open docs, bulk read', 'ms', 'lower', { note: 'POST /api/docs, 500 names a request, beside the socket\'s exchange of the index' }),
      handshakes: new FigureSamples('index → open docs, a handshake each', 'ms', 'lower', { note: 'a provider per open doc on one socket: what the bulk read replaces' }),
      bytes: new FigureSamples('bytes brought to the device', 'KB', 'lower', { note: 'Yjs state of the index and the open docs (JSON/base64 overhead not counted)' }),
      wire: new FigureSamples('bytes on the wire', 'KB', 'lower', { note: 'the bulk reads as sent (gzip): the index, then the open docs' }),
    };
    // The PWA itself in Chromium (when built): what a user waits for, storage included (bench/lib/pwa-first-sync.ts).
    const pwa = {
      listed: new FigureSamples('PWA: sign-in → index listed (已同步)', 'ms', 'lower', { note: 'Chromium, the built app on a fresh profile, every index row projected into IndexedDB (已办 after the open tabs and the download)' }),
      stored: new FigureSamples('PWA: sign-in → every open order stored', 'ms', 'lower', {
        baselineLabel: 'same bytes, one plain GET + one IndexedDB put',
        note: 'the open tabs\' rows written, their docs stored as sent in one transaction, openable offline (polled every 25 ms)',
      }),
      storedRows: new FigureSamples('PWA: every open order stored, against the same writes made raw', 'ms', 'lower', {
        baselineLabel: 'one plain GET + the app\'s open rows and the bytes in one raw IndexedDB transaction',
        note: 'the same figure beside a floor that writes what listing and opening the orders needs: each open row a record of the app\'s store, with its indexes (bench/README.md "First sync, part 19")',
      }),
    };
    const pwaSkipped = pwaNotBuilt();
    const server = await spawnLianxin(dataDir, LIVE_DAYS === null ? ['--index-live', 'off'] : []);
    const plain = await spawnServer('bench/baseline/plain-http.ts', []);
    try {
      // The figures are for a server that has been up: its start-up read of every order (10,500 at full size,
      // seconds of CPU) ended, and on full runs a warm-up device, so no cold page cache either.
      context.log(`server warmed in ${((await serverWarmed(server)) / 1000).toFixed(1)} s after listening`);
      if (!context.quick) await newDevice(server, clerk.id, clerk.unitId);
      for (let run = 1; run <= context.runs; run++) {
        const device = await newDevice(server, clerk.id, clerk.unitId);
        const handshakeMs = await perDocHandshakes(server, clerk.id, clerk.unitId);
        const baseline = await plainDownload(plain, device.bytes);
        context.log(`run ${run}: ${JSON.stringify(device)} handshakes ${handshakeMs.toFixed(0)} ms, baseline ${baseline.toFixed(1)} ms`);
        figures.login.add(device.loginMs);
        figures.index.add(device.indexMs);
        figures.bulk.add(device.allOpenMs, baseline);
        figures.bulkOnly.add(device.docsMs);
        figures.handshakes.add(handshakeMs);
        figures.bytes.add(device.bytes / 1024);
        figures.wire.add(device.wireBytes / 1024);
      }
      if (pwaSkipped) context.log(`PWA figures skipped: ${pwaSkipped}`);
      else await pwaRuns(context, server, plain, clerk.id, pwa);
    } finally {
      await server.stop();
      await plain.stop();
      await seeded.remove();
    }
    return {
      setup: `one street, ${size.open} open + ${size.closed} closed orders received over ${PERIOD_DAYS} days (demo/), ${LIVE_DAYS === null ? 'all in its live index' : `archived and merged ones, and those called back over ${LIVE_DAYS} days ago, in monthly archive index docs`}, a new Node device signing in as its clerk; server, device and baseline on this machine`,
      figures: [...Object.values(figures), ...(pwaSkipped ? [] : Object.values(pwa))].map((f) => f.figure()),
    };
  },
};

/** The PWA's own first sync, a fresh phone profile each run (after a warm-up one on full runs). */
async function pwaRuns(context: BenchContext, server: ServerHandle, plain: ServerHandle, username: string, figures: { listed: FigureSamples; stored: FigureSamples; storedRows: FigureSamples }): Promise<void> {
  if (!context.quick) await pwaFirstSync(`${server.url}/`, plain.url, username, DEMO_PASSWORD);
  for (let run = 1; run <= context.runs; run++) {
    const r = await pwaFirstSync(`${server.url}/`, plain.url, username, DEMO_PASSWORD);
    context.log(`PWA run ${run}: first row ${r.cardMs.toFixed(0)} ms, listed ${r.listedMs.toFixed(0)} ms, stored ${r.storedMs.toFixed(0)} ms ${JSON.stringify(r.stored)}, baseline GET ${r.getMs.toFixed(1)} + put ${r.putMs.toFixed(1)} ms, ${r.openRows} rows + put ${r.rowsPutMs.toFixed(1)} ms, steps ${JSON.stringify(r.steps)}`);
    figures.listed.add(r.listedMs);
    figures.stored.add(r.storedMs, r.getMs + r.putMs);
    figures.storedRows.add(r.storedMs, r.getMs + r.rowsPutMs);
  }
}

/**
 * The street index as the PWA's sync engine takes a doc new to the device: its state through the bulk read
 * (gzipped), then the socket's first exchange for the difference. Returns the open orders the bulk read's
 * state lists (entries validated as the PWA does: its download starts from them, `openKnown`, bench/README.md
 * "First sync, part 6"), that state's bytes and the bulk read's as sent, and the socket's exchange, which
 * runs meanwhile.
 */
async function openStreetIndex(socket: BenchSocket, streetId: string, url: string): Promise<{ open: string[]; bytes: number; wire: number; synced: Promise<unknown> }> {
  const name = streetIndexDocName(streetId);
  // Named docs, as the PWA's are in effect: without a guid lib0 makes a uuid with 31 crypto calls, which cost
  // ~0.5 ms a doc in Node and microseconds in a browser (a Node artefact, not the app's).
  const doc = new Y.Doc({ guid: name });
  const res = await fetch(`${url}/api/docs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${socket.token}` },
    body: JSON.stringify({ names: [name] }),
  });
  if (res.status !== 200) throw new Error(`POST /api/docs: ${res.status} ${await res.text()}`);
  const wire = Number(res.headers.get('content-length') ?? 0);
  const entry = ((await res.json()) as { docs: Record<string, { update?: string }> }).docs[name];
  if (!entry?.update) throw new Error(`POST /api/docs refused ${name}`);
  const update = Buffer.from(entry.update, 'base64');
  Y.applyUpdate(doc, update);
  const provider = socket.open(name, doc);
  const open: string[] = [];
  doc.getMap('orders').forEach((raw, id) => {
    const summary = readIndexSummary(id, raw);
    if (summary.ok && isOpenStatus(summary.value.status)) open.push(id);
  });
  return { open, bytes: update.length, wire, synced: synced(provider, 120_000) };
}

async function newDevice(server: ServerHandle, username: string, streetId: string): Promise<DeviceRun> {
  const started = performance.now();
  const token = await login(server.url, username, DEMO_PASSWORD);
  const loginMs = performance.now() - started;
  const socket = new BenchSocket(server.wsUrl, token);
  try {
    const index = await openStreetIndex(socket, streetId, server.url);
    const { open } = index;
    // The index is listed once the socket's exchange is over too; the open docs are fetched meanwhile.
    let indexMs = 0;
    const listed = index.synced.then(() => (indexMs = performance.now() - started));
    // The index's bytes as the bulk read sent them (its state, decoded once: not encoded again to count it).
    // The socket's exchange after the bulk read carries state vectors and an empty difference: not counted.
    let bytes = index.bytes;
    let wireBytes = index.wire;
    const docs = new Map<string, Uint8Array>();
    const names = open.map(orderDocName);
    const docsStarted = performance.now();
    for (let i = 0; i < names.length; i += BULK_LIMIT) {
      const res = await fetch(`${server.url}/api/docs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ names: names.slice(i, i + BULK_LIMIT) }),
      });
      if (res.status !== 200) throw new Error(`POST /api/docs: ${res.status} ${await res.text()}`);
      // fetch decompresses; the length header is the body as sent.
      wireBytes += Number(res.headers.get('content-length') ?? 0);
      const body = (await res.json()) as { docs: Record<string, { update?: string; error?: unknown }> };
      for (const [name, entry] of Object.entries(body.docs)) {
        if (!entry.update) throw new Error(`POST /api/docs refused ${name}: ${JSON.stringify(entry.error)}`);
        // Kept as sent, decoded when the order is opened (the PWA: one transaction of these bytes).
        const update = Buffer.from(entry.update, 'base64');
        bytes += update.length;
        docs.set(name, update);
      }
    }
    const docsMs = performance.now() - docsStarted;
    await listed;
    const allOpenMs = performance.now() - started;
    if (docs.size !== open.length) throw new Error(`expected ${open.length} open docs, got ${docs.size}`);
    // Not timed: each state is a doc the order opens from (what opening one does, per order, on the PWA).
    for (const [name, update] of docs) Y.applyUpdate(new Y.Doc({ guid: name }), update);
    return { loginMs, indexMs, allOpenMs, docsMs, bytes, wireBytes, openCount: open.length };
  } finally {
    socket.close();
  }
}

/** The open docs fetched the other way: after the index, one provider handshake per doc. */
async function perDocHandshakes(server: ServerHandle, username: string, streetId: string): Promise<number> {
  const token = await login(server.url, username, DEMO_PASSWORD);
  const socket = new BenchSocket(server.wsUrl, token);
  try {
    const { open, synced: indexSynced } = await openStreetIndex(socket, streetId, server.url);
    await indexSynced;
    const started = performance.now();
    await Promise.all(open.map((id) => synced(socket.open(orderDocName(id), new Y.Doc({ guid: orderDocName(id) })), 120_000)));
    return performance.now() - started;
  } finally {
    socket.close();
  }
}

/**
 * The median of five plain GETs of `bytes`: one GET's time swung 14–51 ms from run to run, with whatever
 * the machine (or the Lianxin server, after the handshakes before it) was still doing.
 */
async function plainDownload(plain: ServerHandle, bytes: number): Promise<number> {
  await (await fetch(`${plain.url}/bytes/${bytes}`)).arrayBuffer(); // the server generates the blob once
  const samples: number[] = [];
  for (let n = 0; n < 5; n++) {
    const started = performance.now();
    const body = await (await fetch(`${plain.url}/bytes/${bytes}`)).arrayBuffer();
    if (body.byteLength !== bytes) throw new Error(`plain download returned ${body.byteLength} of ${bytes} bytes`);
    samples.push(performance.now() - started);
  }
  return quantile(samples, 0.5);
}
