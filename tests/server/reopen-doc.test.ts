/**
 * An order doc closed and opened again at once on the same socket, as a
 * screen does when it gives a doc back and takes it again (the desk's
 * preload handing over to its right pane). The apps' sync engine gives each
 * provider its own routing key (`sessionAwareness`, shared/client/sync.ts),
 * so the new open is not taken for the closing one, and what is written on it
 * is acknowledged. With plain document names this test fails (within three
 * rounds): the server queues the old provider's CLOSE on its connection for
 * the name and routes the new provider's auth and sync step 1 to that same
 * connection, which then closes; the new provider looks synced, but its
 * updates wait for an auth that never comes (full-loop.e2e.ts caught it).
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { createOrder } from './support/client.ts';
import { users } from './support/fixture.ts';
import { serverForFile } from './support/suite.ts';

const suite = serverForFile();

describe('an order doc reopened at once on the same socket', () => {
  it('syncs, and the event written on it is acknowledged', async () => {
    const clerk = await suite.connect(users.clerk, 31);
    for (let round = 0; round < 3; round++) {
      const { id } = await createOrder(suite.server.url);
      const first = await clerk.open(orderDocName(id), new Y.Doc(), { sessionAwareness: true }).synced();
      first.destroy();
      const second = await clerk.open(orderDocName(id), new Y.Doc(), { sessionAwareness: true }).synced();
      second.append(clerk.write(second, { type: 'dispatch', payload: { unitId: 'd1-s1-c1-g1', unitKind: 'grid' } }, clerk.at(round * 1000)));
      expect(await second.outcome()).toBe('acknowledged');
      second.destroy();
    }
  }, 60_000);
});
