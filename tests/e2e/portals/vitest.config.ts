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
    // One browser at a time: these machines have two cores.
    fileParallelism: false,
    pool: 'forks',
  },
});
