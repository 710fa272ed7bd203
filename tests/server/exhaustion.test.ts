/**
 * One client must not be able to make the server unavailable to the others:
 * documents per socket, awareness, JSON bodies and the message rate of a
 * socket are bounded, each refused or slowed with a clear reason while
 * everyone else carries on. Each test also checks a well-behaved client still
 * gets its writes acknowledged.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { T0 } from '../shared/support/builders.ts';
import { TestClient, login, postIntake, waitFor } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import type { RawSocket } from './support/wire.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

const MAX_DOCS = 20;
const MESSAGE_RATE = 100;

let server: ServerProcess;
let clerkToken: string;
const order = hotlineIntake();
const clients: TestClient[] = [];
const sockets: RawSocket[] = [];

beforeAll(async () => {
  server = await startServer({ env: { MAX_DOCS_PER_SOCKET: String(MAX_DOCS), WS_MESSAGE_RATE: String(MESSAGE_RATE), WS_PING_INTERVAL: '300ms' } });
  clerkToken = await login(server.url, users.clerk.id);
  expect((await postIntake(server.url, clerkToken, order)).status).toBe(201);
}, 40_000);

afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of sockets) s.close();
  await stopAll([server.dataDir]);
});

let seed = 0;
/** A well-behaved client on its own socket still syncs and gets a write acknowledged. */
async function stillServing(): Promise<void> {
  seed += 1;
  const client = await TestClient.connect(server, users.worker2, 500 + seed);
  clients.push(client);
  const handle = await client.open(orderDocName(order.id)).synced();
  handle.append(client.write(handle, { type: 'progress', payload: { text: `still here ${seed}` } }, T0 + seed));
  await handle.acked();
  client.close();
}

describe('JSON bodies', () => {
  it('refuses a deeply nested body while it is still arriving, before parsing any of it', async () => {
    // 4.9 MB of [[[…]]] announced; only the first 64 KB is ever sent. The answer
    // must come anyway: the depth is known from the first bytes.
    const size = 4_900_000;
    let answer: { status: number; body: string } | null = null;
    const req = request(`${server.url}/api/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(size), Authorization: `Bearer ${clerkToken}` },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        answer = { status: res.statusCode ?? 0, body };
      });
    });
    req.on('error', () => undefined);
    req.write('['.repeat(64 * 1024));
    try {
      await waitFor(() => answer !== null, 'an answer to a nested body of which only the first 64 KB was sent');
    } finally {
      req.destroy();
    }
    if (!answer) throw new Error('no answer');
    const { status, body } = answer as { status: number; body: string };
    expect(status).toBe(400);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'too_deep', message: expect.stringMatching(/deeper than 16 levels/) } });
  });

  it('answers a whole 4.9 MB nested array with 400 too_deep, and keeps serving', async () => {
    const half = 2_450_000;
    for (const [path, token] of [
      ['/api/orders', clerkToken],
      ['/api/login', null],
      ['/api/docs', clerkToken],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: '['.repeat(half) + ']'.repeat(half),
      });
      // /api/login and /api/docs take small bodies: the size limit answers first there.
      expect([400, 413], path).toContain(res.status);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe(res.status === 400 ? 'too_deep' : 'too_large');
    }
    // Nesting inside strings is text, not depth; a legitimate intake still goes through.
    const deepText = hotlineIntake({ title: '[{'.repeat(90), content: `${'[['.repeat(1000)} "\\" ]]` });
    expect((await postIntake(server.url, clerkToken, deepText)).status).toBe(201);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await stillServing();
  });
});
