/**
 * Work the server's guard refused: marked in the journal (so it survives a
 * restart), listed per order with why, still unsynced and exported, and
 * deleted — with the order's local doc — only when the user discards it.
 */
import 'fake-indexeddb/auto';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discardRefusedWork, exportUnsynced, forgetLocalData } from '#shared/client/device.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { markDurable, markRefused, pendingEvents, recordEvent, refusedWork } from '#shared/local/journal.ts';
import { allSynced } from '#shared/local/projection.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { readEvents } from '#shared/sync/order-doc.ts';
import { HOUR, History, T0, intake, users } from '../support/builders.ts';
import { openTestDb } from '../local/helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;

beforeEach(() => {
  ({ db, close } = openTestDb());
  docs = new OrderDocs({ db });
});
afterEach(() => close());

const refusal = { code: 'forbidden_type', reason: '<b>grid_worker may not write review_pass</b>', field: 'events[1].type', at: T0 + 3 * HOUR };

describe('refused work', () => {
  it('marks only the order’s unconfirmed events, lists them with the reason, and keeps them unsynced and in the export', async () => {
    const history = new History();
    const done = history.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    const refused = history.by(users.worker).do({ type: 'progress', payload: { text: '到场' } }, T0 + 2 * HOUR);
    const elsewhere = history.by(users.worker).do({ type: 'check_in', payload: { location: { kind: 'none', reason: 'denied' } } }, T0 + HOUR);
    await recordEvent(db, intake().id, done);
    await recordEvent(db, intake().id, refused);
    await recordEvent(db, 'o-other', elsewhere);
    await markDurable(db, [done.id], T0 + HOUR);

    expect(await markRefused(db, intake().id, refusal)).toBe(1);

    const work = await refusedWork(db);
    expect(work).toEqual([{ ...refusal, orderId: intake().id, events: [refused], intake: false }]);
    expect((await pendingEvents(db)).map((row) => row.event.id).sort()).toEqual([refused.id, elsewhere.id].sort());
    expect(await allSynced(db)).toBe(false);
    const file = JSON.parse(await (await exportUnsynced(db, users.worker, T0 + 4 * HOUR)).blob.text()) as { events: { event: { id: string } }[] };
    expect(file.events.map((e) => e.event.id)).toContain(refused.id);
  });

  it('survives reopening the database', async () => {
    const event = new History().by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    await recordEvent(db, intake().id, event);
    await markRefused(db, intake().id, refusal);
    db.close();
    await db.open();
    expect((await refusedWork(db)).map((r) => r.code)).toEqual(['forbidden_type']);
  });

  it('discards the refused events and the order’s local doc, leaving other orders’ work, so the device can sign out once the rest synced', async () => {
    const history = new History();
    const refused = history.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    const elsewhere = history.by(users.worker).do({ type: 'progress', payload: { text: '另一单' } }, T0 + 2 * HOUR);
    await recordEvent(db, intake().id, refused);
    await recordEvent(db, 'o-other', elsewhere);
    const handle = await docs.acquire(intake().id);
    expect(readEvents(handle.doc).events.map((e) => e.id)).toEqual([refused.id]);
    handle.release();
    await markRefused(db, intake().id, refusal);

    expect(await discardRefusedWork(db, docs, [intake().id, 'o-other'])).toEqual([intake().id]);

    expect(await refusedWork(db)).toEqual([]);
    expect((await pendingEvents(db)).map((row) => row.event.id)).toEqual([elsewhere.id]);
    const probe = new Y.Doc();
    const persistence = new IndexeddbPersistence(orderDocName(intake().id), probe);
    await persistence.whenSynced;
    expect(readEvents(probe).events).toEqual([]);
    await persistence.destroy();
    expect(await forgetLocalData(db, docs)).toBe(false);
    await markDurable(db, [elsewhere.id], T0 + 2 * HOUR);
    expect(await forgetLocalData(db, docs)).toBe(true);
  });
});
