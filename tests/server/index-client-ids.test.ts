/**
 * The Yjs client id a server writes index docs under (server/sync/index-client-ids.ts): one per server process,
 * not one per load of the doc (bench/README.md, "Index docs' Yjs clients over a year"). Against a real server
 * process: the count of a street index's clients across many loads and unloads, and across a restart; and after a
 * SIGKILL right as a clerk received the server's index write (its log entry is appended up to 100 ms later), the
 * restarted server never writes under an id whose items the clerk already holds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { Hocuspocus } from '@hocuspocus/server';
import { DurableLog, type DurableLogOptions } from '#server/sync/durable.ts';
import { IndexClientIds } from '#server/sync/index-client-ids.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { Metrics } from '#server/metrics.ts';
import type { OrderSummary } from '#shared/order/summary.ts';
import { INDEX_ORDERS_MAP, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { TestClient, createOrders, login, waitFor } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

const street = streetIndexDocName('d1-s1');
const dirs: string[] = [];
const clients: TestClient[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

/** The street index as the server stores it (the bulk read), as a doc. */
async function storedStreet(server: ServerProcess): Promise<Y.Doc> {
  const res = await fetch(`${server.url}/api/docs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await login(server.url, users.clerk.id)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ names: [street] }),
  });
  expect(res.status).toBe(200);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(((await res.json()) as { docs: Record<string, { update: string }> }).docs[street]!.update, 'base64'));
  return doc;
}

const loadedDocuments = async (server: ServerProcess): Promise<number> => ((await (await fetch(`${server.url}/healthz`)).json()) as { documents: number }).documents;

/** An order created, indexed, and the street index unloaded again (the indexer's hold over, the doc stored). */
async function oneLoad(server: ServerProcess): Promise<string> {
  const [id] = await createOrders(server.url, [hotlineIntake()]);
  await waitFor(async () => (await storedStreet(server)).getMap(INDEX_ORDERS_MAP).has(id!), 'the order in the stored street index');
  await waitFor(async () => (await loadedDocuments(server)) === 0, 'every document unloaded');
  return id!;
}

const clientsOf = (doc: Y.Doc): number[] => [...doc.store.clients.keys()].sort((a, b) => a - b);

describe('the client ids of index docs', () => {
  it('stay one per server process across loads and unloads; a restart adds exactly one, a new one', async () => {
    // The indexer lets an index doc go 200 ms after its last write: each order below loads the street index anew.
    let server = await startServer({ env: { INDEX_HOLD: '200ms' } });
    dirs.push(server.dataDir);
    for (let load = 0; load < 5; load++) await oneLoad(server);
    const first = clientsOf(await storedStreet(server));
    // Main gave each load a client: five here.
    expect(first).toHaveLength(1);

    server = await server.restart();
    for (let load = 0; load < 3; load++) await oneLoad(server);
    const second = clientsOf(await storedStreet(server));
    expect(second).toHaveLength(2);
    expect(second).toEqual(expect.arrayContaining(first));
  }, 120_000);

  it('after a SIGKILL between an index write and its log entry, the restarted server writes under no id the clerk holds', async () => {
    let server = await startServer({ env: { INDEX_HOLD: '200ms' } });
    dirs.push(server.dataDir);
    // The killed run's only write to the street index is the one the kill races: nothing of its id is stored before.
    const clerk = await TestClient.connect(server, users.clerk, 7);
    clients.push(clerk);
    const handle = await clerk.open(street).synced();
    const orders = handle.doc.getMap<OrderSummary>(INDEX_ORDERS_MAP);
    // Killed the moment the clerk has the new entry: the server's log entry for it waits up to 100 ms (SERVER_WRITES_MS).
    let killed: Promise<void> | null = null;
    const known = orders.size;
    orders.observe(() => {
      if (killed === null && orders.size > known) killed = server.kill('SIGKILL');
    });
    await createOrders(server.url, [hotlineIntake()]).catch(() => undefined);
    await waitFor(() => killed !== null, 'the kill on the clerk’s copy of the new entry');
    await killed;
    clerk.close();
    // What the clerk holds of every client, the killed run's writes included (logged or not).
    const held = Y.decodeStateVector(Y.encodeStateVector(handle.doc));

    server = await server.restart();
    const before = Y.decodeStateVector(Y.encodeStateVector(await storedStreet(server)));
    await oneLoad(server);
    const after = Y.decodeStateVector(Y.encodeStateVector(await storedStreet(server)));
    const writtenUnder = [...after].filter(([client, clock]) => clock > (before.get(client) ?? 0)).map(([client]) => client);
    const lost = [...held].filter(([client, clock]) => clock > (before.get(client) ?? 0)).length;
    console.info(`the clerk held writes of ${lost} client(s) the store lacked after the kill`);
    expect(writtenUnder).toHaveLength(1);
    // Under an id the clerk held, the restarted server would write at clocks the clerk may already hold other items at.
    expect(held.has(writtenUnder[0]!)).toBe(false);
  }, 120_000);
});

describe('a copy of an index doc loaded after its server lost a write', () => {
  it('is written under a fresh id when the store lacks items this server wrote (a failed log append), never at their ids', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lianxin-client-ids-'));
    const store = new SqliteStore(join(dir, 'lianxin.sqlite'));
    // No fold (its floor out of reach): the live doc's encoding would otherwise store what the failed append lost.
    const durable = new DurableLog({ store, metrics: new Metrics(), compactMinBytes: 1 << 30, soleWriter: true } as unknown as DurableLogOptions);
    const hocuspocus = new Hocuspocus({ quiet: true, extensions: [durable] });
    // A device with the doc open: it receives every change of every loaded copy (Hocuspocus's broadcast).
    const device = new Y.Doc();
    /** Loads the doc, writes `a`, lets it go (stored and unloaded); returns the write's update and the copy's client id. */
    const write = async (value: number): Promise<{ update: Uint8Array; client: number }> => {
      const connection = await hocuspocus.openDirectConnection(street, {});
      const copy = connection.document!;
      let update: Uint8Array | null = null;
      copy.on('update', (u: Uint8Array) => (update = u));
      await connection.transact((doc) => doc.getMap(INDEX_ORDERS_MAP).set('a', value));
      await connection.disconnect();
      expect(hocuspocus.documents.has(street)).toBe(false);
      return { update: update!, client: copy.clientID };
    };
    try {
      Y.applyUpdate(device, (await write(1)).update);
      const appendUpdates = store.appendUpdates.bind(store);
      store.appendUpdates = async () => {
        store.appendUpdates = appendUpdates;
        throw new Error('the disk is full');
      };
      const lost = await write(2);
      Y.applyUpdate(device, lost.update);
      expect((await store.loadDoc(street)).updates).toHaveLength(1);

      const next = await write(3);
      // Reusing the lost write's client, the copy would write at the clock the device holds `a: 2` at.
      for (const struct of Y.decodeUpdate(next.update).structs) expect(struct.id.clock).toBeGreaterThanOrEqual(Y.getState(device.store, struct.id.client));
      expect(next.client).not.toBe(lost.client);
      // And without a loss, the next load writes under that id again.
      const again = await write(4);
      expect(again.client).toBe(next.client);
    } finally {
      await hocuspocus.closeConnections();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('IndexClientIds', () => {
  it('moves a copy off the id once a newer copy of the same doc has claimed it, before it writes', () => {
    const ids = new IndexClientIds();
    const older = new Y.Doc();
    ids.claim(street, older);
    expect(older.clientID).toBe(ids.own);
    const newer = new Y.Doc();
    ids.claim(street, newer);
    expect(newer.clientID).toBe(ids.own);
    ids.beforeTransaction(street, older);
    expect(older.clientID).not.toBe(ids.own);
    ids.beforeTransaction(street, newer);
    expect(newer.clientID).toBe(ids.own);
  });
});
