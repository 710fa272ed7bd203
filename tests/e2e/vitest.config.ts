/**
 * End-to-end tests: real Chromium (playwright-core, /usr/bin/chromium) against
 * the built PWA served by `vite preview`, and, where a test needs it, a real
 * sync server on a free port. Run: `npm run test:e2e:pwa`.
 *
 * Files are named *.e2e.ts so the unit-test run (`vitest run`) never picks them up.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/pwa/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/pwa/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser at a time: these machines have two cores. One process for all
    // files (no isolation): each file starts its own servers and browsers anyway,
    // and a fresh process per file costs seconds of imports.
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
    isolate: false,
  },
});
