/**
 * Who may read a photo, against a real server: naming a hash in an order is
 * not enough (only orders its uploader attached it to count), HEAD follows the
 * same rule as GET, photo responses are never sniffed, and a user's photo
 * storage per day is bounded.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#shared/org/roles.ts';
import { gridIndexDocName, orderDocName } from '#shared/sync/doc-names.ts';
import { appendEvents, initOrderDoc } from '#shared/sync/order-doc.ts';
import { Writer, payloads } from '../shared/support/builders.ts';
import { TestClient, createOrder, login, waitFor } from './support/client.ts';
import { fieldReport, outsider, places, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let server: ServerProcess;
const dirs: string[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startServer();
  dirs.push(server.dataDir);
}, 40_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let photoCounter = 0;
/** A distinct PNG of `size` bytes. */
function png(size = 2048): Uint8Array<ArrayBuffer> {
  photoCounter += 1;
  const bytes = new Uint8Array(size);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < bytes.length; i++) bytes[i] = (i * (photoCounter + 7) + photoCounter) % 256;
  bytes.set(new TextEncoder().encode(`${process.pid}-${photoCounter}`), 8);
  return bytes;
}

const put = (on: ServerProcess, token: string, bytes: Uint8Array<ArrayBuffer>) =>
  fetch(`${on.url}/api/photos/${sha(bytes)}`, { method: 'PUT', headers: { ...bearer(token), 'Content-Type': 'image/png' }, body: bytes });
const get = (token: string, hash: string, method: 'GET' | 'HEAD' = 'GET') => fetch(`${server.url}/api/photos/${hash}`, { method, headers: bearer(token) });

const photoEvent = (writer: Writer, bytes: Uint8Array, seen: Parameters<Writer['write']>[2] = []) =>
  writer.write({ type: 'photo_added', payload: { ...payloads.photo(1), sha256: sha(bytes), mime: 'image/png', size: bytes.length } }, Date.now(), seen);

/** The worker of grid 1 uploads `bytes` and adds it to a new order of their grid. */
async function attachedByUploader(bytes: Uint8Array<ArrayBuffer>, seed: number): Promise<string> {
  const token = await login(server.url, users.worker.id);
  expect((await put(server, token, bytes)).status).toBe(201);
  const { id } = await createOrder(server.url);
  const worker = await TestClient.connect(server, users.worker, seed);
  clients.push(worker);
  const handle = await worker.open(orderDocName(id)).synced();
  handle.append(photoEvent(new Writer(users.worker, seed), bytes, handle.events()));
  expect(await handle.settled()).toBeNull();
  return id;
}

/** `reporter` makes a field report in their grid whose first event names `bytes`' hash; resolves once the server has indexed it. */
async function reportNaming(reporter: User, place: (typeof places)[keyof typeof places], bytes: Uint8Array, seed: number): Promise<string> {
  const report = fieldReport(reporter, place);
  const doc = new Y.Doc();
  initOrderDoc(doc, report);
  appendEvents(doc, [photoEvent(new Writer(reporter, seed), bytes)]);
  const client = await TestClient.connect(server, reporter, seed);
  clients.push(client);
  expect(await client.open(orderDocName(report.id), doc).settled()).toBeNull();
  const index = await client.open(gridIndexDocName(place.gridId)).synced();
  await waitFor(() => index.doc.getMap('orders').has(report.id), 'the report in its grid index');
  return report.id;
}

describe('reading photos', () => {
  it('does not show another street\'s photo to someone who names its hash in their own order', async () => {
    const bytes = png();
    await attachedByUploader(bytes, 51);
    const clerk = await login(server.url, users.clerk.id);
    await waitFor(async () => (await get(clerk, sha(bytes))).status === 200, 'the clerk sees the photo through the order');

    await reportNaming(outsider, places.outsider, bytes, 52);
    const thief = await login(server.url, outsider.id);
    expect((await get(thief, sha(bytes))).status).toBe(404);
    expect((await get(thief, sha(bytes), 'HEAD')).status).toBe(404);
  }, 60_000);

  it('answers HEAD as GET: the uploader and those who see an order the uploader attached it to, no one else', async () => {
    const bytes = png();
    const hash = sha(bytes);
    const uploader = await login(server.url, users.worker.id);
    expect((await put(server, uploader, bytes)).status).toBe(201);
    const clerk = await login(server.url, users.clerk.id);
    const stranger = await login(server.url, outsider.id);
    for (const method of ['HEAD', 'GET'] as const) {
      expect((await get(uploader, hash, method)).status, `${method} by the uploader`).toBe(200);
      expect((await get(clerk, hash, method)).status, `${method} by the clerk before any order`).toBe(404);
      expect((await get(stranger, hash, method)).status, `${method} by a stranger`).toBe(404);
    }
    const missing = await get(clerk, '0'.repeat(64), 'HEAD');
    expect(missing.status).toBe(404);
  }, 60_000);

  it('sends every photo response with nosniff', async () => {
    const bytes = png();
    const token = await login(server.url, users.worker.id);
    const stored = await put(server, token, bytes);
    expect(stored.headers.get('x-content-type-options')).toBe('nosniff');
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await get(token, sha(bytes), method);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const notMine = await get(await login(server.url, outsider.id), sha(bytes));
    expect(notMine.headers.get('x-content-type-options')).toBe('nosniff');
  }, 60_000);
});

describe('photo storage per user', () => {
  it('refuses a user\'s photos past the daily quota with 429 and a reason, and counts bytes already stored as nothing', async () => {
    const small = await startServer({ env: { PHOTO_QUOTA_PER_DAY: '20KB' } });
    dirs.push(small.dataDir);
    const worker = await login(small.url, users.worker.id);
    const first = png(8 * 1024);
    const second = png(8 * 1024);
    const third = png(8 * 1024);
    expect((await put(small, worker, first)).status).toBe(201);
    expect((await put(small, worker, second)).status).toBe(201);
    const over = await put(small, worker, third);
    expect(over.status).toBe(429);
    const body = (await over.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('photo_quota_exceeded');
    expect(body.error.message).toMatch(/20 KB|20480/);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);

    // A photo already on the server costs nothing, and other users have their own quota.
    expect((await put(small, worker, first)).status).toBe(200);
    const other = await login(small.url, users.worker2.id);
    expect((await put(small, other, second)).status).toBe(200);
    expect((await put(small, other, third)).status).toBe(201);

    // Sent at once (the upload queue keeps two in flight), the photos still being stored count: two pass, one does not.
    const clerk = await login(small.url, users.clerk.id);
    const together = await Promise.all([png(8 * 1024), png(8 * 1024), png(8 * 1024)].map((bytes) => put(small, clerk, bytes)));
    expect(together.map((res) => res.status).sort()).toEqual([201, 201, 429]);
  }, 60_000);
});
