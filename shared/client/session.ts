/**
 * The signed-in user on this device, kept in the shared database's session
 * table: user, token, expiry, the last measured offset to the server clock,
 * the user's place and the device's hybrid logical clock. The clock's node id
 * is `<user>-<random>`: unique per device and user, so two phones of one
 * worker never mint the same stamp.
 */
import { createHlc, withServerOffset } from '../clock/hlc.ts';
import { newId, type RandomBytes } from '../clock/ids.ts';
import { getSessionValue, setSessionValue, type LianxinDb, type SessionValues } from '../local/db.ts';
import { SESSION_KEYS, sessionFromRows, type StoredSession } from '../local/first-read.ts';

export { sessionFromRows, type StoredSession };
import type { MeResult, UserPlace } from './api.ts';


export async function loadSession(db: LianxinDb): Promise<StoredSession | null> {
  // One read of the table's five keys, not five requests (this is on the first screen's path).
  return sessionFromRows(await db.session.bulkGet([...SESSION_KEYS]));
}


/**
 * Store a fresh sign-in. The device clock is kept when the same user signs in
 * again (its stamps must keep growing); another user gets a clock of their own.
 */
export async function saveSession(
  db: LianxinDb,
  signedIn: MeResult & { readonly token: string },
  random: RandomBytes,
): Promise<StoredSession> {
  const offset = signedIn.serverTime - signedIn.receivedAt;
  const place = placeOrNull(signedIn.place);
  await db.transaction('rw', db.session, async () => {
    const previousUser = await getSessionValue(db, 'user');
    const previousClock = await getSessionValue(db, 'hlc');
    const clock =
      previousClock && previousUser?.id === signedIn.user.id
        ? withServerOffset(previousClock, signedIn.serverTime, signedIn.receivedAt)
        : createHlc(`${signedIn.user.id}-${newId(random, 8)}`, offset);
    await setSessionValue(db, 'user', signedIn.user);
    await setSessionValue(db, 'token', signedIn.token);
    await setSessionValue(db, 'tokenExpiresAt', signedIn.expiresAt);
    await setSessionValue(db, 'serverOffsetMs', offset);
    await setSessionValue(db, 'hlc', clock);
    if (place) await setSessionValue(db, 'place', place);
    else await db.session.delete('place');
  });
  return { user: signedIn.user, token: signedIn.token, tokenExpiresAt: signedIn.expiresAt, serverOffsetMs: offset, place };
}

/** A later reply from the server (`/api/me`): new offset, expiry and place. */
export async function recordServerTime(db: LianxinDb, me: MeResult): Promise<void> {
  const offset = me.serverTime - me.receivedAt;
  await db.transaction('rw', db.session, async () => {
    const clock = await getSessionValue(db, 'hlc');
    if (clock) await setSessionValue(db, 'hlc', withServerOffset(clock, me.serverTime, me.receivedAt));
    await setSessionValue(db, 'serverOffsetMs', offset);
    await setSessionValue(db, 'tokenExpiresAt', me.expiresAt);
    const place = placeOrNull(me.place);
    if (place) await setSessionValue(db, 'place', place);
  });
}

/** Forget the signed-in user (the clock goes too: the next user gets their own). */
export async function clearSession(db: LianxinDb): Promise<void> {
  await db.session.clear();
}

export function placeOrNull(place: UserPlace | null | undefined): SessionValues['place'] | null {
  if (!place) return null;
  return { districtId: place.districtId ?? null, streetId: place.streetId ?? null, communityId: place.communityId ?? null, gridId: place.gridId ?? null };
}
