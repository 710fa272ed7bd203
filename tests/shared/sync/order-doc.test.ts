import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  appendEvents,
  eventStamps,
  hasEvent,
  initOrderDoc,
  inspectUpdate,
  observeOrder,
  readEvents,
  readIntake,
} from '#shared/sync/order-doc.ts';
import { orderDocName, parseDocName } from '#shared/sync/doc-names.ts';
import { HOUR, T0, Writer, intake, payloads, users } from '../support/builders.ts';
import { updateFrom } from '../support/updates.ts';

function orderDoc() {
  const doc = new Y.Doc();
  initOrderDoc(doc, intake());
  const dispatch = new Writer(users.clerk, 1).write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
  appendEvents(doc, [dispatch]);
  return { doc, dispatch };
}

describe('order doc binding', () => {
  it('names docs and parses only well-formed names', () => {
    expect(parseDocName(orderDocName('o-1'))).toEqual({ kind: 'order', id: 'o-1' });
    expect(parseDocName('street:d1-s1')).toEqual({ kind: 'street', id: 'd1-s1' });
    for (const bad of ['order:', 'order', 'user:1', 'order:../x', 'grid:a b']) expect(parseDocName(bad)).toBeNull();
  });

  it('reads back the intake and events it wrote', () => {
    const { doc, dispatch } = orderDoc();
    expect(readIntake(doc)).toEqual({ ok: true, value: intake() });
    expect(readEvents(doc)).toEqual({ events: [dispatch], malformed: [] });
    expect(eventStamps(doc)).toEqual([dispatch.hlc]);
    expect(hasEvent(doc, dispatch.id)).toBe(true);
  });

  it('refuses to overwrite an intake, but accepts writing the same one again', () => {
    const { doc } = orderDoc();
    expect(() => initOrderDoc(doc, intake())).not.toThrow();
    expect(() => initOrderDoc(doc, intake({ title: '另一个标题' }))).toThrow(/different intake/);
  });

  it('appends an event once however often it is replayed', () => {
    const { doc, dispatch } = orderDoc();
    const accept = new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch]);
    expect(appendEvents(doc, [accept, dispatch])).toBe(1);
    expect(appendEvents(doc, [accept])).toBe(0);
    expect(readEvents(doc).events).toHaveLength(2);
  });

  it('reports malformed entries instead of throwing', () => {
    const { doc } = orderDoc();
    doc.getArray('events').push([{ id: 'x', type: 'accept' }]);
    const { events, malformed } = readEvents(doc);
    expect(events).toHaveLength(1);
    expect(malformed[0]?.index).toBe(1);
    expect(malformed[0]?.errors.map((e) => e.field)).toContain('id');
  });

  it('notifies observers with the transaction origin', () => {
    const { doc, dispatch } = orderDoc();
    const origins: unknown[] = [];
    const stop = observeOrder(doc, (origin) => origins.push(origin));
    appendEvents(doc, [new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch])], 'me');
    stop();
    appendEvents(doc, [new Writer(users.worker, 3).write({ type: 'progress', payload: { text: 'x' } }, T0 + HOUR, [dispatch])]);
    expect(origins).toEqual(['me']);
  });
});

describe('inspectUpdate', () => {
  it('sees an appended event and leaves the original doc untouched', () => {
    const { doc, dispatch } = orderDoc();
    const accept = new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch]);
    const update = updateFrom(doc, (copy) => appendEvents(copy, [accept]));
    const report = inspectUpdate(doc, update);
    expect(report).toMatchObject({ intakeChanged: false, removedEventIds: [], foreignTypes: [] });
    // Written after the dispatch, which the doc has.
    expect(report.added).toEqual([{ value: accept, after: { value: dispatch, added: false }, before: null }]);
    expect(readEvents(doc).events).toHaveLength(1);
  });

  it('sees a deleted event', () => {
    const { doc, dispatch } = orderDoc();
    const update = updateFrom(doc, (copy) => copy.getArray('events').delete(0, 1));
    expect(inspectUpdate(doc, update).removedEventIds).toEqual([dispatch.id]);
  });

  it('sees an event replaced by an edited copy', () => {
    const { doc, dispatch } = orderDoc();
    const update = updateFrom(doc, (copy) => {
      const events = copy.getArray('events');
      copy.transact(() => {
        events.delete(0, 1);
        events.insert(0, [{ ...dispatch, payload: { unitId: 'd1-s1-c1-g2', unitKind: 'grid' } }]);
      });
    });
    const report = inspectUpdate(doc, update);
    expect(report.removedEventIds).toEqual([dispatch.id]);
    expect(report.added).toHaveLength(1);
  });

  it('sees an edited intake and writes to other types', () => {
    const { doc } = orderDoc();
    const edit = updateFrom(doc, (copy) => copy.getMap('intake').set('data', { ...intake(), title: '改过的标题' }));
    expect(inspectUpdate(doc, edit).intakeChanged).toBe(true);
    const extraKey = updateFrom(doc, (copy) => copy.getMap('intake').set('note', 'x'));
    expect(inspectUpdate(doc, extraKey).foreignTypes).toEqual(['intake.note']);
    const foreign = updateFrom(doc, (copy) => copy.getMap('secrets').set('a', 1));
    expect(inspectUpdate(doc, foreign).foreignTypes).toEqual(['secrets']);
  });

  it('sees the intake of a new order', () => {
    const empty = new Y.Doc();
    const update = updateFrom(empty, (copy) => initOrderDoc(copy, intake()));
    expect(inspectUpdate(empty, update)).toMatchObject({ intakeChanged: false, intakeAfter: intake() });
  });

  it('flags an update that depends on content the doc does not have', () => {
    const { doc, dispatch } = orderDoc();
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const sv = Y.encodeStateVector(copy);
    const accept = new Writer(users.worker, 2).write({ type: 'accept', payload: {} }, T0 + HOUR, [dispatch]);
    appendEvents(copy, [accept]);
    const sv2 = Y.encodeStateVector(copy);
    const progress = new Writer(users.worker, 3).write({ type: 'progress', payload: { text: '到场' } }, T0 + 2 * HOUR, [dispatch, accept]);
    appendEvents(copy, [progress]);
    const second = Y.encodeStateAsUpdate(copy, sv2);
    expect(inspectUpdate(doc, second)).toMatchObject({ pending: true, added: [] });
    const both = inspectUpdate(doc, Y.encodeStateAsUpdate(copy, sv));
    expect(both.pending).toBe(false);
    // The second was written after the first, in the same update.
    expect(both.added).toEqual([
      { value: accept, after: { value: dispatch, added: false }, before: null },
      { value: progress, after: { value: accept, added: true }, before: null },
    ]);
  });
});
