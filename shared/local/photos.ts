/**
 * Photos on the device. A photo is stored and queued for upload in one
 * transaction, so none can sit on the device outside the queue, and the
 * unsynced count (what sign-out checks) always includes it.
 */
import type { LianxinDb, PhotoRow } from './db.ts';

/** Store a captured photo and queue its upload; storing the same hash again keeps the queue entry as it is. */
export async function storePhoto(db: LianxinDb, photo: PhotoRow, now: number): Promise<void> {
  await db.transaction('rw', db.photos, db.uploads, async () => {
    await db.photos.put(photo);
    if (!(await db.uploads.get(photo.sha256))) {
      await db.uploads.add({ sha256: photo.sha256, orderId: photo.orderId, state: 'queued', attempts: 0, nextAttemptAt: now, lastError: null });
    }
  });
}
