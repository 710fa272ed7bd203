/**
 * Limits on what one client can make the server store: per event (its
 * serialized size), per order (the doc's stored bytes and its number of
 * events) and per user per day (events and bytes).
 */
import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOrgTree, type Unit } from '#shared/org/units.ts';
import { checkDailyQuota, guardOrderUpdate } from '#shared/sync/guard.ts';
import { appendEvents, initOrderDoc } from '#shared/sync/order-doc.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { DAY, HOUR, T0, Writer, intake, payloads, sha, users } from '../support/builders.ts';
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
const limits = { eventMaxBytes: 64 * 1024, orderMaxBytes: 2 * 1024 * 1024, orderMaxEvents: 10 };
const context = (overrides: Record<string, unknown> = {}) => ({
  now: NOW,
  clockSkewMs: 5 * 60_000,
  notBefore: NOW - 30 * DAY,
  orderCreatedAt: T0 - HOUR,
  limits,
  docBytes: 0,
  ...overrides,
});

function docWith(count: number): { doc: Y.Doc; events: OrderEvent[] } {
  const doc = new Y.Doc();
  initOrderDoc(doc, ORDER);
  const clerk = new Writer(users.clerk, 1);
  const events: OrderEvent[] = [];
  events.push(clerk.write({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0));
  for (let i = 1; i < count; i++) events.push(clerk.write({ type: 'supervise', payload: { level: 'reminder', note: `第 ${i} 次提醒` } }, T0 + i * 60_000, events));
  appendEvents(doc, events);
  return { doc, events };
}

describe('write limits', () => {
  it('refuses an event larger than the limit, however valid: a close citing 1,200 photos', () => {
    const { doc, events } = docWith(1);
    const hashes = Array.from({ length: 1200 }, (_, i) => sha(i + 1));
    const close = new Writer(users.worker, 2).write({ type: 'close', payload: payloads.close(hashes) }, T0 + HOUR, events);
    expect(JSON.stringify(close).length).toBeGreaterThan(limits.eventMaxBytes);
    const verdict = guardOrderUpdate(doc, ORDER.id, updateFrom(doc, (c) => appendEvents(c, [close])), users.worker, tree, context() as never);
    expect(verdict).toMatchObject({ ok: false, refusal: { code: 'event_too_large', field: `events[${close.id}]` } });
  });

  it('refuses the event past the order\'s event count, and an update past its stored bytes', () => {
    const { doc, events } = docWith(10);
    const next = new Writer(users.worker, 3).write({ type: 'progress', payload: { text: '第十一条' } }, T0 + HOUR, events);
    const update = updateFrom(doc, (c) => appendEvents(c, [next]));
    expect(guardOrderUpdate(doc, ORDER.id, update, users.worker, tree, context() as never)).toMatchObject({ ok: false, refusal: { code: 'order_full' } });
    const room = docWith(9);
    const fits = updateFrom(room.doc, (c) => appendEvents(c, [next]));
    expect(guardOrderUpdate(room.doc, ORDER.id, fits, users.worker, tree, context() as never).ok).toBe(true);
    expect(guardOrderUpdate(room.doc, ORDER.id, fits, users.worker, tree, context({ docBytes: limits.orderMaxBytes - fits.length + 1 }) as never)).toMatchObject({
      ok: false,
      refusal: { code: 'order_full' },
    });
    expect(guardOrderUpdate(room.doc, ORDER.id, fits, users.worker, tree, context({ docBytes: limits.orderMaxBytes - fits.length }) as never).ok).toBe(true);
  });

  it('refuses a user\'s update past the day\'s events or bytes, and only then', () => {
    const daily = { events: 100, bytes: 10_000 };
    fc.assert(
      fc.property(fc.nat({ max: 150 }), fc.nat({ max: 15_000 }), fc.nat({ max: 20 }), fc.nat({ max: 3000 }), (usedEvents, usedBytes, events, bytes) => {
        const refusal = checkDailyQuota({ events: usedEvents, bytes: usedBytes }, { events, bytes }, daily);
        const over = usedEvents + events > daily.events || usedBytes + bytes > daily.bytes;
        expect(refusal === null).toBe(!over);
        if (refusal) expect(refusal.code).toBe('daily_limit');
      }),
    );
  });
});
