import * as Y from 'yjs';

/** The update `change` makes to a copy of `doc`: what a client holding `doc` would send. `doc` is not touched. */
export function updateFrom(doc: Y.Doc, change: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  change(copy);
  return Y.encodeStateAsUpdate(copy, before);
}
