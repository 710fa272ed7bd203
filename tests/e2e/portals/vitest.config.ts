/**
 * End-to-end tests of the portal engine (extension/lib/portal) against the
 * demo portals (tests/portals) in real Chromium: `npm run test:e2e:portals`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/portals/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser at a time: these machines have two cores. One process for all
    // files (no isolation): each file starts and closes its own portals and browser
    // in beforeAll/afterAll and sets no globals, and the engine is bundled once
    // (fixtures.ts engineBundle) instead of once per file.
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
    isolate: false,
  },
});
