/**
 * The PWA's data, as the pages use it; in the entry, so without Dexie. The
 * first screen (the inbox's tab of the signed-in user) is drawn from
 * index.html's early raw IndexedDB read (pwa/scripts/early-read.ts: the stored
 * session and the tab's rows). The data layer proper (`layer.ts`: Dexie, the
 * client session, sync, the order docs) is a chunk loaded right after the
 * first paint (at once when there is no first screen to draw from the read:
 * no database yet, signed out, a home other than the inbox, another page opened, the read failed),
 * and takes over: the values below follow its own from then on (the same
 * session, so nothing changes on screen), the live queries start, and the
 * first tab's rows are read again by its live query (the same rows).
 * An action, a read or an order opened before it has loaded loads it at once
 * and waits for it; nothing fails or is lost meanwhile.
 */
import { ApiError } from '#shared/client/api-error.ts';
import { NOTHING_PENDING, sameStatus, samePending, sessionKindOf, syncStatusOf, type Pending, type SyncStatus } from '#shared/client/sync-status.ts';
import { Cell, until, type Watchable } from '#shared/client/watchable.ts';
import { LOCAL_TOKEN, sessionFromRows } from '#shared/local/first-read.ts';
import type { OrderRow, SessionRow } from '#shared/local/db.ts';
import { sortForInbox } from '#shared/order/inbox-order.ts';
import type { OrderIntakeInput } from '#shared/order/intake.ts';
import type { OrgDirectory } from '#shared/org/names.ts';
import type { ArchiveStatus, InboxRow, KnowledgeStatus } from './layer.ts';
import { homeFor, pageSession, sameSession, initialInboxTab, type FirstRead, type InboxTabKey, type Session } from './first-screen.ts';

export { ApiError };
export { INBOX_TABS, initialInboxTab, rememberInboxTab, requestPersistence, type InboxTabKey, type Session } from './first-screen.ts';
export type {
  AdminUser,
  ArchiveStatus,
  DuplicateSuggestion,
  InboxCounts,
  InboxRow,
  KnowledgeImportResult,
  KnowledgeStatus,
  NotificationRow,
  OpenOrder,
  OrderSnapshot,
  Pending,
  RefusedWork,
  RejectedUpload,
  SignOutResult,
  SyncPhase,
  SyncStatus,
  UnsyncedExport,
  Watchable,
} from './layer.ts';

type Layer = typeof import('./layer.ts');

let layerLoad: Promise<Layer> | null = null;
let layerLoaded: (layer: Layer) => void = () => undefined;
/** The data layer, once loaded and started; nothing here asks for it to load. */
const loadedLayer = new Promise<Layer>((resolve) => (layerLoaded = resolve));

/** index.html's first read, taken once; null when there was none or it failed (no database yet, say). */
const firstRead: Promise<FirstRead | null> = window.__lianxinFirstRead?.catch(() => null) ?? Promise.resolve(null);
window.__lianxinFirstRead = undefined;

// The values the pages watch: the first screen's, then the data layer's.
const sessionCell = new Cell<Session | null>(null, sameSession);
const endedCell = new Cell(false);
const pendingCell = new Cell<Pending>(NOTHING_PENDING, samePending);
const statusCell = new Cell<SyncStatus>(statusBefore(null), sameStatus);
const archivesCell = new Cell<ArchiveStatus | null>(null);
const orgCell = new Cell<OrgDirectory | null>(null);
const knowledgeCell = new Cell<KnowledgeStatus | null>(null);

export const session: Watchable<Session | null> = sessionCell;
/** The server said the session ended: sign in again; unsynced work stays on the device. */
export const sessionEnded: Watchable<boolean> = endedCell;
export const pending: Watchable<Pending> = pendingCell;
export const syncStatus: Watchable<SyncStatus> = statusCell;
/** The archive months kept on this device and those loading (history, 数据分析); null while sync does not run. */
export const archives: Watchable<ArchiveStatus | null> = archivesCell;
/** The user's branch of the organisation and its people, as last fetched: names for ids, offline too. */
export const org: Watchable<OrgDirectory | null> = orgCell;
/** Changes after every pull that changed something: the knowledge worker catches up on it. */
export const knowledgeStatus: Watchable<KnowledgeStatus | null> = knowledgeCell;

/** The status the client session computes for this session before its engine and its pending read (`ClientSession.update`). */
function statusBefore(current: Session | null): SyncStatus {
  const kind = sessionKindOf(current && { local: current.demo }, false);
  return syncStatusOf({ session: kind, online: navigator.onLine, engine: null, pending: NOTHING_PENDING, upload: null });
}

function follow<T>(cell: Cell<T>, source: Watchable<T>): void {
  cell.set(source.value);
  source.watch((value) => cell.set(value));
}

let markReady: () => void = () => undefined;
/** Resolves once a stored session has been restored (the router waits for it). */
export const ready = new Promise<void>((resolve) => (markReady = resolve));

/**
 * A stored session's sync (and the data layer itself, when the first screen is
 * drawn from the early read) starts once the first screen has painted (the
 * inbox reports it; other routes wait FIRST_SCREEN_WAIT_MS at most).
 */
const FIRST_SCREEN_WAIT_MS = 1500;
let firstScreenShown: () => void = () => undefined;
const firstScreen = new Promise<void>((resolve) => (firstScreenShown = resolve));
const firstScreenOrWait = Promise.race([firstScreen, ready.then(() => new Promise<void>((resolve) => setTimeout(resolve, FIRST_SCREEN_WAIT_MS)))]);

/** The first screen has painted: what was deferred for it may start. */
export function firstScreenPainted(): void {
  firstScreenShown();
}

/**
 * Resolves once the first screen has painted (or the wait for it ran out): for work that must not
 * compete with it. Each caller resumes in a task of its own, so that what waited for the paint
 * (the rest of the messages, the dialogs, the data layer, the warming) does not run as one long task.
 */
export function afterFirstScreen(): Promise<void> {
  return firstScreenOrWait.then(nextTask);
}

/**
 * Resolves once no first sync is bringing the user's work in: the desk's rows are all on the device (a
 * stored list counts), or nothing is being fetched (signed out, offline, synced). For work that would
 * compete with a sign-in's download on the page's main thread and the server (the pages' warming:
 * bench/README.md, "First sync, part 14").
 */
export function afterFirstSync(): Promise<void> {
  return until(statusCell, (status) => status.deskLoaded || (status.phase !== 'connecting' && status.phase !== 'syncing')).then(nextTask);
}

/** The next task: what follows runs after the browser has had the chance to handle input and paint. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The data layer, loaded now if it is not yet (an action, a read, an order opened): resolves once it has started. */
function layer(): Promise<Layer> {
  // Dexie first, on its own: its module runs in a task of its own, not in one long task with the layer's.
  // Each step in a task of its own (Dexie, the layer's modules, its start): no long task after the paint.
  layerLoad ??= import('dexie').then(nextTask).then(() => import('./layer.ts')).then(async (loaded) => {
    await nextTask();
    await loaded.start({ firstRead, afterFirstScreen: afterFirstScreen() });
    await nextTask();
    follow(sessionCell, loaded.session);
    follow(endedCell, loaded.sessionEnded);
    follow(pendingCell, loaded.pending);
    follow(statusCell, loaded.syncStatus);
    follow(archivesCell, loaded.archives);
    follow(orgCell, loaded.org);
    follow(knowledgeCell, loaded.knowledgeStatus);
    performance.mark('lianxin:data-layer-loaded');
    layerLoaded(loaded);
    return loaded;
  });
  layerLoad.catch(() => (layerLoad = null));
  return layerLoad;
}

/** Load the data layer now without waiting for it: a failure is retried by `loadLayerAgain`, and callers act on `loadedLayer`. */
function loadWithoutWaiting(): void {
  layer().catch(() => undefined);
}

/** Load the data layer now and run `run` once it has loaded, however many tries that takes. */
function onceLoaded(run: (layer: Layer) => void): void {
  loadWithoutWaiting();
  void loadedLayer.then(run);
}

/** Subscribe once the data layer has loaded (without loading it); the returned stop works before and after. */
function watchLater(subscribe: (layer: Layer) => () => void): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  void loadedLayer.then((loaded) => {
    if (!stopped) stop = subscribe(loaded);
  });
  return () => {
    stopped = true;
    stop?.();
  };
}

/**
 * The first screen's rows, read as soon as the app starts, alongside the
 * session; the inbox shows them until its live query answers. Not for 'all'.
 * `now`: the rows once the read has answered (they are in before the session
 * is ready, when both come from the early read), so the inbox's first render
 * draws them, with no render of its loading state before.
 */
interface FirstInboxRows {
  readonly tab: InboxTabKey;
  rows: Promise<InboxRow[] | null>;
  now: InboxRow[] | null;
}
let firstInboxRead: FirstInboxRows | null = null;

/** The early read of `tab`'s rows, once (`now` when they are in already); null when there is none for it. */
export function takeFirstInboxRows(tab: InboxTabKey): Pick<FirstInboxRows, 'rows' | 'now'> | null {
  const read = firstInboxRead;
  firstInboxRead = null;
  return read?.tab === tab ? read : null;
}

let started = false;

/**
 * Start: the session from the first read when it took one (the router's
 * `ready`), the first tab's rows from it, and the data layer after the first
 * screen; without such a read, the data layer at once (it reads both with Dexie).
 */
export async function startDataLayer(): Promise<void> {
  if (started) return;
  started = true;
  performance.mark('lianxin:data-layer');
  const tab = initialInboxTab();
  if (tab !== 'all') {
    // The same index range as `inboxRows`, in inbox order; read with Dexie when the first read took none for this tab.
    // `now` is set before the session below is ready (this reaction to the read was registered first).
    const read: FirstInboxRows = { tab, rows: Promise.resolve(null), now: null };
    read.rows = firstRead
      .then((early) => (early?.tab === tab && early.rows ? (read.now = sortForInbox(early.rows as OrderRow[], Date.now())) : layer().then((loaded) => loaded.repository.readInboxTab(tab))))
      .catch(() => null);
    firstInboxRead = read;
  }
  const early = await firstRead;
  const stored = early && sessionFromRows(early.session as (SessionRow | undefined)[]);
  // Drawn from the first read: a signed-in grid worker's inbox opened on the inbox (not a deep link
  // to another page, whose reads would wait for the first screen). Anything else needs the data layer now.
  if (stored && early.tab === tab && early.rows && opensOnInbox()) {
    const current = pageSession({ ...stored, local: stored.token === LOCAL_TOKEN });
    if (homeFor(current.user.role) === 'inbox') {
      sessionCell.set(current);
      statusCell.set(statusBefore(current));
      sessionReady();
      await afterFirstScreen();
    }
  }
  try {
    await layer();
  } catch {
    void loadLayerAgain();
  } finally {
    sessionReady();
  }
}

/** The longest wait between two loads of a data layer whose code did not come. */
const LAYER_RETRY_MAX_MS = 30_000;

/**
 * The data layer's code did not come (a network that dropped it, before the service worker caches it): load it
 * again when the browser is back online or after a wait (1 s, 2 s … 30 s), until it loads. Meanwhile the pages
 * that need it say they could not (an order opened offers 重试), and any of their reads tries again too.
 */
async function loadLayerAgain(): Promise<void> {
  for (let waitMs = 1000; ; waitMs = Math.min(waitMs * 2, LAYER_RETRY_MAX_MS)) {
    await new Promise<void>((resolve) => {
      const again = () => {
        clearTimeout(timer);
        window.removeEventListener('online', again);
        resolve();
      };
      const timer = setTimeout(again, waitMs);
      window.addEventListener('online', again);
    });
    try {
      await layer();
      return;
    } catch {
      // not yet: wait longer
    }
  }
}

/** The app opens on the inbox: its home (`#/`, no hash) or `#/inbox` (hash history, router.ts). */
function opensOnInbox(): boolean {
  return /^(#\/?(inbox)?)?(\?.*)?$/.test(location.hash);
}

let isReady = false;
/** `ready` has resolved: the stored session (or its absence) is known. */
export function isSessionReady(): boolean {
  return isReady;
}

function sessionReady(): void {
  if (isReady) return;
  isReady = true;
  performance.mark('lianxin:session-ready');
  markReady();
}

/** The warm phase's share (router.ts `warmPages`): the data layer's lazy chunks in this tab. */
export function warmDataLayer(): Promise<unknown> {
  return layer().then((loaded) => loaded.warmDataLayer());
}

/**
 * Keep the archive index docs of these months (`YYYY-MM`): fetched now or once
 * sync runs, then offline too. Demo mode has no server and no archives.
 */
export function openArchives(months: readonly string[]): void {
  onceLoaded((loaded) => loaded.openArchives(months));
}

type Rows = { [K in keyof Layer['repository']]: Layer['repository'][K] };

/**
 * Orders on this device: the rows' reads and what needs an order's doc, once
 * the data layer has loaded (a call loads it); the live queries start then.
 */
export const repository: Rows = {
  knownOrders: () => layer().then((loaded) => loaded.repository.knownOrders()),
  getPhoto: (sha256) => layer().then((loaded) => loaded.repository.getPhoto(sha256)),
  readInboxTab: (tab) => layer().then((loaded) => loaded.repository.readInboxTab(tab)),
  watchInboxTab: (tab, listener, onError) => watchLater((loaded) => loaded.repository.watchInboxTab(tab, listener, onError)),
  watchDeskRows: (listener, onError) => {
    loadWithoutWaiting();
    return watchLater((loaded) => loaded.repository.watchDeskRows(listener, onError));
  },
  watchInboxCounts: (listener, onError) => watchLater((loaded) => loaded.repository.watchInboxCounts(listener, onError)),
  openOrder: (...args) => layer().then((loaded) => loaded.repository.openOrder(...args)),
  act: (...args) => layer().then((loaded) => loaded.repository.act(...args)),
  addPhoto: (...args) => layer().then((loaded) => loaded.repository.addPhoto(...args)),
  storePhoto: (...args) => layer().then((loaded) => loaded.repository.storePhoto(...args)),
  createFieldReport: (...args) => layer().then((loaded) => loaded.repository.createFieldReport(...args)),
  nextFieldReportNo: (...args) => layer().then((loaded) => loaded.repository.nextFieldReportNo(...args)),
};

/** A function of the data layer that returns a promise, called once it has loaded (loading it now). */
function later<K extends keyof Layer>(key: K): Layer[K] {
  const call = (...args: unknown[]): Promise<unknown> => layer().then((loaded) => (loaded[key] as (...args: unknown[]) => Promise<unknown>)(...args));
  return call as Layer[K];
}

/** Pull to refresh and return to the foreground: reconnect and retry uploads now. */
export const refresh = later('refresh');
export const syncKnowledge = later('syncKnowledge');
export const importKnowledge = later('importKnowledge');
export const withdrawKnowledge = later('withdrawKnowledge');
export const knowledgeSynonyms = later('knowledgeSynonyms');
export const saveKnowledgeSynonyms = later('saveKnowledgeSynonyms');
export const retryRejectedPhotos = later('retryRejectedPhotos');
export const discardRefused = later('discardRefused');
export const signIn = later('signIn');
export const signInDemo = later('signInDemo');
export const signOut = later('signOut');
export const exportUnsynced = later('exportUnsynced');
export const adminUsers = later('adminUsers');
export const setUnitPhrases = later('setUnitPhrases');
export const fetchPhoto = later('fetchPhoto');
export const markNotificationsRead = later('markNotificationsRead');
export const duplicatesOf = later('duplicatesOf');
export const orderRows = later('orderRows');
export const orderRowByNo = later('orderRowByNo');

/** Keep the inbox's last frame for the next start (layer.ts `saveFirstFrame`), once the data layer has loaded (never loading it). */
export function saveFirstFrame(frame: Parameters<Layer['saveFirstFrame']>[0]): void {
  void loadedLayer
    .then((loaded) => loaded.saveFirstFrame(frame))
    .then(() => performance.mark('lianxin:first-frame-saved'))
    .catch(() => undefined);
}

/** A new photo was stored: start sending it. */
export function kickUploads(): void {
  onceLoaded((loaded) => loaded.kickUploads());
}

/**
 * Load an order's doc from IndexedDB ahead of its opening (the desk: the
 * order next to the one shown, the first of a queue), so that opening it
 * does not wait for its store. `loaded` settles once the doc is read (or
 * could not be); `release` gives it back.
 */
export function preloadOrder(orderId: string): { readonly loaded: Promise<void>; release(): void } {
  const handle = layer().then((loaded) => loaded.preloadOrder(orderId));
  return {
    loaded: handle.then((preloaded) => preloaded.loaded, () => undefined),
    release: () => void handle.then((preloaded) => preloaded.release(), () => undefined),
  };
}

/** Where a field report is placed: the user's own place, once the server has told it. */
export function placeOfUser(): OrderIntakeInput['place'] | null {
  const place = sessionCell.value?.place;
  if (!place?.districtId || !place.streetId) return null;
  return {
    districtId: place.districtId,
    streetId: place.streetId,
    ...(place.communityId ? { communityId: place.communityId } : {}),
    ...(place.gridId ? { gridId: place.gridId } : {}),
  };
}

/** The notification list, newest first, as it changes (from when the data layer has loaded). */
export function watchNotifications(listener: (rows: Parameters<Parameters<Layer['watchNotifications']>[0]>[0]) => void): () => void {
  return watchLater((loaded) => loaded.watchNotifications(listener));
}

/** How many notifications are unread, as it changes (from when the data layer has loaded). */
export function watchUnreadNotifications(listener: (count: number) => void): () => void {
  return watchLater((loaded) => loaded.watchUnreadNotifications(listener));
}

/** Notifications recorded from the data layer's start on, once each: those a system notification may announce. */
export function watchArrivingNotifications(listener: Parameters<Layer['watchArrivingNotifications']>[0]): () => void {
  return watchLater((loaded) => loaded.watchArrivingNotifications(listener));
}
