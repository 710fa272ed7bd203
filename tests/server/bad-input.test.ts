/**
 * Garbage on the WebSocket and on HTTP gets a clear error, and the server
 * keeps serving everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { mulberry32 } from '#shared/clock/ids.ts';
import { TestClient, login, postIntake, waitFor } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import { RawSocket, authMessage, syncStep1, updateMessage, varString } from './support/wire.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let server: ServerProcess;
let token: string;
const order = { id: '' };
const clients: TestClient[] = [];
const sockets: RawSocket[] = [];

beforeAll(async () => {
  server = await startServer({ env: { PHOTO_MAX_BYTES: '64KB', WS_MAX_PAYLOAD: '256KB' } });
  const clerkToken = await login(server.url, users.clerk.id);
  const created = await postIntake(server.url, clerkToken, hotlineIntake());
  expect(created.status).toBe(201);
  order.id = (created.body as { id: string }).id;
  token = await login(server.url, users.worker.id);
}, 40_000);

afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of sockets) s.close();
  await stopAll([server.dataDir]);
});

/** A well-behaved client still syncs and gets its writes acknowledged. */
async function stillServing(seed: number): Promise<void> {
  const client = await TestClient.connect(server, users.worker, seed);
  clients.push(client);
  const handle = await client.open(orderDocName(order.id)).synced();
  handle.append(client.write(handle, { type: 'phone_reveal', payload: { purpose: `check ${seed}` } }, client.at(seed)));
  await handle.acked();
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
}

async function authenticated(doc: string): Promise<RawSocket> {
  const raw = await RawSocket.open(server.wsUrl);
  sockets.push(raw);
  raw.send(authMessage(doc, token));
  raw.send(syncStep1(doc));
  await waitFor(() => raw.received.length >= 2, 'authenticated and first sync');
  return raw;
}

describe('bad input on the WebSocket', () => {
  it('survives random bytes from an unauthenticated socket', async () => {
    const random = mulberry32(42);
    for (let i = 0; i < 5; i++) {
      const raw = await RawSocket.open(server.wsUrl);
      sockets.push(raw);
      for (let j = 0; j < 20; j++) raw.send(Uint8Array.from({ length: 1 + Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
    }
    await stillServing(1);
  }, 15_000);

  it('refuses a truncated message on an open document with a clear reason', async () => {
    const doc = orderDocName(order.id);
    const raw = await authenticated(doc);
    raw.send(Uint8Array.from([...varString(doc), 0, 2, 100, 1, 2, 3]));
    await waitFor(() => raw.texts().some((t) => t.type === 7), 'close of the document channel');
    const refused = raw.texts().find((t) => t.type === 5)!;
    expect(JSON.parse(refused.text)).toMatchObject({ type: 'refused', code: 'malformed_message', reason: expect.stringMatching(/truncated/) });
    expect(raw.texts().find((t) => t.type === 7)!.text).toMatch(/^malformed_message: /);
    await stillServing(2);
  }, 15_000);

  it('refuses random bytes framed as a Yjs update', async () => {
    const doc = orderDocName(order.id);
    const random = mulberry32(7);
    for (let i = 0; i < 5; i++) {
      const raw = await authenticated(doc);
      const junk = Uint8Array.from({ length: 20 + Math.floor(random() * 100) }, () => Math.floor(random() * 256));
      raw.send(updateMessage(doc, junk));
      await waitFor(() => raw.texts().some((t) => t.type === 7), 'close of the document channel');
      const refusal = JSON.parse(raw.texts().find((t) => t.type === 5)!.text) as { code: string };
      expect(['malformed_update', 'missing_dependencies', 'foreign_type', 'no_intake']).toContain(refusal.code);
    }
    await stillServing(3);
  }, 20_000);

  it('drops a socket that sends a message over the size limit', async () => {
    const raw = await authenticated(orderDocName(order.id));
    raw.send(new Uint8Array(300 * 1024));
    await waitFor(() => raw.closedWith !== null, 'socket closed');
    expect(raw.closedWith).toBe(1009);
    await stillServing(4);
  }, 15_000);
});

describe('bad input over HTTP', () => {
  const json = (body: string, type = 'application/json', auth = true) => ({
    method: 'POST',
    headers: { 'Content-Type': type, ...(auth ? { Authorization: `Bearer ${token}` } : {}) },
    body,
  });

  it('answers malformed JSON with 400 and the parse error', async () => {
    const res = await fetch(`${server.url}/api/login`, json('{"username": "grid1", '));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'malformed_json', message: expect.stringMatching(/not valid JSON/) } });
  });

  it('answers a wrong content type with 415', async () => {
    const res = await fetch(`${server.url}/api/login`, json('username=grid1', 'application/x-www-form-urlencoded'));
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('names the field of an invalid login and of an unknown route or method', async () => {
    const res = await fetch(`${server.url}/api/login`, json('{"username":"grid 1","password":""}'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('username');
    expect((await fetch(`${server.url}/api/nothing`)).status).toBe(404);
    const wrongMethod = await fetch(`${server.url}/api/login`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('refuses oversized photos, wrong hashes, non-images and bad names, each with its own status', async () => {
    const { createHash } = await import('node:crypto');
    const put = (sha: string, body: Uint8Array<ArrayBuffer>, auth = true) =>
      fetch(`${server.url}/api/photos/${sha}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/jpeg', ...(auth ? { Authorization: `Bearer ${token}` } : {}) },
        body,
      });
    const jpeg = (size: number): Uint8Array<ArrayBuffer> => Uint8Array.from({ length: size }, (_, i) => (i < 3 ? [0xff, 0xd8, 0xff][i]! : i % 251));
    const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const big = jpeg(65 * 1024);
    expect((await put(hash(big), big)).status).toBe(413);
    const small = jpeg(1000);
    const wrong = await put(hash(jpeg(999)), small);
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toMatchObject({ error: { code: 'hash_mismatch', field: 'sha256' } });
    const text = new TextEncoder().encode('not a picture at all');
    expect((await put(hash(text), text)).status).toBe(415);
    expect((await put('abc', small)).status).toBe(400);
    expect((await put(hash(small), small, false)).status).toBe(401);
    await stillServing(5);
  });
});
