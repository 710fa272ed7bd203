/** One date style: `12月5日 06:29`, the year only when it is not this year, in CST whatever the device zone. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cstParts, formatDay, formatWhen, fromCstParts } from '#shared/util/when.ts';

const NOW = Date.UTC(2026, 11, 5, 3, 0); // 2026-12-05 11:00 CST

describe('formatWhen', () => {
  it('writes month, day and 24-hour time in Chinese, CST', () => {
    expect(formatWhen(Date.UTC(2026, 11, 4, 22, 29), NOW)).toBe('12月5日 06:29');
    expect(formatWhen(Date.UTC(2026, 0, 1, 4, 5), NOW)).toBe('1月1日 12:05');
  });

  it('adds the year when it is not the current year (judged in CST)', () => {
    expect(formatWhen(Date.UTC(2025, 11, 31, 15, 59), NOW)).toBe('2025年12月31日 23:59');
    // 2025-12-31 16:00 UTC is already 2026 in China.
    expect(formatWhen(Date.UTC(2025, 11, 31, 16, 0), NOW)).toBe('1月1日 00:00');
  });

  it('never writes slashes, AM/PM or seconds, in either language', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (time) => {
        for (const locale of ['zh-CN', 'en']) {
          const text = formatWhen(time, NOW, locale);
          expect(text).not.toMatch(/[/]|AM|PM|:\d\d:\d\d/);
          expect(text).toMatch(/ \d\d:\d\d$/);
        }
      }),
    );
  });

  it('English uses numbers with dashes', () => {
    expect(formatWhen(Date.UTC(2026, 11, 4, 22, 29), NOW, 'en')).toBe('12-05 06:29');
    expect(formatDay(Date.UTC(2024, 1, 29, 0, 0), NOW, 'en')).toBe('2024-02-29');
  });
});

describe('cstParts', () => {
  it('round-trips through fromCstParts to the minute', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), (time) => {
        const minute = Math.floor(time / 60_000) * 60_000;
        expect(fromCstParts(cstParts(minute))).toBe(minute);
      }),
    );
  });
});
