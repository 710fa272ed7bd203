/**
 * Keeps the wipe marker (shared/client/storage-wipe.ts) in localStorage in
 * step with the session and the unsynced counts, and on start decides whether
 * the browser deleted the database under the app. When the database
 * connection closes under the app (Chromium deleting the origin's storage
 * force-closes it), the page reloads into that check instead of working on
 * with a silently reopened empty database.
 */
import { WIPE_MARKER_KEY, markerFor, parseMarker, wipeVerdict, type DatabaseState, type WipeVerdict } from '#shared/client/storage-wipe.ts';
import { Cell, type Watchable } from '#shared/client/watchable.ts';
import type { Pending } from '#shared/client/sync-status.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { STORED_KEYS } from './storage-keys.ts';

/** The signed-in user, as far as the marker needs one. */
type SignedIn = { readonly user: { readonly id: string; readonly name: string } };

const verdictCell = new Cell<WipeVerdict>({ kind: 'none' });
/** 'wiped' once the start found the data deleted; back to 'none' when the user has read it. */
export const storageWipe: Watchable<WipeVerdict> = verdictCell;

const RELOAD_KEY = STORED_KEYS.closedReloadAt.key;
/** One reload per this long at most: a database that keeps closing must not reload the page for ever. */
const RELOAD_GUARD_MS = 30_000;

/** The user has read what was lost: forget the marker. */
export function acknowledgeWipe(): void {
  localStorage.removeItem(WIPE_MARKER_KEY);
  verdictCell.set({ kind: 'none' });
}

/** Call once, synchronously at the data layer's start, before anything can rewrite the marker. */
export function guardStorage(db: LianxinDb, session: Watchable<SignedIn | null>, pending: Watchable<Pending>): void {
  const marker = parseMarker(localStorage.getItem(WIPE_MARKER_KEY));
  /** Set when the database closed under us: from then on its counts are not the user's work. */
  let frozen = false;

  function write(): void {
    const current = session.value;
    if (frozen || !current) return;
    const p = pending.value;
    localStorage.setItem(WIPE_MARKER_KEY, JSON.stringify(markerFor(current.user, { records: p.events + p.refusedChanges, photos: p.photos }, Date.now())));
  }
  session.watch((value) => {
    // Only a sign-out turns a session into none (a wipe leaves the old session in memory until the reload).
    if (!value && !frozen) localStorage.removeItem(WIPE_MARKER_KEY);
    else write();
  });
  pending.watch(write);
  // Another tab signed out (or the user read the wipe there): this tab's session is stale and must not bring the marker back.
  window.addEventListener('storage', (event) => {
    if (event.key === WIPE_MARKER_KEY && event.newValue === null) frozen = true;
  });

  db.on('close', () => {
    // Also fired when an open fails, with no connection made: nothing was open to lose then.
    if (frozen || !db.isOpen()) return;
    frozen = true;
    const last = Number(sessionStorage.getItem(RELOAD_KEY) ?? 0);
    if (Date.now() - last < RELOAD_GUARD_MS) return;
    sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
    location.reload();
  });

  if (!marker) return;
  void db.session.get('user').then(
    (row): DatabaseState => (row ? 'session' : 'no_session'),
    (): DatabaseState => 'unreadable',
  ).then((state) => verdictCell.set(wipeVerdict(marker, state)));
}
