/**
 * The fold thread (server/sync/fold-thread.ts, on server/helper-thread.ts):
 * a real worker folds a document as the event loop would, and once the
 * thread is gone every fold still runs, here.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { FoldThread } from '../../server/sync/fold-thread.ts';
import { mergeState, type StoredState } from '../../server/sync/merge-state.ts';

/** A snapshot and three log entries of a doc with a list and a map. */
function storedState(): StoredState {
  const doc = new Y.Doc({ guid: 'fold-test' });
  doc.clientID = 7;
  const updates: Uint8Array[] = [];
  doc.getArray<string>('events').push(['受理']);
  const snapshot = Y.encodeStateAsUpdate(doc);
  doc.on('update', (update: Uint8Array) => updates.push(update));
  doc.getArray<string>('events').push(['派单']);
  doc.getMap<string>('receipts').set('e1', 'ok');
  doc.getArray<string>('events').delete(0, 1);
  return { snapshot, updates };
}

const contents = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return { events: doc.getArray('events').toJSON(), receipts: doc.getMap('receipts').toJSON() };
};

describe('FoldThread', () => {
  it('folds in a worker thread to the same document as a fold on the event loop', async () => {
    const thread = new FoldThread();
    try {
      const state = storedState();
      const [a, b] = await Promise.all([thread.merge(state), thread.merge(state)]);
      expect(contents(a)).toEqual({ events: ['派单'], receipts: { e1: 'ok' } });
      expect(contents(b)).toEqual(contents(mergeState(state)));
      expect(thread.completed).toBe(2);
    } finally {
      await thread.close();
    }
  });

  it('still folds, on the event loop, once the thread is closed', async () => {
    const thread = new FoldThread();
    await thread.merge(storedState());
    expect(thread.completed).toBe(1);
    await thread.close();
    expect(contents(await thread.merge(storedState()))).toEqual({ events: ['派单'], receipts: { e1: 'ok' } });
  });
});
