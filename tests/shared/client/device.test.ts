/** The escape hatches: the export holds everything unconfirmed (photo bytes too); forgetting refuses while anything is. */
import 'fake-indexeddb/auto';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_FORMAT, exportUnsynced, forgetLocalData } from '#shared/client/device.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { markDurable, recordEvent, recordIntake } from '#shared/local/journal.ts';
import { storePhoto } from '#shared/local/photos.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { HOUR, History, T0, intake, sha, users } from '../support/builders.ts';
import { openTestDb } from '../local/helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;

beforeEach(() => {
  ({ db, close } = openTestDb());
  docs = new OrderDocs({ db });
});
afterEach(() => close());

const BYTES = Uint8Array.of(0xff, 0xd8, 1, 2, 3, 0xff, 0xd9);

async function unsyncedWork(): Promise<string> {
  const history = new History();
  const accept = history.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
  await recordEvent(db, intake().id, accept);
  await recordIntake(db, intake({ id: 'fr-1', orderNo: 'FR-0001', source: 'field_report', channel: 'field', reportedBy: users.worker.id }), T0);
  const blob = new Blob([BYTES], { type: 'image/jpeg' });
  await storePhoto(db, { sha256: sha(5), orderId: intake().id, blob, thumb: blob, mime: 'image/jpeg', size: BYTES.length, width: 1, height: 1, takenAt: T0, createdAt: T0 }, T0);
  return accept.id;
}

describe('exportUnsynced', () => {
  it('writes every unconfirmed event, field report and photo (with its bytes) into one JSON file', async () => {
    const eventId = await unsyncedWork();
    const file = await exportUnsynced(db, users.worker, T0 + 2 * HOUR);
    expect(file.count).toBe(3);
    expect(file.name).toMatch(/^lianxin-unsynced-grid1-.*\.json$/);
    const json = JSON.parse(await file.blob.text()) as { format: string; events: { event: { id: string } }[]; intakes: { id: string }[]; photos: { sha256: string; base64: string }[] };
    expect(json.format).toBe(EXPORT_FORMAT);
    expect(json.events.map((e) => e.event.id)).toEqual([eventId]);
    expect(json.intakes.map((i) => i.id)).toEqual(['fr-1']);
    expect(json.photos.map((p) => p.sha256)).toEqual([sha(5)]);
    expect(Uint8Array.from(Buffer.from(json.photos[0]!.base64, 'base64'))).toEqual(BYTES);
  });

  it('is empty once the server has everything', async () => {
    const eventId = await unsyncedWork();
    await markDurable(db, [eventId], T0);
    await db.intakes.update('fr-1', { durableAt: T0, unsynced: undefined });
    await db.uploads.update(sha(5), { state: 'done' });
    expect((await exportUnsynced(db, users.worker, T0)).count).toBe(0);
  });
});

describe('forgetLocalData', () => {
  it('refuses while anything is unsynced, then forgets rows and order docs', async () => {
    const eventId = await unsyncedWork();
    expect(await forgetLocalData(db, docs)).toBe(false);
    expect(await db.journal.count()).toBe(1);

    const handle = await docs.acquire(intake().id);
    handle.doc.getArray('events').push([{ marker: true }]);
    handle.release();
    await markDurable(db, [eventId], T0);
    await db.intakes.update('fr-1', { durableAt: T0, unsynced: undefined });
    await db.uploads.update(sha(5), { state: 'done' });
    expect(await forgetLocalData(db, docs)).toBe(true);
    expect(await Promise.all([db.journal.count(), db.photos.count(), db.uploads.count(), db.intakes.count()])).toEqual([0, 0, 0, 0]);
    const doc = new Y.Doc();
    const store = new IndexeddbPersistence(orderDocName(intake().id), doc);
    await store.whenSynced;
    expect(doc.getArray('events').length).toBe(0);
    await store.destroy();
  });

  it('forgets the index docs the device kept: live ones of every kind and archive months', async () => {
    const names = ['community:d1-s1-c1', 'street:d1-s1', 'street:d1-s1:archive:2026-10', 'grid:d1-s1-c1-g1:archive:2026-09'];
    for (const name of names) {
      const doc = new Y.Doc();
      const store = new IndexeddbPersistence(name, doc);
      await store.whenSynced;
      doc.getMap('orders').set('o-1', { kept: true });
      await store.destroy();
    }
    expect(await forgetLocalData(db, docs)).toBe(true);
    for (const name of names) {
      const doc = new Y.Doc();
      const store = new IndexeddbPersistence(name, doc);
      await store.whenSynced;
      expect(doc.getMap('orders').size, name).toBe(0);
      await store.destroy();
    }
  });

  it('forgets demo data without the check when forced', async () => {
    await unsyncedWork();
    expect(await forgetLocalData(db, docs, { force: true })).toBe(true);
    expect(await db.journal.count()).toBe(0);
  });
});


