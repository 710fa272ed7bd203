/**
 * The snapshot and the log of a document folded into one update. Pure (Yjs
 * only), so that the fold can run in a worker thread (server/sync/fold-thread.ts).
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';

/** A document's stored state: its snapshot (if any) and the log entries after it. */
export interface StoredState {
  readonly snapshot: Uint8Array | null;
  readonly updates: readonly Uint8Array[];
}

/** The snapshot and the log folded into one update (through a doc, so deleted content is collected). */
export function mergeState(state: StoredState): Uint8Array {
  return throughDoc(state, (doc) => Y.encodeStateAsUpdate(doc));
}

/** As `mergeState`, with the merged doc's `contentKey`. */
export function mergeStateKeyed(state: StoredState): { readonly update: Uint8Array; readonly contentKey: string } {
  return throughDoc(state, (doc) => ({ update: Y.encodeStateAsUpdate(doc), contentKey: contentKey(doc) }));
}

/**
 * What a doc holds, as a short key: a hash of its state vector and delete set (`Y.snapshot`). An item's id
 * (client, clock) names its content for ever (a client never writes two things under one clock; the guard
 * keeps a client id to one user), so two states of one doc with the same items and the same deletions are the
 * same state, however they are held: a loaded doc, a snapshot and a log, a snapshot folded from them. Cheap
 * beside encoding: 0.2 ms for a street's 1.4 MB index, against 32 ms to encode it (bench/README.md, "First sync,
 * part 17").
 */
export function contentKey(doc: Y.Doc): string {
  return createHash('sha1').update(Y.encodeSnapshot(Y.snapshot(doc))).digest('base64');
}

function throughDoc<T>(state: StoredState, read: (doc: Y.Doc) => T): T {
  // A fixed guid: the doc never syncs, and a random one is lib0's uuidv4, 31 crypto calls (slow in Node).
  const doc = new Y.Doc({ guid: 'merge' });
  doc.transact(() => {
    if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
    for (const update of state.updates) Y.applyUpdate(doc, update);
  });
  const result = read(doc);
  doc.destroy();
  return result;
}
