/**
 * Yjs client ids of content the server wrote itself — an intake from the API,
 * a seeded order — are claimed like a client's, so no user can write under
 * them (which would shadow or forge that content's next structs).
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { gridIndexDocName, orderDocName } from '#shared/sync/doc-names.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#demo/index.ts';
import { TestClient, createOrder, type DocHandle } from './support/client.ts';
import { users } from './support/fixture.ts';
import { startServer } from './support/server.ts';
import { serverForFile } from './support/suite.ts';

const suite = serverForFile();
const { connect } = suite;

/** The Yjs client id the doc's intake was written under. */
const intakeWriter = (doc: Y.Doc): number | undefined => doc.getMap('intake')._map.get('data')?.id.client;

/** The client id an event by someone other than `me` was written under. */
function otherEventWriter(doc: Y.Doc, me: string): number | undefined {
  for (let item = doc.getArray('events')._start; item !== null; item = item.right) {
    const [event] = item.content.getContent() as { actor?: string }[];
    if (event?.actor !== undefined && event.actor !== me) return item.id.client;
  }
  return undefined;
}

async function squat(client: TestClient, name: string, pick: (doc: Y.Doc) => number | undefined = intakeWriter): Promise<DocHandle> {
  const handle = await client.open(name, new Y.Doc()).synced();
  const taken = pick(handle.doc);
  expect(taken).toBeTypeOf('number');
  // Yjs moves off a client id it sees in use; a forger sets it after syncing.
  handle.doc.clientID = taken!;
  handle.append(client.write(handle, { type: 'phone_reveal', payload: { purpose: '联系市民' } }, Date.now()));
  return handle;
}

describe('client ids of suite.server-written content', () => {
  it('refuses writes under the client id of an intake the suite.server wrote', async () => {
    const { id } = await createOrder(suite.server.url);
    const handle = await squat(await connect(users.worker, 41), orderDocName(id));
    expect(await handle.settled()).toMatchObject({ code: 'foreign_client_id' });
  }, 60_000);

  it('refuses writes under the client ids of a seeded order', async () => {
    const seeded = await startServer({ seedDemo: true, importFixture: false });
    suite.removeAfter(seeded.dataDir);
    const account = DEMO_ACCOUNTS.find((a) => a.role === 'grid_worker')!;
    const worker = await connect(account, 42, seeded, DEMO_PASSWORD);
    const index = await worker.open(gridIndexDocName(account.unitId)).synced();
    const orderIds = [...index.doc.getMap('orders').keys()];
    const handle = await squat(worker, orderDocName(orderIds[0]!));
    expect(await handle.settled()).toMatchObject({ code: 'foreign_client_id' });
    // Under the client id of another writer's events: refused as well. (The worker's own stay theirs.)
    const res = await fetch(`${seeded.url}/api/docs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${worker.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ names: orderIds.slice(1, 200).map(orderDocName) }),
    });
    const { docs } = (await res.json()) as { docs: Record<string, { update?: string }> };
    const withOthers = Object.entries(docs).find(([, entry]) => {
      const doc = new Y.Doc();
      if (entry.update) Y.applyUpdate(doc, Buffer.from(entry.update, 'base64'));
      return otherEventWriter(doc, account.id) !== undefined;
    });
    expect(withOthers).toBeDefined();
    const again = await squat(worker, withOthers![0], (doc) => otherEventWriter(doc, account.id));
    expect(await again.settled()).toMatchObject({ code: 'foreign_client_id' });
  }, 90_000);
});
