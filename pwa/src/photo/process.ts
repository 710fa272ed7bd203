/**
 * The page's side of the photo worker. The worker is started once when the
 * app starts (not on first use): after an app update the old version's worker
 * file is gone from the cache, and starting it later, offline, would fail.
 */
import type { ProcessedPhoto, ProcessFailure, ProcessReply, ProcessRequest } from './protocol.ts';

export const MAX_SIDE = 1920;
export const THUMB_SIDE = 320;
export const JPEG_QUALITY = 0.85;
/** Larger inputs are refused before decoding: a phone cannot decode them without running out of memory. */
export const MAX_INPUT_BYTES = 40 * 1024 * 1024;

export class PhotoError extends Error {
  constructor(
    readonly reason: ProcessFailure | 'too_large',
    message: string,
  ) {
    super(message);
    this.name = 'PhotoError';
  }
}

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, { resolve: (photo: ProcessedPhoto) => void; reject: (error: Error) => void }>();

export function startPhotoWorker(): void {
  if (worker) return;
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'lianxin-photo' });
  worker.onmessage = (event: MessageEvent<ProcessReply>) => {
    const reply = event.data;
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (reply.ok) pending.resolve(reply.photo);
    else pending.reject(new PhotoError(reply.reason, reply.message));
  };
  worker.onerror = (event) => {
    for (const pending of waiting.values()) pending.reject(new Error(event.message || 'photo worker failed'));
    waiting.clear();
  };
}

export function processPhoto(file: Blob, watermark: readonly string[]): Promise<ProcessedPhoto> {
  if (file.size > MAX_INPUT_BYTES) return Promise.reject(new PhotoError('too_large', String(file.size)));
  startPhotoWorker();
  const id = nextId++;
  const request: ProcessRequest = { id, file, maxSide: MAX_SIDE, thumbSide: THUMB_SIDE, quality: JPEG_QUALITY, watermark };
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker!.postMessage(request);
  });
}
