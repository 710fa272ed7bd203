/**
 * Case 3 — back online. A grid worker's device holds its grid index and its
 * open orders, goes offline, records 20 changes (a photo event on each of 20
 * orders, with 20 photos), while others write 200 events to the same orders.
 * Then the signal returns: the device reconnects its docs on one socket and
 * its upload queue sends the photos as the PWA's does (`PUT /api/photos/<sha256>`;
 * the first alone, then `PHOTOS_IN_FLIGHT` at a time once one is confirmed quickly,
 * as it is on localhost). Done when both sides have everything: the
 * server acknowledged every local change (durably), the device holds every
 * remote event, its index lists its orders with their new event counts, and
 * every photo is stored.
 *
 * Baseline: the same payload as plain HTTP requests to a plain Node server —
 * one POST per changed order with the bytes the device sent, one GET of the
 * bytes it received, and the same photo PUTs sent the same way (`sendPhotos`);
 * then the same again with every POST and PUT kept for good before its answer
 * (the durable floors: an acknowledgement here means the change is on disk):
 * the POSTs alone, the PUTs alone, and both at once, as our return sends them.
 *
 * Each run measures the second return on its server (and the baseline's second
 * on the plain one): the figures are for a server that has been up, as the first
 * sync's are. The first return after a start runs much of its code for the first
 * time (bench/README.md, "Back online, part 7": a quarter of the docs' window); it
 * is reported on its own line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { DEMO_PASSWORD } from '#demo/index.ts';
import type { User } from '#shared/org/roles.ts';
import { PHOTOS_IN_FLIGHT } from '#shared/client/uploads.ts';
import { isOpenStatus } from '#shared/order/status.ts';
import { readIndexSummary } from '#shared/order/summary.ts';
import { gridIndexDocName, orderDocName } from '#shared/sync/doc-names.ts';
import { appendEvents, readEvents } from '#shared/sync/order-doc.ts';
import { Writer } from '../../tests/shared/support/builders.ts';
import { FigureSamples, type BenchCase } from '../lib/case.ts';
import { demoDataDir } from '../lib/demo-store.ts';
import { spawnLianxin, spawnServer, type ServerHandle } from '../lib/spawn.ts';
import { BenchSocket, acknowledged, login, synced } from '../lib/sync-client.ts';
import { threadCpuMs } from '../lib/processes.ts';

interface Size {
  readonly orders: number;
  readonly open: number;
  readonly remoteEvents: number;
  readonly photoBytes: number;
}
/** A phone photo after the PWA's resize and JPEG encode is a few hundred KB. */
const FULL: Size = { orders: 300, open: 20, remoteEvents: 200, photoBytes: 300 * 1024 };
const QUICK: Size = { orders: 40, open: 5, remoteEvents: 20, photoBytes: 20 * 1024 };
/** One grid: the device's index lists every order. */
const ORG = { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 1, gridsPerCommunity: 1 };

interface Photo {
  readonly sha256: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

interface RunResult {
  readonly syncMs: number;
  readonly photosMs: number;
  readonly totalMs: number;
  readonly upBytes: number;
  readonly downBytes: number;
  /** Per changed order, the bytes the device sent; for the baseline. */
  readonly upByOrder: readonly number[];
  /** The return on the monotonic clock of a --cpu-prof profile (µs; `bench/profile/cpuprofile.ts --window FROM-TO`). */
  readonly window: string;
  /** The server's main thread's CPU from the return to the docs' convergence (ms; null where /proc has no schedstat). */
  readonly serverCpuMs: number | null;
}


export const backOnline: BenchCase = {
  id: 'back-online',
  title: '3 back online',
  async run(context) {
    const size = context.quick ? QUICK : FULL;
    context.log(`seeding ${size.orders} orders, ${size.open} open`);
    const seeded = await demoDataDir({ now: Date.now(), seed: 3, org: ORG, count: size.orders, openCount: size.open });
    const { dataDir, demo } = seeded;
    const worker = demo.users.find((u) => u.role === 'grid_worker');
    const handler = demo.users.find((u) => u.role === 'community_handler');
    if (!worker || !handler) throw new Error('the demo has no grid worker or community handler');

    const figures = {
      total: new FigureSamples('reconnect → converged both ways, photos stored', 'ms', 'lower', { baselineLabel: 'same payload, plain HTTP' }),
      sync: new FigureSamples('reconnect → docs and index converged', 'ms', 'lower', {
        baselineLabel: 'POSTs + GET, plain HTTP',
        note: 'local changes acknowledged after the durable append, remote events on the device, index counts updated',
      }),
      syncDurable: new FigureSamples('docs and index converged, against durable writes', 'ms', 'lower', {
        baselineLabel: 'POSTs + GET, plain HTTP, each POST fsynced',
        note: 'the same figure against a floor that also keeps each change for good before answering (write, fsync, rename, folder fsync), as an acknowledgement here means',
      }),
      photos: new FigureSamples('photos stored', 'ms', 'lower', { baselineLabel: 'same PUTs, plain HTTP', note: 'hash, size and type checked, fsynced, renamed' }),
      photosDurable: new FigureSamples('photos stored, against durable writes', 'ms', 'lower', {
        baselineLabel: 'same PUTs, plain HTTP, each file fsynced',
        note: 'the same figure against a floor that also keeps each photo for good (write, fsync, rename, folder fsync)',
      }),
      totalDurable: new FigureSamples('converged both ways, photos stored, against durable writes', 'ms', 'lower', {
        baselineLabel: 'the same POSTs and PUTs together, plain HTTP, each fsynced',
        note: 'the first figure against a floor that keeps every change and photo for good, the docs\' and the photos\' requests going at once as ours do',
      }),
      syncDurableTogether: new FigureSamples('docs and index converged, against durable writes with the photos', 'ms', 'lower', {
        baselineLabel: 'the POSTs + GET of the return above, while its PUTs go',
        note: 'the docs\' figure against the same floor: its docs\' part, with its photos going beside it as ours do',
      }),
      up: new FigureSamples('bytes up (Yjs, without photos)', 'KB', 'lower'),
      down: new FigureSamples('bytes down (Yjs)', 'KB', 'lower'),
      coldSync: new FigureSamples('first return after the server started: reconnect → docs and index converged', 'ms', 'lower', {
        baselineLabel: 'POSTs + GET, plain HTTP, its first return',
        note: 'the same return on a server that has served none yet: code run for the first time (not the goal\'s figure)',
      }),
      serverCpu: new FigureSamples("server's main-thread CPU, reconnect → docs and index converged", 'ms', 'lower', {
        note: '/proc/PID/schedstat: the CPU time behind the docs figure, less bent by other load than wall time (Linux only)',
      }),
    };
    const plain = await spawnServer('bench/baseline/plain-http.ts', []);
    try {
      for (let run = 1; run <= context.runs; run++) {
        const runDir = await mkdtemp(join(tmpdir(), 'lianxin-bench-run-'));
        await cp(dataDir, runDir, { recursive: true });
        const firstPhotos = Array.from({ length: size.open }, () => fakeJpeg(size.photoBytes));
        const photos = Array.from({ length: size.open }, () => fakeJpeg(size.photoBytes));
        const server = await spawnLianxin(runDir);
        let first: RunResult;
        let ours: RunResult;
        try {
          first = await oneReturn(server, worker, handler, size, firstPhotos, 2 * run);
          ours = await oneReturn(server, worker, handler, size, photos, 2 * run + 1);
        } finally {
          await server.stop();
          await rm(runDir, { recursive: true, force: true });
        }
        const firstBaseline = await plainReturn(plain, first, firstPhotos);
        const baseline = await plainReturn(plain, ours, photos);
        context.log(`run ${run}: first return ${JSON.stringify({ ...first, upByOrder: undefined })} baseline ${JSON.stringify(firstBaseline)}`);
        context.log(`run ${run}: ${JSON.stringify({ ...ours, upByOrder: undefined })} baseline ${JSON.stringify(baseline)}`);
        figures.coldSync.add(first.syncMs, firstBaseline.syncMs);
        figures.total.add(ours.totalMs, baseline.totalMs);
        figures.sync.add(ours.syncMs, baseline.syncMs);
        figures.syncDurable.add(ours.syncMs, baseline.durableSyncMs);
        figures.photos.add(ours.photosMs, baseline.photosMs);
        figures.photosDurable.add(ours.photosMs, baseline.durablePhotosMs);
        figures.totalDurable.add(ours.totalMs, baseline.durableTotalMs);
        figures.syncDurableTogether.add(ours.syncMs, baseline.durableTogetherSyncMs);
        figures.up.add(ours.upBytes / 1024);
        figures.down.add(ours.downBytes / 1024);
        if (ours.serverCpuMs !== null) figures.serverCpu.add(ours.serverCpuMs);
      }
    } finally {
      await plain.stop();
      await seeded.remove();
    }
    return {
      setup: `a grid worker's device with ${size.open} open orders (${size.orders} in its grid index), offline: ${size.open} local photo events + ${size.open} photos of ${size.photoBytes / 1024} KB, while a community handler wrote ${size.remoteEvents} events to the same orders; a fresh copy of the data and a fresh server per run, whose second return is measured (its first on a line of its own)`,
      figures: Object.values(figures).map((f) => f.figure()),
    };
  },
};

function fakeJpeg(size: number): Photo {
  // The server checks the JPEG signature and the hash, not the picture.
  const bytes = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 6), Buffer.from([0xff, 0xd9])]));
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}

/** One offline spell and return on `server`; `seed` tells this return's writers from every other's. */
async function oneReturn(server: ServerHandle, worker: User, handler: User, size: Size, photos: readonly Photo[], seed: number): Promise<RunResult> {
  // Online first: the device syncs its index and its open orders.
  const token = await login(server.url, worker.id, DEMO_PASSWORD);
  const index = new Y.Doc();
  const docs = new Map<string, Y.Doc>();
  let socket = new BenchSocket(server.wsUrl, token);
  await synced(socket.open(gridIndexDocName(worker.unitId), index), 120_000);
  index.getMap('orders').forEach((raw, id) => {
    const summary = readIndexSummary(id, raw);
    if (summary.ok && isOpenStatus(summary.value.status) && docs.size < size.open) docs.set(id, new Y.Doc());
  });
  if (docs.size < photos.length) throw new Error(`the device has ${docs.size} open orders, expected ${photos.length}`);
  await Promise.all([...docs].map(([id, doc]) => synced(socket.open(orderDocName(id), doc), 120_000)));
  socket.close();

  // Offline: the others write to the same orders, the device records its photo events.
  const offlineVectors = new Map([...docs].map(([id, doc]) => [id, Y.encodeStateVector(doc)]));
  const indexVector = Y.encodeStateVector(index);
  const remote = new BenchSocket(server.wsUrl, await login(server.url, handler.id, DEMO_PASSWORD));
  const remoteWriter = new Writer(handler, 500 + seed);
  const ids = [...docs.keys()];
  const remoteDocs = ids.map((id) => remote.open(orderDocName(id)));
  await Promise.all(remoteDocs.map((p) => synced(p, 120_000)));
  for (let n = 0; n < size.remoteEvents; n++) {
    const provider = remoteDocs[n % remoteDocs.length]!;
    const { events } = readEvents(provider.document);
    appendEvents(provider.document, [remoteWriter.write({ type: 'progress', payload: { text: `街道协调第 ${n} 条进展` } }, Date.now(), events)]);
  }
  await Promise.all(remoteDocs.map((p) => acknowledged(p)));
  const expected = new Map(ids.map((id, i) => [id, readEvents(remoteDocs[i]!.document).events.length + 1]));
  remote.close();

  const writer = new Writer(worker, 900 + seed);
  ids.forEach((id, i) => {
    const doc = docs.get(id)!;
    const photo = photos[i]!;
    const payload = {
      sha256: photo.sha256,
      kind: 'handling' as const,
      mime: 'image/jpeg' as const,
      size: photo.bytes.length,
      width: 1600,
      height: 1200,
      takenAt: Date.now(),
      location: { kind: 'none' as const, reason: 'indoors' as const },
    };
    appendEvents(doc, [writer.write({ type: 'photo_added', payload }, Date.now(), readEvents(doc).events)]);
  });
  const upByOrder = ids.map((id) => Y.encodeStateAsUpdate(docs.get(id)!, offlineVectors.get(id)).length);
  const beforeReturn = new Map([...docs].map(([id, doc]) => [id, Y.encodeStateVector(doc)]));

  // Back online.
  const windowFrom = process.hrtime.bigint() / 1000n;
  const cpuFrom = await threadCpuMs(server.pid);
  const started = performance.now();
  socket = new BenchSocket(server.wsUrl, token);
  const providers = [...docs].map(([id, doc]) => socket.open(orderDocName(id), doc));
  socket.open(gridIndexDocName(worker.unitId), index);
  const uploads = (async () => {
    await sendPhotos(photos, async (photo) => {
      const res = await fetch(`${server.url}/api/photos/${photo.sha256}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/jpeg' },
        body: photo.bytes,
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`PUT photo: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    });
    return performance.now() - started;
  })();
  const converged = () =>
    providers.every((p) => p.synced && p.unsyncedChanges === 0) &&
    ids.every((id) => readEvents(docs.get(id)!).events.length === expected.get(id)) &&
    ids.every((id) => (index.getMap<{ eventCount?: number }>('orders').get(id)?.eventCount ?? 0) === expected.get(id));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('back online: no convergence in 120 s')), 120_000);
    const check = () => {
      if (!converged()) return;
      clearTimeout(timer);
      for (const doc of [index, ...docs.values()]) doc.off('update', check);
      for (const p of providers) p.off('unsyncedChanges', check);
      resolve();
    };
    for (const doc of [index, ...docs.values()]) doc.on('update', check);
    for (const p of providers) p.on('unsyncedChanges', check);
    check();
  });
  const syncMs = performance.now() - started;
  const cpuTo = await threadCpuMs(server.pid);
  const serverCpuMs = cpuFrom === null || cpuTo === null ? null : cpuTo - cpuFrom;
  const photosMs = await uploads;
  const window = `${windowFrom}-${process.hrtime.bigint() / 1000n}`;
  socket.close();

  const downBytes =
    ids.reduce((sum, id) => sum + Y.encodeStateAsUpdate(docs.get(id)!, beforeReturn.get(id)).length, 0) + Y.encodeStateAsUpdate(index, indexVector).length;
  return { syncMs, photosMs, totalMs: Math.max(syncMs, photosMs), upBytes: upByOrder.reduce((a, b) => a + b, 0), downBytes, upByOrder, window, serverCpuMs };
}

async function plainReturn(
  plain: ServerHandle,
  ours: RunResult,
  photos: readonly Photo[],
): Promise<{ syncMs: number; photosMs: number; totalMs: number; durablePhotosMs: number; durableSyncMs: number; durableTotalMs: number; durableTogetherSyncMs: number }> {
  await (await fetch(`${plain.url}/bytes/${ours.downBytes}`)).arrayBuffer(); // generated once, outside the timing
  const started = performance.now();
  const uploads = (async () => {
    await sendPhotos(photos, async (photo) => {
      const res = await fetch(`${plain.url}/photos/${photo.sha256}`, { method: 'PUT', body: photo.bytes });
      await res.arrayBuffer();
    });
    return performance.now() - started;
  })();
  const docsReturn = (path: (i: number) => string) =>
    Promise.all([
      ...ours.upByOrder.map(async (bytes, i) => {
        const res = await fetch(`${plain.url}${path(i)}`, { method: 'POST', body: new Uint8Array(randomBytes(bytes)) });
        if (res.status !== 201) throw new Error(`plain POST: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }),
      fetch(`${plain.url}/bytes/${ours.downBytes}`).then((res) => res.arrayBuffer()),
    ]);
  await docsReturn((i) => `/changes/${i}`);
  const syncMs = performance.now() - started;
  const photosMs = await uploads;
  const durableSyncStarted = performance.now();
  const run = ours.window.replace(/\D/g, '');
  await docsReturn((i) => `/durable/change-${run}-${i}`);
  const durableSyncMs = performance.now() - durableSyncStarted;
  const durablePhotos = (name: (photo: Photo) => string) =>
    sendPhotos(photos, async (photo) => {
      const res = await fetch(`${plain.url}/durable/${name(photo)}`, { method: 'PUT', body: photo.bytes });
      if (res.status !== 201) throw new Error(`plain durable PUT: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    });
  const durableStarted = performance.now();
  await durablePhotos((photo) => photo.sha256);
  const durablePhotosMs = performance.now() - durableStarted;
  // Everything again at once, as our return sends it: the docs' changes and the photos, each kept for good.
  const togetherStarted = performance.now();
  let durableTogetherSyncMs = 0;
  await Promise.all([
    docsReturn((i) => `/durable/together-${run}-${i}`).then(() => (durableTogetherSyncMs = performance.now() - togetherStarted)),
    durablePhotos((photo) => `together-${photo.sha256}`),
  ]);
  const durableTotalMs = performance.now() - togetherStarted;
  return { syncMs, photosMs, totalMs: Math.max(syncMs, photosMs), durablePhotosMs, durableSyncMs, durableTotalMs, durableTogetherSyncMs };
}

/** As the upload queue on a good link (shared/client/uploads.ts): the first photo alone, then `PHOTOS_IN_FLIGHT` at a time, in order. */
async function sendPhotos(photos: readonly Photo[], put: (photo: Photo) => Promise<void>): Promise<void> {
  const [first, ...rest] = photos;
  if (!first) return;
  await put(first);
  let next = 0;
  const lane = async () => {
    while (next < rest.length) await put(rest[next++]!);
  };
  await Promise.all(Array.from({ length: PHOTOS_IN_FLIGHT }, lane));
}
