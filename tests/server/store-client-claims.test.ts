/**
 * An append that claims the Yjs client ids it writes under (DurableLog on a reconnect's first write),
 * in both stores: the claim is part of the append's transaction, so it costs no commit of its own,
 * and an id someone else owns refuses the whole append — nothing is logged, nothing is claimed.
 */
import { expect } from 'vitest';
import * as Y from 'yjs';
import { ClientClaimedError, type Store } from '#server/store/store.ts';
import { describeBothStores } from './support/both-stores.ts';

const DOC = 'order:o-claims';

function updateUnder(client: number, text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.getMap('m').set('k', text);
  return Y.encodeStateAsUpdate(doc);
}

async function exercise(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    await store.appendUpdate(DOC, updateUnder(11, 'a'), undefined, { userId: 'grid1', clients: [11] });
    expect(await store.claimClients(DOC, [11], 'grid2')).toEqual(new Map([[11, 'grid1']]));
    // Claiming again for the owner, with a new id beside it, passes and claims the new one.
    await store.appendUpdate(DOC, updateUnder(12, 'b'), undefined, { userId: 'grid1', clients: [11, 12] });
    expect(await store.claimClients(DOC, [12], 'grid2')).toEqual(new Map([[12, 'grid1']]));

    const before = (await store.loadDoc(DOC)).updates.length;
    const refused = store.appendUpdate(DOC, updateUnder(13, 'c'), undefined, { userId: 'grid2', clients: [13, 11] });
    await expect(refused).rejects.toBeInstanceOf(ClientClaimedError);
    await expect(refused).rejects.toMatchObject({ client: 11, owner: 'grid1' });
    expect((await store.loadDoc(DOC)).updates.length).toBe(before);
    // The refused append claimed nothing either: 13 is still free.
    expect(await store.claimClients(DOC, [13], 'grid3')).toEqual(new Map([[13, 'grid3']]));
  } finally {
    await store.close();
  }
}

describeBothStores('client-id claims in the append’s own transaction', exercise);
