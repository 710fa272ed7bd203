/**
 * The photo baseline as a page script: `browser-image-compression`, bundled
 * by esbuild (bench/lib/pwa.ts pageScript) and injected into the PWA's page.
 */
import imageCompression from 'browser-image-compression';

declare global {
  interface Window {
    benchImageCompression: typeof imageCompression;
  }
}

window.benchImageCompression = imageCompression;
