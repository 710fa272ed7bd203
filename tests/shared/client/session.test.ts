/** The stored session on fake-indexeddb: what a sign-in stores is what the next start reads back, in one read. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import { clearSession, loadSession, recordServerTime, saveSession } from '#shared/client/session.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { HOUR, T0, users } from '../support/builders.ts';
import { openTestDb } from '../local/helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;

beforeEach(() => {
  ({ db, close } = openTestDb());
});

afterEach(async () => {
  await close();
});

const place = { districtId: 'd1', streetId: 's1', communityId: 'c1', gridId: 'g1' };

describe('loadSession', () => {
  it('is null on a device where nobody signed in, and after sign-out', async () => {
    expect(await loadSession(db)).toBeNull();
    await saveSession(db, { user: users.worker, token: 't', expiresAt: T0 + HOUR, serverTime: T0, receivedAt: T0, place: null }, seededRandomBytes(1));
    await clearSession(db);
    expect(await loadSession(db)).toBeNull();
  });

  it('reads back the user, token, expiry, server offset and place a sign-in stored, with one read of the table', async () => {
    await saveSession(db, { user: users.worker, token: 't1', expiresAt: T0 + HOUR, serverTime: T0 + 500, receivedAt: T0, place }, seededRandomBytes(2));
    const bulkGet = vi.spyOn(db.session, 'bulkGet');
    const get = vi.spyOn(db.session, 'get');
    expect(await loadSession(db)).toEqual({ user: users.worker, token: 't1', tokenExpiresAt: T0 + HOUR, serverOffsetMs: 500, place });
    expect(bulkGet).toHaveBeenCalledTimes(1);
    expect(get).not.toHaveBeenCalled();
  });

  it('sees the offset and expiry of a later reply from the server', async () => {
    await saveSession(db, { user: users.worker, token: 't1', expiresAt: T0 + HOUR, serverTime: T0, receivedAt: T0, place: null }, seededRandomBytes(3));
    await recordServerTime(db, { user: users.worker, expiresAt: T0 + 2 * HOUR, serverTime: T0 + 10_000, receivedAt: T0 + 9_000, place: null });
    expect(await loadSession(db)).toMatchObject({ tokenExpiresAt: T0 + 2 * HOUR, serverOffsetMs: 1_000, place: null });
  });
});
