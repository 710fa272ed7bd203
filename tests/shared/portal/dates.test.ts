import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareShownDate,
  datePrecision,
  dateFormatProblem,
  formatPortalDate,
  parsePortalDate,
  truncateToFormat,
  type DatePrecision,
} from '#shared/portal/dates.ts';

// 2026-12-01 09:05:07 in China Standard Time.
const T = Date.UTC(2026, 11, 1, 1, 5, 7);
const MINUTE = 60_000;

describe('portal dates', () => {
  it('formats in China Standard Time whatever the format', () => {
    expect(formatPortalDate(T, 'yyyy-MM-dd HH:mm:ss')).toBe('2026-12-01 09:05:07');
    expect(formatPortalDate(T, 'yyyy年MM月dd日')).toBe('2026年12月01日');
    expect(formatPortalDate(T, 'yyyy/MM/dd HH:mm')).toBe('2026/12/01 09:05');
    // 23:30 UTC is the next day in Beijing.
    expect(formatPortalDate(Date.UTC(2026, 10, 30, 23, 30), 'yyyy-MM-dd')).toBe('2026-12-01');
  });

  it('writes the single-letter tokens unpadded', () => {
    expect(formatPortalDate(T, 'yyyy年M月d日 H时m分s秒')).toBe('2026年12月1日 9时5分7秒');
    expect(formatPortalDate(Date.UTC(2026, 0, 4, 16, 30), 'yyyy/M/d H:mm')).toBe('2026/1/5 0:30');
  });

  it('parses what it formats, and unpadded numbers too', () => {
    expect(parsePortalDate('2026-12-01 09:05:07', 'yyyy-MM-dd HH:mm:ss')).toBe(T);
    expect(parsePortalDate(' 2026年12月1日 ', 'yyyy年MM月dd日')).toBe(Date.UTC(2026, 10, 30, 16));
    expect(parsePortalDate('2026/12/1 9:05', 'yyyy/MM/dd HH:mm')).toBe(T - 7000);
    expect(parsePortalDate('2026年12月01日 09时05分', 'yyyy年M月d日 H时mm分')).toBe(T - 7000);
    // Where numbers touch, each takes exactly its width.
    expect(parsePortalDate('20261201', 'yyyyMMdd')).toBe(Date.UTC(2026, 10, 30, 16));
    expect(parsePortalDate('2026121', 'yyyyMMdd')).toBeNull();
  });

  it('gives null for text that does not fit or dates that do not exist', () => {
    expect(parsePortalDate('2026-12-01', 'yyyy年MM月dd日')).toBeNull();
    expect(parsePortalDate('2026-02-30', 'yyyy-MM-dd')).toBeNull();
    expect(parsePortalDate('2026-12-01 24:00', 'yyyy-MM-dd HH:mm')).toBeNull();
    expect(parsePortalDate('2026-13-01', 'yyyy-M-d')).toBeNull();
    expect(parsePortalDate('', 'yyyy-MM-dd')).toBeNull();
  });

  it('accepts a format with a year, a month and a day, each once, and refuses ambiguous ones', () => {
    for (const ok of ['yyyy-MM-dd', 'yyyy年M月d日 H时m分', 'yyyyMMdd', 'yyyyMMddHHmmss', 'dd/MM/yyyy', 'yyyy-M-d H:mm:ss']) expect(dateFormatProblem(ok), ok).toBeNull();
    expect(dateFormatProblem('MM-dd HH:mm')).toContain('yyyy');
    expect(dateFormatProblem('yyyy-MM')).toContain('day');
    expect(dateFormatProblem('yyyy-MM-dd M')).toContain('once');
    expect(dateFormatProblem('yyyy-MM-dd mm')).toContain('hours');
    expect(dateFormatProblem('yyyy-MM-dd HH ss')).toContain('minutes');
    expect(dateFormatProblem('yyyyMd')).toContain('separator');
    expect(dateFormatProblem('yyyy-MM-ddH:mm')).toContain('separator');
  });

  it('compares what a page shows as a moment at the format’s precision', () => {
    const format = 'yyyy年MM月dd日 HH时mm分';
    const at = Date.UTC(2026, 11, 3, 1, 5, 42); // 2026-12-03 09:05:42 China time
    expect(compareShownDate(at, '2026年12月03日 09时05分', format)).toBe('same');
    expect(compareShownDate(at, '2026年12月3日 9时05分', format)).toBe('same');
    expect(compareShownDate(at, '2026年12月3日 09时06分', format)).toBe('different');
    expect(compareShownDate(at, '2026-12-03 09:05', format)).toBe('unreadable');
    expect(compareShownDate(at, '', format)).toBe('unreadable');
    expect(compareShownDate(at, '2026/12/3', 'yyyy/MM/dd')).toBe('same');
  });
});

/** Every combination of the tokens a format may hold, in several part orders and with several separators. */
const MONTHS = ['MM', 'M'] as const;
const DAYS = ['dd', 'd'] as const;
const TIMES = [[], ['HH'], ['H'], ['HH', 'mm'], ['HH', 'm'], ['H', 'mm'], ['H', 'm'], ['HH', 'mm', 'ss'], ['HH', 'mm', 's'], ['H', 'm', 's'], ['HH', 'm', 'ss'], ['H', 'mm', 'ss'], ['H', 'mm', 's'], ['HH', 'm', 's'], ['H', 'm', 'ss']] as const;
const DATE_ORDERS = [['y', 'M', 'd'], ['d', 'M', 'y'], ['M', 'd', 'y']] as const;

/** A format built from tokens and separators, and whether an unpadded token touches another (no separator between). */
const formatArb = fc
  .record({
    month: fc.constantFrom(...MONTHS),
    day: fc.constantFrom(...DAYS),
    time: fc.constantFrom(...TIMES),
    order: fc.constantFrom(...DATE_ORDERS),
    dateSeparators: fc.array(fc.constantFrom('-', '/', '.', '年', '月', '', ' '), { minLength: 2, maxLength: 2 }),
    timeSeparators: fc.array(fc.constantFrom(':', '时', '分', '', '.'), { minLength: 2, maxLength: 2 }),
    between: fc.constantFrom(' ', 'T', '日 ', ''),
  })
  .map(({ month, day, time, order, dateSeparators, timeSeparators, between }) => {
    const tokens: string[] = [...order.map((p) => (p === 'y' ? 'yyyy' : p === 'M' ? month : day)), ...time];
    const separators = [...dateSeparators, ...(time.length > 0 ? [between, ...timeSeparators.slice(0, time.length - 1)] : [])];
    const format = tokens.map((token, i) => token + (separators[i] ?? '')).join('');
    const ambiguous = separators.slice(0, tokens.length - 1).some((sep, i) => sep === '' && (tokens[i]!.length === 1 || tokens[i + 1]!.length === 1));
    return { format, ambiguous };
  });

const PRECISION_MS: Record<DatePrecision, number> = { day: 24 * 60 * MINUTE, hour: 60 * MINUTE, minute: MINUTE, second: 1000 };
const timeArb = fc.integer({ min: Date.UTC(1970, 0, 2), max: Date.UTC(2099, 11, 31) });

describe('portal dates, for every token combination', () => {
  it('refuses exactly the formats where an unpadded token touches another; every other one round-trips at its precision', () => {
    fc.assert(
      fc.property(formatArb, timeArb, ({ format, ambiguous }, time) => {
        const problem = dateFormatProblem(format);
        expect(problem !== null, `${format}: ${problem ?? 'accepted'}`).toBe(ambiguous);
        if (ambiguous) return;
        const text = formatPortalDate(time, format);
        // format → parse is the identity at the format's precision…
        expect(parsePortalDate(text, format), `${format}: ${text}`).toBe(truncateToFormat(time, format));
        // …and the text says the same moment again.
        expect(compareShownDate(time, text, format)).toBe('same');
      }),
      { numRuns: 2000 },
    );
  });

  it('every combination of tokens, with separators, round-trips', () => {
    for (const month of MONTHS)
      for (const day of DAYS)
        for (const time of TIMES) {
          const format = `yyyy-${month}-${day}${time.length ? ' ' + time.join(':') : ''}`;
          expect(dateFormatProblem(format), format).toBeNull();
          fc.assert(
            fc.property(timeArb, (t) => {
              expect(parsePortalDate(formatPortalDate(t, format), format)).toBe(truncateToFormat(t, format));
            }),
            { numRuns: 50 },
          );
        }
  });

  it('a moment in another unit of the precision reads as different', () => {
    fc.assert(
      fc.property(formatArb.filter((f) => !f.ambiguous), timeArb, fc.integer({ min: 1, max: 1000 }), ({ format }, time, steps) => {
        const other = time + steps * PRECISION_MS[datePrecision(format)];
        expect(compareShownDate(time, formatPortalDate(other, format), format)).toBe('different');
        // Within the same unit it is the same moment.
        const start = truncateToFormat(time, format);
        expect(compareShownDate(start + PRECISION_MS[datePrecision(format)] - 1, formatPortalDate(time, format), format)).toBe('same');
      }),
      { numRuns: 1000 },
    );
  });
});
