/**
 * The CRC-32 of two texts one after the other from the CRC of each and the second's length (zlib's
 * `crc32_combine`, which Node does not expose): a kept gzip piece keeps its CRC, not its text, and the
 * answer's CRC is made of the pieces' (server/http/gzip-parts.ts).
 *
 * Appending `length` zero bytes to the first text is a linear map on its CRC over GF(2); the map for
 * 2^k bytes is squared from the map for one bit, and applied for each bit set in `length`.
 */
const CRC32_POLYNOMIAL = 0xedb88320;

export function crc32Combine(first: number, second: number, secondLength: number): number {
  if (secondLength <= 0) return first >>> 0;
  let crc = first >>> 0;
  // `odd`: the operator for one zero bit; squared twice, the operator for four.
  const odd = new Uint32Array(32);
  const even = new Uint32Array(32);
  odd[0] = CRC32_POLYNOMIAL;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  square(even, odd);
  square(odd, even);
  let length = secondLength;
  // Each pass: the operator for the next power of two bytes, applied when that bit of the length is set.
  for (;;) {
    square(even, odd);
    if (length % 2 === 1) crc = times(even, crc);
    length = Math.floor(length / 2);
    if (length === 0) break;
    square(odd, even);
    if (length % 2 === 1) crc = times(odd, crc);
    length = Math.floor(length / 2);
    if (length === 0) break;
  }
  return (crc ^ second) >>> 0;
}

function times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0, v = vector >>> 0; v !== 0; i++, v >>>= 1) if (v & 1) sum ^= matrix[i]!;
  return sum >>> 0;
}

function square(result: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) result[n] = times(matrix, matrix[n]!);
}
