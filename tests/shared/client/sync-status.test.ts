/**
 * The sync status both apps show (the PWA's sync bar, the extension's popup):
 * one function of the device's state, so the same state reads the same in
 * both. "Synced" means the server has everything; work it refused for good
 * waits for the user ('attention'), not for the network ('syncing').
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shownSyncState } from '#shared/client/sync-shown.ts';
import { NOTHING_PENDING, holdsUnsynced, sessionKindOf, syncPhase, syncStatusOf, type DeviceState, type Pending } from '#shared/client/sync-status.ts';
import { readPending } from '#shared/client/read-pending.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { markRefused, recordEvent } from '#shared/local/journal.ts';
import { storePhoto } from '#shared/local/photos.ts';
import { HOUR, History, T0, intake, sha, users } from '../support/builders.ts';
import { openTestDb } from '../local/helpers.ts';

const connected = { connection: 'connected', docsInFlight: 0, indexLoaded: true, liveLoaded: true, openLoaded: true, openKnown: true, listStored: true } as const;
const state = (overrides: Partial<DeviceState>): DeviceState => ({ session: 'active', online: true, engine: connected, pending: NOTHING_PENDING, upload: null, ...overrides });

let db: LianxinDb;
let close: () => Promise<void>;
beforeEach(() => {
  ({ db, close } = openTestDb());
});
afterEach(() => close());

async function photo(n: number): Promise<void> {
  const blob = new Blob([Uint8Array.of(0xff, 0xd8, n, 0xff, 0xd9)], { type: 'image/jpeg' });
  await storePhoto(db, { sha256: sha(n), orderId: intake().id, blob, thumb: blob, mime: 'image/jpeg', size: 5, width: 1, height: 1, takenAt: T0, createdAt: T0 }, T0);
}

async function rejectPhoto(n: number): Promise<void> {
  await db.uploads.update(sha(n), { state: 'failed', rejection: { status: 413, code: 'too_large', reason: '照片太大', at: T0 + HOUR } });
}

const refusal = { code: 'forbidden_type', reason: 'grid_worker may not write review_pass', field: 'events[0].type', at: T0 + 2 * HOUR };

describe('sessionKindOf', () => {
  it('names a demo session local even when ended, a server session ended only once the server said so', () => {
    expect(sessionKindOf(null, true)).toBe('none');
    expect(sessionKindOf({ local: true }, true)).toBe('local');
    expect(sessionKindOf({ local: false }, false)).toBe('active');
    expect(sessionKindOf({ local: false }, true)).toBe('ended');
  });
});

describe('syncPhase', () => {
  it('is synced only when connected, the index is loaded, no doc is in flight and nothing is on its way', () => {
    expect(syncPhase(state({}))).toBe('synced');
    expect(syncPhase(state({ engine: { ...connected, docsInFlight: 1 } }))).toBe('syncing');
    expect(syncPhase(state({ engine: { ...connected, indexLoaded: false } }))).toBe('syncing');
    expect(syncPhase(state({ pending: { ...NOTHING_PENDING, events: 1 } }))).toBe('syncing');
    expect(syncPhase(state({ pending: { ...NOTHING_PENDING, photos: 1 } }))).toBe('syncing');
  });

  it('says offline when the runtime or the socket says so, connecting while the engine starts or connects', () => {
    expect(syncPhase(state({ online: false }))).toBe('offline');
    expect(syncPhase(state({ engine: { ...connected, connection: 'offline' } }))).toBe('offline');
    expect(syncPhase(state({ engine: { ...connected, connection: 'connecting' } }))).toBe('connecting');
    expect(syncPhase(state({ engine: null }))).toBe('connecting');
    expect(syncPhase(state({ engine: null, online: false }))).toBe('offline');
  });

  it('tells a server that does not answer from having no network, and knows when the list has arrived', () => {
    expect(syncStatusOf(state({ engine: { ...connected, connection: 'offline' } }))).toMatchObject({ phase: 'offline', serverUnreachable: true });
    expect(syncStatusOf(state({ online: false }))).toMatchObject({ phase: 'offline', serverUnreachable: false });
    expect(shownSyncState(syncStatusOf(state({ engine: { ...connected, connection: 'offline' } })))).toBe('unreachable');
    expect(shownSyncState(syncStatusOf(state({ online: false })))).toBe('offline');
    expect(shownSyncState(syncStatusOf(state({})))).toBe(syncPhase(state({})));
    expect(syncStatusOf(state({})).listLoaded).toBe(true);
    expect(syncStatusOf(state({ engine: { ...connected, indexLoaded: false, listStored: false } })).listLoaded).toBe(false);
    // Offline, the list stored at an earlier sync is the list: an empty tab is empty, not "still to download".
    expect(syncStatusOf(state({ online: false, engine: { ...connected, connection: 'offline', indexLoaded: false, listStored: true } })).listLoaded).toBe(true);
    expect(syncStatusOf(state({ engine: null })).listLoaded).toBe(false);
    expect(syncStatusOf(state({ session: 'local', engine: null })).listLoaded).toBe(true);
  });

  it("says the desk's queues are complete once every order not archived or merged is written (liveLoaded), or the list is (part 13)", () => {
    const firstSync = { ...connected, indexLoaded: false, listStored: false };
    // The open tabs' rows are in, the closed orders of 审核/回复/回访 still arriving.
    expect(syncStatusOf(state({ engine: { ...firstSync, liveLoaded: false } })).deskLoaded).toBe(false);
    expect(syncStatusOf(state({ engine: { ...firstSync, liveLoaded: true } }))).toMatchObject({ deskLoaded: true, listLoaded: false });
    expect(syncStatusOf(state({ online: false, engine: { ...firstSync, connection: 'offline', liveLoaded: false, listStored: true } })).deskLoaded).toBe(true);
    expect(syncStatusOf(state({ engine: null })).deskLoaded).toBe(false);
    expect(syncStatusOf(state({ session: 'local', engine: null })).deskLoaded).toBe(true);
  });

  it('is signed_out with nobody signed in, when the server ended the session, and when the engine was refused the token', () => {
    expect(syncPhase(state({ session: 'none' }))).toBe('signed_out');
    expect(syncPhase(state({ session: 'ended' }))).toBe('signed_out');
    expect(syncPhase(state({ engine: { ...connected, connection: 'signed_out' } }))).toBe('signed_out');
  });

  it('is local for a session without a server, whatever else', () => {
    expect(syncPhase(state({ session: 'local', online: false, engine: null, pending: { ...NOTHING_PENDING, events: 3 } }))).toBe('local');
  });
});

describe('a photo the server rejected for good', () => {
  it('does not keep the status busy: attention, not syncing', async () => {
    await photo(1);
    await rejectPhoto(1);
    const pending = await readPending(db);
    expect(pending).toMatchObject({ photos: 1, rejected: [{ sha256: sha(1), code: 'too_large' }] });
    expect(syncPhase(state({ pending }))).toBe('attention');
  });

  it('still counts as unsynced: sign-out waits for it', async () => {
    await photo(1);
    await rejectPhoto(1);
    expect(holdsUnsynced(await readPending(db))).toBe(true);
  });

  it('leaves the other photos syncing', async () => {
    await photo(1);
    await photo(2);
    await rejectPhoto(1);
    expect(syncPhase(state({ pending: await readPending(db) }))).toBe('syncing');
  });
});

describe('changes the server refused', () => {
  it('are not on their way: attention, counted apart from the waiting ones, still unsynced', async () => {
    const history = new History();
    const accept = history.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
    await recordEvent(db, intake().id, accept);
    await markRefused(db, intake().id, refusal);
    const pending = await readPending(db);
    expect(pending).toMatchObject({ events: 0, refusedChanges: 1, unsynced: { events: 1, intakes: 0, photos: 0 } });
    expect(syncPhase(state({ pending }))).toBe('attention');
    expect(holdsUnsynced(pending)).toBe(true);
    expect(syncStatusOf(state({ pending }))).toMatchObject({ phase: 'attention', pendingEvents: 0, refused: 1 });
  });

  it('do not hide other work still on its way', async () => {
    const history = new History();
    await recordEvent(db, intake().id, history.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR));
    await markRefused(db, intake().id, refusal);
    await recordEvent(db, 'o-other', history.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR));
    expect(syncPhase(state({ pending: await readPending(db) }))).toBe('syncing');
  });
});

describe('syncStatusOf', () => {
  it('reports the upload batch share while photos are sent', () => {
    const pending: Pending = { ...NOTHING_PENDING, photos: 3 };
    expect(syncStatusOf(state({ pending, upload: { current: sha(1), done: 1, total: 4 } })).uploadProgress).toBe(0.25);
    expect(syncStatusOf(state({ pending, upload: { current: null, done: 0, total: 0 } })).uploadProgress).toBeNull();
  });

  it('names the orders holding unsynced work, so the list can mark them', async () => {
    const history = new History();
    await recordEvent(db, intake().id, history.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR));
    await photo(1);
    expect([...(await readPending(db)).orderIds]).toEqual([intake().id]);
    await recordEvent(db, 'o-other', history.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR));
    expect(new Set((await readPending(db)).orderIds)).toEqual(new Set([intake().id, 'o-other']));
  });

  it('a device with nothing unsynced holds nothing', async () => {
    expect(holdsUnsynced(await readPending(db))).toBe(false);
  });
});
