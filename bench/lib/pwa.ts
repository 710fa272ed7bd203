/**
 * The built PWA for the browser cases: whether dist/pwa exists, and a page
 * script bundled with esbuild. Serving (vite preview) and the phone-sized
 * Chromium come from the PWA e2e fixtures (tests/e2e/pwa/fixtures.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Null when the PWA is built, else the reason a case is skipped. */
export function pwaNotBuilt(): string | null {
  return existsSync(join(ROOT, 'dist/pwa/index.html')) && existsSync(join(ROOT, 'dist/pwa/sw.js')) ? null : 'not built: run `npm run build:pwa` (dist/pwa)';
}

/** A TypeScript entry bundled into one file: an `iife` classic script for `page.addScriptTag`, or an `esm` module (a module worker's file, served by the case). */
async function bundled(entry: string, format: 'iife' | 'esm'): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    format,
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** A TypeScript entry bundled into one classic script for `page.addScriptTag`. */
export const pageScript = (entry: string): Promise<string> => bundled(entry, 'iife');

/** A TypeScript entry bundled into one module script (a module worker's file, served by the case). */
export const moduleScript = (entry: string): Promise<string> => bundled(entry, 'esm');
