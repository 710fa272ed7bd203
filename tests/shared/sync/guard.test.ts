import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { buildOrgTree, type Unit } from '#shared/org/units.ts';
import { DEFAULT_WRITE_LIMITS, guardOrderUpdate as guardWith, type GuardContext } from '#shared/sync/guard.ts';
import { appendEvents, initOrderDoc } from '#shared/sync/order-doc.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { DAY, HOUR, T0, Writer, intake, payloads, users } from '../support/builders.ts';
import { updateFrom } from '../support/updates.ts';

const unit = (id: string, kind: Unit['kind'], parentId: string | null): Unit => ({ id, kind, name: id, parentId });
const tree = buildOrgTree([
  unit('city', 'city', null),
  unit('d1', 'district', 'city'),
  unit('d1-s1', 'street', 'd1'),
  unit('d1-s1-c1', 'community', 'd1-s1'),
  unit('d1-s1-c1-g1', 'grid', 'd1-s1-c1'),
  unit('d1-s1-c1-g2', 'grid', 'd1-s1-c1'),
  unit('d1-s2', 'street', 'd1'),
  unit('d1-s2-c1', 'community', 'd1-s2'),
  unit('d1-s2-c1-g1', 'grid', 'd1-s2-c1'),
]);
const ORDER = intake();
/** The server two hours after T0, the order created an hour before it (the time rules: guard-time.test.ts). */
const context: GuardContext = { now: T0 + 2 * HOUR, clockSkewMs: 5 * 60_000, notBefore: T0 - 30 * DAY, orderCreatedAt: T0 - HOUR, limits: DEFAULT_WRITE_LIMITS, docBytes: 0 };
const guardOrderUpdate = (doc: Y.Doc, orderId: string, update: Uint8Array, user: Parameters<typeof guardWith>[3], tree: Parameters<typeof guardWith>[4]) =>
  guardWith(doc, orderId, update, user, tree, context);

function dispatchedDoc(): { doc: Y.Doc; dispatch: OrderEvent } {
  const doc = new Y.Doc();
  initOrderDoc(doc, ORDER);
  const dispatch = new Writer(users.clerk, 1).write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
  appendEvents(doc, [dispatch]);
  return { doc, dispatch };
}

describe('guardOrderUpdate', () => {
  it('refuses a dispatch to a unit outside the writer\'s scope, unknown, or of another kind, naming the field', () => {
    const { doc } = dispatchedDoc();
    const redispatch = (payload: { unitId: string; unitKind: 'grid' | 'community' | 'street' }) => {
      const event = new Writer(users.community, 9).write({ type: 'dispatch', payload }, T0 + HOUR);
      return { event, result: guardOrderUpdate(doc, ORDER.id, updateFrom(doc, (c) => appendEvents(c, [event])), users.community, tree) };
    };
    const away = redispatch({ unitId: 'd1-s2-c1-g1', unitKind: 'grid' });
    expect(away.result).toMatchObject({ ok: false, refusal: { code: 'target_out_of_scope', field: `events[${away.event.id}].payload.unitId` } });
    expect(redispatch({ unitId: 'no-such-grid', unitKind: 'grid' }).result).toMatchObject({ refusal: { code: 'unknown_unit' } });
    const kind = redispatch({ unitId: 'd1-s1-c1', unitKind: 'grid' });
    expect(kind.result).toMatchObject({ refusal: { code: 'wrong_unit_kind', field: `events[${kind.event.id}].payload.unitKind` } });
    expect(redispatch({ unitId: 'd1-s1-c1-g2', unitKind: 'grid' }).result.ok).toBe(true);
  });

  it('accepts events the connected user wrote in their own name and role', () => {
    const { doc, dispatch } = dispatchedDoc();
    const accept = new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch]);
    const result = guardOrderUpdate(doc, ORDER.id, updateFrom(doc, (c) => appendEvents(c, [accept])), users.worker, tree);
    expect(result).toEqual({ ok: true, events: [accept], appended: 1, created: null, carriedReceipts: [] });
  });

  it('does not refuse an event that is only invalid where it lands: that is a conflict for the reducer', () => {
    const { doc, dispatch } = dispatchedDoc();
    const close = new Writer(users.otherGridWorker, 3).write({ type: 'close', payload: payloads.close() }, T0 + HOUR, [dispatch]);
    expect(guardOrderUpdate(doc, ORDER.id, updateFrom(doc, (c) => appendEvents(c, [close])), users.otherGridWorker, tree).ok).toBe(true);
  });

  it('refuses an event written in someone else\'s name, role or unit', () => {
    const { doc, dispatch } = dispatchedDoc();
    const accept = new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch]);
    const update = updateFrom(doc, (c) => appendEvents(c, [accept]));
    expect(guardOrderUpdate(doc, ORDER.id, update, users.worker2, tree)).toMatchObject({
      ok: false,
      refusal: { code: 'wrong_actor', field: `events[${accept.id}].actor` },
    });
    const asClerkRole = { ...accept, role: 'street_clerk' as const };
    expect(guardOrderUpdate(doc, ORDER.id, updateFrom(doc, (c) => appendEvents(c, [asClerkRole])), users.worker, tree)).toMatchObject({
      ok: false,
      refusal: { code: 'wrong_role' },
    });
    const otherUnit = { ...accept, unit: 'd1-s1-c1-g2' };
    expect(guardOrderUpdate(doc, ORDER.id, updateFrom(doc, (c) => appendEvents(c, [otherUnit])), users.worker, tree)).toMatchObject({
      ok: false,
      refusal: { code: 'wrong_unit' },
    });
  });

  it('refuses an event type the role may never write', () => {
    const { doc, dispatch } = dispatchedDoc();
    const review = new Writer(users.worker, 2).write({ type: 'review_pass', payload: {} }, T0 + HOUR, [dispatch]);
    expect(guardOrderUpdate(doc, ORDER.id, updateFrom(doc, (c) => appendEvents(c, [review])), users.worker, tree)).toMatchObject({
      ok: false,
      refusal: { code: 'forbidden_type', field: `events[${review.id}].type` },
    });
  });

  it('refuses a deleted or edited event, an edited intake and writes to other types', () => {
    const { doc, dispatch } = dispatchedDoc();
    const cases: [string, (c: Y.Doc) => void][] = [
      ['event_removed', (c) => c.getArray('events').delete(0, 1)],
      [
        'event_removed',
        (c) =>
          c.transact(() => {
            c.getArray('events').delete(0, 1);
            c.getArray('events').insert(0, [{ ...dispatch, payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }]);
          }),
      ],
      ['intake_changed', (c) => c.getMap('intake').set('data', { ...ORDER, title: '改过的标题' })],
      ['foreign_type', (c) => c.getMap('intake').set('note', 'x')],
      ['foreign_type', (c) => c.getMap('secrets').set('a', 1)],
    ];
    for (const [code, change] of cases) {
      expect(guardOrderUpdate(doc, ORDER.id, updateFrom(doc, change), users.clerk, tree)).toMatchObject({ ok: false, refusal: { code } });
    }
  });

  it('refuses a malformed event and names the field', () => {
    const { doc, dispatch } = dispatchedDoc();
    const progress = new Writer(users.worker, 2).write({ type: 'progress', payload: { text: '到场' } }, T0 + HOUR, [dispatch]);
    const bad = { ...progress, payload: { text: 42 } };
    expect(guardOrderUpdate(doc, ORDER.id, updateFrom(doc, (c) => c.getArray('events').push([bad])), users.worker, tree)).toMatchObject({
      ok: false,
      refusal: { code: 'invalid_event', field: `events[${progress.id}].payload.text` },
    });
  });

  it('refuses a new event under a known id, but lets an identical replay through', () => {
    const { doc, dispatch } = dispatchedDoc();
    const replay = updateFrom(doc, (c) => c.getArray('events').push([JSON.parse(JSON.stringify(dispatch))]));
    expect(guardOrderUpdate(doc, ORDER.id, replay, users.clerk, tree).ok).toBe(true);
    const accept = new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch]);
    const squat = { ...accept, id: dispatch.id };
    expect(guardOrderUpdate(doc, ORDER.id, updateFrom(doc, (c) => c.getArray('events').push([squat])), users.worker, tree)).toMatchObject({
      ok: false,
      refusal: { code: 'duplicate_event_id' },
    });
  });

  it('lets a worker create a field report in their grid, and nothing else', () => {
    const empty = new Y.Doc();
    const report = intake({ id: 'fr-1', orderNo: 'FR-0001', source: 'field_report', channel: 'field', reportedBy: users.worker.id });
    const create = (i: ReturnType<typeof intake>) => updateFrom(empty, (c) => initOrderDoc(c, i));
    expect(guardOrderUpdate(empty, 'fr-1', create(report), users.worker, tree)).toEqual({ ok: true, events: [], appended: 0, created: report, carriedReceipts: [] });
    expect(guardOrderUpdate(empty, 'fr-1', create(report), users.otherGridWorker, tree)).toMatchObject({ refusal: { code: 'not_reporter' } });
    const elsewhere = { ...report, reportedBy: users.otherGridWorker.id };
    expect(guardOrderUpdate(empty, 'fr-1', create(elsewhere), users.otherGridWorker, tree)).toMatchObject({
      refusal: { code: 'place_out_of_scope' },
    });
    expect(guardOrderUpdate(empty, 'fr-2', create(report), users.worker, tree)).toMatchObject({ refusal: { code: 'wrong_order_id' } });
    const hotline = intake({ id: 'fr-1' });
    expect(guardOrderUpdate(empty, 'fr-1', create(hotline), users.worker, tree)).toMatchObject({ refusal: { code: 'not_field_report' } });
    const nowhere = { ...report, place: { ...report.place, gridId: 'nowhere' } };
    expect(guardOrderUpdate(empty, 'fr-1', create(nowhere), users.worker, tree)).toMatchObject({
      refusal: { code: 'invalid_intake', field: 'intake.place.gridId' },
    });
    const accept = new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR);
    expect(guardOrderUpdate(empty, 'fr-1', updateFrom(empty, (c) => appendEvents(c, [accept])), users.worker, tree)).toMatchObject({
      refusal: { code: 'no_intake' },
    });
  });

  it('refuses bytes that are not an update, and updates that build on unknown content', () => {
    const { doc, dispatch } = dispatchedDoc();
    expect(guardOrderUpdate(doc, ORDER.id, new Uint8Array([1, 2, 3, 200, 7]), users.worker, tree)).toMatchObject({ ok: false });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    appendEvents(copy, [new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch])]);
    const sv = Y.encodeStateVector(copy);
    appendEvents(copy, [new Writer(users.worker, 3).write({ type: 'progress', payload: { text: 'x' } }, T0 + 2 * HOUR, [dispatch])]);
    expect(guardOrderUpdate(doc, ORDER.id, Y.encodeStateAsUpdate(copy, sv), users.worker, tree)).toMatchObject({
      refusal: { code: 'missing_dependencies' },
    });
  });
});
