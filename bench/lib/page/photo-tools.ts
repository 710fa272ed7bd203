/**
 * The photo worker's pieces as a page script for bench/profile/photo-quality.ts:
 * its area resize and watermark, and MozJPEG (@jsquash/jpeg, wasm) for the
 * encoder comparison — `benchMozInit(wasm as base64)` once, then
 * `benchMozEncode(image, options)`.
 */
import encode, { init } from '@jsquash/jpeg/encode.js';
import type { EncodeOptions } from '@jsquash/jpeg/meta.js';
import { areaResize } from '../../../pwa/src/photo/area-resize.ts';
import { drawWatermark } from '../../../pwa/src/photo/watermark.ts';

declare global {
  interface Window {
    benchMozInit: (wasm: string) => Promise<void>;
    benchMozEncode: (image: ImageData, options: Partial<EncodeOptions>) => Promise<ArrayBuffer>;
    benchAreaResize: typeof areaResize;
    benchWatermark: typeof drawWatermark;
  }
}

/** The package's init(module, overrides), which its .d.ts types with the overrides only. */
const initWithModule = init as unknown as (module: WebAssembly.Module, overrides: { locateFile: (path: string) => string }) => Promise<void>;

window.benchMozInit = async (wasm) => {
  const bytes = Uint8Array.from(atob(wasm), (c) => c.charCodeAt(0));
  // locateFile: the module is given, nothing is fetched (an iife has no import.meta.url to resolve it against).
  await initWithModule(await WebAssembly.compile(bytes), { locateFile: (path) => path });
};
window.benchMozEncode = (image, options) => encode(image, options);
window.benchAreaResize = areaResize;
window.benchWatermark = drawWatermark;
