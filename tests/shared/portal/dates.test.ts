import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatPortalDate, parsePortalDate } from '#shared/portal/dates.ts';

// 2026-12-01 09:05:07 in China Standard Time.
const T = Date.UTC(2026, 11, 1, 1, 5, 7);

describe('portal dates', () => {
  it('formats in China Standard Time whatever the format', () => {
    expect(formatPortalDate(T, 'yyyy-MM-dd HH:mm:ss')).toBe('2026-12-01 09:05:07');
    expect(formatPortalDate(T, 'yyyy年MM月dd日')).toBe('2026年12月01日');
    expect(formatPortalDate(T, 'yyyy/MM/dd HH:mm')).toBe('2026/12/01 09:05');
    // 23:30 UTC is the next day in Beijing.
    expect(formatPortalDate(Date.UTC(2026, 10, 30, 23, 30), 'yyyy-MM-dd')).toBe('2026-12-01');
  });

  it('parses what it formats, and unpadded numbers too', () => {
    expect(parsePortalDate('2026-12-01 09:05:07', 'yyyy-MM-dd HH:mm:ss')).toBe(T);
    expect(parsePortalDate(' 2026年12月1日 ', 'yyyy年MM月dd日')).toBe(Date.UTC(2026, 10, 30, 16));
    expect(parsePortalDate('2026/12/1 9:05', 'yyyy/MM/dd HH:mm')).toBe(T - 7000);
  });

  it('gives null for text that does not fit or dates that do not exist', () => {
    expect(parsePortalDate('2026-12-01', 'yyyy年MM月dd日')).toBeNull();
    expect(parsePortalDate('2026-02-30', 'yyyy-MM-dd')).toBeNull();
    expect(parsePortalDate('2026-12-01 24:00', 'yyyy-MM-dd HH:mm')).toBeNull();
    expect(parsePortalDate('', 'yyyy-MM-dd')).toBeNull();
  });

  it('round-trips any minute through every format with a time', () => {
    const formats = ['yyyy-MM-dd HH:mm', 'yyyy年MM月dd日 HH时mm分', 'yyyy/MM/dd HH:mm:ss'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2001, 0, 1) / 60000, max: Date.UTC(2099, 0, 1) / 60000 }), fc.constantFrom(...formats), (minute, format) => {
        const time = minute * 60000;
        expect(parsePortalDate(formatPortalDate(time, format), format)).toBe(time);
      }),
    );
  });
});
