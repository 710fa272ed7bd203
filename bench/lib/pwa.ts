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

/** A TypeScript entry bundled into one classic script for `page.addScriptTag`. */
export async function pageScript(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** A TypeScript entry bundled into one module script (a module worker's file, served by the case). */
export async function moduleScript(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}
