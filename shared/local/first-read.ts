/**
 * The names the app's first read shares with the Dexie schema (`db.ts`, which
 * is built from them): the PWA's index.html reads the first screen's rows and
 * the stored session with the raw IndexedDB API while the app's code loads
 * (pwa/scripts/early-read.ts writes that script from these names at build), so
 * the first screen waits neither for Dexie nor for the data layer to open it.
 * Renaming a store or an index here renames it in both.
 */
import type { SessionKey } from './db.ts';

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
