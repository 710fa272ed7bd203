import { formatWhen } from '#shared/util/when.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** vue-i18n's `t`: named values, and the count that picks a message's plural form (`'{n} photo | {n} photos'`). */
export type Translate = (key: string, values?: Record<string, unknown>, plural?: number) => string;

/** Unsynced changes and photos counted in words, each in its own plural form, for the messages that join them. */
export function unsyncedCounts(changes: number, photos: number, t: Translate): { changes: string; photos: string } {
  return { changes: t('sync.changeCount', { n: changes }, changes), photos: t('sync.photoCount', { n: photos }, photos) };
}

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

/**
 * "12月5日 14:05" within the current year, "2025年12月5日 14:05" otherwise: the
 * one date style of the apps (`#shared/util/when.ts`).
 */
export function formatDateTime(time: number, locale: string, now = Date.now()): string {
  return formatWhen(time, now, locale);
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

/** "2026-11-22 14:05:33" in CST: the watermark's time, unambiguous in a printed report. */
export function formatStamp(time: number): string {
  return new Date(time + 8 * HOUR).toISOString().slice(0, 19).replace('T', ' ');
}

/** Offsets under half a second read as none: "-0秒" says nothing. */
export function isNoOffset(ms: number): boolean {
  return Math.abs(ms) < 500;
}

/** "+12秒", "-3分钟": a clock offset with its sign (server minus device). */
export function formatOffset(ms: number, t: Translate): string {
  const sign = ms < 0 ? '-' : '+';
  const abs = Math.abs(ms);
  return sign + (abs < MINUTE ? t('duration.seconds', { s: Math.round(abs / 1000) }) : formatDuration(abs, t));
}
