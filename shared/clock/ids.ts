/**
 * Ids are random, never derived from the clock or a counter, so two devices
 * offline cannot mint the same one. The random source is passed in: the apps
 * give `cryptoRandomBytes`, tests and demo data a seeded one.
 */
export type RandomBytes = (length: number) => Uint8Array;

// The core is compiled without the DOM or Node typings; Web Crypto's
// getRandomValues is the one global it relies on, present in pages, service
// workers and Node 20 alike.
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

export const cryptoRandomBytes: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** 16 characters of base 36: about 82 bits. */
export function newId(random: RandomBytes, length = 16): string {
  const bytes = random(length);
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[bytes[i]! % ALPHABET.length];
  return id;
}

/** A deterministic byte source for tests and demo data (mulberry32). */
export function seededRandomBytes(seed: number): RandomBytes {
  const next = mulberry32(seed);
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
    return out;
  };
}

/** Small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
