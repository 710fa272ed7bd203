/**
 * The readable number of a worker's 事件上报: `SB-<grid>-<yyyymmdd>-<tag><n>`,
 * e.g. `SB-D1-S1-C1-G1-20261205-KQX2`.
 *
 * - `<grid>`: the grid (or community) the report is placed in, upper-cased,
 *   anything but letters and digits turned into `-`, its last 14 characters
 *   when longer, so the whole number stays within the 40 an order number may
 *   have;
 * - `<yyyymmdd>`: the day of the report, in China Standard Time;
 * - `<tag>`: three letters fixed per device (from the device id), so that
 *   two phones numbering offline on the same day never produce the same
 *   number — the server refuses a second order with a number it already has;
 * - `<n>`: the device's own count of reports in that grid that day, from 1.
 *
 * A number is made on the device, offline, and never changes; it is not the
 * order's identity (the random `fr-` id is). Pure: the caller passes the time,
 * the device id and the numbers the device already gave.
 */
import { cstDate } from './deadline.ts';

const ORDER_NO = /^[A-Za-z0-9-]{4,40}$/;
const GRID_MAX = 14;

/** Three capital letters from a device id (FNV-1a), the same for every report of that device. */
export function deviceTag(deviceId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i++) {
    hash ^= deviceId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let tag = '';
  for (let i = 0; i < 3; i++) {
    tag += String.fromCharCode(65 + (hash % 26));
    hash = Math.floor(hash / 26);
  }
  return tag;
}

/** The grid part of the number. */
export function gridCode(unitId: string): string {
  const code = unitId.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (code.length > GRID_MAX ? code.slice(-GRID_MAX).replace(/^-+/, '') : code) || 'X';
}

/** Everything before the count: the numbers one device gives in one grid on one day share it. */
export function fieldReportPrefix(unitId: string, time: number, deviceId: string): string {
  return `SB-${gridCode(unitId)}-${cstDate(time).replaceAll('-', '')}-${deviceTag(deviceId)}`;
}

/**
 * The next number for a report placed in `unitId` at `time` from `deviceId`,
 * after the numbers in `given` (any numbers the device knows; only those with
 * the same prefix count).
 */
export function nextFieldReportNo(unitId: string, time: number, deviceId: string, given: Iterable<string>): string {
  const prefix = fieldReportPrefix(unitId, time, deviceId);
  let highest = 0;
  for (const no of given) {
    if (!no.startsWith(prefix)) continue;
    const n = Number(no.slice(prefix.length));
    if (Number.isInteger(n) && n > highest) highest = n;
  }
  const no = `${prefix}${highest + 1}`;
  if (!ORDER_NO.test(no)) throw new Error(`field report number ${no} is not an order number`);
  return no;
}

/** True for a number made by `nextFieldReportNo`. */
export function isFieldReportNo(no: string): boolean {
  return /^SB-[A-Z0-9-]+-\d{8}-[A-Z]{3}\d+$/.test(no);
}
