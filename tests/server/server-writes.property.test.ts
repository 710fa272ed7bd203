/**
 * The index docs' log entry built from the live doc and the transactions'
 * delete sets (`UnloggedWrites`) against what it replaced, `Y.mergeUpdates`
 * of the transactions' updates: applied to the doc as it was stored before
 * them, with other writers' updates applied before or after, both give the
 * same doc (state vector, delete set, content), and that is the live doc.
 */
import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnloggedWrites } from '../../server/sync/server-writes.ts';

type Op =
  | { readonly t: 'set'; readonly key: number; readonly value: number }
  | { readonly t: 'setMap'; readonly key: number; readonly value: number }
  | { readonly t: 'setNested'; readonly key: number; readonly value: number }
  | { readonly t: 'unset'; readonly key: number }
  | { readonly t: 'insert'; readonly at: number; readonly n: number }
  | { readonly t: 'remove'; readonly at: number; readonly n: number };

type Step = { readonly who: 'local' | 'peer'; readonly ops: readonly Op[] } | { readonly who: 'peerSync' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('set' as const), key: fc.nat(5), value: fc.nat(1000) }),
  fc.record({ t: fc.constant('setMap' as const), key: fc.nat(5), value: fc.nat(1000) }),
  fc.record({ t: fc.constant('setNested' as const), key: fc.nat(5), value: fc.nat(1000) }),
  fc.record({ t: fc.constant('unset' as const), key: fc.nat(5) }),
  fc.record({ t: fc.constant('insert' as const), at: fc.nat(20), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ t: fc.constant('remove' as const), at: fc.nat(20), n: fc.integer({ min: 1, max: 3 }) }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ who: fc.constant('local' as const), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ who: fc.constant('peer' as const), ops: fc.array(op, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ who: 'peerSync' as const }) },
);

function run(doc: Y.Doc, ops: readonly Op[]): void {
  const map = doc.getMap<unknown>('orders');
  const list = doc.getArray<number>('list');
  for (const o of ops) {
    const key = `k${'key' in o ? o.key : 0}`;
    if (o.t === 'set') map.set(key, { summary: `s${o.value}`, events: o.value });
    else if (o.t === 'setMap') map.set(key, new Y.Map<number>([['v', o.value]]));
    else if (o.t === 'setNested') {
      const nested = map.get(key);
      if (nested instanceof Y.Map) nested.set('v', o.value);
    } else if (o.t === 'unset') map.delete(key);
    else if (o.t === 'insert') list.insert(Math.min(o.at, list.length), Array.from({ length: o.n }, (_, i) => o.at * 10 + i));
    else if (list.length > 0) {
      const at = Math.min(o.at, list.length - 1);
      list.delete(at, Math.min(o.n, list.length - at));
    }
  }
}

function docFrom(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

function same(a: Y.Doc, b: Y.Doc): void {
  expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
  expect(Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b))).toBe(true);
  expect(a.getMap('orders').toJSON()).toEqual(b.getMap('orders').toJSON());
  expect(a.getArray('list').toJSON()).toEqual(b.getArray('list').toJSON());
}

describe('UnloggedWrites: the log entry of server-side writes', () => {
  it('gives the doc that Y.mergeUpdates of the same transactions gives', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 6 }), fc.array(step, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.boolean(), (history, pending, gc, fromUpdates) => {
        const server = new Y.Doc({ gc });
        const peer = new Y.Doc();
        const sync = () => {
          Y.applyUpdate(peer, Y.encodeStateAsUpdate(server, Y.encodeStateVector(peer)), 'server');
          Y.applyUpdate(server, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(server)), 'remote');
        };
        const apply = (s: Step) => {
          if (s.who === 'local') server.transact(() => run(server, s.ops), 'local');
          else if (s.who === 'peer') {
            peer.transact(() => run(peer, s.ops));
            sync();
          } else sync();
        };
        history.forEach(apply);
        const stored = Y.encodeStateAsUpdate(server);

        const writes = new UnloggedWrites(server);
        const updates: Uint8Array[] = [];
        const remotes: Uint8Array[] = [];
        let changed = false;
        // Noted from each transaction (afterTransaction), or from its update event with the update (DurableLog).
        server.on('afterTransaction', (tr: Y.Transaction) => {
          if (!fromUpdates && tr.origin === 'local') changed = writes.add(tr) || changed;
        });
        server.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
          (origin === 'local' ? updates : remotes).push(update);
          if (fromUpdates && origin === 'local') changed = writes.add(tr, update) || changed;
        });
        pending.forEach(apply);

        expect(changed).toBe(updates.length > 0);
        if (updates.length === 0) return;
        const entry = writes.encode();
        const merged = Y.mergeUpdates(updates);
        const viaMerge = docFrom([stored, ...remotes, merged]);
        same(docFrom([stored, ...remotes, entry]), viaMerge);
        same(docFrom([stored, entry, ...remotes]), viaMerge);
        same(server, viaMerge);
      }),
      { numRuns: 400 },
    );
  });

  // One transaction in the window is the usual case under load: its update, already encoded for Hocuspocus's broadcast,
  // is the entry (bench/README.md, "Fan-out, part 7"); a second one makes the entry be built from the doc again.
  it('is the transaction’s own update when one transaction was noted, and built from the doc once there are more', () => {
    const doc = new Y.Doc();
    const writes = new UnloggedWrites(doc);
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
      updates.push(update);
      writes.add(tr, update);
    });
    doc.getMap('orders').set('o-1', { eventCount: 1 });
    expect(writes.encode()).toBe(updates[0]);
    doc.getMap('orders').set('o-2', { eventCount: 1 });
    const entry = writes.encode();
    expect(entry).not.toBe(updates[0]);
    expect(entry).not.toBe(updates[1]);
    same(docFrom([entry]), doc);
  });
});
