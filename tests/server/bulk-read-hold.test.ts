/**
 * The bulk read (`POST /api/docs`) answers a live index doc that is not loaded from the store's bytes, then
 * loads and holds it for the device's socket, which opens it next (bench/README.md, "First sync, part 17").
 * What it must not do: load the order docs it answered from the store (a request may name 500), or any doc the
 * user was refused (a worker could otherwise make the server load a street's index by naming it).
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridIndexDocName, orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { createOrders, login, waitFor } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let server: ServerProcess;
const street = streetIndexDocName('d1-s1');

beforeAll(async () => {
  // The indexer lets an index doc go 1 s after its last write, so the test can start from a server holding none.
  server = await startServer({ env: { INDEX_HOLD: '1s' } });
}, 40_000);

afterAll(async () => {
  await stopAll([server.dataDir]);
});

const loadedDocuments = async (): Promise<number> => ((await (await fetch(`${server.url}/healthz`)).json()) as { documents: number }).documents;

async function bulkRead(userId: string, names: readonly string[]): Promise<Record<string, { update?: string; error?: { code: string } }>> {
  const res = await fetch(`${server.url}/api/docs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await login(server.url, userId)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ names }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { docs: Record<string, { update?: string; error?: { code: string } }> }).docs;
}

describe('the bulk read and the live index', () => {
  it('answers a street index let go from the store, then holds it for the socket; the orders it answered stay unloaded', async () => {
    const ids = await createOrders(server.url, [hotlineIntake(), hotlineIntake(), hotlineIntake()], users.clerk.id);
    await waitFor(async () => (await loadedDocuments()) === 0, 'the server holding no document once the indexer let go');

    const docs = await bulkRead(users.clerk.id, [street, ...ids.map(orderDocName)]);
    const index = new Y.Doc();
    Y.applyUpdate(index, Buffer.from(docs[street]!.update!, 'base64'));
    expect([...index.getMap('orders').keys()]).toEqual(expect.arrayContaining(ids));
    for (const id of ids) expect(docs[orderDocName(id)]!.update).toBeTypeOf('string');

    // Held once answered: the street's index, and only it (the three order docs were read from the store).
    await waitFor(async () => (await loadedDocuments()) === 1, 'the street index loaded after the answer');
    // And let go again like any index the indexer holds.
    await waitFor(async () => (await loadedDocuments()) === 0, 'the street index let go after its hold');
  }, 60_000);

  it('holds only the live indexes the user was answered, not one refused in the same request', async () => {
    await createOrders(server.url, [hotlineIntake()], users.clerk.id);
    await waitFor(async () => (await loadedDocuments()) === 0, 'the server holding no document once the indexer let go');
    // The worker may read their grid's index, not the street's: the street's is named first, so a hold of it would
    // start first and be loaded by the time the grid's is.
    const grid = gridIndexDocName(users.worker.unitId);
    const docs = await bulkRead(users.worker.id, [street, grid]);
    expect(docs[street]).toEqual({ error: expect.objectContaining({ code: 'out_of_scope' }) });
    expect(docs[grid]!.update).toBeTypeOf('string');
    await waitFor(async () => (await loadedDocuments()) >= 1, 'the grid index loaded after the answer');
    expect(await loadedDocuments()).toBe(1);
  }, 60_000);
});
