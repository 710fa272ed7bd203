import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { appendEvents, initOrderDoc, readEvents, readIntake } from '#shared/sync/order-doc.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import type { User } from '#shared/org/roles.ts';
import { DAY, T0, intake } from '../support/builders.ts';
import { CAST, runSimulation, skewArb, stepArb, type Peer } from '../support/simulation.ts';

const order = intake();
const NOW = T0 + 3 * DAY;

/** A device holding the order as a Y.Doc; pulling sends only what the other lacks. */
class DocPeer implements Peer {
  readonly doc = new Y.Doc();
  /** Every update this doc produced, as a provider would send them. */
  readonly outbox: Uint8Array[] = [];
  constructor(
    readonly user: User,
    seedState: Uint8Array,
  ) {
    Y.applyUpdate(this.doc, seedState, 'seed');
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'local') this.outbox.push(update);
    });
  }
  events(): OrderEvent[] {
    const { events, malformed } = readEvents(this.doc);
    expect(malformed).toEqual([]);
    return events;
  }
  append(event: OrderEvent): void {
    appendEvents(this.doc, [event], 'local');
  }
  pullFrom(other: Peer): void {
    const source = (other as DocPeer).doc;
    Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(source, Y.encodeStateVector(this.doc)), 'remote');
  }
}

function createdOrder(): Uint8Array {
  const origin = new Y.Doc();
  initOrderDoc(origin, order);
  return Y.encodeStateAsUpdate(origin);
}

const runArb = fc.tuple(fc.array(stepArb(CAST.length), { minLength: 1, maxLength: 120, size: 'max' }), skewArb(CAST.length));

describe('order docs converge', () => {
  it('after random concurrent appends and a full exchange, every peer derives the same view', () => {
    fc.assert(
      fc.property(runArb, ([steps, skews]) => {
        const seed = createdOrder();
        const peers = CAST.map((user) => new DocPeer(user, seed));
        runSimulation(order, peers, steps, skews);
        for (const to of peers) for (const from of peers) to.pullFrom(from);

        const union = new Map<string, OrderEvent>();
        for (const peer of peers) for (const e of peer.events()) union.set(e.id, e);
        const expected = deriveOrder(order, [...union.values()], NOW);
        for (const peer of peers) {
          expect(readIntake(peer.doc)).toEqual({ ok: true, value: order });
          expect(deriveOrder(order, peer.events(), NOW)).toEqual(expected);
          expect(Y.encodeStateVector(peer.doc)).toEqual(Y.encodeStateVector(peers[0]!.doc));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('converges when the same updates arrive shuffled and duplicated, as over a flaky network', () => {
    fc.assert(
      fc.property(runArb, fc.array(fc.nat(), { minLength: 1, maxLength: 50 }), ([steps, skews], keys) => {
        const seed = createdOrder();
        const peers = CAST.map((user) => new DocPeer(user, seed));
        runSimulation(order, peers, steps, skews);
        const updates = peers.flatMap((p) => p.outbox);
        const shuffled = [...updates, ...updates.slice(0, keys.length)]
          .map((u, i) => ({ u, k: keys[i % keys.length]! * 10_000 + i }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.u);
        const late = new Y.Doc();
        Y.applyUpdate(late, seed);
        for (const update of shuffled) Y.applyUpdate(late, update);

        const union = new Map<string, OrderEvent>();
        for (const peer of peers) for (const e of peer.events()) union.set(e.id, e);
        const { events, malformed } = readEvents(late);
        expect(malformed).toEqual([]);
        expect(deriveOrder(order, events, NOW)).toEqual(deriveOrder(order, [...union.values()], NOW));
      }),
      { numRuns: 60 },
    );
  });
});
