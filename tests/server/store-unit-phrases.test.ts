/** A unit's 常用语 in both stores: set, replaced, listed, kept when the store is opened again. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '#server/store/postgres.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import type { Store } from '#server/store/store.ts';
import { missingBinaries, startPostgres, type Service } from './support/services.ts';
import { stopAll, tempDir } from './support/server.ts';

const dirs: string[] = [];
const services: Service[] = [];
afterAll(async () => {
  await stopAll(dirs);
  for (const service of services) await service.stop();
});

const street = { actions: ['已到现场核实'], publicReply: ['感谢您的监督。'], returnReason: [] };
const grid = { actions: ['网格用语'], publicReply: [], returnReason: ['不属于本网格'] };

async function exercise(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    expect(await store.listUnitPhrases()).toEqual([]);
    await store.setUnitPhrases({ unitId: 'd1-s1', phrases: street, updatedBy: 'clerk1', updatedAt: 1 });
    await store.setUnitPhrases({ unitId: 'd1-s1-c1-g1', phrases: grid, updatedBy: 'clerk1', updatedAt: 2 });
    await store.setUnitPhrases({ unitId: 'd1-s1', phrases: { ...street, returnReason: ['重复工单'] }, updatedBy: 'admin', updatedAt: 3 });
  } finally {
    await store.close();
  }
  const again = await open();
  try {
    expect(await again.listUnitPhrases()).toEqual([
      { unitId: 'd1-s1', phrases: { ...street, returnReason: ['重复工单'] }, updatedBy: 'admin', updatedAt: 3 },
      { unitId: 'd1-s1-c1-g1', phrases: grid, updatedBy: 'clerk1', updatedAt: 2 },
    ]);
  } finally {
    await again.close();
  }
}

describe('unit phrases in the store', () => {
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
