/**
 * Downscaling by exact area averaging: each output pixel is the mean of the
 * source area it covers (fractional edges weighted), per RGBA channel. The
 * source is read in strips of rows so a 12 MP photo never needs a second full
 * copy of its pixels: only one output row is accumulated at a time.
 *
 * Why not the canvas's own 'high' resize: it is a sharpening filter that keeps
 * a phone sensor's pixel noise, and the JPEG encoder then spends its bytes on
 * that noise (bench/README.md, "Photo pipeline"). An area average removes as
 * much noise as the scale allows and keeps every edge the output can hold.
 */

/** Reads `rows` source rows from `y` as RGBA (width × rows × 4 bytes). */
export type ReadRows = (y: number, rows: number) => Uint8ClampedArray;

/** For each output index, the source indices it covers and their weights (summing to 1). */
function spans(source: number, target: number): { first: Int32Array; count: Int32Array; weights: Float32Array; offsets: Int32Array } {
  const scale = source / target;
  const first = new Int32Array(target);
  const count = new Int32Array(target);
  const offsets = new Int32Array(target);
  const weights: number[] = [];
  for (let o = 0; o < target; o++) {
    const from = o * scale;
    const to = Math.min(source, from + scale);
    const start = Math.floor(from);
    const end = Math.min(source, Math.ceil(to));
    first[o] = start;
    count[o] = end - start;
    offsets[o] = weights.length;
    for (let i = start; i < end; i++) weights.push((Math.min(to, i + 1) - Math.max(from, i)) / scale);
  }
  return { first, count, weights: Float32Array.from(weights), offsets };
}

/**
 * `source` (width × height, opaque: a decoded photo) area-averaged down to
 * `width` × `height` (each ≤ the source's). RGB only: the result is opaque.
 * Vertical first: each source row is added, weighted, into the output row(s)
 * it covers at the source's width; a finished row is then resampled across
 * once, so the horizontal pass runs per output row, not per source row.
 */
export function areaResize(read: ReadRows, source: { width: number; height: number }, width: number, height: number, strip = 64): ImageData {
  const xs = spans(source.width, width);
  const ys = spans(source.height, height);
  const out = new ImageData(width, height);
  const data = out.data;
  const sourceWidth = source.width;
  // Output rows still accumulating, at the source's width: the current one and (a source row can straddle two) the next.
  let current = new Float32Array(sourceWidth * 3);
  let next = new Float32Array(sourceWidth * 3);
  let outRow = 0;
  for (let y0 = 0; y0 < source.height && outRow < height; y0 += strip) {
    const rows = Math.min(strip, source.height - y0);
    const pixels = read(y0, rows);
    for (let r = 0; r < rows && outRow < height; r++) {
      const y = y0 + r;
      const base = r * sourceWidth * 4;
      const k = y - ys.first[outRow]!;
      if (k >= 0 && k < ys.count[outRow]!) addRow(current, pixels, base, sourceWidth, ys.weights[ys.offsets[outRow]! + k]!);
      if (outRow + 1 < height) {
        const k2 = y - ys.first[outRow + 1]!;
        if (k2 >= 0 && k2 < ys.count[outRow + 1]!) addRow(next, pixels, base, sourceWidth, ys.weights[ys.offsets[outRow + 1]! + k2]!);
      }
      // The current output row is complete once its last source row is in: resample it across.
      if (y === ys.first[outRow]! + ys.count[outRow]! - 1) {
        for (let o = 0, p = outRow * width * 4; o < width; o++, p += 4) {
          let red = 0;
          let green = 0;
          let blue = 0;
          let q = xs.first[o]! * 3;
          for (let t = xs.offsets[o]!, end = t + xs.count[o]!; t < end; t++, q += 3) {
            const w = xs.weights[t]!;
            red += current[q]! * w;
            green += current[q + 1]! * w;
            blue += current[q + 2]! * w;
          }
          data[p] = red;
          data[p + 1] = green;
          data[p + 2] = blue;
          data[p + 3] = 255;
        }
        const done = current;
        done.fill(0);
        current = next;
        next = done;
        outRow += 1;
      }
    }
  }
  return out;
}

/** `into` (RGB floats) += the RGBA row of `pixels` at `base`, times `weight`. */
function addRow(into: Float32Array, pixels: Uint8ClampedArray, base: number, count: number, weight: number): void {
  for (let i = 0, p = base, q = 0; i < count; i++, p += 4, q += 3) {
    into[q]! += pixels[p]! * weight;
    into[q + 1]! += pixels[p + 1]! * weight;
    into[q + 2]! += pixels[p + 2]! * weight;
  }
}
