/**
 * One client must not be able to make the server unavailable to the others:
 * documents per socket, awareness, JSON bodies and the message rate of a
 * socket are bounded, each refused or slowed with a clear reason while
 * everyone else carries on. Each test also checks a well-behaved client still
 * gets its writes acknowledged.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridIndexDocName, orderDocName } from '#shared/sync/doc-names.ts';
import { TestClient, createOrders, login, postIntake, waitFor, type DocHandle } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import { RawSocket, authMessage, syncStep1 } from './support/wire.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

const MAX_DOCS = 20;
const MESSAGE_RATE = 100;

let server: ServerProcess;
let clerkToken: string;
/** Ids the server gave the two orders. */
const order = { id: '' };
/** Flooded by one test alone, so no other client's write reaches the flooder. */
const floodOrder = { id: '' };
const clients: TestClient[] = [];
const sockets: RawSocket[] = [];

beforeAll(async () => {
  server = await startServer({ env: { MAX_DOCS_PER_SOCKET: String(MAX_DOCS), WS_MESSAGE_RATE: String(MESSAGE_RATE), WS_PING_INTERVAL: '300ms' } });
  clerkToken = await login(server.url, users.clerk.id);
  const ids = await createOrders(server.url, [hotlineIntake(), hotlineIntake()]);
  order.id = ids[0]!;
  floodOrder.id = ids[1]!;
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
  handle.append(client.write(handle, { type: 'progress', payload: { text: `still here ${seed}` } }, client.at(seed)));
  await handle.acked();
  client.close();
}

async function metric(name: string, label = ''): Promise<number> {
  const text = await server.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${label} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('documents per socket', () => {
  it('refuses documents past MAX_DOCS_PER_SOCKET with too_many_documents, keeps the others working and frees a place when one closes', async () => {
    const client = await TestClient.connect(server, users.worker, 700);
    clients.push(client);
    const index = await client.open(gridIndexDocName(users.worker.unitId)).synced();
    const real = await client.open(orderDocName(order.id)).synced();
    // Real orders of the worker's grid, more than the socket may hold with the two above.
    const ids = await createOrders(server.url, Array.from({ length: MAX_DOCS + 4 }, () => hotlineIntake()));
    const spare = ids.pop()!;
    const many: DocHandle[] = ids.map((id) => client.open(orderDocName(id)));
    await waitFor(() => many.every((h) => h.provider.synced || h.denied !== null), 'every document opened or refused');
    const refused = many.filter((h) => h.denied !== null);
    expect(refused).toHaveLength(5);
    for (const h of refused) expect(h.denied).toMatch(/^too_many_documents: this connection already has 20 documents open/);
    expect(await metric('lianxin_documents_denied_total', '{reason="too_many_documents"}')).toBeGreaterThanOrEqual(5);
    await server.logged('"code":"too_many_documents"');

    // The documents it has keep working.
    real.append(client.write(real, { type: 'progress', payload: { text: '还能写' } }, client.at(1)));
    await real.acked();
    expect(index.provider.synced).toBe(true);
    // Closing one frees its place.
    many.find((h) => h.provider.synced)!.destroy();
    await waitFor(async () => {
      const retry = client.open(orderDocName(spare));
      await waitFor(() => retry.provider.synced || retry.denied !== null, 'the retry opened or refused');
      return retry.provider.synced;
    }, 'a document opening once another was closed');
    await stillServing();
  });
});

describe('awareness', () => {
  it('is never relayed to other clients, on read-only index docs or order docs', async () => {
    const sender = await TestClient.connect(server, users.worker, 710);
    const watcher = await TestClient.connect(server, users.worker2, 711);
    clients.push(sender, watcher);
    const docs = [gridIndexDocName(users.worker.unitId), orderDocName(order.id)];
    const sent = await Promise.all(docs.map((name) => sender.open(name).synced()));
    const watched = await Promise.all(docs.map((name) => watcher.open(name).synced()));
    const droppedBefore = await metric('lianxin_awareness_dropped_total');
    // 200 KB of presence on each, as a hostile client would send again and again.
    for (const handle of sent) handle.provider.awareness!.setLocalStateField('blob', 'x'.repeat(200_000));

    // The sender writes to the order after its awareness; once the watcher has
    // that write and its own write acknowledged, everything the server would
    // have relayed before has reached it.
    const [, senderOrder] = sent;
    const [, watcherOrder] = watched;
    const event = sender.write(senderOrder!, { type: 'progress', payload: { text: '有人在看吗' } }, sender.at(2));
    senderOrder!.append(event);
    await waitFor(() => watcherOrder!.events().some((e) => e.id === event.id), 'the write relayed to the watcher');
    watcherOrder!.append(watcher.write(watcherOrder!, { type: 'progress', payload: { text: '收到' } }, watcher.at(3)));
    await watcherOrder!.acked();

    for (const handle of watched) {
      const others = [...handle.provider.awareness!.getStates().keys()].filter((id) => id !== handle.provider.awareness!.clientID);
      expect(others, `awareness of others on ${handle.provider.configuration.name}`).toEqual([]);
    }
    expect(await metric('lianxin_awareness_dropped_total')).toBeGreaterThanOrEqual(droppedBefore + 2);
    await stillServing();
  });

  it('keeps idle sockets alive with pings the client answers, instead of awareness', async () => {
    const raw = await RawSocket.open(server.wsUrl);
    sockets.push(raw);
    const pings = () => raw.received.filter((m) => m.length === 1 && m[0] === 9).length;
    // WS_PING_INTERVAL is 300 ms here (15 s by default).
    await waitFor(() => pings() >= 3, 'three pings');
    raw.send(Uint8Array.of(10)); // the provider's Pong: not a document message, and not an error
    raw.send(authMessage(orderDocName(order.id), await login(server.url, users.worker.id)));
    raw.send(syncStep1(orderDocName(order.id)));
    await waitFor(() => raw.received.some((m) => m.length > 1), 'the document authenticated and synced after the pong');
    expect(raw.closedWith).toBeNull();
  });
});

describe('message rate per socket', () => {
  it('slows a socket sending faster than WS_MESSAGE_RATE to that rate, while others are served', async () => {
    const flooder = await RawSocket.open(server.wsUrl);
    sockets.push(flooder);
    const doc = orderDocName(floodOrder.id);
    flooder.send(authMessage(doc, await login(server.url, users.worker.id)));
    flooder.send(syncStep1(doc));
    // Pings (one byte) are not answers.
    const answers = () => flooder.received.filter((m) => m.length > 1).length;
    await waitFor(() => answers() >= 2, 'the flooder authenticated');
    const before = answers();
    const throttledBefore = await metric('lianxin_sockets_throttled_total');
    const started = performance.now();
    // 5,000 sync requests at once: each is answered (sync step 2 and step 1).
    for (let i = 0; i < 5000; i++) flooder.send(syncStep1(doc));
    await stillServing();
    await waitFor(() => answers() > before + 20, 'some of the flood answered');
    const seconds = (performance.now() - started) / 1000;
    const answered = (answers() - before) / 2;
    // At most a burst (5 s' worth) and the rate since: an upper bound, whatever the machine's speed.
    expect(answered).toBeLessThanOrEqual(5 * MESSAGE_RATE + MESSAGE_RATE * seconds + 1);
    expect(await metric('lianxin_sockets_throttled_total')).toBeGreaterThan(throttledBefore);
    expect(flooder.closedWith).toBeNull();
    console.info(`message rate: ${answered} of 5000 flooded requests answered after ${seconds.toFixed(1)} s (bound ${5 * MESSAGE_RATE} + ${MESSAGE_RATE}/s)`);
  });
});

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
