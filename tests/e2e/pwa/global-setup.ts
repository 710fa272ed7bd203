/**
 * Once for all PWA e2e files: build the PWA (skip with LIANXIN_E2E_SKIP_BUILD=1
 * when dist/pwa is fresh) and serve it with one `vite preview` that has no
 * sync server behind it (demo mode and offline tests). Files that change
 * dist/pwa (update.e2e.ts) or need a sync server start their own.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ROOT, startPreview } from './fixtures.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared `vite preview` of dist/pwa, with /api going to a closed port. */
    pwaPreviewUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!(process.env.LIANXIN_E2E_SKIP_BUILD === '1' && existsSync(`${ROOT}dist/pwa/index.html`))) {
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'pwa/vite.config.ts', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  const preview = await startPreview();
  project.provide('pwaPreviewUrl', preview.url);
  return () => preview.stop();
}
