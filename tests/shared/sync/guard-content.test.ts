/**
 * Nothing outside the schema is stored: the intake map holds exactly its one
 * key, `data`; the events array holds only events; an event, its payload and
 * an intake carry no field the schema does not name; an event is never
 * deleted, not even to put back an identical copy. Events stored before
 * these rules, with fields now unknown, still load and derive.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { buildOrgTree, type Unit } from '#shared/org/units.ts';
import { guardOrderUpdate } from '#shared/sync/guard.ts';
import { appendEvents, initOrderDoc, readEvents } from '#shared/sync/order-doc.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import type { User } from '#shared/org/roles.ts';
import { DAY, HOUR, T0, Writer, intake, payloads, users } from '../support/builders.ts';
import { updateFrom } from '../support/updates.ts';

const unit = (id: string, kind: Unit['kind'], parentId: string | null): Unit => ({ id, kind, name: id, parentId });
const tree = buildOrgTree([
  unit('city', 'city', null),
  unit('d1', 'district', 'city'),
  unit('d1-s1', 'street', 'd1'),
  unit('d1-s1-c1', 'community', 'd1-s1'),
  unit('d1-s1-c1-g1', 'grid', 'd1-s1-c1'),
]);
const ORDER = intake();
const NOW = T0 + 2 * HOUR;
const MB = 1024 * 1024;
const context = {
  now: NOW,
  clockSkewMs: 5 * 60_000,
  notBefore: NOW - 30 * DAY,
  orderCreatedAt: T0 - HOUR,
  limits: { eventMaxBytes: 64 * 1024, orderMaxBytes: 64 * MB, orderMaxEvents: 1000 },
  docBytes: 0,
};

function dispatchedDoc(): { doc: Y.Doc; dispatch: OrderEvent } {
  const doc = new Y.Doc();
  initOrderDoc(doc, ORDER);
  const dispatch = new Writer(users.clerk, 1).write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
  appendEvents(doc, [dispatch]);
  return { doc, dispatch };
}

const guard = (doc: Y.Doc, update: Uint8Array, user: User, orderId = ORDER.id) => guardOrderUpdate(doc, orderId, update, user, tree, context as never);
const progress = (dispatch: OrderEvent, seed = 2) => new Writer(users.worker, seed).write({ type: 'progress', payload: { text: '到场查看' } }, T0 + HOUR, [dispatch]);

describe('receipts a device sends back', () => {
  // The server's signature stands in as a fixed mark here; server/sync/receipt-signer.ts signs with a key.
  const signed = (eventId: string, at: number) => `${at}.sig-${eventId}`;
  const verifyReceipt = (eventId: string, value: unknown) => typeof value === 'string' && value.endsWith(`.sig-${eventId}`);
  const guardSigned = (doc: Y.Doc, update: Uint8Array) => guardOrderUpdate(doc, ORDER.id, update, users.worker, tree, { ...context, verifyReceipt } as never);

  it('accepts the server\'s signed receipt with the event it covers (a device resending after a restore), and says so', () => {
    const { doc, dispatch } = dispatchedDoc();
    const event = progress(dispatch);
    const update = updateFrom(doc, (c) => {
      appendEvents(c, [event]);
      c.getMap('received').set(event.id, signed(event.id, T0 + HOUR + 1000));
    });
    expect(guardSigned(doc, update)).toMatchObject({ ok: true, carriedReceipts: [event.id] });
  });

  it('refuses a receipt the server did not sign, one for no event of the order, one the doc already has, and any without a verifier', () => {
    const { doc, dispatch } = dispatchedDoc();
    const event = progress(dispatch);
    const forged = updateFrom(doc, (c) => {
      appendEvents(c, [event]);
      c.getMap('received').set(event.id, `${T0 + HOUR}.made-up`);
    });
    expect(guardSigned(doc, forged)).toMatchObject({ ok: false, refusal: { code: 'foreign_type', reason: expect.stringMatching(/did not sign/) } });
    const stray = updateFrom(doc, (c) => c.getMap('received').set('no-such-event', signed('no-such-event', T0)));
    expect(guardSigned(doc, stray)).toMatchObject({ ok: false, refusal: { code: 'foreign_type', reason: expect.stringMatching(/no event of this order/) } });
    doc.getMap('received').set(dispatch.id, signed(dispatch.id, T0));
    const again = updateFrom(doc, (c) => c.getMap('received').set(dispatch.id, signed(dispatch.id, T0 - 1)));
    expect(guardSigned(doc, again)).toMatchObject({ ok: false, refusal: { code: 'foreign_type' } });
    const plain = updateFrom(doc, (c) => {
      appendEvents(c, [event]);
      c.getMap('received').set(event.id, signed(event.id, T0 + HOUR));
    });
    expect(guard(doc, plain, users.worker)).toMatchObject({ ok: false, refusal: { code: 'foreign_type', reason: 'receipts are written by the server only' } });
  });
});

describe('the guard refuses content outside the schema', () => {
  it('refuses a megabyte under a key of the events array, or in the list part of the intake map', () => {
    const { doc, dispatch } = dispatchedDoc();
    const big = 'x'.repeat(MB);
    const eventsKey = updateFrom(doc, (c) => c.getMap('events').set('blob', big));
    expect(guard(doc, eventsKey, users.worker)).toMatchObject({ ok: false, refusal: { code: 'foreign_type' } });
    const intakeList = updateFrom(doc, (c) => c.getArray('intake').push([big]));
    expect(guard(doc, intakeList, users.worker)).toMatchObject({ ok: false, refusal: { code: 'foreign_type' } });
    // With a real event in the same update, still refused whole.
    const mixed = Y.mergeUpdates([updateFrom(doc, (c) => appendEvents(c, [progress(dispatch)])), eventsKey]);
    expect(guard(doc, mixed, users.worker)).toMatchObject({ ok: false, refusal: { code: 'foreign_type' } });
  });

  it('refuses text, binary or nested content in the events array, and writes to the server\'s receipts', () => {
    const { doc } = dispatchedDoc();
    expect(guard(doc, updateFrom(doc, (c) => c.getArray('events').insert(1, [new Uint8Array(10)])), users.worker)).toMatchObject({ ok: false });
    expect(guard(doc, updateFrom(doc, (c) => c.getArray('events').push([new Y.Map()])), users.worker)).toMatchObject({ ok: false, refusal: { code: 'foreign_type' } });
    expect(guard(doc, updateFrom(doc, (c) => c.getMap('received').set('anything', NOW)), users.worker)).toMatchObject({ ok: false, refusal: { code: 'foreign_type' } });
  });

  it('refuses an unknown field in an event, in its payload, deep in its payload and in a field report', () => {
    const { doc, dispatch } = dispatchedDoc();
    const event = progress(dispatch);
    const cases: [object, string][] = [
      [{ ...event, note: '附带' }, `events[${event.id}].note`],
      [{ ...event, payload: { ...event.payload, extra: 1 } }, `events[${event.id}].payload.extra`],
    ];
    const closePayload = payloads.close([]);
    const close = new Writer(users.worker, 3).write({ type: 'close', payload: closePayload }, T0 + HOUR, [dispatch]);
    cases.push([{ ...close, payload: { ...closePayload, contact: { ...closePayload.contact, secret: 'x' } } }, `events[${close.id}].payload.contact.secret`]);
    for (const [raw, field] of cases) {
      expect(guard(doc, updateFrom(doc, (c) => c.getArray('events').push([raw])), users.worker)).toMatchObject({ ok: false, refusal: { code: 'unknown_field', field } });
    }

    const empty = new Y.Doc();
    const report = { ...intake({ id: 'fr-1', orderNo: 'FR-0001', source: 'field_report', channel: 'field', reportedBy: users.worker.id }), device: 'x' };
    expect(guard(empty, updateFrom(empty, (c) => c.getMap('intake').set('data', report)), users.worker, 'fr-1')).toMatchObject({
      ok: false,
      refusal: { code: 'unknown_field', field: 'intake.device' },
    });
  });

  it('refuses an event with a 3 MB unknown field', () => {
    const { doc, dispatch } = dispatchedDoc();
    const event = { ...progress(dispatch), padding: 'x'.repeat(3 * MB) };
    expect(guard(doc, updateFrom(doc, (c) => c.getArray('events').push([event])), users.worker)).toMatchObject({ ok: false, refusal: { code: 'event_too_large' } });
  });

  it('refuses an event whose fields come from a forged prototype (a "__proto__" key in the update)', () => {
    const { doc, dispatch } = dispatchedDoc();
    const event = progress(dispatch);
    const forged = JSON.parse(`{"__proto__": ${JSON.stringify(event)}}`) as object;
    expect(guard(doc, updateFrom(doc, (c) => c.getArray('events').push([forged])), users.worker)).toMatchObject({ ok: false });
  });

  it('refuses deleting an event to insert an identical copy: that is a deletion', () => {
    const { doc, dispatch } = dispatchedDoc();
    const update = updateFrom(doc, (c) =>
      c.transact(() => {
        c.getArray('events').delete(0, 1);
        c.getArray('events').push([JSON.parse(JSON.stringify(dispatch))]);
      }),
    );
    expect(guard(doc, update, users.clerk)).toMatchObject({ ok: false, refusal: { code: 'event_removed' } });
    // A copy appended without deleting anything (a journal replay) is still accepted.
    expect(guard(doc, updateFrom(doc, (c) => c.getArray('events').push([JSON.parse(JSON.stringify(dispatch))])), users.clerk).ok).toBe(true);
  });

  it('still loads and derives events stored before these rules, with fields now unknown', () => {
    const doc = new Y.Doc();
    initOrderDoc(doc, ORDER);
    const dispatch = new Writer(users.clerk, 4).write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
    doc.getArray('events').push([{ ...dispatch, legacy: 'x'.repeat(1000), payload: { ...dispatch.payload, old: true } }]);
    const { events, malformed } = readEvents(doc);
    expect(malformed).toEqual([]);
    expect(events).toEqual([dispatch]);
    expect(deriveOrder(ORDER, events, NOW).status).toBe('dispatched');
  });
});
