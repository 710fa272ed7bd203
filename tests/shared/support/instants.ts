/**
 * Instants and time zones for sweeps: domain code takes the present as a
 * parameter, so a test can ask it about any moment and must get the answer
 * China's calendar gives, whatever the machine's clock and time zone.
 */
import type { DeadlinePolicy } from '#shared/order/deadline.ts';
import { DEFAULT_POLICY } from '#shared/order/deadline.ts';

const CST = 8 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/** A moment given as China Standard Time wall-clock parts. */
export function cst(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second) - CST;
}

/**
 * 春节 2027 falls on Saturday 6 February. A policy as a city would configure
 * it that year: the week off, and the two weekend days worked in exchange (调休).
 */
export const SPRING_FESTIVAL_POLICY: DeadlinePolicy = {
  ...DEFAULT_POLICY,
  holidays: ['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'],
  workingWeekends: ['2027-01-30', '2027-02-20'],
};

/** The moments that have broken date code before: year, month and day ends in China, weekends, holidays. */
export const NAMED_INSTANTS: readonly { readonly name: string; readonly at: number }[] = [
  { name: '23:59 on 31 December, China time', at: cst(2026, 12, 31, 23, 59) },
  { name: 'midnight on 1 January, China time (still 2026 in UTC)', at: cst(2027, 1, 1, 0, 0) },
  { name: 'the eve of 春节', at: cst(2027, 2, 5, 20, 0) },
  { name: 'in the 春节 holiday', at: cst(2027, 2, 9, 10, 15) },
  { name: 'a 调休 Saturday worked after 春节', at: cst(2027, 2, 20, 9, 0) },
  { name: 'a Saturday afternoon', at: cst(2027, 3, 6, 15, 30) },
  { name: 'a Sunday just before midnight', at: cst(2027, 3, 7, 23, 58) },
  { name: 'the last minute of February, China time', at: cst(2027, 2, 28, 23, 59, 59) },
  { name: '00:30 on 1 April, China time (31 March in UTC)', at: cst(2027, 4, 1, 0, 30) },
  { name: 'a leap day', at: cst(2028, 2, 29, 12, 0) },
  { name: 'a Monday at 09:00', at: cst(2026, 11, 2, 9, 0) },
  { name: 'a weekday at 16:59, one hour before the working day ends', at: cst(2026, 12, 4, 16, 59) },
  { name: 'far ahead', at: cst(2031, 7, 15, 4, 4) },
];

/**
 * The named moments and `count` more, spread over a year at a step that
 * lands on every hour and weekday in turn (7 h 37 min is prime to a week).
 */
export function sweepInstants(count = 48): { readonly name: string; readonly at: number }[] {
  const start = cst(2026, 12, 1, 0, 7);
  const step = 7 * HOUR + 37 * MINUTE;
  const spread = Array.from({ length: count }, (_, i) => {
    const at = start + i * step * 23;
    return { name: new Date(at + CST).toISOString().slice(0, 16).replace('T', ' ') + ' CST', at };
  });
  return [...NAMED_INSTANTS, ...spread];
}

/** Time zones far from China on both sides, and China's. */
export const TIME_ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'] as const;

/**
 * Set the process's time zone (Node applies a changed TZ at once); returns the function that puts the old one back.
 * Only in a process's main thread: in a worker thread (Vitest's `threads` pool) `process.env` is the thread's own
 * copy and setting TZ changes nothing, so this fails there rather than let a sweep compare one zone with itself.
 */
export function inTimeZone(zone: string): () => void {
  const saved = process.env['TZ'];
  process.env['TZ'] = zone;
  const now = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (now !== zone) {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
    throw new Error(`setting TZ=${zone} left the time zone at ${now}: run this file in a process (pool 'forks'), not a worker thread`);
  }
  return () => {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  };
}

/** Run `body` with the process's time zone set to each of TIME_ZONES in turn. */
export function inEachTimeZone<T>(body: (zone: string) => T): T[] {
  return TIME_ZONES.map((zone) => {
    const restore = inTimeZone(zone);
    try {
      return body(zone);
    } finally {
      restore();
    }
  });
}
