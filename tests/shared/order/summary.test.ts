import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { deriveOrder } from '#shared/order/reducer.ts';
import {
  OrderSummarySchema,
  SUMMARY_VERSION,
  compareForInbox,
  entryCannotBeOpen,
  maskPhoneNumbers,
  readIndexSummary,
  storedSummaryVersion,
  summarizeOrder,
  type OrderSummary,
} from '#shared/order/summary.ts';
import { STATUSES, isFinalStatus } from '#shared/order/status.ts';
import { validate } from '#shared/validation/result.ts';
import { DAY, HOUR, History, T0, intake, payloads, sha, users } from '../support/builders.ts';

function handled(): History {
  const h = new History();
  h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 10 * 60_000);
  h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
  h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + 2 * HOUR);
  return h;
}

describe('summarizeOrder', () => {
  it('summarises a new order for the clerk, with no personal data', () => {
    const summary = summarizeOrder(intake(), deriveOrder(intake(), [], T0));
    expect(summary).toMatchObject({
      id: 'o-250912101108115409',
      orderNo: '250912101108115409',
      status: 'pending_dispatch',
      tab: 'other',
      districtId: 'd1',
      streetId: 'd1-s1',
      communityId: 'd1-s1-c1',
      gridId: 'd1-s1-c1-g1',
      assignee: null,
      target: null,
      deadline: T0 + 5 * DAY,
      supervision: 'none',
      urgency: 0,
      eventCount: 0,
      lastHlc: '',
    });
    const json = JSON.stringify(summary);
    expect(json).not.toContain('13812345678');
    expect(json).not.toContain('张先生');
    expect(json).not.toContain('夜间行人容易踩空'); // the citizen's words
  });

  it('follows the order through handling and close', () => {
    const h = handled();
    const accepted = summarizeOrder(intake(), deriveOrder(intake(), h.events, T0 + 2 * HOUR));
    expect(accepted).toMatchObject({ status: 'in_progress', tab: 'doing', assignee: 'grid1', photoCount: 1, eventCount: 3 });
    expect(accepted.target).toEqual({ unitId: 'd1-s1-c1-g1', unitKind: 'grid' });
    expect(accepted.acceptDueAt).toBe(T0 + 10 * 60_000 + 2 * HOUR);
    const close = h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 3 * HOUR);
    const closed = summarizeOrder(intake(), deriveOrder(intake(), h.events, T0 + 4 * HOUR));
    expect(closed).toMatchObject({ status: 'closed', tab: 'done', closedAt: close.at, lastHlc: close.hlc, conflictCount: 0 });
  });

  it('counts unresolved conflicts and pending extension requests', () => {
    const h = handled();
    h.by(users.worker2).do({ type: 'accept', payload: {} }, T0 + 3 * HOUR);
    h.by(users.worker).do({ type: 'extension_request', payload: { reason: '需协调产权单位', until: T0 + 9 * DAY } }, T0 + DAY);
    const summary = summarizeOrder(intake(), deriveOrder(intake(), h.events, T0 + DAY));
    expect(summary.conflictCount).toBe(1);
    expect(summary.extensionPending).toBe(true);
  });

  it('ranks supervision as urgency while open, and nothing once closed', () => {
    const h = handled();
    h.by(users.clerk).do({ type: 'supervise', payload: { level: 'listed', note: '挂牌督办' } }, T0 + 3 * HOUR);
    expect(summarizeOrder(intake(), deriveOrder(intake(), h.events, T0)).urgency).toBe(3);
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 4 * HOUR);
    expect(summarizeOrder(intake(), deriveOrder(intake(), h.events, T0)).urgency).toBe(0);
  });

  it('masks phone numbers a citizen dictated into the title or address', () => {
    const i = intake({ title: '市民13812345678反映井盖缺损', address: '中州路12号，联系0379-63214567' });
    const summary = summarizeOrder(i, deriveOrder(i, [], T0));
    expect(summary.title).toBe('市民138****5678反映井盖缺损');
    expect(summary.address).toBe('中州路12号，联系037****4567');
    expect(maskPhoneNumbers('工单250912101108115409')).toBe('工单250912101108115409');
  });
});

describe('OrderSummarySchema', () => {
  const summary = () => summarizeOrder(intake(), deriveOrder(intake(), handled().events, T0));

  it('accepts a summary after a trip through JSON, unchanged', () => {
    const raw: unknown = JSON.parse(JSON.stringify(summary()));
    expect(v.parse(OrderSummarySchema, raw)).toEqual(summary());
  });

  it('refuses a summary that is not one and names the field', () => {
    const result = validate(OrderSummarySchema, { ...summary(), status: 'done_by_magic' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.field).toBe('status');
    expect(validate(OrderSummarySchema, { ...summary(), deadline: 'tomorrow' }).ok).toBe(false);
    expect(validate(OrderSummarySchema, { ...summary(), lastHlc: 'yesterday' }).ok).toBe(false);
    expect(validate(OrderSummarySchema, null).ok).toBe(false);
  });

  it('recomputes the derived tab and urgency instead of trusting them, and drops unknown keys', () => {
    const forged = { ...summary(), tab: 'done', urgency: 3, citizenPhone: '13812345678' };
    const parsed = v.parse(OrderSummarySchema, forged);
    expect(parsed.tab).toBe('doing');
    expect(parsed.urgency).toBe(0);
    expect(parsed).not.toHaveProperty('citizenPhone');
  });
});

describe('readIndexSummary', () => {
  it('accepts an entry stored under its own order id and refuses one stored under another', () => {
    const summary = summarizeOrder(intake(), deriveOrder(intake(), [], T0));
    expect(readIndexSummary(summary.id, summary)).toEqual({ ok: true, value: summary });
    const result = readIndexSummary('o-other', summary);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([{ field: 'id', message: 'is not o-other, the key it is stored under' }]);
  });

  it('reads an entry written before summary versions as version 1, and the current one as current', () => {
    const { summaryVersion, ...old } = summarizeOrder(intake(), deriveOrder(intake(), [], T0));
    expect(summaryVersion).toBe(SUMMARY_VERSION);
    expect(storedSummaryVersion({ ...old, summaryVersion })).toBe(SUMMARY_VERSION);
    expect(storedSummaryVersion(old)).toBe(1);
    expect(storedSummaryVersion('junk')).toBe(0);
    expect(readIndexSummary(old.id, old)).toMatchObject({ ok: true, value: { summaryVersion: 1 } });
  });
});

describe('entryCannotBeOpen', () => {
  const base = summarizeOrder(intake(), deriveOrder(intake(), [], T0));
  // A stored entry: any status (or none, or junk), a tab forged or not, or no summary at all.
  const rawArb = fc.oneof(
    fc.record({ status: fc.oneof(fc.constantFrom(...STATUSES), fc.string(), fc.constant(undefined)), tab: fc.oneof(fc.constantFrom('todo', 'doing', 'done', 'other'), fc.string()) }).map((forged) => ({ ...base, ...forged })),
    fc.anything(),
  );

  it('says so only of entries that a check refuses or reads as 已办 or final (the open ids never miss one)', () => {
    fc.assert(
      fc.property(rawArb, (raw) => {
        if (!entryCannotBeOpen(raw)) return;
        const read = readIndexSummary(base.id, raw);
        expect(read.ok && read.value.tab !== 'done' && !isFinalStatus(read.value.status)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves every open status to the check, whatever tab the entry claims', () => {
    for (const status of STATUSES) {
      const open = readIndexSummary(base.id, { ...base, status, tab: 'done' });
      expect(open.ok).toBe(true);
      if (open.ok) expect(entryCannotBeOpen({ ...base, status, tab: 'done' })).toBe(open.value.tab === 'done' || isFinalStatus(status));
    }
  });
});

describe('compareForInbox', () => {
  const base: OrderSummary = summarizeOrder(intake(), deriveOrder(intake(), handled().events, T0));
  const row = (id: string, patch: Partial<OrderSummary>): OrderSummary => ({ ...base, id, ...patch });
  const now = T0 + 3 * DAY;

  it('puts overdue first, then supervision, then the nearest deadline, then finished orders newest first', () => {
    const rows = [
      row('closed-old', { status: 'closed', closedAt: T0 + DAY }),
      row('far', { deadline: T0 + 9 * DAY }),
      row('near', { deadline: T0 + 4 * DAY }),
      row('listed', { deadline: T0 + 8 * DAY, urgency: 3 }),
      row('warning', { deadline: T0 + 7 * DAY, urgency: 2 }),
      row('overdue', { deadline: T0 + 2 * DAY }),
      row('overdue-more', { deadline: T0 + DAY }),
      row('closed-new', { status: 'archived', closedAt: T0 + 2 * DAY }),
    ];
    const order = rows.sort((a, b) => compareForInbox(a, b, now)).map((r) => r.id);
    expect(order).toEqual(['overdue-more', 'overdue', 'listed', 'warning', 'near', 'far', 'closed-new', 'closed-old']);
  });

  it('is a total order: ties fall back to the id', () => {
    const a = row('a', {});
    const b = row('b', {});
    expect(compareForInbox(a, b, now)).toBeLessThan(0);
    expect(compareForInbox(b, a, now)).toBeGreaterThan(0);
    expect(compareForInbox(a, a, now)).toBe(0);
  });
});
