/**
 * The extension's end-to-end tests: the built extension (.output/chrome-mv3)
 * loaded into real Chromium (playwright-core, /usr/bin/chromium), a real sync
 * server on a free port, and the demo portals. Run: `npm run test:e2e:ext`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/extension/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/extension/global-setup.ts'],
    setupFiles: ['tests/e2e/support/print-console-on-failure.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // One browser at a time: these machines have two cores.
    fileParallelism: false,
    pool: 'forks',
  },
});
