/**
 * How far the server believes the times a client writes. Pure: the guard
 * runs it with the server's clock and what the server knows of the writer.
 *
 * A device's clock and its offline time are real — a worker can be offline
 * for days, and every event written then is true — so the bounds are not a
 * window around the server's now. They come from what the server knows:
 *
 * - nothing is written after the server's now, give or take a small skew for
 *   device clocks (and an HLC stamp may follow a stored stamp ahead of now,
 *   as `tickHlc` does);
 * - nothing is written before what its writer had already seen: an event
 *   appended after another user's event was written after the server
 *   received that one (its receipt), and every event after the order existed
 *   on the server (except its reporter's, written with the report);
 * - nothing is written before the writer's session began, less the longest a
 *   device may keep work unsynced;
 * - an HLC stamp is at or after the event's own time and above the stamps of
 *   the events it was written after (except a stamp `tickHlc` would not
 *   follow, more than a day ahead of the event's time);
 * - the server offset a device recorded is within a year either way.
 *
 * What is left, a writer claiming it was offline since the last event it
 * demonstrably had, is what offline work looks like; deadlines then use the
 * time the server received the event (`effectiveAt` in the reducer).
 */
import { decodeHlc, MAX_DRIFT_MS } from '../clock/hlc.ts';

/** A device's recorded offset from the server clock beyond this is not believed (a year either way). */
export const MAX_SERVER_OFFSET_MS = 365 * 24 * 60 * 60 * 1000;

export type TimeRefusalCode = 'time_in_future' | 'time_too_old' | 'time_before_seen' | 'hlc_out_of_order' | 'offset_out_of_range';

export interface TimeRefusal {
  readonly code: TimeRefusalCode;
  readonly reason: string;
  /** The envelope field at fault. */
  readonly field: 'at' | 'hlc' | 'serverOffsetMs';
}

export interface TimeBounds {
  /** The server's clock. */
  readonly now: number;
  /** How far a device clock may run ahead of (or behind) the server's and still be believed. */
  readonly skewMs: number;
  /** No event is earlier than this: the writer's session start less the longest offline time. */
  readonly notBefore: number;
  /** The latest server time the writer is known to have seen the order at (receipts, the order's creation); null if none. */
  readonly seenAt: number | null;
  /** HLC stamps of the events it was written after: it must sort after each. */
  readonly after: readonly string[];
  /** The highest stamp stored in the order within a day of now: a new stamp may follow it even past now + skew. */
  readonly followable: string | null;
}

export interface Stamped {
  readonly at: number;
  readonly hlc: string;
  readonly serverOffsetMs: number | null;
}

/** A time in words a person can check, whatever its size. */
export function showTime(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`;
}

function showDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

/** Why the server does not believe the event's times, or null when it does. */
export function checkEventTimes(event: Stamped, bounds: TimeBounds): TimeRefusal | null {
  const { now, skewMs } = bounds;
  if (event.serverOffsetMs !== null && Math.abs(event.serverOffsetMs) > MAX_SERVER_OFFSET_MS) {
    return { code: 'offset_out_of_range', field: 'serverOffsetMs', reason: `a recorded server offset of ${event.serverOffsetMs} ms is more than a year; sign in again to measure it` };
  }
  const stamp = decodeHlc(event.hlc);
  if (stamp === null) return { code: 'hlc_out_of_order', field: 'hlc', reason: 'is not an HLC stamp' };
  if (event.at > now + skewMs) {
    return { code: 'time_in_future', field: 'at', reason: `written at ${showTime(event.at)}, ${showDuration(event.at - now)} after the server's clock (${showTime(now)}): set the device's time automatically` };
  }
  const followable = bounds.followable === null ? null : decodeHlc(bounds.followable);
  const latestStamp = Math.max(now + skewMs, followable && followable.wall <= now + MAX_DRIFT_MS ? followable.wall : -Infinity);
  if (stamp.wall > latestStamp) {
    return { code: 'time_in_future', field: 'hlc', reason: `its clock stamp is ${showTime(stamp.wall)}, after the server's clock (${showTime(now)}) and every stamp in the order` };
  }
  if (stamp.wall < event.at) {
    return { code: 'hlc_out_of_order', field: 'hlc', reason: `its clock stamp (${showTime(stamp.wall)}) is before its own time (${showTime(event.at)})` };
  }
  if (event.at < bounds.notBefore) {
    return { code: 'time_too_old', field: 'at', reason: `written at ${showTime(event.at)}, earlier than this session allows (${showTime(bounds.notBefore)})` };
  }
  if (bounds.seenAt !== null && event.at < bounds.seenAt - skewMs) {
    return {
      code: 'time_before_seen',
      field: 'at',
      reason: `written at ${showTime(event.at)}, ${showDuration(bounds.seenAt - event.at)} before the server had what it was written after (${showTime(bounds.seenAt)})`,
    };
  }
  for (const before of bounds.after) {
    const seen = decodeHlc(before);
    // tickHlc does not follow a stamp more than a day ahead of the device's time.
    if (seen === null || seen.wall > event.at + MAX_DRIFT_MS) continue;
    if (event.hlc <= before) return { code: 'hlc_out_of_order', field: 'hlc', reason: `its clock stamp ${event.hlc} is not after ${before}, which it was written after` };
  }
  return null;
}
