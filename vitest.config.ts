/**
 * Unit, property and server tests, in three tiers (Vitest projects):
 *
 *   core    the pure domain and the apps' pure helpers: no IO, no servers.
 *           The inner loop: `npm run test:core`, well under a minute.
 *   client  the browser client on fake-indexeddb, some against a real server.
 *   server  real server processes, SQLite files, PostgreSQL and Redis.
 *
 * `npm run test:unit` runs all three. End-to-end tests in real Chromium have
 * their own configs (tests/e2e/…) and are named *.e2e.ts; they are excluded
 * here as well, in case one is misnamed.
 */
import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

const exclude = [...configDefaults.exclude, 'tests/e2e/**'];

/**
 * The server tier's workers: the CPUs (LIANXIN_SERVER_TIER_WORKERS to set it). Its files mostly
 * wait on the servers they start, each on free ports and in folders of its own, so two share two
 * cores well: docs/TESTING.md, "CI time, part 2". The client tier too: its files add up to ~40 s,
 * a third of it waiting on the servers some of them start (two workers: 46 s → 27 s on this machine).
 * Vitest runs projects with different worker counts in groups of their own: core, client, server.
 */
const serverTierWorkers = Number(process.env.LIANXIN_SERVER_TIER_WORKERS) || availableParallelism();

export default defineConfig({
  test: {
    environment: 'node',
    // Server tests start real servers, SQLite files, PostgreSQL and Redis
    // child processes: separate processes keep native handles from leaking
    // between files.
    pool: 'forks',
    // Generous: property and server tests share two cores with whatever else runs; speed is
    // measured by `npm run bench`, never here.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          // Processes, not threads, although pure code holds no native handles: a worker
          // thread's process.env is its own copy, so the sweeps that set TZ
          // (tests/shared/support/instants.ts inTimeZone) would not change the zone there.
          pool: 'forks',
          // Vitest's default is one worker fewer than the CPUs: one on a 2-core machine.
          // Pure tests share nothing but the CPU, so use them all. The tiers that start
          // servers run after this one.
          maxWorkers: availableParallelism(),
          sequence: { groupOrder: 0 },
          // One process runs many files and imports the domain once: these files set no
          // globals, mocks or fake timers (inTimeZone puts TZ back), so nothing leaks.
          isolate: false,
          include: ['tests/shared/**/*.test.ts', 'tests/demo/**/*.test.ts', 'tests/extension/**/*.test.ts', 'tests/pwa/**/*.test.ts', 'tests/bench/**/*.test.ts'],
          exclude: [...exclude, 'tests/shared/client/**', 'tests/shared/local/**'],
        },
      },
      {
        extends: true,
        test: { name: 'client', include: ['tests/shared/client/**/*.test.ts', 'tests/shared/local/**/*.test.ts'], exclude, sequence: { groupOrder: 1 }, maxWorkers: availableParallelism() },
      },
      {
        extends: true,
        test: { name: 'server', include: ['tests/server/**/*.test.ts'], exclude, sequence: { groupOrder: 2 }, globalSetup: ['tests/server/support/global-setup.ts'], maxWorkers: serverTierWorkers },
      },
    ],
  },
});
