/**
 * The one way the apps write a date and time: `12月5日 06:29` within the
 * current year, `2025年12月5日 06:29` otherwise (English: `12-05 06:29`,
 * `2025-12-05 06:29`). China Standard Time (UTC+8, no daylight saving) whatever
 * the device's zone, since deadlines are counted there. Plain arithmetic, not
 * Intl: the browser's locale data must not change the format, and `now`
 * (which decides whether the year is shown) is a parameter.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

export type WhenLocale = 'zh-CN' | 'en';

/** 'YYYY-MM-DD HH:mm' in China Standard Time: the reports' and exports' form (one format whatever the language). */
export function cstDateTime(time: number): string {
  return new Date(time + CST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The CST calendar fields of `time`. */
export interface CstParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

export function cstParts(time: number): CstParts {
  const d = new Date(time + CST_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** The instant of a CST calendar date and time. */
export function fromCstParts({ year, month, day, hour, minute }: CstParts): number {
  return Date.UTC(year, month - 1, day, hour, minute) - CST_OFFSET_MS;
}

const pad = (n: number) => String(n).padStart(2, '0');

function isZh(locale: string): boolean {
  return !locale.startsWith('en');
}

/** `12月5日` (or `2025年12月5日` in another year than `now`'s). */
export function formatDay(time: number, now: number, locale: WhenLocale | string = 'zh-CN'): string {
  const p = cstParts(time);
  const withYear = p.year !== cstParts(now).year;
  if (isZh(locale)) return `${withYear ? `${p.year}年` : ''}${p.month}月${p.day}日`;
  return `${withYear ? `${p.year}-` : ''}${pad(p.month)}-${pad(p.day)}`;
}

/** `12月5日 06:29` (or `2025年12月5日 06:29` in another year than `now`'s). */
export function formatWhen(time: number, now: number, locale: WhenLocale | string = 'zh-CN'): string {
  const p = cstParts(time);
  return `${formatDay(time, now, locale)} ${pad(p.hour)}:${pad(p.minute)}`;
}
