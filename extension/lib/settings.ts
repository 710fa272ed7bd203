/**
 * Settings kept in extension storage (`storage.local`): nothing secret, since
 * content scripts can read this area too. The session token lives in the
 * background's own IndexedDB (shared/local/db.ts, table `session`), which no
 * web page and no content script can open.
 */
import { storage } from 'wxt/utils/storage';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

export type Locale = 'zh-CN' | 'en';

export const serverUrlItem = storage.defineItem<string>('local:serverUrl', { fallback: DEFAULT_SERVER_URL });
export const localeItem = storage.defineItem<Locale>('local:locale', { fallback: 'zh-CN' });
/** Origins the user switched the extension on for (and the browser granted). */
export const portalOriginsItem = storage.defineItem<string[]>('local:portalOrigins', { fallback: [] });
/** Adapters imported from files or saved by teach mode, as JSON; checked against the adapter schema when used. */
export const importedAdaptersItem = storage.defineItem<Record<string, unknown>[]>('local:adapters', { fallback: [] });
/** The portal origins where the clerk left the panel collapsed (panel-collapsed.ts): the next page there starts collapsed. */
export const collapsedPanelOriginsItem = storage.defineItem<string[]>('local:collapsedPanelOrigins', { fallback: [] });
/** When the last full sync finished (device time), for the popup. */
export const lastSyncedAtItem = storage.defineItem<number | null>('local:lastSyncedAt', { fallback: null });
