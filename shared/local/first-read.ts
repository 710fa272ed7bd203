/**
 * The names the app's first read shares with the Dexie schema (`db.ts`, which
 * is built from them): the PWA's index.html reads the first screen's rows and
 * the stored session with the raw IndexedDB API while the app's code loads
 * (pwa/scripts/early-read.ts writes that script from these names at build), so
 * the first screen waits neither for Dexie nor for the data layer to open it.
 * Renaming a store or an index here renames it in both.
 */
import type { SessionKey, SessionRow, SessionValues } from './db.ts';
import type { User } from '../org/roles.ts';

/** The device's database. */
export const DB_NAME = 'lianxin';
/** The orders' rows (the projection). */
export const ORDERS_STORE = 'orders';
/** The inbox's open tabs, drawn by deadline: the first screen's read. */
export const INBOX_INDEX = '[tab+deadline]';
/** The signed-in session's key-value rows. */
export const SESSION_STORE = 'session';
/** The session rows a restore reads (`shared/client/session.ts` `loadSession`), in this order. */
export const SESSION_KEYS = ['user', 'token', 'tokenExpiresAt', 'serverOffsetMs', 'place'] as const satisfies readonly SessionKey[];

/** The token of a session with no server. Demo sessions have always been stored with it. */
export const LOCAL_TOKEN = 'demo';

export interface StoredSession {
  readonly user: User;
  readonly token: string;
  readonly tokenExpiresAt: number;
  readonly serverOffsetMs: number;
  readonly place: SessionValues['place'] | null;
}

/**
 * The stored session from its rows as read (`SESSION_KEYS`; absent ones
 * undefined): by Dexie, or by the PWA's early raw read (pwa/scripts/early-read.ts).
 */
export function sessionFromRows(rows: readonly (SessionRow | undefined)[]): StoredSession | null {
  const value = <K extends SessionKey>(key: K): SessionValues[K] | undefined =>
    // The key is the primary key, so the row's value is the one stored under K.
    rows.find((row) => row?.key === key)?.value as SessionValues[K] | undefined;
  const user = value('user');
  const token = value('token');
  if (!user || token === undefined) return null;
  return { user, token, tokenExpiresAt: value('tokenExpiresAt') ?? 0, serverOffsetMs: value('serverOffsetMs') ?? 0, place: value('place') ?? null };
}
