/**
 * Photos on disk, content-addressed: `<dir>/ab/<sha256>`. A photo is written
 * to a temporary file, fsynced, renamed into place and the folder fsynced
 * (its rows committed meanwhile, `put`), so a photo the server confirmed is
 * on disk and a half-written one never appears under its hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorageHealth } from '../store/health.ts';
import { fsyncPath } from '../store/fsync-path.ts';

export const PHOTO_MIME = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMime = (typeof PHOTO_MIME)[number];

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** The image type from the first bytes, or null if it is not a JPEG, PNG or WebP. */
export function sniffImage(bytes: Uint8Array): PhotoMime | null {
  const starts = (sig: readonly number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export class PhotoStore {
  constructor(
    private readonly dir: string,
    /** Told whether writes succeed, for /healthz. */
    private readonly health?: StorageHealth,
  ) {}

  private pathOf(sha256: string): string {
    if (!SHA256_PATTERN.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  /**
   * Store bytes already checked to hash to `sha256`, and their rows: `record(written)` (written:
   * false if the bytes were there already) runs once the file is written, fsynced and in place,
   * while its folder is fsynced — two serial fsync latencies instead of three (the rows' commit
   * fsyncs the database's WAL). Resolves once both are durable, with `record`'s value. A crash
   * between the two can leave rows without the file under its name; every reader checks both
   * (`PUT` writes the file again, `GET`/`HEAD` answer 404), so that is the photo not yet stored.
   */
  async put<T>(sha256: string, bytes: Uint8Array, record: (written: boolean) => Promise<T>): Promise<T> {
    if (await this.has(sha256)) return record(false);
    let folder: string;
    try {
      folder = await this.place(sha256, bytes);
    } catch (error) {
      this.health?.writeFailed('photos', error);
      throw error;
    }
    const synced = fsyncPath(folder).then(
      () => this.health?.writeOk('photos'),
      (error: unknown) => {
        this.health?.writeFailed('photos', error);
        throw error;
      },
    );
    const [folderSynced, recorded] = await Promise.allSettled([synced, record(true)]);
    if (folderSynced.status === 'rejected') throw folderSynced.reason;
    if (recorded.status === 'rejected') throw recorded.reason;
    return recorded.value;
  }

  /** Written to a temporary file, fsynced, renamed into place; returns the folder, whose entry is not yet synced. */
  private async place(sha256: string, bytes: Uint8Array): Promise<string> {
    const folder = join(this.dir, sha256.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const temp = join(folder, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    const file = await open(temp, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temp, this.pathOf(sha256));
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    return folder;
  }

  read(sha256: string): ReadStream {
    return createReadStream(this.pathOf(sha256));
  }
}
