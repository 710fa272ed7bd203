import { describe, expect, it } from 'vitest';
import { refusalReason, refusedCount, rejectionReason, rejectionSummary } from '#pwa/src/util/refusals.ts';
import { REFUSAL_CODES } from '#shared/sync/guard.ts';
import en from '#pwa/src/i18n/en.ts';
import zhCN from '#pwa/src/i18n/zh-CN.ts';

// Shows the key and its values, so a test sees which words were chosen.
const t = (key: string, values?: Record<string, unknown>) => (values ? `${key} ${JSON.stringify(values)}` : key);

describe('refused changes', () => {
  it("say a known code in the app's words and any other in the server's", () => {
    expect(refusalReason({ code: 'wrong_role', reason: 'no' }, t)).toBe('updateRefusal.wrong_role');
    expect(refusalReason({ code: 'order_no_taken', reason: 'A1 exists' }, t)).toBe('updateRefusal.other {"code":"order_no_taken","reason":"A1 exists"}');
  });

  it('say in words why clocks, unknown fields and limits were refused, in both languages', () => {
    for (const code of ['time_in_future', 'time_before_seen', 'time_too_old', 'hlc_out_of_order', 'offset_out_of_range', 'unknown_field', 'foreign_type', 'event_removed', 'event_too_large', 'order_full', 'daily_limit']) {
      expect(REFUSAL_CODES).toContain(code);
      expect(refusalReason({ code, reason: 'the server says' }, t)).toBe(`updateRefusal.${code}`);
      for (const messages of [zhCN, en]) expect((messages.updateRefusal as Record<string, string>)[code]?.trim(), code).toBeTruthy();
    }
  });

  it("count a field report's intake as one change", () => {
    expect(refusedCount({ events: [], intake: true })).toBe(1);
    expect(refusedCount({ events: [], intake: false })).toBe(0);
  });
});

describe('rejected photos', () => {
  const rejected = (code: string) => ({ sha256: 'a'.repeat(64), orderId: 'o1', code, reason: 'why', status: 413, at: 0 });

  it("say a known code in the app's words and any other with the server's status and reason", () => {
    expect(rejectionReason(rejected('too_large'), t)).toBe('photoRejection.too_large');
    expect(rejectionReason(rejected('teapot'), t)).toBe('photoRejection.other {"status":413,"reason":"why"}');
  });

  it('sum up as the count and the first reason, or nothing', () => {
    expect(rejectionSummary([rejected('empty'), rejected('too_large')], t)).toBe('sync.photosRejected {"n":2,"reason":"photoRejection.empty"}');
    expect(rejectionSummary([], t)).toBe('');
  });
});
