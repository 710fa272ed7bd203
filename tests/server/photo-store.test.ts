/**
 * PhotoStore.put: the rows are recorded once the file is written and in place (its folder's fsync
 * running meanwhile), and put resolves only with both done; a failing record fails the put. The same
 * with the file work in the photo thread (server/photos/photo-thread.ts), which the server uses, and
 * once that thread is gone, on the event loop again.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PhotoStore, sha256Hex } from '#server/photos/photo-store.ts';
import { PhotoThread } from '#server/photos/photo-thread.ts';
import { StorageHealth } from '#server/store/health.ts';
import { stopAll, tempDir } from './support/server.ts';

const dirs: string[] = [];
const threads: PhotoThread[] = [];
afterAll(async () => {
  await Promise.all(threads.map((thread) => thread.close()));
  await stopAll(dirs);
});

async function photoStore(thread?: PhotoThread, health?: StorageHealth): Promise<{ photos: PhotoStore; dir: string }> {
  const dir = await tempDir();
  dirs.push(dir);
  if (thread) threads.push(thread);
  return { photos: new PhotoStore(dir, health, thread), dir };
}

function photo(size: number): { bytes: Uint8Array; sha: string } {
  const bytes = new Uint8Array(randomBytes(size));
  return { bytes, sha: sha256Hex(bytes) };
}

describe.each([
  ['on the event loop', () => undefined],
  ['in the photo thread', () => new PhotoThread()],
])('PhotoStore.put, %s', (_, thread: () => PhotoThread | undefined) => {
  it('records the rows once the file is in place, says whether it wrote it, and resolves with the record', async () => {
    const { photos, dir } = await photoStore(thread());
    const { bytes, sha } = photo(2048);
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
    expect(new Uint8Array(readFileSync(join(dir, sha.slice(0, 2), sha)))).toEqual(bytes);
    expect(readdirSync(join(dir, sha.slice(0, 2)))).toEqual([sha]);
  });

  it('fails when the record fails, the file left for the next upload to find', async () => {
    const { photos } = await photoStore(thread());
    const { bytes, sha } = photo(1024);
    await expect(photos.put(sha, bytes, () => Promise.reject(new Error('database unavailable')))).rejects.toThrow('database unavailable');
    expect(await photos.put(sha, bytes, async (written) => written)).toBe(false);
  });

  it('fails when the file cannot be written, with the system error, tells /healthz, and records nothing', async () => {
    const health = new StorageHealth();
    const { photos, dir } = await photoStore(thread(), health);
    const { bytes, sha } = photo(1024);
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

describe('PhotoThread', () => {
  it('does the file work in the worker, two photos at once', async () => {
    const thread = new PhotoThread();
    expect(thread.start()).toBe(true);
    const { photos } = await photoStore(thread);
    const [a, b] = [photo(300 * 1024), photo(300 * 1024)];
    expect(await Promise.all([photos.put(a.sha, a.bytes, async (w) => w), photos.put(b.sha, b.bytes, async (w) => w)])).toEqual([true, true]);
    expect(thread.completed).toBe(2);
  });

  it('finishes on the event loop a photo the closing thread had not finished, and every later one', async () => {
    const thread = new PhotoThread();
    const { photos, dir } = await photoStore(thread);
    const first = photo(300 * 1024);
    const stored = photos.put(first.sha, first.bytes, async (w) => w);
    await thread.close();
    expect(await stored).toBe(true);
    const second = photo(1024);
    expect(await photos.put(second.sha, second.bytes, async (w) => w)).toBe(true);
    expect(thread.failed).toBe(true);
    for (const { sha, bytes } of [first, second]) expect(new Uint8Array(readFileSync(join(dir, sha.slice(0, 2), sha)))).toEqual(bytes);
  });
});
