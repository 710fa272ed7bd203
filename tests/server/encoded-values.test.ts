import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeOnce, keptEncoding } from '../../server/sync/encoded-values.ts';

/** A value like an index summary: strings (Chinese too), numbers, booleans, nulls, nested objects. */
function summaryLike(n: number): Record<string, unknown> {
  return {
    id: `o-${n}`,
    title: `凯旋路与株洲路交叉口东侧污水管道堵塞 ${n}`,
    eventCount: n,
    lastHlc: `0000001${n}:0000:dev`,
    closedAt: null,
    businessEnvironment: n % 2 === 0,
    urgency: 2,
    deadline: 1_733_500_000_000 + n,
    target: { unitId: 'grid-1', unitKind: 'grid' },
    callback: null,
  };
}

/** Three maps (grid, community, street) written the same value in one transaction each, as the indexer does; each doc's updates. */
function writeIntoThreeDocs(value: (n: number) => Record<string, unknown>): Uint8Array[] {
  const docs = ['grid', 'community', 'street'].map((_, i) => {
    const doc = new Y.Doc();
    doc.clientID = 100 + i;
    return doc;
  });
  const updates: Uint8Array[] = [];
  for (const doc of docs) doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let n = 1; n <= 3; n++) {
    const written = value(n);
    for (const doc of docs) doc.transact(() => doc.getMap('orders').set(`o-${n % 2}`, written));
  }
  for (const doc of docs) updates.push(Y.encodeStateAsUpdate(doc), Y.encodeStateAsUpdateV2(doc));
  return updates;
}

describe('a value encoded once (server/sync/encoded-values.ts)', () => {
  it('gives every update, state and V2 state the bytes that encoding it each time gives', () => {
    const plain = writeIntoThreeDocs(summaryLike);
    const marked = writeIntoThreeDocs((n) => encodeOnce(summaryLike(n)));
    expect(marked).toEqual(plain);
    // And a doc built from them reads the same values.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, marked[marked.length - 2]!);
    expect(doc.getMap('orders').get('o-1')).toEqual(summaryLike(3));
  });

  it('keeps the first encoding of a marked value and writes it for the value in other docs and later updates', () => {
    const value = encodeOnce(summaryLike(7));
    expect(keptEncoding(value)).toBeUndefined();
    const first = new Y.Doc();
    first.getMap('orders').set('o-7', value);
    Y.encodeStateAsUpdate(first);
    const kept = keptEncoding(value);
    expect(kept).toBeInstanceOf(Uint8Array);
    const second = new Y.Doc();
    second.getMap('orders').set('o-7', value);
    Y.encodeStateAsUpdate(second);
    expect(keptEncoding(value)).toBe(kept);
    // An unmarked value is never kept.
    const other = summaryLike(8);
    first.getMap('orders').set('o-8', other);
    Y.encodeStateAsUpdate(first);
    expect(keptEncoding(other)).toBeUndefined();
  });

  it('freezes a marked value, nested objects included, so its kept bytes cannot go stale', () => {
    const value = encodeOnce(summaryLike(9));
    expect(() => {
      (value as { title: string }).title = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (value.target as { unitId: string }).unitId = 'grid-2';
    }).toThrow(TypeError);
  });
});
