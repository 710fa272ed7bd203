/**
 * Unit, property and server tests: `npm run test:unit` (part of `npm test`).
 * End-to-end tests in real Chromium have their own config (tests/e2e/vitest.config.ts)
 * and are named *.e2e.ts; they are excluded here as well, in case one is misnamed.
 */
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'tests/e2e/**'],
    environment: 'node',
    // Server tests start real servers, SQLite files, PostgreSQL and Redis
    // child processes: separate processes keep native handles from leaking
    // between files.
    pool: 'forks',
    // Generous: property and server tests share two cores with whatever else runs; speed is
    // measured by `npm run bench`, never here.
    testTimeout: 30_000,
  },
});
