/**
 * Telling the user when the browser deleted this device's data. On a phone
 * whose disk is full, Chromium may delete every IndexedDB database, Cache
 * Storage and OPFS of the origin at once (pwa/README.md "Known limits"), and
 * the app would reopen an empty database as if nothing happened. localStorage
 * survived that wipe, so the page keeps a small marker there: who is signed
 * in and how much of their work is unsynced. A marker with a database that no
 * longer holds a session means the data was wiped: say what was lost.
 *
 * Pure: the page reads and writes the marker and the database.
 */

export const WIPE_MARKER_KEY = 'lianxin.unsynced';

export interface WipeMarker {
  readonly userId: string;
  readonly userName: string;
  /** Events and field reports not yet confirmed by the server (refused ones included). */
  readonly records: number;
  /** Photos not yet confirmed by the server. */
  readonly photos: number;
  /** When the counts were taken (device clock, ms). */
  readonly at: number;
}

export function markerFor(user: { readonly id: string; readonly name: string }, counts: { readonly records: number; readonly photos: number }, at: number): WipeMarker {
  return { userId: user.id, userName: user.name, records: counts.records, photos: counts.photos, at };
}

const count = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** The marker as stored; null when there is none or it is not one (never throws). */
export function parseMarker(raw: string | null): WipeMarker | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { userId, userName, records, photos, at } = value as Record<string, unknown>;
  if (typeof userId !== 'string' || typeof userName !== 'string' || !count(records) || !count(photos) || typeof at !== 'number') return null;
  return { userId, userName, records, photos, at };
}

/**
 * What the database says: it holds a signed-in user, it opened and holds none,
 * or it could not be read (a full disk can refuse to open it; its data may
 * still be there).
 */
export type DatabaseState = 'session' | 'no_session' | 'unreadable';

export type WipeVerdict =
  | { readonly kind: 'none' }
  /** The data was deleted under the app: tell the user what was lost, then forget the marker. */
  | { readonly kind: 'wiped'; readonly userName: string; readonly records: number; readonly photos: number };

export function wipeVerdict(marker: WipeMarker | null, database: DatabaseState): WipeVerdict {
  // A clean sign-out removes the marker, so a marker without a session is a wipe. An unreadable database
  // proves nothing: the marker is kept for the next start.
  if (!marker || database !== 'no_session') return { kind: 'none' };
  return { kind: 'wiped', userName: marker.userName, records: marker.records, photos: marker.photos };
}
