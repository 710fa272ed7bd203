/**
 * The PWA's data layer: wiring only. The engine is `shared/client/` (API
 * client, order repository, sync engine, upload queue — the same code the
 * extension's background runs); this file connects it to the page: the
 * stored session, the browser's online signal, demo mode, and the values the
 * composables watch (session, sync status, pending work). Vue-free: the
 * composables turn these Watchables into refs.
 */
import Dexie, { liveQuery } from 'dexie';
import { LianxinApi, ApiError, syncUrl } from '#shared/client/api.ts';
import { exportUnsynced as buildExport, forgetLocalData, type UnsyncedExport } from '#shared/client/device.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { OrderRepository, type InboxCounts, type InboxRow, type OrderSnapshot } from '#shared/client/repository.ts';
import { clearSession, loadSession, recordServerTime, saveSession, type StoredSession } from '#shared/client/session.ts';
import type { SyncEngine } from '#shared/client/sync.ts';
import { UploadQueue, rejectedUploads, type RejectedUpload } from '#shared/client/uploads.ts';
import { Cell, type Watchable } from '#shared/client/watchable.ts';
import { LianxinDb, getSessionValue, setSessionValue } from '#shared/local/db.ts';
import { refusedWork, type RefusedWork } from '#shared/local/journal.ts';
import { inboxRows, unsyncedCounts } from '#shared/local/projection.ts';
import type { OrderIntakeInput } from '#shared/order/intake.ts';
import type { InboxTab } from '#shared/order/status.ts';
import type { OrgDirectory } from '#shared/org/names.ts';
import type { User } from '#shared/org/roles.ts';
import { demoAvailable, demoDirectory, demoOrder, demoPlace, demoUser, isDemoActive, loadDemo, startDemo, stopDemo } from './demo-mode.ts';
import { guardStorage } from './storage-guard.ts';

export { ApiError };
export type { InboxCounts, InboxRow, OrderSnapshot, RefusedWork, RejectedUpload, UnsyncedExport, Watchable };
export type { OpenOrder } from '#shared/client/repository.ts';

/** The inbox tabs the app shows: the shared tabs without 'other', plus all. */
export type InboxTabKey = Exclude<InboxTab, 'other'> | 'all';

export interface Session {
  readonly user: User;
  readonly token: string;
  /** Demo mode: local data only, no server. */
  readonly demo: boolean;
  /** server clock − device clock, as last measured. */
  readonly serverOffsetMs: number;
  readonly place: StoredSession['place'];
}

/** 'attention': nothing is moving, but the server refused some changes or photos for good (they wait on the device). */
export type SyncPhase = 'local' | 'offline' | 'connecting' | 'syncing' | 'synced' | 'attention' | 'signed_out';

export interface SyncStatus {
  readonly phase: SyncPhase;
  readonly pendingEvents: number;
  readonly pendingPhotos: number;
  /** Share of the current upload batch confirmed, while photos are being sent. */
  readonly uploadProgress: number | null;
  /** Orders whose changes the server refused (its guard): they stay unsynced and exportable. */
  readonly refused: number;
  /** Photos the server refused for good (too large, not an image…): kept, unsynced, exportable, not retried. */
  readonly rejectedPhotos: readonly RejectedUpload[];
}

export interface Pending {
  /** Events and field reports waiting for the server (refused ones not counted: they wait for the user). */
  readonly events: number;
  /** Orders whose unsynced changes the server refused: unsynced, exportable, never sent again by themselves. */
  readonly refused: readonly RefusedWork[];
  /** Events and field reports in `refused`. */
  readonly refusedChanges: number;
  readonly photos: number;
  readonly photoHashes: ReadonlySet<string>;
  /** Of `photos`, those the server refused for good. */
  readonly rejected: readonly RejectedUpload[];
}

const BASE_URL = new URL(import.meta.env.BASE_URL, location.href).href;
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

const db = new LianxinDb();
const api = new LianxinApi({ baseUrl: BASE_URL });
const docs = new OrderDocs({ db });

const sessionCell = new Cell<Session | null>(null);
const endedCell = new Cell(false);
const pendingCell = new Cell<Pending>({ events: 0, refused: [], refusedChanges: 0, photos: 0, photoHashes: new Set(), rejected: [] }, samePending);
const statusCell = new Cell<SyncStatus>({ phase: 'local', pendingEvents: 0, pendingPhotos: 0, uploadProgress: null, refused: 0, rejectedPhotos: [] }, sameStatus);

export const session: Watchable<Session | null> = sessionCell;
/** The server said the session ended: sign in again; unsynced work stays on the device. */
export const sessionEnded: Watchable<boolean> = endedCell;
export const pending: Watchable<Pending> = pendingCell;
export const syncStatus: Watchable<SyncStatus> = statusCell;
const orgCell = new Cell<OrgDirectory | null>(null);
/** The user's branch of the organisation and its people, as last fetched: names for ids, offline too. */
export const org: Watchable<OrgDirectory | null> = orgCell;

export const repository = new OrderRepository({
  db,
  docs,
  user: () => sessionCell.value?.user ?? null,
  random,
  seed: (orderId) => (sessionCell.value?.demo ? demoOrder(orderId) : null),
});

let engine: SyncEngine | null = null;
let uploads: UploadQueue | null = null;
let stopWatchingEngine: () => void = () => undefined;
let online = navigator.onLine;

let markReady: () => void = () => undefined;
/** Resolves once a stored session has been restored (the router waits for it). */
export const ready = new Promise<void>((resolve) => (markReady = resolve));

/**
 * A stored session's sync starts once the first screen has painted (the inbox
 * reports it; other routes wait FIRST_SCREEN_WAIT_MS at most): the engine
 * loads the index docs and re-projects every summary into the rows table,
 * which on a device with thousands of orders would compete with the inbox's
 * first read. A fresh sign-in starts it at once.
 */
const FIRST_SCREEN_WAIT_MS = 1500;
let firstScreenShown: () => void = () => undefined;
const firstScreen = new Promise<void>((resolve) => (firstScreenShown = resolve));
const firstScreenOrWait = Promise.race([firstScreen, ready.then(() => new Promise<void>((resolve) => setTimeout(resolve, FIRST_SCREEN_WAIT_MS)))]);
/** The session whose sync waits for the first screen. */
let deferredSync: StoredSession | null = null;

/** The first screen has painted: what was deferred for it may start. */
export function firstScreenPainted(): void {
  firstScreenShown();
}

/** Resolves once the first screen has painted (or the wait for it ran out): for work that must not compete with it. */
export function afterFirstScreen(): Promise<void> {
  return firstScreenOrWait;
}

function startSyncAfterFirstScreen(stored: StoredSession): void {
  deferredSync = stored;
  void firstScreenOrWait.then(() => {
    if (deferredSync !== stored) return; // signed out or in again meanwhile
    void startSync(stored);
    updateStatus();
    if (online) void checkSession(stored.token);
  });
}

const INBOX_TAB_KEY = 'lianxin.inboxTab';
/** The inbox tabs, in the order the inbox shows them. */
export const INBOX_TABS: readonly InboxTabKey[] = ['todo', 'doing', 'done', 'all'];

/** The inbox tab last shown in this browser session, else the to-do tab. */
export function initialInboxTab(): InboxTabKey {
  const stored = sessionStorage.getItem(INBOX_TAB_KEY);
  return INBOX_TABS.find((key) => key === stored) ?? 'todo';
}

export function rememberInboxTab(tab: InboxTabKey): void {
  sessionStorage.setItem(INBOX_TAB_KEY, tab);
}

/**
 * The first screen's rows, read as soon as the app starts, alongside the
 * session, instead of after the router's guard and the inbox page are up;
 * the inbox shows them until its live query answers. Not for 'all' (every row).
 */
let firstInboxRead: { readonly tab: InboxTabKey; readonly rows: Promise<InboxRow[] | null> } | null = null;

/** The early read of `tab`'s rows, once; null when there is none for it. */
export function takeFirstInboxRows(tab: InboxTabKey): Promise<InboxRow[] | null> | null {
  const read = firstInboxRead;
  firstInboxRead = null;
  return read?.tab === tab ? read.rows : null;
}

let started = false;

export async function startDataLayer(): Promise<void> {
  if (started) return;
  started = true;
  // First, before anything rewrites the marker it reads: did the browser delete this device's data?
  guardStorage(db, sessionCell, pendingCell);
  performance.mark('lianxin:data-layer');
  const tab = initialInboxTab();
  // A demo session's orders are seeded from the generator when opened (`demoOrder` is synchronous): loaded before `ready`.
  const demoLoaded = isDemoActive() ? loadDemo().then(() => true, () => false) : Promise.resolve(false);
  if (tab !== 'all') firstInboxRead = { tab, rows: inboxRows(db, tab, Date.now()).catch(() => null) };
  // Names for the timeline from the last fetch, without holding up the first screen.
  void getSessionValue(db, 'org').then((stored) => {
    if (!orgCell.value) orgCell.set(stored ?? null);
  });
  window.addEventListener('online', () => setOnline(true));
  window.addEventListener('offline', () => setOnline(false));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refresh();
  });
  liveQuery(async () => {
    const [counts, photoRows, rejected, refused] = await Promise.all([
      unsyncedCounts(db),
      db.uploads.where('state').anyOf(['queued', 'uploading', 'failed']).primaryKeys(),
      rejectedUploads(db),
      refusedWork(db),
    ]);
    const refusedChanges = refused.reduce((n, r) => n + r.events.length + (r.intake ? 1 : 0), 0);
    return { events: counts.events + counts.intakes - refusedChanges, refused, refusedChanges, photos: counts.photos, photoHashes: new Set(photoRows), rejected };
  }).subscribe({ next: (value) => {
    pendingCell.set(value);
    updateStatus();
  } });
  try {
    const stored = await loadSession(db);
    if (stored) {
      const demo = stored.token === DEMO_TOKEN && (await demoLoaded);
      sessionCell.set(toSession(stored, demo));
      // Building the demo set (for its names) waits for the first screen too.
      if (demo) void firstScreenOrWait.then(() => sessionCell.value?.demo && orgCell.set(demoDirectory()));
      if (!demo) startSyncAfterFirstScreen(stored);
    }
  } finally {
    performance.mark('lianxin:session-ready');
    markReady();
  }
  updateStatus();
}

const DEMO_TOKEN = 'demo';

function toSession(stored: StoredSession, demo: boolean): Session {
  return { user: stored.user, token: stored.token, demo, serverOffsetMs: stored.serverOffsetMs, place: stored.place };
}

/** Measure the server clock and learn whether the token still holds. */
async function checkSession(token: string): Promise<void> {
  try {
    const me = await api.me(token);
    await recordServerTime(db, me);
    const stored = await loadSession(db);
    if (stored && sessionCell.value?.token === token) sessionCell.set(toSession(stored, false));
  } catch (error) {
    if (error instanceof ApiError && error.unauthenticated) endSession();
  }
}

type SyncModule = typeof import('#shared/client/sync.ts');
let syncModule: Promise<SyncModule> | null = null;

/** The sync stack (Hocuspocus provider, y-indexeddb index docs): a lazy chunk, not needed to paint the inbox from Dexie. */
function loadSync(): Promise<SyncModule> {
  syncModule ??= import('#shared/client/sync.ts');
  syncModule.catch(() => (syncModule = null));
  return syncModule;
}

/** The warm phase's share (router.ts `warmPages`): the data layer's lazy chunks in this tab. */
export function warmDataLayer(): Promise<unknown> {
  return Promise.all([loadSync(), demoAvailable || isDemoActive() ? loadDemo() : null]);
}

/** Bumped by `stopSync`: a start still loading the sync chunk then gives up. */
let syncGeneration = 0;

async function startSync(stored: StoredSession): Promise<void> {
  void stopSync();
  const generation = syncGeneration;
  deferredSync = stored; // 'connecting' while the chunk loads
  const { SyncEngine, indexDocNamesFor } = await loadSync();
  if (generation !== syncGeneration) return; // stopped, or started again, meanwhile
  const next = new SyncEngine({
    db,
    docs,
    url: syncUrl(BASE_URL),
    token: stored.token,
    user: stored.user,
    indexDocs: indexDocNamesFor(stored.user, knownCommunityGrids(stored.user)),
    api,
    onSessionEnded: endSession,
  });
  const queue = new UploadQueue({ db, api, token: () => (endedCell.value ? null : (sessionCell.value?.token ?? null)), onUnauthenticated: endSession });
  let prefetched = false;
  const stopState = next.state.watch((state) => {
    updateStatus();
    if (state.indexLoaded && !prefetched) {
      prefetched = true;
      void prefetchOpenOrders(next);
    }
  });
  const stopProgress = queue.progress.watch(() => updateStatus());
  const stopRefusals = next.refusals.watch(() => updateStatus());
  stopWatchingEngine = () => {
    stopState();
    stopProgress();
    stopRefusals();
  };
  engine = next;
  uploads = queue;
  next.start();
  void queue.kick(true);
  void learnOrg(next, stored.user, stored.token);
}

const GRIDS_KEY = 'lianxin.communityGrids';

/** A community handler reads the index of each grid of the community (the server opens them no street index). */
function knownCommunityGrids(user: User): string[] {
  if (user.role !== 'community_handler') return [];
  try {
    const cached = JSON.parse(localStorage.getItem(GRIDS_KEY) ?? 'null') as { unitId?: string; grids?: string[] } | null;
    return cached?.unitId === user.unitId && Array.isArray(cached.grids) ? cached.grids : [];
  } catch {
    return [];
  }
}

/**
 * The user's branch of the organisation, stored for offline starts (names in
 * the timeline; a community handler's grids, whose indexes it then reads).
 */
async function learnOrg(target: SyncEngine, user: User, token: string): Promise<void> {
  try {
    const directory = await api.org(token);
    if (engine !== target) return; // signed out or in again meanwhile
    await setSessionValue(db, 'org', directory);
    orgCell.set(directory);
    if (user.role !== 'community_handler') return;
    const grids = directory.units.filter((unit) => unit.kind === 'grid' && unit.parentId === user.unitId).map((unit) => unit.id);
    localStorage.setItem(GRIDS_KEY, JSON.stringify({ unitId: user.unitId, grids }));
    const { indexDocNamesFor } = await loadSync();
    target.addIndexDocs(indexDocNamesFor(user, grids));
  } catch {
    // Offline: what was learnt last time holds; coming back online asks again.
  }
}

function stopSync(): Promise<void> {
  syncGeneration++;
  deferredSync = null;
  stopWatchingEngine();
  stopWatchingEngine = () => undefined;
  const stopping = Promise.all([engine?.stop(), uploads?.stop()]).then(() => undefined);
  engine = null;
  uploads = null;
  return stopping;
}

const PREFETCH_KEY = 'lianxin.prefetched';
const PREFETCH_MAX = 200;

/**
 * Open orders listed in the user's index whose docs have never been on this
 * device: fetched in bulk so they can be worked on offline without having
 * been opened online first.
 */
async function prefetchOpenOrders(target: SyncEngine): Promise<void> {
  const known = new Set<string>(JSON.parse(localStorage.getItem(PREFETCH_KEY) ?? '[]') as string[]);
  const inTab = (tab: InboxTab) => db.orders.where('[tab+deadline]').between([tab, Dexie.minKey], [tab, Dexie.maxKey]).primaryKeys();
  const open = [...(await inTab('todo')), ...(await inTab('doing'))];
  const wanted = open.filter((id) => !known.has(id) && !docs.isOpen(id)).slice(0, PREFETCH_MAX);
  if (wanted.length === 0) return;
  try {
    await target.prefetch(wanted);
    for (const id of wanted) known.add(id);
    localStorage.setItem(PREFETCH_KEY, JSON.stringify([...known].slice(-2000)));
  } catch {
    // Offline or refused: the next start tries again.
  }
}

function endSession(): void {
  if (endedCell.value) return;
  endedCell.set(true);
  updateStatus();
}

function setOnline(value: boolean): void {
  online = value;
  engine?.setOnline(value);
  if (value) void uploads?.kick(true);
  const current = sessionCell.value;
  if (value && engine && current && !current.demo) void learnOrg(engine, current.user, current.token);
  updateStatus();
}

/** Pull to refresh and return to the foreground: reconnect and retry uploads now. */
export async function refresh(): Promise<void> {
  online = navigator.onLine;
  engine?.setOnline(online);
  const current = sessionCell.value;
  if (current && !current.demo && online && !endedCell.value) await Promise.all([checkSession(current.token), uploads?.kick(true)]);
  updateStatus();
}

/** Send the photos the server refused once more (after the cause was fixed on the server). */
export async function retryRejectedPhotos(): Promise<void> {
  await uploads?.retryRejected();
}

/**
 * Delete the changes the server refused (after the user exported them) and
 * the local copies of their orders, which the server's state replaces.
 */
export async function discardRefused(): Promise<void> {
  await engine?.discardRefused();
}

/** A new photo was stored: start sending it. */
export function kickUploads(): void {
  void uploads?.kick();
}

function updateStatus(): void {
  const p = pendingCell.value;
  const progress = uploads?.progress.value;
  const uploadProgress = progress && progress.total > 0 ? progress.done / progress.total : null;
  statusCell.set({
    phase: phaseNow(),
    pendingEvents: p.events,
    pendingPhotos: p.photos,
    uploadProgress,
    refused: p.refused.length,
    rejectedPhotos: p.rejected,
  });
}

function phaseNow(): SyncPhase {
  const s = sessionCell.value;
  if (!s || s.demo) return 'local';
  if (endedCell.value) return 'signed_out';
  if (!engine) return deferredSync ? (online ? 'connecting' : 'offline') : 'local';
  const state = engine.state.value;
  if (state.connection === 'signed_out') return 'signed_out';
  if (!online || state.connection === 'offline') return 'offline';
  if (state.connection === 'connecting') return 'connecting';
  const p = pendingCell.value;
  // Rejected photos are not retried: waiting on them is not "syncing".
  const busy = state.docsInFlight > 0 || !state.indexLoaded || p.events > 0 || p.photos - p.rejected.length > 0;
  if (busy) return 'syncing';
  return p.rejected.length > 0 || p.refused.length > 0 ? 'attention' : 'synced';
}

/**
 * Sign in online. Another user's data on this device is forgotten first, and
 * refused while any of it is unsynced; the same user signing in again after
 * the session ended keeps everything and delivers it.
 */
export async function signIn(username: string, password: string): Promise<void> {
  const result = await api.login(username, password);
  const previous = await loadSession(db);
  const wasDemo = previous?.token === DEMO_TOKEN;
  if (previous && (wasDemo || previous.user.id !== result.user.id)) {
    await stopSync();
    if (wasDemo) await wipe();
    else if (!(await forgetLocalData(db, docs))) {
      await api.logout(result.token).catch(() => undefined);
      throw new Error(`${previous.user.name} (${previous.user.id}) still has unsynced work on this device; sign in as them to deliver it, or export it first`);
    }
  }
  const stored = await saveSession(db, result, random);
  endedCell.set(false);
  sessionCell.set(toSession(stored, false));
  await startSync(stored);
  updateStatus();
  // From now on this device holds work that exists nowhere else until it syncs.
  void requestPersistence();
}

export async function signInDemo(): Promise<void> {
  const previous = await loadSession(db);
  if (previous && previous.token !== DEMO_TOKEN) {
    if (!(await forgetLocalData(db, docs))) throw new Error('unsynced work of a signed-in user is on this device; sync or export it first');
  }
  await stopSync();
  await wipe();
  const now = Date.now();
  await startDemo(db, now);
  orgCell.set(demoDirectory());
  const stored = await saveSession(db, { user: await demoUser(), token: DEMO_TOKEN, expiresAt: now + 365 * 86_400_000, serverTime: now, receivedAt: now, place: demoPlace() }, random);
  endedCell.set(false);
  sessionCell.set(toSession(stored, true));
  updateStatus();
}

/** Demo data is not anyone's work: it goes without the unsynced check. */
async function wipe(): Promise<void> {
  stopDemo();
  await forgetLocalData(db, docs, { force: true });
  localStorage.removeItem(PREFETCH_KEY);
}

export type SignOutResult = { readonly ok: true } | { readonly ok: false; readonly events: number; readonly photos: number };

/** Refused while anything is unsynced; otherwise ends the session and forgets the user's data. */
export async function signOut(): Promise<SignOutResult> {
  const current = sessionCell.value;
  if (current?.demo) {
    await wipe();
    sessionCell.set(null);
    orgCell.set(null);
    updateStatus();
    return { ok: true };
  }
  const counts = await unsyncedCounts(db);
  if (counts.events + counts.intakes + counts.photos > 0) return { ok: false, events: counts.events + counts.intakes, photos: counts.photos };
  if (current && !endedCell.value) await api.logout(current.token).catch(() => undefined);
  await stopSync();
  if (!(await forgetLocalData(db, docs))) {
    const again = await unsyncedCounts(db);
    if (current) void startSync({ user: current.user, token: current.token, tokenExpiresAt: 0, serverOffsetMs: current.serverOffsetMs, place: current.place });
    return { ok: false, events: again.events + again.intakes, photos: again.photos };
  }
  await clearSession(db);
  localStorage.removeItem(PREFETCH_KEY);
  localStorage.removeItem(GRIDS_KEY);
  sessionCell.set(null);
  orgCell.set(null);
  endedCell.set(false);
  updateStatus();
  return { ok: true };
}

/** The last escape hatch: a file of everything the server has not confirmed. */
export function exportUnsynced(): Promise<UnsyncedExport> {
  return buildExport(db, sessionCell.value?.user ?? null, Date.now());
}

/** The photo's bytes from the server (the service worker caches them by hash). */
export function fetchPhoto(sha256: string): Promise<Blob> {
  const current = sessionCell.value;
  if (!current || current.demo) return Promise.reject(new Error('no server in demo mode'));
  return api.getPhoto(current.token, sha256);
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

/** Ask the browser not to evict this origin's data (Chromium grants it to installed apps). */
export async function requestPersistence(): Promise<boolean> {
  return (await navigator.storage?.persist?.().catch(() => false)) ?? false;
}

function samePending(a: Pending, b: Pending): boolean {
  return (
    a.events === b.events &&
    a.refusedChanges === b.refusedChanges &&
    a.refused.length === b.refused.length &&
    a.refused.every((r, i) => r.orderId === b.refused[i]?.orderId && r.at === b.refused[i]?.at) &&
    a.photos === b.photos &&
    a.photoHashes.size === b.photoHashes.size &&
    [...a.photoHashes].every((h) => b.photoHashes.has(h)) &&
    sameRejected(a.rejected, b.rejected)
  );
}

function sameRejected(a: readonly RejectedUpload[], b: readonly RejectedUpload[]): boolean {
  return a.length === b.length && a.every((r, i) => r.sha256 === b[i]?.sha256 && r.at === b[i]?.at);
}

function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return a.phase === b.phase && a.pendingEvents === b.pendingEvents && a.pendingPhotos === b.pendingPhotos && a.uploadProgress === b.uploadProgress && a.refused === b.refused && sameRejected(a.rejectedPhotos, b.rejectedPhotos);
}
