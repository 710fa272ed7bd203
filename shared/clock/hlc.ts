/**
 * Hybrid logical clock (Kulkarni et al.): a timestamp that follows the wall
 * clock when it can and a counter when it cannot, so that an event written
 * after seeing another always sorts after it, whatever the phone's clock says.
 *
 * The clock also keeps the last offset measured against the server clock.
 * A worker who puts the phone in airplane mode and moves its clock back still
 * writes events whose `at` disagrees with `at + serverOffsetMs`: the change is
 * visible to the clerk instead of silently faking a time stamp.
 */

export interface HlcState {
  /** Highest physical time seen or produced, in ms since the epoch. */
  readonly wall: number;
  /** Tie-breaker for events within the same `wall` millisecond. */
  readonly counter: number;
  /** Stable id of this device or process; makes stamps unique. */
  readonly node: string;
  /** server clock − device clock, as last measured; null before the first sync. */
  readonly serverOffsetMs: number | null;
}

/** How far a remote stamp may run ahead of our clock before we distrust it. */
export const MAX_DRIFT_MS = 24 * 60 * 60 * 1000;

const WALL_WIDTH = 11; // base 36: enough for dates far past the year 5000
const COUNTER_WIDTH = 5;

export function createHlc(node: string, serverOffsetMs: number | null = null): HlcState {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(node)) throw new Error(`invalid HLC node id: ${node}`);
  return { wall: 0, counter: 0, node, serverOffsetMs };
}

export function encodeHlc(state: Pick<HlcState, 'wall' | 'counter' | 'node'>): string {
  return `${state.wall.toString(36).padStart(WALL_WIDTH, '0')}.${state.counter
    .toString(36)
    .padStart(COUNTER_WIDTH, '0')}.${state.node}`;
}

export interface DecodedHlc {
  wall: number;
  counter: number;
  node: string;
}

const HLC_PATTERN = /^([0-9a-z]{11})\.([0-9a-z]{5})\.([A-Za-z0-9_-]{1,64})$/;

export function decodeHlc(stamp: string): DecodedHlc | null {
  const match = HLC_PATTERN.exec(stamp);
  if (!match) return null;
  return { wall: parseInt(match[1]!, 36), counter: parseInt(match[2]!, 36), node: match[3]! };
}

export function isHlc(stamp: string): boolean {
  return HLC_PATTERN.test(stamp);
}

/** Stamps compare as strings: the encoding is fixed width and zero padded. */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Produce the stamp of a new local event at device time `now`, after every
 * stamp in `seen` (the events already in the order). Returns the new state,
 * which the caller persists, and the stamp.
 */
export function tickHlc(
  state: HlcState,
  now: number,
  seen: Iterable<string> = [],
): { state: HlcState; stamp: string } {
  let wall = state.wall;
  let counter = state.counter;
  for (const stamp of seen) {
    const remote = decodeHlc(stamp);
    // A stamp from a device whose clock is far in the future must not drag
    // every later event with it; it is still ordered, just not followed.
    if (!remote || remote.wall > now + MAX_DRIFT_MS) continue;
    if (remote.wall > wall || (remote.wall === wall && remote.counter > counter)) {
      wall = remote.wall;
      counter = remote.counter;
    }
  }
  if (now > wall) {
    wall = now;
    counter = 0;
  } else {
    counter += 1;
  }
  const next = { ...state, wall, counter };
  return { state: next, stamp: encodeHlc(next) };
}

/** Record a fresh measurement of the server clock (e.g. from a sync reply). */
export function withServerOffset(state: HlcState, serverNow: number, deviceNow: number): HlcState {
  return { ...state, serverOffsetMs: serverNow - deviceNow };
}
