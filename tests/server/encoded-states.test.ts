/**
 * The bulk read's kept encodings (server/sync/encoded-states.ts): a device is
 * never given a state older than what is stored or loaded, and the memory
 * they take stays under the bound.
 */
import { constants, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EncodedStates, KEPT_ENTRY_MIN_CHARS, type EncodedState } from '#server/sync/encoded-states.ts';
import { mergeState } from '#server/sync/merge-state.ts';

/** The doc's entry in the answer, read as a device reads it: the text's JSON, inflated first when kept compressed. */
async function entryOf(state: EncodedState): Promise<Record<string, { update: string }>> {
  const entry = await state.entry();
  const text = typeof entry === 'string' ? entry : inflateRawSync(entry.deflated, { finishFlush: constants.Z_SYNC_FLUSH }).toString();
  return JSON.parse(`{${text}}`) as Record<string, { update: string }>;
}

/** The orders of the state a device is given. */
async function entries(state: EncodedState): Promise<Record<string, unknown>> {
  const [{ update }] = Object.values(await entryOf(state)) as [{ update: string }];
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(update, 'base64'));
  return doc.getMap('orders').toJSON();
}

/** A doc's state as the store keeps it: a snapshot and the log after it. */
function stored(build: (map: Y.Map<unknown>) => void, more: ((map: Y.Map<unknown>) => void)[] = []) {
  const doc = new Y.Doc();
  const map = doc.getMap<unknown>('orders');
  build(map);
  const snapshot = Y.encodeStateAsUpdate(doc);
  const updates: Uint8Array[] = [];
  const onUpdate = (update: Uint8Array) => updates.push(update);
  doc.on('update', onUpdate);
  for (const change of more) change(map);
  doc.off('update', onUpdate);
  return { snapshot, updates };
}

describe('EncodedStates', () => {
  it('gives a stored doc’s merged state, and a new one as soon as anything more is stored', async () => {
    const states = new EncodedStates();
    const first = stored((m) => m.set('a', { n: 1 }), [(m) => m.set('b', { n: 2 })]);
    expect(await entries(states.ofStored('street:s1', first))).toEqual({ a: { n: 1 }, b: { n: 2 } });
    expect(states.ofStored('street:s1', first)).toBe(states.ofStored('street:s1', first));
    // Same doc, one log entry more (written by this instance or another one): merged again.
    const second = stored((m) => m.set('a', { n: 1 }), [(m) => m.set('b', { n: 2 }), (m) => m.delete('a')]);
    expect(await entries(states.ofStored('street:s1', second))).toEqual({ b: { n: 2 } });
    // Compacted into a snapshot: the same content.
    expect(await entries(states.ofStored('street:s1', { snapshot: mergeState(second), updates: [] }))).toEqual({ b: { n: 2 } });
    // Damaged bytes are not passed on: the read fails (the route answers storage_error), and nothing is kept.
    const damaged = { snapshot: new Uint8Array(64).fill(0xff), updates: [] };
    expect(() => states.ofStored('street:s2', damaged)).toThrow();
  });

  it('gives a loaded doc’s state, encoded again after any change, deletions too', async () => {
    const states = new EncodedStates();
    const doc = new Y.Doc();
    doc.getMap('orders').set('a', { n: 1 });
    const first = states.ofLive('street:s1', doc);
    expect(states.ofLive('street:s1', doc)).toBe(first);
    doc.getMap('orders').set('b', { n: 2 });
    expect(await entries(states.ofLive('street:s1', doc))).toEqual({ a: { n: 1 }, b: { n: 2 } });
    doc.getMap('orders').delete('a');
    expect(await entries(states.ofLive('street:s1', doc))).toEqual({ b: { n: 2 } });
  });

  it('keeps a doc at rest encoded and compressed once, across a reload and a fold; a change, a deletion too, is a new state', async () => {
    // A street's index as the bulk read meets it over a quiet half hour (bench/README.md, "First sync, part 17"):
    // read from the store, then loaded anew (the indexer's hold), then folded into a snapshot and let go.
    const states = new EncodedStates();
    const name = 'street:s1';
    const state = stored((m) => m.set('a', { n: 1, text: 'x'.repeat(KEPT_ENTRY_MIN_CHARS) }), [(m) => m.set('b', { n: 2 })]);
    const first = states.ofStored(name, state);
    const compressed = await first.entry();
    const loaded = () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state.snapshot);
      for (const update of state.updates) Y.applyUpdate(doc, update);
      return doc;
    };
    const live = loaded();
    expect(states.ofLive(name, live)).toBe(first);
    expect(states.ofLive(name, loaded())).toBe(first);
    // The fold of the loaded doc writes its encoding as the snapshot: known without merging it.
    expect(states.ofStored(name, { snapshot: Y.encodeStateAsUpdate(live), updates: [] })).toBe(first);
    // Any other stored form of the same content: merged, and still the same kept entry.
    expect(states.ofStored(name, { snapshot: mergeState({ snapshot: state.snapshot, updates: state.updates.slice(0, 1) }), updates: state.updates.slice(1) })).toBe(first);
    expect(await states.ofStored(name, state).entry()).toBe(compressed);
    // Changed: never the kept state. A deletion adds no item, only to the delete set.
    live.getMap('orders').delete('b');
    const deleted = states.ofLive(name, live);
    expect(deleted).not.toBe(first);
    expect(Object.keys(await entries(deleted))).toEqual(['a']);
    expect(states.ofStored(name, state)).not.toBe(deleted);
    expect(Object.keys(await entries(states.ofStored(name, state)))).toEqual(['a', 'b']);
    // Another doc's name never gets this one's entry, whatever it holds.
    expect(states.ofLive('street:s2', loaded())).not.toBe(first);
  });

  it('keeps the stored docs’ encodings under its bound, dropping the least recently used', async () => {
    const big = (id: string) => stored((m) => m.set(id, 'x'.repeat(2000)));
    const states = new EncodedStates(16_000);
    const docs = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ name: `street:${id}`, state: big(id) }));
    for (const { name, state } of docs) {
      states.ofStored(name, state);
      expect(states.bytes).toBeLessThanOrEqual(16_000);
    }
    expect(states.bytes).toBeGreaterThan(0);
    // Whatever was dropped is merged again, correctly.
    for (const { name, state } of docs) expect(Object.keys(await entries(states.ofStored(name, state)))).toEqual([name.slice('street:'.length)]);
  });

  it('compresses a large doc’s entry in the answer once per version: the next device’s answer is not compressed again', async () => {
    const states = new EncodedStates();
    const doc = new Y.Doc();
    doc.getMap('orders').set('a', { n: 1, text: 'x'.repeat(KEPT_ENTRY_MIN_CHARS) });
    const kept = async () => {
      const entry = await states.ofLive('street:s1', doc).entry();
      if (typeof entry === 'string') throw new Error('a large entry is kept compressed');
      return entry;
    };
    const first = await kept();
    expect(await kept()).toBe(first);
    expect(Object.keys(await entryOf(states.ofLive('street:s1', doc)))).toEqual(['street:s1']);
    expect(Object.keys(await entries(states.ofLive('street:s1', doc)))).toEqual(['a']);
    // Changed: a new entry, of the new state (never the one compressed before).
    doc.getMap('orders').set('b', { n: 2 });
    const second = await kept();
    expect(second).not.toBe(first);
    expect(Object.keys(await entries(states.ofLive('street:s1', doc)))).toEqual(['a', 'b']);
  });

  it('gives a small doc’s entry as text, to be compressed with its neighbours', async () => {
    const states = new EncodedStates();
    const state = states.ofStored('order:o1', stored((m) => m.set('a', { n: 1 })));
    expect(typeof state.entry()).toBe('string');
    expect(await entries(state)).toEqual({ a: { n: 1 } });
  });

  it('keeps a large stored doc’s compressed entry in place of its base64, within its bound', async () => {
    const big = (id: string) => stored((m) => m.set(id, `${id}:${'x'.repeat(KEPT_ENTRY_MIN_CHARS)}`));
    const bound = 12 * KEPT_ENTRY_MIN_CHARS;
    const states = new EncodedStates(bound);
    const held = states.ofStored('street:a', big('a'));
    const before = states.bytes;
    const entry = await held.entry();
    if (typeof entry === 'string') throw new Error('a large entry is kept compressed');
    expect(before).toBeGreaterThan(KEPT_ENTRY_MIN_CHARS);
    // The base64 let go: what is held is the compressed entry, a fraction of it.
    expect(states.bytes).toBe(entry.deflated.length);
    expect(states.bytes).toBeLessThan(before / 10);
    expect(Object.keys(await entries(held))).toEqual(['a']);
    for (const id of 'bcdefghijklmnop') {
      await states.ofStored(`street:${id}`, big(id)).entry();
      expect(states.bytes).toBeLessThanOrEqual(bound);
    }
  });
});
