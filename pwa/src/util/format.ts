/**
 * Times are shown in China Standard Time whatever the device's zone: deadlines
 * are counted there, and a worker's phone set to another zone must not move them.
 */
const TIME_ZONE = 'Asia/Shanghai';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** "2天3小时", "4小时10分", "25分钟" for a span of time (sign ignored). */
export function formatDuration(ms: number, t: Translate): string {
  const abs = Math.abs(ms);
  if (abs >= DAY) {
    const d = Math.floor(abs / DAY);
    const h = Math.floor((abs % DAY) / HOUR);
    return h > 0 ? t('duration.daysHours', { d, h }) : t('duration.days', { d });
  }
  if (abs >= HOUR) return t('duration.hoursMinutes', { h: Math.floor(abs / HOUR), m: Math.floor((abs % HOUR) / MINUTE) });
  if (abs >= MINUTE) return t('duration.minutes', { m: Math.floor(abs / MINUTE) });
  return t('duration.lessThanMinute');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withYear}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: TIME_ZONE,
      year: withYear ? 'numeric' : undefined,
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    formatters.set(key, f);
  }
  return f;
}

/** "11-22 14:05" within the current year, "2025-11-22 14:05" otherwise. */
export function formatDateTime(time: number, locale: string, now = Date.now()): string {
  const sameYear = new Date(time + 8 * HOUR).getUTCFullYear() === new Date(now + 8 * HOUR).getUTCFullYear();
  return formatter(locale, !sameYear).format(time);
}

/** "1.2 MB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Value for <input type="datetime-local"> in CST, and back. */
export function toLocalInput(time: number): string {
  return new Date(time + 8 * HOUR).toISOString().slice(0, 16);
}

export function fromLocalInput(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi) - 8 * HOUR;
}

/** "2026-11-22 14:05:33" in CST: the watermark's time, unambiguous in a printed report. */
export function formatStamp(time: number): string {
  return new Date(time + 8 * HOUR).toISOString().slice(0, 19).replace('T', ' ');
}

/** "+12秒", "-3分钟": a clock offset with its sign (server minus device). */
export function formatOffset(ms: number, t: Translate): string {
  const sign = ms < 0 ? '-' : '+';
  const abs = Math.abs(ms);
  return sign + (abs < MINUTE ? t('duration.seconds', { s: Math.round(abs / 1000) }) : formatDuration(abs, t));
}
