/**
 * When requests arrive: the hotline is busiest on weekday mornings and
 * afternoons and quiet at night. Times are China Standard Time (UTC+8).
 */
import { itemAt, type Rng } from './random.ts';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const CST_OFFSET_MS = 8 * HOUR;

/** Relative call volume by CST hour of day, 0 … 23. */
const HOURLY = [
  0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.35, 0.7, 1.0, 1.0, 0.95, 0.8, 0.6, 0.65, 0.9, 0.95, 0.9, 0.8, 0.6, 0.55, 0.5, 0.4,
  0.3, 0.2,
] as const;
const WEEKEND_FACTOR = 0.75;

/** Year, month … second of `time` in CST, as two-digit strings (year as 'yy'). */
export function cstParts(time: number): { yy: string; MM: string; dd: string; HH: string; mm: string; ss: string } {
  const iso = new Date(time + CST_OFFSET_MS).toISOString(); // 2025-09-12T10:11:08.000Z
  return { yy: iso.slice(2, 4), MM: iso.slice(5, 7), dd: iso.slice(8, 10), HH: iso.slice(11, 13), mm: iso.slice(14, 16), ss: iso.slice(17, 19) };
}

/** 18 digits as one portal numbers its orders: yyMMddHHmmss of receipt, then 6 digits. */
export function orderNumber(receivedAt: number, serial: number): string {
  const p = cstParts(receivedAt);
  return `${p.yy}${p.MM}${p.dd}${p.HH}${p.mm}${p.ss}${String(serial % 1_000_000).padStart(6, '0')}`;
}

function callVolume(time: number): number {
  const local = time + CST_OFFSET_MS;
  const hour = Math.floor((((local % DAY) + DAY) % DAY) / HOUR);
  const weekday = (Math.floor(local / DAY) + 4) % 7; // 1970-01-01 was a Thursday
  return itemAt(HOURLY, hour) * (weekday === 0 || weekday === 6 ? WEEKEND_FACTOR : 1);
}

/**
 * A receipt time between `maxAge` and `minAge` before `now`, in whole seconds,
 * following the hotline's daily rhythm. `meanAge` skews it towards the recent
 * past (open orders); without it, ages are uniform (the period's intake).
 */
export function receiptTime(rng: Rng, now: number, minAge: number, maxAge: number, meanAge?: number): number {
  const span = Math.max(0, maxAge - minAge);
  let time = now - minAge;
  for (let attempt = 0; attempt < 40; attempt++) {
    const extra = meanAge === undefined ? rng.next() * span : Math.min(span, -Math.log(1 - rng.next()) * meanAge);
    time = now - minAge - extra;
    if (rng.next() < callVolume(time)) break;
  }
  return Math.floor(time / SECOND) * SECOND;
}

/** Staff write events between 07:30 and 21:30 CST. */
const WORK_START = 7.5 * HOUR;
const WORK_END = 21.5 * HOUR;

/**
 * `time`, or if it falls at night, the evening before (when that is still
 * after `after`) or else the next morning: nobody calls a citizen back at
 * 4 am. `jitter` in [0, 1) spreads the moved times over the evening or morning.
 */
export function duringDay(time: number, after: number, jitter: number): number {
  const local = time + CST_OFFSET_MS;
  const midnight = Math.floor(local / DAY) * DAY;
  const clock = local - midnight;
  if (clock >= WORK_START && clock < WORK_END) return time;
  const nightBegan = (clock < WORK_START ? midnight - DAY : midnight) + WORK_END - CST_OFFSET_MS;
  const evening = nightBegan - 10 * MINUTE - jitter * 3.5 * HOUR;
  if (evening > after) return evening;
  return nightBegan + (WORK_START + DAY - WORK_END) + jitter * 2 * HOUR;
}
