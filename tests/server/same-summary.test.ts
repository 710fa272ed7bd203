import { describe, expect, it } from 'vitest';
import { deriveOrder } from '#shared/order/reducer.ts';
import { summarizeOrder, type OrderSummary } from '#shared/order/summary.ts';
import { sameSummary } from '../../server/sync/indexer.ts';
import { T0, intake } from '../shared/support/builders.ts';

const order = intake();
const summary = (): OrderSummary => summarizeOrder(order, deriveOrder(order, [], T0));
/** A summary whose JSON cannot be taken: comparing it by JSON throws. */
const unserialisable = (s: OrderSummary): OrderSummary =>
  ({
    ...s,
    toJSON: () => {
      throw new Error('compared by JSON');
    },
  }) as OrderSummary;

describe('sameSummary (whether an index entry is written again)', () => {
  it('is true for equal summaries, false when any field differs', () => {
    expect(sameSummary(summary(), summary())).toBe(true);
    expect(sameSummary(summary(), { ...summary(), title: 'another title' })).toBe(false);
    expect(sameSummary(summary(), { ...summary(), eventCount: 1 })).toBe(false);
  });

  it('tells summaries of different event counts or last stamps apart without their JSON', () => {
    const a = summary();
    expect(sameSummary(a, unserialisable({ ...a, eventCount: a.eventCount + 1 }))).toBe(false);
    expect(sameSummary(unserialisable({ ...a, lastHlc: 'another' }), a)).toBe(false);
    expect(sameSummary(a, a)).toBe(true);
  });
});
