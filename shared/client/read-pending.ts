/**
 * The read of `Pending` from the device's database (Dexie), apart from the
 * status's pure rules (`sync-status.ts`), which the PWA's first screen uses
 * before the data layer has loaded.
 */
import type { LianxinDb } from '../local/db.ts';
import { refusedWork } from '../local/journal.ts';
import { unsyncedCounts } from '../local/projection.ts';
import { rejectedUploads } from './uploads.ts';
import type { Pending } from './sync-status.ts';

/** The one read of the device's unconfirmed work (the PWA runs it as a live query, the extension on each status request). */
export async function readPending(db: LianxinDb): Promise<Pending> {
  const [unsynced, photoRows, rejected, refused, orderIds] = await Promise.all([
    unsyncedCounts(db),
    db.uploads.where('state').anyOf(['queued', 'uploading', 'failed']).primaryKeys(),
    rejectedUploads(db),
    refusedWork(db),
    unsyncedOrderIds(db),
  ]);
  const refusedChanges = refused.reduce((n, r) => n + r.events.length + (r.intake ? 1 : 0), 0);
  return {
    unsynced,
    events: unsynced.events + unsynced.intakes - refusedChanges,
    refused,
    refusedChanges,
    photos: unsynced.photos,
    photoHashes: new Set(photoRows),
    orderIds,
    rejected,
  };
}

/** The orders holding unconfirmed events, field reports or photos (read by index: no rows deserialised for uploads). */
async function unsyncedOrderIds(db: LianxinDb): Promise<Set<string>> {
  const [events, intakes, uploads] = await Promise.all([
    db.journal.where('unsynced').equals(1).toArray(),
    db.intakes.where('unsynced').equals(1).primaryKeys(),
    db.uploads.where('state').anyOf(['queued', 'uploading', 'failed']).toArray(),
  ]);
  return new Set([...events.map((row) => row.orderId), ...intakes, ...uploads.map((row) => row.orderId)]);
}
