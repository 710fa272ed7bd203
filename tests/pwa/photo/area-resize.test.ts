/**
 * The photo worker's downscale (pwa/src/photo/area-resize.ts) is an exact area
 * average: every output pixel equals the mean of the source area it covers,
 * computed here the slow way (each output pixel's 2-D overlap with every
 * source pixel), for any size, ratio and strip height.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { areaResize } from '#pwa/src/photo/area-resize.ts';

beforeAll(() => {
  // Node has no ImageData; the worker's is this shape.
  if (!('ImageData' in globalThis)) {
    Object.assign(globalThis, {
      ImageData: class {
        readonly data: Uint8ClampedArray;
        constructor(
          readonly width: number,
          readonly height: number,
        ) {
          this.data = new Uint8ClampedArray(width * height * 4);
        }
      },
    });
  }
});

function image(width: number, height: number, seed: number): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = i % 4 === 3 ? 255 : state >>> 24;
  }
  return data;
}

/** The mean of the source area under each output pixel, by brute force. */
function reference(src: Uint8ClampedArray, sw: number, sh: number, width: number, height: number): number[] {
  const out: number[] = [];
  const sx = sw / width;
  const sy = sh / height;
  const overlap = (a0: number, a1: number, b: number) => Math.max(0, Math.min(a1, b + 1) - Math.max(a0, b));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sums = [0, 0, 0];
      for (let j = 0; j < sh; j++) {
        const wy = overlap(y * sy, (y + 1) * sy, j);
        if (wy === 0) continue;
        for (let i = 0; i < sw; i++) {
          const w = wy * overlap(x * sx, (x + 1) * sx, i);
          if (w === 0) continue;
          for (let c = 0; c < 3; c++) sums[c]! += src[(j * sw + i) * 4 + c]! * w;
        }
      }
      for (let c = 0; c < 3; c++) out.push(sums[c]! / (sx * sy));
      out.push(255);
    }
  }
  return out;
}

function resize(src: Uint8ClampedArray, sw: number, sh: number, width: number, height: number, strip: number): Uint8ClampedArray {
  return areaResize((y, rows) => src.slice(y * sw * 4, (y + rows) * sw * 4), { width: sw, height: sh }, width, height, strip).data;
}

describe('areaResize', () => {
  it('gives each output pixel the mean of the source area it covers (to the nearest 8-bit value)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 30 }), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.integer({ min: 1, max: 9 }), fc.integer(), (sw, sh, fx, fy, strip, seed) => {
        const width = Math.max(1, Math.round(sw * fx));
        const height = Math.max(1, Math.round(sh * fy));
        const src = image(sw, sh, seed);
        const got = resize(src, sw, sh, width, height, strip);
        const want = reference(src, sw, sh, width, height);
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(0.5 + 1e-3);
      }),
      { numRuns: 60 },
    );
  });

  it("at a 12 MP photo's ratio (4000 → 1920, here 1000 × 750 → 480 × 360) a flat colour stays exactly flat and opaque", () => {
    const src = new Uint8ClampedArray(1000 * 750 * 4);
    for (let i = 0; i < src.length; i += 4) src.set([200, 120, 40, 255], i);
    const out = resize(src, 1000, 750, 480, 360, 64);
    expect(out.length).toBe(480 * 360 * 4);
    const off: number[] = [];
    for (let i = 0; i < out.length; i += 4) if (out[i] !== 200 || out[i + 1] !== 120 || out[i + 2] !== 40 || out[i + 3] !== 255) off.push(i / 4);
    expect(off).toEqual([]);
  });
});
