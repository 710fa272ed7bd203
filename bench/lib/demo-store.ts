/**
 * A server data folder pre-filled from the shared demo generator, written
 * through the server's own seeding code (server/seed.ts) straight into
 * SQLite before the server starts — the same docs, rows and index docs a
 * running server would hold, without pushing thousands of orders through the
 * API first.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemo, DEMO_ACCOUNTS, type Demo, type DemoOptions } from '#demo/index.ts';
import { seed } from '#server/seed.ts';
import { setQuiet } from '#server/log.ts';
import { SqliteStore } from '#server/store/sqlite.ts';

export interface DemoStore {
  readonly dataDir: string;
  readonly demo: Demo;
  /** Deletes the folder (a full first-sync store is about 75 MB). */
  remove(): Promise<void>;
}

/** `indexLiveMs`: closed orders go to their months' archive index docs, as a server run with `--index-live` keeps them. */
export async function demoDataDir(options: DemoOptions & { readonly indexLiveMs?: number | null }): Promise<DemoStore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lianxin-bench-'));
  const demo = createDemo(options);
  setQuiet(true);
  const store = new SqliteStore(join(dataDir, 'lianxin.sqlite'));
  try {
    await seed(store, { units: demo.units, users: demo.users, accounts: DEMO_ACCOUNTS, orders: [...demo.orders()] }, demo.now, undefined, options.indexLiveMs ?? null);
  } finally {
    await store.close();
  }
  return { dataDir, demo, remove: () => rm(dataDir, { recursive: true, force: true }) };
}
