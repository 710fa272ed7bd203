import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { deriveOrder } from '#shared/order/reducer.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { appendEvents, deriveOrderDoc, initOrderDoc, ORDER_LAYOUT, readEvents, receiptValue, receivedAtOf } from '#shared/sync/order-doc.ts';
import { DAY, HOUR, T0, Writer, intake, payloads, users } from '../support/builders.ts';
import { historyArb } from '../support/simulation.ts';

const order = intake();
const NOW = T0 + 3 * DAY;

/** Every event of one random history of several peers. */
const histories = historyArb(order, 80);

/** From scratch: what the indexer computed before it kept a fold. */
const fromScratch = (doc: Y.Doc) => deriveOrder(order, readEvents(doc).events, NOW, { receivedAt: receivedAtOf(doc) });

const receipt = (doc: Y.Doc, event: OrderEvent) => doc.getMap(ORDER_LAYOUT.receipts).set(event.id, receiptValue(event.at + 1000, 'sig'));

function newDoc(): Y.Doc {
  const doc = new Y.Doc();
  initOrderDoc(doc, order);
  return doc;
}

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

describe('deriveOrderDoc (the reducer folded on, per doc)', () => {
  it('gives what deriveOrder gives from scratch, for any arrival of the events and their receipts, across two replicas', () => {
    let incremental = 0;
    let refolded = 0;
    fc.assert(
      fc.property(
        histories,
        // Per event: when it arrives (a sort key: arrival is out of HLC order), at which replica, and its receipt: with it, later, never.
        fc.array(fc.tuple(fc.nat({ max: 1000 }), fc.boolean(), fc.constantFrom('with', 'later', 'never')), { minLength: 1, maxLength: 80 }),
        fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 30 }),
        (events, arrival, batchSizes) => {
          const plan = events
            .map((event, i) => ({ event, at: arrival[i % arrival.length]!, i }))
            .sort((a, b) => a.at[0] - b.at[0] || a.i - b.i)
            .map(({ event, at }) => ({ event, onB: at[1], receipt: at[2] }));
          const a = newDoc();
          const b = newDoc();
          sync(a, b);
          const lateReceipts: OrderEvent[] = [];
          let next = 0;
          for (let batch = 0; next < plan.length; batch++) {
            const size = (batchSizes[batch % batchSizes.length] ?? 0) + 1;
            const items = plan.slice(next, next + size);
            next += size;
            for (const { event, onB, receipt: when } of items) {
              const doc = onB ? b : a;
              appendEvents(doc, [event]);
              if (when === 'with') receipt(doc, event);
              else if (when === 'later') lateReceipts.push(event);
            }
            // Now and then a late receipt, and the replicas exchange what they have (concurrent appends land mid-array).
            if (batch % 2 === 1 && lateReceipts.length > 0) receipt(a, lateReceipts.shift()!);
            if (batch % 3 === 2) {
              sync(b, a);
              sync(a, b);
            }
            for (const doc of [a, b]) {
              const derived = deriveOrderDoc(doc, NOW)!;
              expect(derived.view).toEqual(fromScratch(doc));
              if (batch > 0) {
                if (derived.full) refolded += 1;
                else incremental += 1;
              }
            }
          }
        },
      ),
      { numRuns: 150 },
    );
    // Both paths were taken: folding on, and from the start when an event sorted before one folded.
    expect(incremental).toBeGreaterThan(100);
    expect(refolded).toBeGreaterThan(10);
  });

  it('folds on when events come in order, and from the start when one sorts before the last folded', () => {
    const doc = newDoc();
    const clerk = new Writer(users.clerk, 1);
    const worker = new Writer(users.worker, 2);
    const dispatch = clerk.write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    appendEvents(doc, [dispatch]);
    expect(deriveOrderDoc(doc, NOW)!.full).toBe(true);

    const accept = worker.write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch]);
    appendEvents(doc, [accept]);
    const onwards = deriveOrderDoc(doc, NOW)!;
    expect(onwards.full).toBe(false);
    expect(onwards.view.status).toBe('in_progress');
    expect(onwards.view).toEqual(fromScratch(doc));

    // Written offline before the accept (an earlier stamp), delivered after it.
    const offline = new Writer(users.worker2, 3).write({ type: 'progress', payload: { text: '离线时写的' } }, T0 + HOUR / 2, [dispatch]);
    expect(offline.hlc < accept.hlc).toBe(true);
    appendEvents(doc, [offline]);
    const refold = deriveOrderDoc(doc, NOW)!;
    expect(refold.full).toBe(true);
    expect(refold.view.timeline.map((t) => t.event.id)).toEqual([dispatch.id, offline.id, accept.id]);
    expect(refold.view).toEqual(fromScratch(doc));
  });

  it('folds from the start when a receipt comes for an event folded without one (its effective time moves)', () => {
    const doc = newDoc();
    const dispatch = new Writer(users.clerk, 1).write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    appendEvents(doc, [dispatch]);
    expect(deriveOrderDoc(doc, NOW)!.view.dispatchedAt).toBe(T0);
    doc.getMap(ORDER_LAYOUT.receipts).set(dispatch.id, receiptValue(T0 + HOUR, 'sig'));
    const after = deriveOrderDoc(doc, NOW)!;
    expect(after.full).toBe(true);
    expect(after.view.dispatchedAt).toBe(T0 + HOUR);
    expect(after.view).toEqual(fromScratch(doc));
  });

  it('hands out views the later folds do not change', () => {
    const doc = newDoc();
    const clerk = new Writer(users.clerk, 1);
    const dispatch = clerk.write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    appendEvents(doc, [dispatch]);
    const first = deriveOrderDoc(doc, NOW)!.view;
    const copy = structuredClone(first);
    appendEvents(doc, [new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch])]);
    expect(deriveOrderDoc(doc, NOW)!.full).toBe(false);
    expect(first).toEqual(copy);
  });
});
