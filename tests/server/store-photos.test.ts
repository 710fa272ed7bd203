/** A photo and its uploads in both stores: the photo recorded once, each uploader once, the quota counting stored bytes only. */
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

const SHA = 'a'.repeat(64);
const row = (uploadedBy: string, storedAt: number) => ({ sha256: SHA, size: 300, mime: 'image/jpeg', uploadedBy, storedAt });

async function exercise(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    expect(await store.putPhoto(row('grid1', 10), { sha256: SHA, userId: 'grid1', bytes: 300, at: 10 })).toBe(true);
    // The same photo again, from another user: not a new photo, but a second uploader who added no bytes.
    expect(await store.putPhoto(row('grid2', 20), { sha256: SHA, userId: 'grid2', bytes: 0, at: 20 })).toBe(false);
    expect(await store.getPhoto(SHA)).toEqual(row('grid1', 10));
    expect(await store.isPhotoUploader(SHA, 'grid1')).toBe(true);
    expect(await store.isPhotoUploader(SHA, 'grid2')).toBe(true);
    expect(await store.isPhotoUploader(SHA, 'grid3')).toBe(false);
    expect(await store.photoBytesSince('grid1', 0)).toEqual({ bytes: 300, oldestAt: 10 });
    expect(await store.photoBytesSince('grid2', 0)).toEqual({ bytes: 0, oldestAt: null });
    expect(await store.countPhotos()).toBe(1);
  } finally {
    await store.close();
  }
}

describe('photos in the store', () => {
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
