/**
 * Yjs client ids of content the server writes into an order doc itself (an
 * intake from the API, a seeded order) are claimed as a client's first write
 * claims its own (DurableLog.foreignClient, store.claimClients): no user may
 * later write under them, which would let a user's structs shadow or follow
 * that content's as if they were its author's.
 */
import * as Y from 'yjs';

/** The owner of client ids the server wrote under: never a user id (those are letters, digits, `_` and `-`). */
export const SERVER_WRITER = '#server';

/** Every client id `update` writes structs under, claimed for `owner`. */
export function claimsOf(update: Uint8Array, owner: string): Map<number, string> {
  return new Map([...Y.parseUpdateMeta(update).to.keys()].map((client) => [client, owner] as const));
}
