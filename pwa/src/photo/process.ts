/**
 * The page's side of the photo worker. The worker is started once when the
 * app starts (not on first use): after an app update the old version's worker
 * file is gone from the cache, and starting it later, offline, would fail.
 * It starts in the warm phase (router.ts `warmPages`: after the first screen
 * in a tab the service worker does not control yet, else once a newer version
 * is found), which holds off an update until `startPhotoWorker`'s promise
 * resolves: the worker has answered, so its script is loaded and no longer
 * needs the cache. Before that, the first photo starts it (from the precache).
 */
import type { ProcessedPhoto, ProcessFailure, ProcessReply, ProcessRequest } from './protocol.ts';

export const MAX_SIDE = 1920;
export const THUMB_SIDE = 320;
/**
 * 0.84 after the area resize (worker.ts): 7 % fewer bytes than 0.85 after the canvas's 'high' resize, at
 * a higher SSIM to the original (bench/README.md, "Photo pipeline").
 */
export const JPEG_QUALITY = 0.84;
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

let started: Promise<void> | null = null;

/** Start the worker once; resolves when it has answered (or failed to load). */
export function startPhotoWorker(): Promise<void> {
  if (started) return started;
  let loaded: () => void = () => undefined;
  started = new Promise<void>((resolve) => (loaded = resolve));
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'lianxin-photo' });
  worker.onmessage = (event: MessageEvent<ProcessReply>) => {
    const reply = event.data;
    if (reply.id === PROBE_ID) return loaded();
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (reply.ok) pending.resolve(reply.photo);
    else pending.reject(new PhotoError(reply.reason, reply.message));
  };
  worker.onerror = (event) => {
    loaded();
    for (const pending of waiting.values()) pending.reject(new Error(event.message || 'photo worker failed'));
    waiting.clear();
  };
  // A file that is not an image is refused at once: the reply proves the worker's script has run.
  const probe: ProcessRequest = { id: PROBE_ID, file: new Blob([], { type: 'text/plain' }), maxSide: 1, thumbSide: 1, quality: JPEG_QUALITY, watermark: [] };
  worker.postMessage(probe);
  return started;
}

const PROBE_ID = 0;

export function processPhoto(file: Blob, watermark: readonly string[]): Promise<ProcessedPhoto> {
  if (file.size > MAX_INPUT_BYTES) return Promise.reject(new PhotoError('too_large', String(file.size)));
  void startPhotoWorker();
  const id = nextId++;
  const request: ProcessRequest = { id, file, maxSide: MAX_SIDE, thumbSide: THUMB_SIDE, quality: JPEG_QUALITY, watermark };
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker!.postMessage(request);
  });
}
