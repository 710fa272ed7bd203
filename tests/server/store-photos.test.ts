/** A photo and its uploads in both stores: the photo recorded once, each uploader once, the quota counting stored bytes only. */
import { expect } from 'vitest';
import type { Store } from '#server/store/store.ts';
import { describeBothStores } from './support/both-stores.ts';

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
    // The photo route counts a photo still being stored itself: the store leaves it out when told to.
    expect(await store.photoBytesSince('grid1', 0, [SHA])).toEqual({ bytes: 0, oldestAt: null });
    expect(await store.photoBytesSince('grid1', 0, ['b'.repeat(64)])).toEqual({ bytes: 300, oldestAt: 10 });
    expect(await store.countPhotos()).toBe(1);
  } finally {
    await store.close();
  }
}

describeBothStores('photos in the store', exercise);
