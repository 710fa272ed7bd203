/**
 * Two instances writing one index doc (shared/sync/index-entries.ts): whatever
 * the order their writes cross in, both copies end with the entry of the most
 * events, and the rewrites stop. Each writer is a Y.Doc of its own with a
 * relay that delivers its updates to the other in order (as Redis does per
 * publisher), at any point of the run.
 */
import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OwnEntries } from '#shared/sync/index-entries.ts';

interface Entry {
  readonly eventCount: number;
  /** Who wrote it and when: two entries of one count may differ (as a merged order's can). */
  readonly by: string;
}

const LOCAL = 'local';

class Writer {
  readonly doc = new Y.Doc();
  readonly map: Y.Map<Entry>;
  readonly own = new OwnEntries<Entry>();
  /** This writer's updates not yet delivered to the other. */
  readonly outbox: Uint8Array[] = [];
  private readonly again: [string, Entry][] = [];

  constructor(clientId: number, rewrite = true) {
    this.doc.clientID = clientId;
    this.map = this.doc.getMap<Entry>('orders');
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOCAL) this.outbox.push(update);
    });
    if (rewrite) this.own.watch(this.map, (entries) => this.again.push(...entries));
  }

  write(key: string, entry: Entry): void {
    this.doc.transact(() => this.own.set(this.map, key, entry), LOCAL);
  }

  /** Apply `count` of `from`'s waiting updates, then write again what the watch asked for (IndexWrites' next batch). */
  receive(from: Writer, count: number): void {
    for (const update of from.outbox.splice(0, count)) Y.applyUpdate(this.doc, update, 'relay');
    const again = this.again.splice(0);
    for (const [key, entry] of again) this.write(key, entry);
  }
}

const KEYS = ['o1', 'o2'];
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), writer: fc.nat(1), key: fc.constantFrom(...KEYS), count: fc.nat(8) }),
  fc.record({ kind: fc.constant('deliver' as const), writer: fc.nat(1), count: fc.integer({ min: 1, max: 4 }) }),
);

/** Deliver everything both ways until nothing is left; the number of rounds it took. */
function drain(writers: readonly Writer[]): number {
  let rounds = 0;
  while (writers.some((w) => w.outbox.length > 0)) {
    rounds += 1;
    if (rounds > 50) throw new Error('rewrites did not stop');
    writers[1]!.receive(writers[0]!, writers[0]!.outbox.length);
    writers[0]!.receive(writers[1]!, writers[1]!.outbox.length);
  }
  return rounds;
}

describe('index entries written by two instances', () => {
  it('converge on both copies to the entry of the most events, whatever the interleaving and the Yjs client ids', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { minLength: 2, maxLength: 2 }), fc.array(stepArb, { maxLength: 40 }), (ids, steps) => {
        const writers = [new Writer(ids[0]!), new Writer(ids[1]!)];
        const most = new Map<string, number>();
        for (const [i, step] of steps.entries()) {
          const writer = writers[step.writer]!;
          if (step.kind === 'write') {
            writer.write(step.key, { eventCount: step.count, by: `${step.writer}@${i}` });
            most.set(step.key, Math.max(most.get(step.key) ?? 0, step.count));
          } else {
            writers[1 - step.writer]!.receive(writer, step.count);
          }
        }
        // At most a round of rewrites each way after the last write.
        expect(drain(writers)).toBeLessThanOrEqual(3);
        expect(writers[0]!.map.toJSON()).toEqual(writers[1]!.map.toJSON());
        for (const [key, count] of most) expect(writers[0]!.map.get(key)?.eventCount, key).toBe(count);
      }),
      { numRuns: 500 },
    );
  });

  it('without the rewrite, the older of two crossing writes stays when its writer has the higher client id', () => {
    const run = (rewrite: boolean) => {
      const older = new Writer(2, rewrite);
      const newer = new Writer(1, rewrite);
      older.write('o1', { eventCount: 4, by: 'older' });
      newer.write('o1', { eventCount: 7, by: 'newer' });
      drain([older, newer]);
      return [older.map.get('o1')?.eventCount, newer.map.get('o1')?.eventCount];
    };
    expect(run(false)).toEqual([4, 4]);
    expect(run(true)).toEqual([7, 7]);
  });

  it('does not bring back an entry another writer removed', () => {
    const a = new Writer(1);
    const b = new Writer(2);
    a.write('o1', { eventCount: 3, by: 'a' });
    drain([a, b]);
    b.write('o1', { eventCount: 5, by: 'b' });
    b.doc.transact(() => b.own.set(b.map, 'o1', null), LOCAL);
    drain([a, b]);
    expect(a.map.has('o1')).toBe(false);
    expect(b.map.has('o1')).toBe(false);
  });
});
