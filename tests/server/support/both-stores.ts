/**
 * One store test on both stores: the SQLite file in a temporary folder, and
 * PostgreSQL in a throwaway cluster (skipped, saying why, without its binaries).
 * `exercise` gets a function that opens the store, to close and reopen it.
 */
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { PostgresStore } from '#server/store/postgres.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import type { Store } from '#server/store/store.ts';
import { missingBinaries, startPostgres, type Service } from './services.ts';
import { stopAll, tempDir } from './server.ts';

export function describeBothStores(title: string, exercise: (open: () => Promise<Store>) => Promise<void>): void {
  const dirs: string[] = [];
  const services: Service[] = [];
  afterAll(async () => {
    await stopAll(dirs);
    for (const service of services) await service.stop();
  });

  describe(title, () => {
    it('SQLite', async () => {
      const dir = await tempDir();
      dirs.push(dir);
      await exercise(() => Promise.resolve(new SqliteStore(join(dir, 'lianxin.sqlite'))));
    });

    it.skipIf(missingBinaries() !== null)('PostgreSQL', async () => {
      const postgres = await startPostgres();
      services.push(postgres);
      await exercise(() => PostgresStore.open(postgres.url));
    }, 60_000);
  });
}
