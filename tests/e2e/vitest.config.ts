/**
 * End-to-end tests: real Chromium (playwright-core, /usr/bin/chromium) against
 * the built PWA served by `vite preview`, and, where a test needs it, a real
 * sync server on a free port. Run: `npm run test:e2e:pwa`.
 *
 * Files are named *.e2e.ts so the unit-test run (`vitest run`) never picks them up.
 */
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/pwa/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/pwa/global-setup.ts'],
    // A failing test prints what its browsers logged before the failure.
    setupFiles: ['tests/e2e/support/print-console-on-failure.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two files at a time (one on a one-core machine): a file's time is mostly waiting
    // for its browser and servers, so two share two cores well, and CI stays under
    // its 25 minutes. Files share only the read-only dist/pwa and the suite's preview;
    // a file that deploys a new version edits a copy of its own (fixtures.ts privateBuild).
    // One process per worker for many files (no isolation): each file starts its own
    // servers and browsers anyway, and a fresh process per file costs seconds of imports.
    fileParallelism: true,
    pool: 'forks',
    maxWorkers: Math.min(2, availableParallelism()),
    isolate: false,
  },
});
