import { describe, expect, it } from 'vitest';
import { refusalReason, refusedCount, rejectionReason, rejectionSummary } from '#pwa/src/util/refusals.ts';

// Shows the key and its values, so a test sees which words were chosen.
const t = (key: string, values?: Record<string, unknown>) => (values ? `${key} ${JSON.stringify(values)}` : key);

describe('refused changes', () => {
  it("say a known code in the app's words and any other in the server's", () => {
    expect(refusalReason({ code: 'wrong_role', reason: 'no' }, t)).toBe('updateRefusal.wrong_role');
    expect(refusalReason({ code: 'order_no_taken', reason: 'A1 exists' }, t)).toBe('updateRefusal.other {"code":"order_no_taken","reason":"A1 exists"}');
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
