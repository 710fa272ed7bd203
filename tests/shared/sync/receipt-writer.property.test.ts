import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { newMapKeysUpdate } from '#shared/sync/map-keys-update.ts';
import { ORDER_LAYOUT, ReceiptWriter } from '#shared/sync/order-doc.ts';

/** The writer as it was: a shadow Y.Doc under the same client id, its `update` event the receipts' update. */
class ShadowDocWriter {
  private shadow: Y.Doc;

  constructor(
    private readonly doc: Y.Doc,
    private readonly client: () => number,
  ) {
    this.shadow = this.fresh();
  }

  record(entries: readonly (readonly [string, string])[]): Uint8Array | null {
    const live = this.doc.getMap(ORDER_LAYOUT.receipts);
    const map = this.shadow.getMap<string>(ORDER_LAYOUT.receipts);
    let update: Uint8Array | null = null;
    const capture = (bytes: Uint8Array) => {
      update = bytes;
    };
    this.shadow.on('update', capture);
    this.shadow.transact(() => {
      for (const [eventId, receipt] of entries) if (!live.has(eventId) && !map.has(eventId)) map.set(eventId, receipt);
    });
    this.shadow.off('update', capture);
    return update;
  }

  reset(): void {
    this.shadow = this.fresh();
  }

  private fresh(): Y.Doc {
    for (;;) {
      const shadow = new Y.Doc();
      shadow.clientID = this.client();
      if (Y.getState(this.doc.store, shadow.clientID) === 0) return shadow;
    }
  }
}

type Step = { readonly reset: true } | { readonly reset: false; readonly entries: readonly (readonly [string, string])[]; readonly applied: boolean };

const eventId = fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6', '事件-7', 'x'.repeat(200));
const receipt = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ reset: true as const }) },
  {
    weight: 6,
    arbitrary: fc.record({ reset: fc.constant(false as const), entries: fc.array(fc.tuple(eventId, receipt), { maxLength: 5 }), applied: fc.boolean() }),
  },
);
/** Client ids drawn in turn, across the whole varint range; the live doc's own id comes first and must be skipped. */
const clients = fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { minLength: 12, maxLength: 12 });

describe('ReceiptWriter (receipts encoded without a shadow doc)', () => {
  it('gives byte for byte the update a shadow doc of its client gives, and the live doc the same receipts', () => {
    fc.assert(
      fc.property(clients, fc.array(step, { maxLength: 12 }), (ids, steps) => {
        const live = new Y.Doc();
        live.clientID = ids[0]!;
        live.getMap(ORDER_LAYOUT.receipts).set('e1', 'written before');
        const reference = new Y.Doc();
        Y.applyUpdate(reference, Y.encodeStateAsUpdate(live));
        // Both draw the same ids, and skip those their doc holds (the live doc's own first).
        let drawn = 0;
        const writer = new ReceiptWriter(live, () => ids[drawn++ % ids.length]!);
        let drawnOld = 0;
        const old = new ShadowDocWriter(reference, () => ids[drawnOld++ % ids.length]!);
        for (const s of steps) {
          if (s.reset) {
            writer.reset();
            old.reset();
            continue;
          }
          const got = writer.record(s.entries);
          const expected = old.record(s.entries);
          expect(got).toEqual(expected);
          // Applied (the append succeeded) or not (it failed, and the server resets the writer: a later reset step).
          if (got !== null && s.applied) {
            Y.applyUpdate(live, got);
            Y.applyUpdate(reference, expected!);
          } else if (got !== null) {
            writer.reset();
            old.reset();
          }
        }
        expect(live.getMap(ORDER_LAYOUT.receipts).toJSON()).toEqual(reference.getMap(ORDER_LAYOUT.receipts).toJSON());
        // Nothing left pending: every update applied built on stored ones only.
        expect(live.store.pendingStructs).toBeNull();
      }),
      { numRuns: 400 },
    );
  });

  it('encodes the update of a doc that sets those keys, for any client id and clock', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 70_000 }), fc.uniqueArray(fc.tuple(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })), { minLength: 1, maxLength: 4, selector: ([key]) => key }), (client, clock, entries) => {
        const doc = new Y.Doc();
        doc.clientID = client;
        // `clock` items written before, under another root type.
        if (clock > 0) doc.getText('before').insert(0, 'x'.repeat(clock));
        let update: Uint8Array | null = null;
        doc.on('update', (bytes: Uint8Array) => {
          update = bytes;
        });
        doc.transact(() => {
          for (const [key, value] of entries) doc.getMap('m').set(key, value);
        });
        expect(newMapKeysUpdate('m', client, clock, entries)).toEqual(update);
      }),
      { numRuns: 200 },
    );
  });
});
