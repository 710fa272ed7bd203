/**
 * The HTTP API against a real server: accounts and sessions, the order intake
 * (idempotent, validated field by field, by role and scope) and the photo
 * store (content-addressed, idempotent, visible only through an order).
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridIndexDocName, orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { T0, payloads } from '../shared/support/builders.ts';
import { TestClient, createOrder, createOrders, login, postIntake, waitFor } from './support/client.ts';
import { PASSWORD, hotlineIntake, outsideClerk, outsider, places, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let server: ServerProcess;
const clients: TestClient[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = await startServer({ env: { SESSION_TTL: '2s' } });
  dirs.push(server.dataDir);
}, 40_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('accounts and sessions', () => {
  it('logs in, tells who is signed in, and logs out', async () => {
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: users.worker.id, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; user: object; place: object; expiresAt: number; serverTime: number };
    expect(body.user).toEqual({ id: users.worker.id, name: users.worker.name, role: 'grid_worker', unitId: users.worker.unitId });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Math.abs(body.serverTime - Date.now())).toBeLessThan(5000);
    expect(body.expiresAt - body.serverTime).toBeGreaterThan(1900);
    expect(body.expiresAt - body.serverTime).toBeLessThanOrEqual(2000);

    const workerPlace = { unitId: 'd1-s1-c1-g1', districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g1' };
    expect(body.place).toEqual(workerPlace);

    const me = await fetch(`${server.url}/api/me`, { headers: bearer(body.token) });
    expect(await me.json()).toMatchObject({ user: { id: users.worker.id }, place: workerPlace });
    expect((await fetch(`${server.url}/api/logout`, { method: 'POST', headers: bearer(body.token) })).status).toBe(204);
    expect((await fetch(`${server.url}/api/me`, { headers: bearer(body.token) })).status).toBe(401);
  });

  it('gives each user the place of their unit, with null below their level', async () => {
    const clerk = await fetch(`${server.url}/api/me`, { headers: bearer(await login(server.url, users.clerk.id)) });
    expect(((await clerk.json()) as { place: object }).place).toEqual({ unitId: 'd1-s1', districtId: 'd1', streetId: 'd1-s1', communityId: null, gridId: null });
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const [username, password] of [
      [users.worker.id, 'wrong-password'],
      ['nobody', PASSWORD],
    ] as const) {
      const res = await fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'bad_credentials', message: 'wrong username or password' } });
    }
  });

  it('expires a session left unused, and slides it while in use', async () => {
    const used = await login(server.url, users.clerk.id);
    const idle = await login(server.url, users.clerk.id);
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 600));
      expect((await fetch(`${server.url}/api/me`, { headers: bearer(used) })).status).toBe(200);
    }
    expect((await fetch(`${server.url}/api/me`, { headers: bearer(idle) })).status).toBe(401);
  }, 10_000);

  it('refuses documents to a bad token and closes them at logout', async () => {
    const { id } = await createOrder(server.url);
    const other = await createOrder(server.url);
    const worker = await TestClient.connect(server, users.worker);
    clients.push(worker);
    const handle = await worker.open(orderDocName(id)).synced();
    await fetch(`${server.url}/api/logout`, { method: 'POST', headers: bearer(worker.token) });
    await waitFor(() => handle.closed !== null, 'document closed at logout');
    const again = worker.open(orderDocName(other.id));
    expect(await again.deniedReason()).toMatch(/^unauthenticated: /);
  });
});

describe('order intake', () => {
  it('creates an order once, under an id of its own: a repeat returns the same id with 200', async () => {
    const token = await login(server.url, users.clerk.id);
    const intake = hotlineIntake();
    const first = await postIntake(server.url, token, intake);
    const { id } = first.body as { id: string };
    expect(first).toEqual({ status: 201, body: { id, orderNo: intake.orderNo, created: true, duplicates: expect.any(Array) } });
    expect(id).toMatch(/^o-[0-9a-z]{16}$/);
    const again = await postIntake(server.url, token, { ...intake, title: '重复推送' });
    expect(again).toEqual({ status: 200, body: { id, orderNo: intake.orderNo, created: false, duplicates: [] } });
    // An id in the request is not the caller's to choose: the server names the order.
    const chosen = await postIntake(server.url, token, { ...hotlineIntake(), id } as ReturnType<typeof hotlineIntake>);
    expect(chosen.status).toBe(201);
    expect((chosen.body as { id: string }).id).not.toBe(id);
  });

  it('names the field of an invalid intake and of a place that does not fit the tree', async () => {
    const token = await login(server.url, users.clerk.id);
    const { title: _title, ...untitled } = hotlineIntake();
    const missing = await postIntake(server.url, token, untitled as ReturnType<typeof hotlineIntake>);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { code: 'invalid', field: 'title' } });
    const late = await postIntake(server.url, token, hotlineIntake({ deadline: T0 - 1 }));
    expect(late.body).toMatchObject({ error: { field: 'deadline', message: 'deadline: must not be before receivedAt' } });
    const elsewhere = hotlineIntake();
    const misplaced = await postIntake(server.url, token, { ...elsewhere, place: { ...elsewhere.place, gridId: 'd1-s2-c1-g1' } });
    expect(misplaced.body).toMatchObject({ error: { code: 'invalid_place', field: 'place.gridId' } });
  });

  it('reports each item of a batch on its own', async () => {
    const token = await login(server.url, users.clerk.id);
    const good = hotlineIntake();
    const res = await postIntake(server.url, token, [good, { ...hotlineIntake(), channel: 'pigeon' } as unknown as typeof good, good]);
    expect(res.status).toBe(200);
    const id = (res.body as { results: { id?: string }[] }).results[0]?.id;
    expect(id).toMatch(/^o-/);
    expect(res.body).toMatchObject({
      created: 1,
      existing: 1,
      failed: 1,
      results: [
        { index: 0, status: 201, id },
        { index: 1, status: 400, error: { field: '[1].channel' } },
        { index: 2, status: 200, id, created: false },
      ],
    });
  });

  it('lets only clerks, supervisors and admins create orders, within their scope', async () => {
    const worker = await postIntake(server.url, await login(server.url, users.worker.id), hotlineIntake());
    expect(worker.status).toBe(403);
    const supervisor = await postIntake(server.url, await login(server.url, users.supervisor.id), hotlineIntake());
    expect(supervisor.status).toBe(201);
    const otherStreet = hotlineIntake({ place: { districtId: 'd1', streetId: 'd1-s2', communityId: 'd1-s2-c1', gridId: 'd1-s2-c1-g1' } });
    const clerk = await postIntake(server.url, await login(server.url, users.clerk.id), otherStreet);
    expect(clerk).toMatchObject({ status: 403, body: { error: { code: 'place_out_of_scope', field: 'place' } } });
    const plain = await fetch(`${server.url}/api/orders`, { method: 'POST', headers: { ...bearer(await login(server.url, users.clerk.id)), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
  });
});

describe('photo store', () => {
  const png = (seed: number) => {
    const bytes = new Uint8Array(2048);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (let i = 8; i < bytes.length; i++) bytes[i] = (i * seed) % 256;
    return bytes;
  };
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  it('stores a photo idempotently and shows it only to those who may see an order its uploader added it to', async () => {
    const photo = png(7);
    const hash = sha(photo);
    const workerToken = await login(server.url, users.worker.id);
    const put = () => fetch(`${server.url}/api/photos/${hash}`, { method: 'PUT', headers: { ...bearer(workerToken), 'Content-Type': 'image/png' }, body: photo });
    const first = await put();
    expect(first.status).toBe(201);
    expect(first.headers.get('x-content-sha256')).toBe(hash);
    expect(await first.json()).toEqual({ sha256: hash, size: photo.length, mime: 'image/png', created: true });
    expect((await put()).status).toBe(200);

    const clerkToken = await login(server.url, users.clerk.id);
    const head = await fetch(`${server.url}/api/photos/${hash}`, { method: 'HEAD', headers: bearer(workerToken) });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-content-sha256')).toBe(hash);
    expect((await fetch(`${server.url}/api/photos/${'0'.repeat(64)}`, { method: 'HEAD', headers: bearer(workerToken) })).status).toBe(404);
    // The uploader sees it; nobody else until the uploader adds it to an order (and then those who see the order).
    expect((await fetch(`${server.url}/api/photos/${hash}`, { headers: bearer(workerToken) })).status).toBe(200);
    expect((await fetch(`${server.url}/api/photos/${hash}`, { headers: bearer(clerkToken) })).status).toBe(404);
    expect((await fetch(`${server.url}/api/photos/${hash}`, { method: 'HEAD', headers: bearer(clerkToken) })).status).toBe(404);

    const { id } = await createOrder(server.url);
    const worker = await TestClient.connect(server, users.worker, 77);
    clients.push(worker);
    const handle = await worker.open(orderDocName(id)).synced();
    handle.append(worker.write(handle, { type: 'photo_added', payload: { ...payloads.photo(1), sha256: hash, mime: 'image/png', size: photo.length } }, worker.at()));
    await handle.acked();

    let res: Response | null = null;
    for (let i = 0; i < 50; i++) {
      res = await fetch(`${server.url}/api/photos/${hash}`, { headers: bearer(clerkToken) });
      if (res.status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(res!.status).toBe(200);
    expect(res!.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(res!.headers.get('etag')).toBe(`"${hash}"`);
    expect(new Uint8Array(await res!.arrayBuffer())).toEqual(photo);
    const cached = await fetch(`${server.url}/api/photos/${hash}`, { headers: { ...bearer(clerkToken), 'If-None-Match': `"${hash}"` } });
    expect(cached.status).toBe(304);
    const outsiderToken = await login(server.url, outsider.id);
    expect((await fetch(`${server.url}/api/photos/${hash}`, { headers: bearer(outsiderToken) })).status).toBe(404);
  });
});

describe('bulk bootstrap', () => {
  it('returns the state of every document the user may open, and says why not for the rest', async () => {
    const orders = (await createOrders(server.url, [hotlineIntake(), hotlineIntake()], users.clerk.id)).map((id) => ({ id }));
    const grid = gridIndexDocName('d1-s1-c1-g1');
    const street = streetIndexDocName('d1-s1');
    const names = [...orders.map((o) => orderDocName(o.id)), grid, street, 'nonsense'];
    const res = await fetch(`${server.url}/api/docs`, {
      method: 'POST',
      headers: { ...bearer(await login(server.url, users.worker.id)), 'Content-Type': 'application/json' },
      body: JSON.stringify({ names }),
    });
    expect(res.status).toBe(200);
    const { docs } = (await res.json()) as { docs: Record<string, { update?: string; error?: { code: string } }> };
    for (const order of orders) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Buffer.from(docs[orderDocName(order.id)]!.update!, 'base64'));
      expect(doc.getMap('intake').get('data')).toMatchObject({ id: order.id });
    }
    expect(docs[grid]!.update).toBeTypeOf('string');
    expect(docs[street]!.error!.code).toBe('out_of_scope');
    expect(docs.nonsense!.error!.code).toBe('unknown_document');
  });

  it('decides each of 500 names on its own: a worker gets exactly the orders of their grid, refusals for the rest', async () => {
    // Authorised together (one read of the order rows, access.ts `authorizeDocuments`): none of another street's or
    // another grid's orders, nor a missing one, may come back with a state, and none of the worker's may be refused.
    const otherGrid = { districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g2' };
    const own = await createOrders(server.url, Array.from({ length: 200 }, () => hotlineIntake()), users.clerk.id);
    const otherStreet = await createOrders(server.url, Array.from({ length: 150 }, () => hotlineIntake({ place: places.outsider })), outsideClerk.id);
    const sideGrid = await createOrders(server.url, Array.from({ length: 100 }, () => hotlineIntake({ place: otherGrid })), users.clerk.id);
    const missing = Array.from({ length: 48 }, (_, i) => `o-missing${String(i).padStart(4, '0')}`);
    const expected = new Map<string, string>([
      ...own.map((id) => [orderDocName(id), 'update'] as const),
      ...otherStreet.map((id) => [orderDocName(id), 'out_of_scope'] as const),
      ...sideGrid.map((id) => [orderDocName(id), 'out_of_scope'] as const),
      ...missing.map((id) => [orderDocName(id), 'unknown_order'] as const),
      [streetIndexDocName('d1-s2'), 'out_of_scope'],
      [gridIndexDocName('d1-s1-c1-g1'), 'update'],
    ]);
    // Interleaved, so that neither the allowed nor the refused come in one run.
    const names = [...expected.keys()].sort((a, b) => createHash('sha1').update(a).digest('hex').localeCompare(createHash('sha1').update(b).digest('hex')));
    expect(names).toHaveLength(500);
    const res = await fetch(`${server.url}/api/docs`, {
      method: 'POST',
      headers: { ...bearer(await login(server.url, users.worker.id)), 'Content-Type': 'application/json', 'Accept-Encoding': 'gzip' },
      body: JSON.stringify({ names }),
    });
    expect(res.status).toBe(200);
    const { docs } = (await res.json()) as { docs: Record<string, { update?: string; error?: { code: string } }> };
    expect(Object.keys(docs).sort()).toEqual([...names].sort());
    const got = new Map(Object.entries(docs).map(([name, entry]) => [name, entry.update !== undefined ? 'update' : entry.error!.code]));
    expect(got).toEqual(expected);
    for (const id of own) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Buffer.from(docs[orderDocName(id)]!.update!, 'base64'));
      expect(doc.getMap('intake').get('data')).toMatchObject({ id });
    }
    // A refusal says nothing of the order: no state, no number.
    for (const id of [...otherStreet, ...sideGrid]) expect(Object.keys(docs[orderDocName(id)]!)).toEqual(['error']);
  }, 60_000);

  it('gives the index as it is now on every read, though it keeps the encoding between changes', async () => {
    const token = await login(server.url, users.clerk.id);
    const street = streetIndexDocName('d1-s1');
    const listed = async (): Promise<string[]> => {
      const res = await fetch(`${server.url}/api/docs`, { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ names: [street] }) });
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Buffer.from(((await res.json()) as { docs: Record<string, { update: string }> }).docs[street]!.update, 'base64'));
      return [...doc.getMap('orders').keys()];
    };
    // A clerk's device watching the index: the doc stays loaded, so the reads below are of the loaded doc.
    const watcher = await TestClient.connect(server, users.clerk, 81);
    clients.push(watcher);
    const watched = await watcher.open(street).synced();
    const before = await listed();
    expect(await listed()).toEqual(before);
    const [id] = await createOrders(server.url, [hotlineIntake()], users.clerk.id);
    await waitFor(() => watched.doc.getMap('orders').has(id!), 'the new order in the street index');
    // The indexer has written it: the next read lists it (the kept encoding went with the change).
    const after = await listed();
    expect(after).toContain(id);
    expect(after).toEqual(expect.arrayContaining(before));
  });

  it('gives a doc’s kept, compressed entry only to a user authorised for it', async () => {
    const street = streetIndexDocName('d1-s1');
    const read = async (userId: string) => {
      const res = await fetch(`${server.url}/api/docs`, {
        method: 'POST',
        headers: { ...bearer(await login(server.url, userId)), 'Content-Type': 'application/json', 'Accept-Encoding': 'gzip' },
        body: JSON.stringify({ names: [street, 'nonsense'] }),
      });
      return ((await res.json()) as { docs: Record<string, { update?: string; error?: { code: string } }> }).docs;
    };
    // The clerk's read compresses the street's entry and keeps it; the worker's, of the same doc version, is refused.
    const clerks = await read(users.clerk.id);
    expect(clerks[street]!.update).toBeTypeOf('string');
    expect(clerks.nonsense!.error!.code).toBe('unknown_document');
    const workers = await read(users.worker.id);
    expect(workers[street]).toEqual({ error: expect.objectContaining({ code: 'out_of_scope' }) });
    expect(await read(users.clerk.id)).toEqual(clerks);
  });

  it('gzips the answer for a client that accepts it, and only then; small docs compressed together', async () => {
    // 40 orders, about 33 KB of JSON: each order's entry alone would compress to twice the bytes it does with the others.
    const ids = await createOrders(server.url, Array.from({ length: 40 }, () => hotlineIntake()), users.clerk.id);
    const names = ids.map(orderDocName);
    const token = await login(server.url, users.clerk.id);
    const ask = (encoding: string) =>
      fetch(`${server.url}/api/docs`, { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json', 'Accept-Encoding': encoding }, body: JSON.stringify({ names }) });
    const zipped = await ask('gzip, deflate');
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
    const wire = Number(zipped.headers.get('content-length'));
    const body = (await zipped.json()) as { docs: Record<string, { update?: string }> };
    expect(Object.keys(body.docs).sort()).toEqual([...names].sort());
    expect(names.every((name) => typeof body.docs[name]?.update === 'string')).toBe(true);
    const plain = await ask('identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const text = await plain.text();
    expect(JSON.parse(text).docs).toEqual(body.docs);
    // The states compress: what crosses the wire is a fraction of the JSON.
    expect(wire).toBeLessThan(Buffer.byteLength(text) / 2);
  });
});
