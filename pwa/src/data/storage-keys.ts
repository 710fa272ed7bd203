/**
 * Everything the PWA keeps outside the shared database, in one place, and
 * what leaving the device's user behind (sign-out, another user signing in,
 * entering or leaving demo mode) does with it. The shared database — journal,
 * projection, photos, upload queue and the session table (user, token,
 * clock, place, organisation, prefetched orders, the inbox's last frame) — and the order and index
 * doc databases are forgotten by shared/client (`forgetLocalData`); this is
 * the rest. A key added anywhere in the app belongs here, or it survives the
 * user it belongs to.
 */
import { WIPE_MARKER_KEY } from '#shared/client/storage-wipe.ts';

type Area = 'local' | 'session';

interface StoredKey {
  readonly area: Area;
  /** The key, or the prefix of a family of keys. */
  readonly key: string;
  readonly prefix?: true;
  /** 'forget': the user's; removed with their data. 'keep': the device's, or kept on purpose (why says). */
  readonly onForget: 'forget' | 'keep';
}

export const STORED_KEYS = {
  /** The close form while it is written (CloseForm.vue): the citizen's contact number among it. */
  closeDraft: { area: 'local', key: 'lianxin.closeDraft.', prefix: true, onForget: 'forget' },
  /** The inbox tab last shown in this browser session. */
  inboxTab: { area: 'session', key: 'lianxin.inboxTab', onForget: 'forget' },
  /** A supervisor's streets, whose indexes are read (offline starts too): `{ unitId, units }` (`readIndexUnits`). */
  indexUnits: { area: 'local', key: 'lianxin.indexUnits', onForget: 'forget' },
  /**
   * The same under its first name, from when it held a community handler's grids (`{ unitId, grids }`):
   * moved to `indexUnits` on its first read (`readIndexUnits`), and forgotten with the user's data until then.
   */
  legacyIndexUnits: { area: 'local', key: 'lianxin.communityGrids', onForget: 'forget' },
  /** Before the list of prefetched orders moved to the session table; removed from devices that still have it. */
  legacyPrefetched: { area: 'local', key: 'lianxin.prefetched', onForget: 'forget' },
  /** Demo mode's settings (the moment its set was made): a reload rebuilds the same orders. */
  demo: { area: 'local', key: 'lianxin.demo', onForget: 'forget' },
  /**
   * A worker's own 常用语, per user id (usePhrases.ts). Kept on purpose: they are
   * the worker's phrasing, hold no order data, and are found again at the next sign-in.
   */
  phrases: { area: 'local', key: 'lianxin.phrases.', prefix: true, onForget: 'keep' },
  /** The ranking's score weights and volume split as set on the 数据分析 page (this device only, until the office's own are synced). */
  indicatorWeights: { area: 'local', key: 'lianxin.indicatorWeights', onForget: 'forget' },
  /** The chosen language: the device's, not the user's. */
  locale: { area: 'local', key: 'lianxin.locale', onForget: 'keep' },
  /**
   * The wipe marker (storage-guard.ts): the guard removes it on a clean
   * sign-out and keeps it after a wipe until the user has read what was lost,
   * so it is not removed here.
   */
  wipeMarker: { area: 'local', key: WIPE_MARKER_KEY, onForget: 'keep' },
  /** When the page last reloaded because the database closed under it (storage-guard.ts): a reload-loop guard, not data. */
  closedReloadAt: { area: 'session', key: 'lianxin.closedReloadAt', onForget: 'keep' },
} as const satisfies Record<string, StoredKey>;

/** Photos fetched from the server, cached by hash by the service worker (vite.config.ts): the user's orders' pictures. */
export const PHOTO_CACHE = 'lianxin-photos';

export function closeDraftKey(orderId: string): string {
  return `${STORED_KEYS.closeDraft.key}${orderId}`;
}

export function phrasesKey(userId: string): string {
  return `${STORED_KEYS.phrases.key}${userId}`;
}

interface IndexUnits {
  readonly unitId: string;
  readonly units: readonly string[];
}

function parseIndexUnits(raw: string | null, field: 'units' | 'grids'): IndexUnits | null {
  try {
    const value = JSON.parse(raw ?? 'null') as Record<string, unknown> | null;
    const units = value?.[field];
    if (typeof value?.unitId !== 'string' || !Array.isArray(units) || !units.every((unit) => typeof unit === 'string')) return null;
    return { unitId: value.unitId, units };
  } catch {
    return null;
  }
}

/** Store the units whose index docs the user of `unitId` reads (`STORED_KEYS.indexUnits`). */
export function writeIndexUnits(store: Storage, unitId: string, units: readonly string[]): void {
  store.setItem(STORED_KEYS.indexUnits.key, JSON.stringify({ unitId, units } satisfies IndexUnits));
}

/**
 * The units stored for the user of `unitId` (none if stored for another unit, or nothing is). A value
 * still under the legacy key is moved to the current one first, as it is: nothing the device learnt is lost.
 */
export function readIndexUnits(store: Storage, unitId: string): string[] {
  const legacy = store.getItem(STORED_KEYS.legacyIndexUnits.key);
  if (legacy !== null) {
    const moved = parseIndexUnits(legacy, 'grids');
    if (moved && store.getItem(STORED_KEYS.indexUnits.key) === null) writeIndexUnits(store, moved.unitId, moved.units);
    store.removeItem(STORED_KEYS.legacyIndexUnits.key);
  }
  const stored = parseIndexUnits(store.getItem(STORED_KEYS.indexUnits.key), 'units');
  return stored?.unitId === unitId ? [...stored.units] : [];
}

/** Remove every key of the user's from these stores (`localStorage`, `sessionStorage` in the app). */
export function forgetStoredKeys(stores: Readonly<Record<Area, Storage>>): void {
  const entries: readonly StoredKey[] = Object.values(STORED_KEYS);
  for (const area of ['local', 'session'] as const) {
    const store = stores[area];
    const mine = entries.filter((entry) => entry.area === area && entry.onForget === 'forget');
    const keys = Array.from({ length: store.length }, (_, i) => store.key(i)).filter((key): key is string => key !== null);
    for (const key of keys) {
      if (mine.some((entry) => (entry.prefix ? key.startsWith(entry.key) : key === entry.key))) store.removeItem(key);
    }
  }
}

/** Everything of the user's outside the shared database: the stored keys and the photo cache. */
export async function forgetUserStorage(): Promise<void> {
  forgetStoredKeys({ local: localStorage, session: sessionStorage });
  await globalThis.caches?.delete(PHOTO_CACHE).catch(() => false);
}
