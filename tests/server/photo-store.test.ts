/**
 * PhotoStore.put: the rows are recorded once the file is written and in place (its folder's fsync
 * running meanwhile), and put resolves only with both done; a failing record fails the put.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PhotoStore, sha256Hex } from '#server/photos/photo-store.ts';
import { StorageHealth } from '#server/store/health.ts';
import { stopAll, tempDir } from './support/server.ts';

const dirs: string[] = [];
afterAll(() => stopAll(dirs));

async function photoStore(health?: StorageHealth): Promise<{ photos: PhotoStore; dir: string }> {
  const dir = await tempDir();
  dirs.push(dir);
  return { photos: new PhotoStore(dir, health), dir };
}

describe('PhotoStore.put', () => {
  it('records the rows once the file is in place, says whether it wrote it, and resolves with the record', async () => {
    const { photos, dir } = await photoStore();
    const bytes = new Uint8Array(randomBytes(2048));
    const sha = sha256Hex(bytes);
    const seen: { written: boolean; fileThere: boolean }[] = [];
    const record = async (written: boolean) => {
      seen.push({ written, fileThere: existsSync(join(dir, sha.slice(0, 2), sha)) });
      return seen.length;
    };
    expect(await photos.put(sha, bytes, record)).toBe(1);
    expect(await photos.put(sha, bytes, record)).toBe(2);
    expect(seen).toEqual([
      { written: true, fileThere: true },
      { written: false, fileThere: true },
    ]);
    expect(await photos.has(sha)).toBe(true);
  });

  it('fails when the record fails, the file left for the next upload to find', async () => {
    const { photos } = await photoStore();
    const bytes = new Uint8Array(randomBytes(1024));
    const sha = sha256Hex(bytes);
    await expect(photos.put(sha, bytes, () => Promise.reject(new Error('database unavailable')))).rejects.toThrow('database unavailable');
    expect(await photos.put(sha, bytes, async (written) => written)).toBe(false);
  });

  it('fails when the file cannot be written, with the system error, tells /healthz, and records nothing', async () => {
    const health = new StorageHealth();
    const { photos, dir } = await photoStore(health);
    const bytes = new Uint8Array(randomBytes(1024));
    const sha = sha256Hex(bytes);
    // A file where the photo's folder should be.
    await writeFile(join(dir, sha.slice(0, 2)), 'not a folder');
    let recorded = false;
    await expect(
      photos.put(sha, bytes, async () => {
        recorded = true;
        return true;
      }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(recorded).toBe(false);
    expect(health.snapshot().targets.photos.lastWriteError?.code).toMatch(/^E/);
  });
});
