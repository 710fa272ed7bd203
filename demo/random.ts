/**
 * Seeded randomness for demo data. Every order draws from its own streams,
 * seeded from (seed, order index, purpose), so any one order can be rebuilt
 * alone and adding a draw to one part of the generator does not reshuffle
 * every order after it.
 */
import { mulberry32, seededRandomBytes, type RandomBytes } from '#shared/clock/ids.ts';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Whole number in [min, max], both included. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(list: readonly T[]): T;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: (list) => itemAt(list, Math.floor(next() * list.length)),
  };
}

/** The item at `index`; throws instead of handing back undefined. */
export function itemAt<T>(list: readonly T[], index: number): T {
  if (index < 0 || index >= list.length) throw new Error(`index ${index} outside a list of ${list.length}`);
  return list[index] as T;
}

/** murmur3's finaliser: spreads every input bit over the whole word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One well-mixed 32-bit seed from several numbers (seeds beyond 32 bits keep their high part). */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    const whole = Math.trunc(part);
    h = fmix32((h ^ (whole >>> 0)) + Math.imul(h, 31));
    h = fmix32(h ^ (Math.floor(whole / 4294967296) >>> 0));
  }
  return h;
}

/** FNV-1a of a string: stable per-name variation (a grid's workload, a user's clock offset). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** A stable number in [0, 1) for a name. */
export function unitInterval(text: string): number {
  return hashString(text) / 4294967296;
}

export interface Weighted<T> {
  readonly items: readonly T[];
  /** Each item's share of the total weight, in `items` order. */
  readonly shares: readonly number[];
  pick(rng: Rng): T;
  shareOf(item: T): number;
}

/** A table to draw from in proportion to the weights (which need not sum to 1). */
export function weighted<T>(entries: readonly (readonly [T, number])[]): Weighted<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of entries) {
    if (!(weight > 0)) continue;
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  if (items.length === 0) throw new Error('a weighted table needs at least one positive weight');
  const shares = items.map((_, i) => (itemAt(cumulative, i) - (i === 0 ? 0 : itemAt(cumulative, i - 1))) / total);
  return {
    items,
    shares,
    pick(rng) {
      const target = rng.next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (itemAt(cumulative, mid) > target) hi = mid;
        else lo = mid + 1;
      }
      return itemAt(items, lo);
    },
    shareOf(item) {
      const index = items.indexOf(item);
      return index < 0 ? 0 : itemAt(shares, index);
    },
  };
}

/** Lowercase hex of `length` random bytes: 32 bytes look like a SHA-256. */
export function randomHex(random: RandomBytes, length: number): string {
  let out = '';
  for (const byte of random(length)) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** The per-purpose streams of one order. */
export const STREAM = { header: 1, intake: 2, history: 3, bytes: 4, id: 5 } as const;

export function orderRng(seed: number, index: number, stream: (typeof STREAM)[keyof typeof STREAM]): Rng {
  return createRng(mixSeed(seed, index, stream));
}

export function orderBytes(seed: number, index: number): RandomBytes {
  return seededRandomBytes(mixSeed(seed, index, STREAM.bytes));
}
