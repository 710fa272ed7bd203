/**
 * The photo worker: decode with the EXIF orientation applied, scale to at most
 * `maxSide` (by exact area averaging: area-resize.ts), stamp the watermark, encode JPEG (Safari cannot encode WebP from
 * OffscreenCanvas), and hash the exact bytes that will be stored and uploaded.
 * Runs off the main thread so a burst of photos never freezes the form.
 */
import type { ProcessReply, ProcessRequest } from './protocol.ts';
import { areaResize } from './area-resize.ts';
import { drawWatermark } from './watermark.ts';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ProcessRequest>) => void) | null;
  postMessage(message: ProcessReply): void;
}

const scope = self as unknown as WorkerScope;

function fit(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * The area average is used from this downscale ratio on: measured better than the canvas's 'high'
 * filter at 1.7× and 2.08× (bench/README.md, "Photo pipeline"), worse at 1.04× and 1.25×, where
 * the source has little noise to average away and the average only blurs.
 */
const AREA_FROM_RATIO = 1.5;

/** Rows of the source read at a time for the area resize: a 4000 px wide strip is 1 MB. */
const STRIP_ROWS = 64;

/** `bitmap` area-averaged to `width` × `height`, read a strip of rows at a time. */
function areaScaled(bitmap: ImageBitmap, width: number, height: number): ImageData {
  const strip = new OffscreenCanvas(bitmap.width, STRIP_ROWS);
  const ctx = strip.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d context');
  return areaResize(
    (y, rows) => {
      ctx.clearRect(0, 0, bitmap.width, STRIP_ROWS);
      ctx.drawImage(bitmap, 0, y, bitmap.width, rows, 0, 0, bitmap.width, rows);
      return ctx.getImageData(0, 0, bitmap.width, rows).data;
    },
    bitmap,
    width,
    height,
    STRIP_ROWS,
  );
}

/**
 * `resize`: 'area' for the stored photo (the noise a sensor leaves is averaged
 * away rather than sharpened and then encoded: smaller and closer to the
 * scene, bench/README.md "Photo pipeline") when it shrinks by AREA_FROM_RATIO
 * or more, the canvas's 'high' filter otherwise and for the small thumbnail.
 */
async function encode(bitmap: ImageBitmap, maxSide: number, quality: number, watermark: readonly string[], resize: 'area' | 'canvas'): Promise<{ blob: Blob; width: number; height: number }> {
  const size = fit(bitmap.width, bitmap.height, maxSide);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  if (resize === 'area' && bitmap.width >= AREA_FROM_RATIO * size.width) {
    ctx.putImageData(areaScaled(bitmap, size.width, size.height), 0, 0);
  } else {
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, size.width, size.height);
  }
  if (watermark.length > 0) drawWatermark(ctx, size.width, size.height, watermark);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  return { blob, ...size };
}

async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function handle(request: ProcessRequest): Promise<ProcessReply> {
  if (request.file.type !== '' && !request.file.type.startsWith('image/')) {
    return { id: request.id, ok: false, reason: 'not_image', message: request.file.type };
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(request.file, { imageOrientation: 'from-image' });
  } catch (error) {
    return { id: request.id, ok: false, reason: request.file.type === '' ? 'not_image' : 'unreadable', message: String(error) };
  }
  try {
    const full = await encode(bitmap, request.maxSide, request.quality, request.watermark, 'area');
    // The thumbnail is cut from the watermarked photo so it shows what was stored.
    const stamped = await createImageBitmap(full.blob);
    const thumb = await encode(stamped, request.thumbSide, 0.7, [], 'canvas');
    stamped.close();
    const sha256 = await sha256Hex(full.blob);
    return { id: request.id, ok: true, photo: { blob: full.blob, thumb: thumb.blob, sha256, width: full.width, height: full.height } };
  } catch (error) {
    return { id: request.id, ok: false, reason: 'encode_failed', message: String(error) };
  } finally {
    bitmap.close();
  }
}

scope.onmessage = (event) => {
  void handle(event.data).then((reply) => scope.postMessage(reply));
};
