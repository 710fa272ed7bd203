/**
 * The photo worker: decode with the EXIF orientation applied, scale to at most
 * `maxSide`, stamp the watermark, encode JPEG (Safari cannot encode WebP from
 * OffscreenCanvas), and hash the exact bytes that will be stored and uploaded.
 * Runs off the main thread so a burst of photos never freezes the form.
 */
import type { ProcessReply, ProcessRequest } from './protocol.ts';
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

async function encode(bitmap: ImageBitmap, maxSide: number, quality: number, watermark: readonly string[]): Promise<{ blob: Blob; width: number; height: number }> {
  const size = fit(bitmap.width, bitmap.height, maxSide);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, size.width, size.height);
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
    const full = await encode(bitmap, request.maxSide, request.quality, request.watermark);
    // The thumbnail is cut from the watermarked photo so it shows what was stored.
    const stamped = await createImageBitmap(full.blob);
    const thumb = await encode(stamped, request.thumbSide, 0.7, []);
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
