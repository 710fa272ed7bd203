/**
 * The photo case's quality figure as a page script (bundled by bench/lib/pwa.ts
 * pageScript): SSIM of a stored photo against the original scaled to the same
 * size. Both are decoded by the browser; the reference is the original's luma
 * scaled down by exact area averaging (each output pixel the mean of the input
 * area it covers, in floating point), the best a resize can do, so a better
 * resize filter in the app scores higher and a coarser encoding lower. SSIM on
 * luma (BT.601), 8×8 windows every 4 pixels, the usual constants for 8 bits.
 */

declare global {
  interface Window {
    benchSsim: (stored: Blob, original: Blob) => Promise<number>;
  }
}

async function lumaOf(blob: Blob): Promise<{ width: number; height: number; luma: Float32Array }> {
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const data = ctx.getImageData(0, 0, width, height).data;
  const luma = new Float32Array(width * height);
  for (let i = 0, p = 0; p < luma.length; i += 4, p++) luma[p] = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
  return { width, height, luma };
}

/** One axis of an area-average resample: `n` samples of stride `stride` → `m`, for `lines` lines. */
function areaAxis(src: Float32Array, n: number, m: number, lines: number, along: 'x' | 'y', width: number): Float32Array {
  const outWidth = along === 'x' ? m : width;
  const out = new Float32Array(along === 'x' ? m * lines : m * width);
  const scale = n / m;
  for (let o = 0; o < m; o++) {
    const from = o * scale;
    const to = from + scale;
    for (let i = Math.floor(from); i < Math.min(n, Math.ceil(to)); i++) {
      const w = Math.min(to, i + 1) - Math.max(from, i);
      if (w <= 0) continue;
      for (let line = 0; line < lines; line++) {
        if (along === 'x') out[line * outWidth + o]! += (src[line * n + i]! * w) / scale;
        else out[o * width + line]! += (src[i * width + line]! * w) / scale;
      }
    }
  }
  return out;
}

function ssim(a: Float32Array, b: Float32Array, width: number, height: number): number {
  const C1 = (0.01 * 255) ** 2;
  const C2 = (0.03 * 255) ** 2;
  let sum = 0;
  let count = 0;
  for (let y = 0; y + 8 <= height; y += 4) {
    for (let x = 0; x + 8 <= width; x += 4) {
      let ma = 0, mb = 0, va = 0, vb = 0, cov = 0;
      for (let j = 0; j < 8; j++) {
        const row = (y + j) * width + x;
        for (let i = 0; i < 8; i++) {
          const p = a[row + i]!;
          const q = b[row + i]!;
          ma += p; mb += q; va += p * p; vb += q * q; cov += p * q;
        }
      }
      ma /= 64; mb /= 64;
      va = va / 64 - ma * ma; vb = vb / 64 - mb * mb; cov = cov / 64 - ma * mb;
      sum += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      count++;
    }
  }
  return sum / count;
}

window.benchSsim = async (stored, original) => {
  const s = await lumaOf(stored);
  const o = await lumaOf(original);
  const rows = areaAxis(o.luma, o.width, s.width, o.height, 'x', o.width);
  const reference = areaAxis(rows, o.height, s.height, s.width, 'y', s.width);
  return ssim(s.luma, reference, s.width, s.height);
};
