/** The typed API client against a real server process (port 0, temporary data folder). */
import { createHash } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, LianxinApi, syncUrl } from '#shared/client/api.ts';
import { orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { PASSWORD, hotlineIntake, users } from '../../server/support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from '../../server/support/server.ts';

let server: ServerProcess;
let api: LianxinApi;

beforeAll(async () => {
  server = await startServer();
  api = new LianxinApi({ baseUrl: server.url });
}, 60_000);

afterAll(async () => {
  await server?.kill();
  await stopAll(server ? [server.dataDir] : []);
});

/** The smallest JPEG the server's sniffer accepts: SOI, APP0 marker, EOI. */
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('LianxinApi', () => {
  it('signs in, checks the token, and signs out', async () => {
    const before = Date.now();
    const session = await api.login(users.worker.id, PASSWORD);
    expect(session.user).toEqual(users.worker);
    expect(session.token.length).toBeGreaterThan(20);
    expect(session.receivedAt).toBeGreaterThanOrEqual(before);
    const me = await api.me(session.token);
    expect(me.user.id).toBe(users.worker.id);
    await api.logout(session.token);
    const after = await api.me(session.token).catch((error: unknown) => error);
    expect(after).toBeInstanceOf(ApiError);
    expect((after as ApiError).unauthenticated).toBe(true);
  });

  it('reports bad credentials by code, and an unreachable server as offline', async () => {
    const wrong = await api.login(users.worker.id, 'not-the-password').catch((error: unknown) => error);
    expect(wrong).toMatchObject({ status: 401, code: 'bad_credentials', offline: false });
    const nowhere = new LianxinApi({ baseUrl: 'http://127.0.0.1:9/' });
    const offline = await nowhere.login(users.worker.id, PASSWORD).catch((error: unknown) => error);
    expect(offline).toBeInstanceOf(ApiError);
    expect((offline as ApiError).offline).toBe(true);
  });

  it('gives up on a server that takes the request and never answers, as not reached (code timeout)', async () => {
    // A connection no byte ever comes back on: what a request sent as the signal went looks like.
    const sockets = new Set<Socket>();
    const silent = createNetServer((socket) => {
      sockets.add(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const hung = new LianxinApi({ baseUrl: `http://127.0.0.1:${port}/`, answerTimeoutMs: 200 });
      const failure = await hung.login(users.worker.id, PASSWORD).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApiError);
      expect(failure).toMatchObject({ status: 0, code: 'timeout', offline: true });
      expect(sockets.size).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  /** A server that answers every request with `answer`'s start, then does what `then` says with the socket. */
  async function halfAnswering(then: (socket: Socket) => void, run: (api: LianxinApi) => Promise<unknown>): Promise<unknown> {
    const sockets = new Set<Socket>();
    const server = createNetServer((socket) => {
      sockets.add(socket);
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"token": "');
        then(socket);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      return await run(new LianxinApi({ baseUrl: `http://127.0.0.1:${port}/`, answerTimeoutMs: 200 }))
        .then(() => 'answered')
        .catch((error: unknown) => error);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('gives up on an answer whose body stops coming halfway, as not reached (code timeout)', async () => {
    const failure = await halfAnswering(
      () => undefined,
      (hung) => hung.login(users.worker.id, PASSWORD),
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 0, code: 'timeout', offline: true });
    const photo = await halfAnswering(
      () => undefined,
      (hung) => hung.getPhoto('token', sha(JPEG)),
    );
    expect(photo).toMatchObject({ status: 0, code: 'timeout', offline: true });
  });

  it('counts an answer that breaks off halfway as not reached, not as a bad reply', async () => {
    const failure = await halfAnswering(
      (socket) => socket.destroy(),
      (broken) => broken.login(users.worker.id, PASSWORD),
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 0, code: 'network', offline: true });
  });

  it('creates orders, reads their docs in bulk, and names the field of a bad intake', async () => {
    const { token } = await api.login(users.clerk.id, PASSWORD);
    const intake = hotlineIntake();
    const created = await api.createOrders(token, intake);
    expect(created).toEqual({ id: expect.stringMatching(/^o-[0-9a-z]{16}$/), orderNo: intake.orderNo, created: true, duplicates: expect.any(Array) });
    expect(await api.createOrders(token, intake)).toEqual({ ...created, created: false, duplicates: [] });
    // The same matter again (another order number): the first is its likely duplicate, read back as the detector's type.
    const again = await api.createOrders(token, hotlineIntake({ receivedAt: intake.receivedAt }));
    expect(await api.duplicatesOf(token, again.id)).toEqual(again.duplicates);
    const batch = await api.createOrders(token, [hotlineIntake(), { ...hotlineIntake(), title: '' }]);
    expect(batch).toMatchObject({ created: 1, failed: 1 });
    expect(batch.results[1]?.error?.field).toBe('[1].title');
    const bad = await api.createOrders(token, { ...hotlineIntake(), title: '' }).catch((error: unknown) => error);
    expect(bad).toMatchObject({ status: 400, field: 'title' });

    const otherStreet = streetIndexDocName('d1-s2');
    const docs = await api.fetchDocs(token, [orderDocName(created.id), otherStreet]);
    const entry = docs[orderDocName(created.id)];
    expect(entry && 'update' in entry && entry.update.length).toBeGreaterThan(10);
    expect(docs[otherStreet]).toMatchObject({ error: { code: 'out_of_scope' } });
  });

  it('uploads a photo by hash and confirms it only once the server has it', async () => {
    const { token } = await api.login(users.worker.id, PASSWORD);
    const hash = sha(JPEG);
    expect(await api.hasPhoto(token, hash)).toBe(false);
    expect(await api.putPhoto(token, hash, JPEG)).toMatchObject({ sha256: hash, created: true });
    expect(await api.putPhoto(token, hash, new Blob([JPEG], { type: 'image/jpeg' }))).toMatchObject({ created: false });
    expect(await api.hasPhoto(token, hash)).toBe(true);
    expect(new Uint8Array(await (await api.getPhoto(token, hash)).arrayBuffer())).toEqual(JPEG);
    const swapped = await api.putPhoto(token, sha(Uint8Array.of(1)), JPEG).catch((error: unknown) => error);
    expect(swapped).toMatchObject({ status: 422, code: 'hash_mismatch' });
  });

  it("lists the user's branch of the organisation", async () => {
    const { token } = await api.login(users.community.id, PASSWORD);
    const { units, people } = await api.org(token);
    expect(people.map((p) => p.id)).toContain(users.community.id);
    expect(people.map((p) => p.unitId).every((id) => units.some((u) => u.id === id))).toBe(true);
    expect(units.filter((u) => u.kind === 'grid').map((u) => u.id).sort()).toEqual(['d1-s1-c1-g1', 'd1-s1-c1-g2']);
    expect(units.map((u) => u.id)).not.toContain('d1-s2');
  });

  it('puts the sync socket under the same base', () => {
    expect(syncUrl('http://127.0.0.1:8787/')).toBe('ws://127.0.0.1:8787/sync');
    expect(syncUrl('https://example.org/app')).toBe('wss://example.org/app/sync');
  });
});
