/**
 * The guard bounds the times a client writes by what the server knows
 * (docs/THREAT-MODEL.md, "Time and content written by clients"): no later
 * than its own clock plus a small skew; no earlier than what the writer had
 * already seen — events of others it wrote after, by the time the server
 * received them, and the order's creation — nor than its session allows; an
 * HLC stamp at or after the event's own time and above the stamps it was
 * written after; a sane server offset. A device offline for days is still
 * believed: its events follow what it had.
 */
import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHlc } from '#shared/clock/hlc.ts';
import { buildOrgTree, type Unit } from '#shared/org/units.ts';
import { guardOrderUpdate } from '#shared/sync/guard.ts';
import { appendEvents, initOrderDoc } from '#shared/sync/order-doc.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import type { User } from '#shared/org/roles.ts';
import { DAY, HOUR, T0, Writer, intake, payloads, users } from '../support/builders.ts';
import { updateFrom } from '../support/updates.ts';

const MINUTE = 60_000;
const unit = (id: string, kind: Unit['kind'], parentId: string | null): Unit => ({ id, kind, name: id, parentId });
const tree = buildOrgTree([
  unit('city', 'city', null),
  unit('d1', 'district', 'city'),
  unit('d1-s1', 'street', 'd1'),
  unit('d1-s1-c1', 'community', 'd1-s1'),
  unit('d1-s1-c1-g1', 'grid', 'd1-s1-c1'),
]);
const ORDER = intake();
const SKEW = 5 * MINUTE;

/** What the server knows when it guards an update (numbers, so the test reads as the rule). */
function context(now: number, overrides: Record<string, unknown> = {}) {
  return {
    now,
    clockSkewMs: SKEW,
    notBefore: now - 30 * DAY,
    orderCreatedAt: T0 - HOUR,
    limits: { eventMaxBytes: 64 * 1024, orderMaxBytes: 4 * 1024 * 1024, orderMaxEvents: 1000 },
    docBytes: 0,
    ...overrides,
  };
}

/** The server's doc: events appended as they arrived, each with the time the server received it. */
class ServerDoc {
  readonly doc = new Y.Doc();
  constructor() {
    initOrderDoc(this.doc, ORDER);
  }
  receive(event: OrderEvent, at: number): void {
    appendEvents(this.doc, [event]);
    this.doc.getMap('received').set(event.id, at);
  }
  events(): OrderEvent[] {
    return this.doc.getArray<OrderEvent>('events').toArray();
  }
  /** What a client appending `events` after everything it has would send. */
  append(...events: OrderEvent[]): Uint8Array {
    return updateFrom(this.doc, (copy) => appendEvents(copy, events));
  }
}

const guard = (server: ServerDoc, update: Uint8Array, user: User, now: number, overrides: Record<string, unknown> = {}) =>
  guardOrderUpdate(server.doc, ORDER.id, update, user, tree, context(now, overrides) as never);

/** Dispatched at T0 and accepted at T0 + 10 min, then 16 events of the worker a minute apart, each received as written. */
function workedOrder(): { server: ServerDoc; clerk: Writer; worker: Writer; dispatch: OrderEvent; accept: OrderEvent } {
  const server = new ServerDoc();
  const clerk = new Writer(users.clerk, 1);
  const worker = new Writer(users.worker, 2);
  const dispatch = clerk.write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0, server.events());
  server.receive(dispatch, T0);
  const accept = worker.write({ type: 'accept', payload: {} }, T0 + 10 * MINUTE, server.events());
  server.receive(accept, T0 + 10 * MINUTE);
  for (let i = 1; i <= 16; i++) {
    const event = worker.write({ type: 'progress', payload: { text: `第 ${i} 次跟进` } }, T0 + (10 + i) * MINUTE, server.events());
    server.receive(event, event.at);
  }
  return { server, clerk, worker, dispatch, accept };
}

describe('the guard bounds the times a client writes', () => {
  it('refuses a time or a stamp later than the server clock plus the skew: the year 2999', () => {
    const { server, worker } = workedOrder();
    const now = T0 + HOUR;
    const future = worker.write({ type: 'progress', payload: { text: '未来' } }, Date.UTC(2999, 0, 1), server.events());
    expect(guard(server, server.append(future), users.worker, now)).toMatchObject({ ok: false, refusal: { code: 'time_in_future', field: `events[${future.id}].at` } });

    const stampOnly = { ...new Writer(users.worker, 3).write({ type: 'progress', payload: { text: '戳' } }, now, server.events()), hlc: encodeHlc({ wall: Date.UTC(2999, 0, 1), counter: 0, node: 'dev-grid1' }) };
    expect(guard(server, server.append(stampOnly), users.worker, now)).toMatchObject({ ok: false, refusal: { code: 'time_in_future', field: `events[${stampOnly.id}].hlc` } });

    // Within the skew: a phone a few minutes fast is fine.
    const fast = new Writer(users.worker, 4).write({ type: 'progress', payload: { text: '快' } }, now + SKEW - 1000, server.events());
    expect(guard(server, server.append(fast), users.worker, now).ok).toBe(true);
  });

  it('refuses a time before the writer\'s session allows (the year 2000) and a stamp before its own time (1970)', () => {
    const { server } = workedOrder();
    const now = T0 + HOUR;
    const old = new Writer(users.worker, 5).write({ type: 'progress', payload: { text: '旧' } }, Date.UTC(2000, 0, 2), server.events());
    expect(guard(server, server.append(old), users.worker, now)).toMatchObject({ ok: false, refusal: { code: 'time_too_old', field: `events[${old.id}].at` } });

    const event = new Writer(users.worker, 6).write({ type: 'progress', payload: { text: '戳' } }, now, server.events());
    const epoch = { ...event, hlc: encodeHlc({ wall: 0, counter: 0, node: 'dev-grid1' }) };
    expect(guard(server, server.append(epoch), users.worker, now)).toMatchObject({ ok: false, refusal: { code: 'hlc_out_of_order', field: `events[${epoch.id}].hlc` } });
  });

  it('refuses a server offset outside a year either way (9e15 was acknowledged)', () => {
    const { server } = workedOrder();
    const now = T0 + HOUR;
    const event = new Writer(users.worker, 7).write({ type: 'progress', payload: { text: '偏移' } }, now, server.events());
    for (const offset of [9e15, -400 * DAY]) {
      const odd = { ...event, serverOffsetMs: offset };
      expect(guard(server, server.append(odd), users.worker, now)).toMatchObject({ ok: false, refusal: { code: 'offset_out_of_range', field: `events[${event.id}].serverOffsetMs` } });
    }
    expect(guard(server, server.append({ ...event, serverOffsetMs: -3 * HOUR }), users.worker, now).ok).toBe(true);
  });

  it('refuses a dispatch stamped before the worker\'s accept and events its writer had already received', () => {
    const { server, dispatch, accept } = workedOrder();
    const now = T0 + HOUR;
    // The clerk's doc holds all 18 events; its redispatch is appended after the last one, but claims a time before the accept.
    const backdated = new Writer(users.clerk, 8).write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, accept.at - MINUTE, [dispatch]);
    expect(guard(server, server.append(backdated), users.clerk, now)).toMatchObject({ ok: false, refusal: { code: 'time_before_seen', field: `events[${backdated.id}].at` } });

    // A time within the skew of what it saw, but a stamp that sorts it before the accept …
    const last = server.events().at(-1)!;
    const stamped = new Writer(users.clerk, 9).write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, last.at - MINUTE, [dispatch]);
    const beforeAccept = { ...stamped, hlc: encodeHlc({ wall: accept.at - MINUTE, counter: 0, node: 'dev-clerk1' }) };
    expect(beforeAccept.hlc < accept.hlc).toBe(true);
    expect(guard(server, server.append(beforeAccept), users.clerk, now)).toMatchObject({ ok: false, refusal: { code: 'hlc_out_of_order', field: `events[${stamped.id}].hlc` } });
    // … or only before the last event it was written after.
    expect(stamped.hlc < last.hlc).toBe(true);
    expect(guard(server, server.append(stamped), users.clerk, now)).toMatchObject({ ok: false, refusal: { code: 'hlc_out_of_order', field: `events[${stamped.id}].hlc` } });

    // Stamped after everything it had, the same redispatch is accepted.
    const honest = new Writer(users.clerk, 10).write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, now, server.events());
    expect(guard(server, server.append(honest), users.clerk, now).ok).toBe(true);
  });

  it('refuses an event before the order existed on the server, except its reporter\'s', () => {
    const { server } = workedOrder();
    const now = T0 + HOUR;
    const fresh = new ServerDoc();
    const early = new Writer(users.clerk, 11).write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 - 2 * HOUR, []);
    expect(guard(fresh, fresh.append(early), users.clerk, now)).toMatchObject({ ok: false, refusal: { code: 'time_before_seen' } });
    expect(guard(server, server.append(early), users.clerk, now)).toMatchObject({ ok: false });

    // A field report's worker wrote on the device before the report reached the server.
    const report = new Y.Doc();
    initOrderDoc(report, intake({ source: 'field_report', channel: 'field', reportedBy: users.worker.id }));
    const note = new Writer(users.worker, 12).write({ type: 'progress', payload: { text: '上报前的记录' } }, T0 - 2 * HOUR, []);
    const update = updateFrom(report, (copy) => appendEvents(copy, [note]));
    expect(guardOrderUpdate(report, ORDER.id, update, users.worker, tree, context(now) as never).ok).toBe(true);
  });

  it('believes a worker offline for days: its events follow what it had, whatever arrived meanwhile', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 * DAY }),
        fc.integer({ min: -SKEW + 1000, max: SKEW - 1000 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.nat({ max: 7 * DAY }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 2 * HOUR }),
        (offlineMs, deviceSkew, count, othersAt, lateBy) => {
          const server = new ServerDoc();
          const clerk = new Writer(users.clerk, 20);
          const dispatch = clerk.write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0, []);
          server.receive(dispatch, T0);
          // The worker's device syncs at T0 + 1 h and goes offline with what it had.
          const device = new Y.Doc();
          Y.applyUpdate(device, Y.encodeStateAsUpdate(server.doc));
          const synced = T0 + HOUR;
          const sv = Y.encodeStateVector(server.doc);
          // Others keep writing; the server receives their events while the worker is away.
          for (const offset of [...othersAt].sort((a, b) => a - b)) {
            const at = synced + offset;
            const note = clerk.write({ type: 'supervise', payload: { level: 'reminder', note: '请尽快办理' } }, at, server.events());
            server.receive(note, at);
          }
          const worker = new Writer(users.worker, 21);
          for (let i = 0; i < count; i++) {
            const trueTime = synced + Math.round(((i + 1) / count) * offlineMs);
            const seen = device.getArray<OrderEvent>('events').toArray();
            appendEvents(device, [worker.write({ type: 'progress', payload: { text: `离线记录 ${i}` } }, trueTime + deviceSkew, seen)]);
          }
          const backOnline = synced + offlineMs + lateBy;
          const update = Y.encodeStateAsUpdate(device, sv);
          const verdict = guard(server, update, users.worker, backOnline, { notBefore: synced - HOUR - 30 * DAY });
          expect(verdict).toMatchObject({ ok: true });
          if (verdict.ok) expect(verdict.events).toHaveLength(count);
        },
      ),
      { numRuns: 200, seed: 20261205 },
    );
  });
});
