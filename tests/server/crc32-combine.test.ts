/**
 * The CRC of two texts one after the other, from each one's CRC and the second's length
 * (server/http/crc32-combine.ts): the same as the CRC of the two read as one, whatever the texts.
 */
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Combine } from '#server/http/crc32-combine.ts';

describe('crc32Combine', () => {
  it('is the CRC of the two texts as one, any bytes, any lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 3000 }), (first, second) => {
        expect(crc32Combine(crc32(first), crc32(second), second.length)).toBe(crc32(Buffer.concat([first, second])));
      }),
      { numRuns: 300 },
    );
  });

  it('combines long texts and chains of pieces from a CRC of 0', () => {
    const pieces = [5, 70_000, 1, 1_048_577, 0, 33].map((length, i) => Buffer.alloc(length, i * 37 + 11));
    let crc = 0;
    for (const piece of pieces) crc = crc32Combine(crc, crc32(piece), piece.length);
    expect(crc).toBe(crc32(Buffer.concat(pieces)));
  });
});
