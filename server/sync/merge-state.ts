/**
 * The snapshot and the log of a document folded into one update. Pure (Yjs
 * only), so that the fold can run in a worker thread (server/sync/fold-thread.ts).
 */
import * as Y from 'yjs';

/** A document's stored state: its snapshot (if any) and the log entries after it. */
export interface StoredState {
  readonly snapshot: Uint8Array | null;
  readonly updates: readonly Uint8Array[];
}

/** The snapshot and the log folded into one update (through a doc, so deleted content is collected). */
export function mergeState(state: StoredState): Uint8Array {
  // A fixed guid: the doc never syncs, and a random one is lib0's uuidv4, 31 crypto calls (slow in Node).
  const doc = new Y.Doc({ guid: 'merge' });
  doc.transact(() => {
    if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
    for (const update of state.updates) Y.applyUpdate(doc, update);
  });
  const merged = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return merged;
}
