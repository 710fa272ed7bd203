import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deviceTag, fieldReportPrefix, gridCode, isFieldReportNo, nextFieldReportNo } from '#shared/order/field-report-no.ts';
import { OrderIntakeSchema } from '#shared/order/intake.ts';
import * as v from 'valibot';
import { intake } from '../support/builders.ts';

const T = Date.UTC(2026, 11, 4, 17, 30); // 2026-12-05 01:30 CST

describe('field report numbers', () => {
  it('reads SB-<grid>-<CST day>-<device tag><n>, counting on from what the device gave that day', () => {
    const first = nextFieldReportNo('d1-s1-c1-g1', T, 'grid1-abc12345', []);
    expect(first).toMatch(/^SB-D1-S1-C1-G1-20261205-[A-Z]{3}1$/);
    const second = nextFieldReportNo('d1-s1-c1-g1', T + 60_000, 'grid1-abc12345', [first, 'SB-OTHER-20261205-ABC7']);
    expect(second).toBe(`${first.slice(0, -1)}2`);
    expect(isFieldReportNo(first) && isFieldReportNo(second)).toBe(true);
    // The next CST day starts again at 1.
    expect(nextFieldReportNo('d1-s1-c1-g1', T + 24 * 3600_000, 'grid1-abc12345', [first, second])).toMatch(/-20261206-[A-Z]{3}1$/);
  });

  it('is a valid order number for any unit id, shortened from the left', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.string({ minLength: 1, maxLength: 60 }), fc.nat(9999), (unitId, device, n) => {
        const no = nextFieldReportNo(unitId, T, device, [`${fieldReportPrefix(unitId, T, device)}${n}`]);
        expect(no).toMatch(/^[A-Za-z0-9-]{4,40}$/);
        expect(no.endsWith(`${n + 1}`)).toBe(true);
        expect(v.is(OrderIntakeSchema, intake({ source: 'field_report', channel: 'field', reportedBy: 'grid1', orderNo: no }))).toBe(true);
      }),
    );
    expect(gridCode('a_very_long_grid_identifier_with_underscores')).toBe('TH-UNDERSCORES');
  });

  it('gives two devices reporting offline in one grid on one day different numbers', () => {
    const devices = Array.from({ length: 40 }, (_, i) => `grid${i % 4}-${(i * 7919).toString(36).padStart(8, '0')}`);
    const tags = new Set(devices.map(deviceTag));
    expect(tags.size).toBe(devices.length);
    const numbers = devices.map((d) => nextFieldReportNo('d1-s1-c1-g1', T, d, []));
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
