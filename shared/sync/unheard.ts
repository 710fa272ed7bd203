/**
 * Changes applied to a Y.Doc without its `update` listeners. Yjs encodes a
 * transaction as an update only for those listeners, so a large state applied
 * with one attached (Hocuspocus' Document, y-indexeddb, a provider) is encoded
 * whole once more just to hand it over; where the caller already holds those
 * bytes or nobody needs them, this skips that encode (bench/README.md, "Back
 * online, part 4" for the server's doc loads, "First sync, part 7" for the
 * PWA's bulk read).
 *
 * It reaches into lib0's Observable (`_observers`), which Yjs' types expose; an
 * upgrade that changes it fails tests/server/doc-load-broadcast.test.ts and the
 * bulk-read case of tests/shared/client/sync.test.ts.
 */
import type * as Y from 'yjs';

export function withoutUpdateListeners(doc: Y.Doc, apply: () => void): void {
  const listeners = doc._observers.get('update');
  doc._observers.delete('update');
  try {
    apply();
  } finally {
    if (listeners !== undefined) doc._observers.set('update', listeners);
  }
}
