/**
 * The PWA's data layer (a chunk loaded right after the first paint, behind
 * `index.ts`, which the pages import): wiring only. The engine and its policy are
 * `shared/client/` (API client, order repository, sync engine, upload queue,
 * and `ClientSession`: sign-in and sign-out, what "synced" means, the sync
 * status, prefetch — the same code the extension's background runs); this
 * file connects it to the page: the browser's online signal and foreground,
 * the first screen, demo mode, the keys the page stores, and the values the
 * composables watch. Vue-free: the composables turn these Watchables into refs.
 */
import { LianxinApi, ApiError, knowledgeFileType, syncUrl, type AdminUser, type KnowledgeImportResult } from '#shared/client/api.ts';
import { ClientSession, syncStackOf, type Server, type SignOutResult, type SyncStack } from '#shared/client/client-session.ts';
import { exportUnsynced as buildExport, type UnsyncedExport } from '#shared/client/device.ts';
import type { OrderDocs } from '#shared/client/order-docs.ts';
import type { OpenOrder, OrderRepository, OrderSnapshot } from '#shared/client/repository.ts';
import { OrderRows, type InboxCounts, type InboxRow } from '#shared/client/rows.ts';
import type { Pending, SyncStatus } from '#shared/client/sync-status.ts';
import type { ArchiveStatus } from '#shared/client/sync.ts';
import type { RejectedUpload } from '#shared/client/uploads.ts';
import { Cell, type Watchable } from '#shared/client/watchable.ts';
import { markStep } from '#shared/client/mark-step.ts';
import { liveQuery } from 'dexie';
import { LianxinDb, getSessionValue, setSessionValue, type NotificationRow, type SessionRow } from '#shared/local/db.ts';
import { loadSession, sessionFromRows } from '#shared/client/session.ts';
import { FIRST_FRAME_KEY, type FirstFrame } from '#shared/local/first-frame.ts';
import { listNotifications, markRead, unreadCount } from '#shared/local/notifications.ts';
import type { RefusedWork } from '#shared/local/journal.ts';
import type { FedPage } from '#shared/local/knowledge.ts';
import type { OrgDirectory } from '#shared/org/names.ts';
import type { PhraseBook } from '#shared/order/quick-phrases.ts';
import type { User } from '#shared/org/roles.ts';
import { cryptoRandomBytes } from '#shared/clock/ids.ts';
import type { DuplicateSuggestion } from '#shared/duplicates/detect.ts';
import { demoAvailable, demoDirectory, demoOrder, demoPlace, demoUser, isDemoActive, loadDemo, startDemo, stopDemo } from './demo-mode.ts';
import { guardStorage } from './storage-guard.ts';
import { forgetUserStorage, readIndexUnits, writeIndexUnits } from './storage-keys.ts';
import { pageSession, requestPersistence, sameSession, type FirstRead, type Session } from './first-screen.ts';

export { ApiError };
export type { ArchiveStatus, AdminUser, KnowledgeImportResult, InboxCounts, InboxRow, OrderSnapshot, Pending, RefusedWork, RejectedUpload, SignOutResult, SyncStatus, UnsyncedExport, Watchable };
export type { SyncPhase } from '#shared/client/sync-status.ts';

const BASE_URL = new URL(import.meta.env.BASE_URL, location.href).href;

// The inbox's search filters a tab's rows in memory (`searchText`): the rows carry no search terms (db.ts).
const db = new LianxinDb(undefined, { searchIndex: false });
const api = new LianxinApi({ baseUrl: BASE_URL });
const server: Server = { api, syncUrl: syncUrl(BASE_URL) };

let syncStack: Promise<SyncStack> | null = null;

/** The sync stack (Hocuspocus provider, y-indexeddb index docs): a lazy chunk, not needed to paint the inbox from Dexie. */
function loadSync(): Promise<SyncStack> {
  syncStack ??= import('#shared/client/sync.ts').then(syncStackOf);
  syncStack.catch(() => (syncStack = null));
  return syncStack;
}

const client = new ClientSession({
  db,
  loadDocs: () => loadStore().then((store) => store.docs),
  random: cryptoRandomBytes,
  online: navigator.onLine,
  loadSync,
  indexUnits: knownIndexUnits,
  onConnected: (current) => {
    void learnOrg(current.user, current.token);
    void syncKnowledge();
  },
  onForgotten: async () => {
    stopDemo();
    orgCell.set(null);
    knowledgeCell.set(null);
    // The worker's index in memory is the previous user's area's.
    void import('../knowledge/client.ts').then((worker) => worker.stopKnowledgeWorker());
    await forgetUserStorage();
  },
});

const sessionCell = new Cell<Session | null>(null, sameSession);
client.session.watch((value) => sessionCell.set(value && pageSession(value)));

export const session: Watchable<Session | null> = sessionCell;
/** The server said the session ended: sign in again; unsynced work stays on the device. */
export const sessionEnded: Watchable<boolean> = client.sessionEnded;
export const pending: Watchable<Pending> = client.pending;
export const syncStatus: Watchable<SyncStatus> = client.status;
/** The archive months kept on this device and those loading (history, 数据分析); null while sync does not run. */
export const archives: Watchable<ArchiveStatus | null> = client.archives;

/**
 * Keep the archive index docs of these months (`YYYY-MM`): fetched now or once
 * sync runs, then offline too. Demo mode has no server and no archives.
 */
export function openArchives(months: readonly string[]): void {
  if (sessionCell.value?.demo) return;
  client.openArchives(months);
}
const orgCell = new Cell<OrgDirectory | null>(null);
/** The user's branch of the organisation and its people, as last fetched: names for ids, offline too. */
export const org: Watchable<OrgDirectory | null> = orgCell;

interface DocStore {
  readonly docs: OrderDocs;
  readonly repository: OrderRepository;
}
let docStore: Promise<DocStore> | null = null;

/**
 * The order docs (Yjs, y-indexeddb) and the repository that opens and acts on
 * them: a lazy chunk, not needed to paint the inbox from Dexie. Loaded by the
 * sync engine's start, the warm phase, or the first order opened or written,
 * whichever comes first; one instance for the tab.
 */
function loadStore(): Promise<DocStore> {
  // A demo session's orders are seeded from the generator when opened (`demoOrder` is synchronous): loaded with the store.
  docStore ??= Promise.all([import('#shared/client/order-docs.ts'), import('#shared/client/repository.ts'), isDemoActive() ? loadDemo() : null]).then(([docsModule, repositoryModule]) => {
    const docs = new docsModule.OrderDocs({ db });
    const repository = new repositoryModule.OrderRepository({
      db,
      docs,
      user: () => sessionCell.value?.user ?? null,
      random: cryptoRandomBytes,
      seed: (orderId) => (sessionCell.value?.demo ? demoOrder(orderId) : null),
    });
    return { docs, repository };
  });
  docStore.catch(() => (docStore = null));
  return docStore;
}

type Later<K extends keyof OrderRepository> = OrderRepository[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R> : never;

/**
 * Orders on this device, as the pages use them: the rows' reads at once
 * (Dexie only: the first screen), and what needs an order's doc once the doc
 * store has loaded — an action or a photo taken before then waits for it.
 */
class PageRepository extends OrderRows {
  readonly openOrder: Later<'openOrder'> = (...args) => loadStore().then((store) => store.repository.openOrder(...args));
  readonly act: Later<'act'> = (...args) => loadStore().then((store) => store.repository.act(...args));
  readonly addPhoto: Later<'addPhoto'> = (...args) => loadStore().then((store) => store.repository.addPhoto(...args));
  readonly storePhoto: Later<'storePhoto'> = (...args) => loadStore().then((store) => store.repository.storePhoto(...args));
  readonly createFieldReport: Later<'createFieldReport'> = (...args) => loadStore().then((store) => store.repository.createFieldReport(...args));
  readonly nextFieldReportNo: Later<'nextFieldReportNo'> = (...args) => loadStore().then((store) => store.repository.nextFieldReportNo(...args));
}

export const repository = new PageRepository({ db });
export type { OpenOrder };

let started = false;

/**
 * Start the data layer: the stored session restored (from the first read when
 * it took it: `firstRead`, index.html's raw read; else read with Dexie), the
 * sync and the demo's names after `afterFirstScreen`.
 */
export async function start({ firstRead, afterFirstScreen }: { readonly firstRead: Promise<FirstRead | null>; readonly afterFirstScreen: Promise<void> }): Promise<void> {
  if (started) return;
  started = true;
  // First, before anything rewrites the marker it reads: did the browser delete this device's data?
  guardStorage(db, sessionCell, client.pending);
  // Names for the timeline from the last fetch.
  void getSessionValue(db, 'org').then((stored) => {
    if (!orgCell.value) orgCell.set(stored ?? null);
  });
  window.addEventListener('online', () => client.setOnline(true));
  window.addEventListener('offline', () => client.setOnline(false));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refresh();
  });
  client.observe();
  const stored = await client.restore(firstRead.then((early) => (early ? sessionFromRows(early.session as (SessionRow | undefined)[]) : loadSession(db))));
  // The demo generator and its set (for its names) wait for the first screen too: the inbox is drawn from the rows.
  if (stored?.local) void afterFirstScreen.then(loadDemo).then(() => sessionCell.value?.demo && orgCell.set(demoDirectory()), () => undefined);
  else if (stored) void client.startSync(server, afterFirstScreen);
}

/** The warm phase's share (router.ts `warmPages`): the data layer's lazy chunks in this tab. */
export function warmDataLayer(): Promise<unknown> {
  // The knowledge base's sync and the worker's client (not the worker itself: it starts on use).
  return Promise.all([loadSync(), loadStore(), demoAvailable || isDemoActive() ? loadDemo() : null, import('#shared/local/knowledge.ts'), import('../knowledge/client.ts')]);
}

/** The roles whose index docs are those of the units below them (`indexDocNamesFor`), and the kind of those units. */
const INDEX_UNIT_KIND: Partial<Record<User['role'], 'street'>> = { supervisor: 'street' };

/** A supervisor reads the index of each street of the district (a community handler reads the community's own index). */
function knownIndexUnits(user: User): string[] {
  if (!INDEX_UNIT_KIND[user.role]) return [];
  try {
    return readIndexUnits(localStorage, user.unitId);
  } catch {
    return []; // storage refused (private mode, quota): learnt again from the organisation
  }
}

/**
 * The user's branch of the organisation, stored for offline starts (names in
 * the timeline; a supervisor's streets, whose indexes it then reads).
 */
async function learnOrg(user: User, token: string): Promise<void> {
  try {
    const directory = await api.org(token);
    if (client.session.value?.token !== token) return; // signed out or in again meanwhile
    await setSessionValue(db, 'org', directory);
    orgCell.set(directory);
    const kind = INDEX_UNIT_KIND[user.role];
    if (!kind) return;
    const units = directory.units.filter((unit) => unit.kind === kind && unit.parentId === user.unitId).map((unit) => unit.id);
    writeIndexUnits(localStorage, user.unitId, units);
    await client.addIndexUnits(units);
  } catch {
    // Offline: what was learnt last time holds; coming back online asks again.
  }
}

/** Pull to refresh and return to the foreground: reconnect and retry uploads now. */
export function refresh(): Promise<void> {
  void syncKnowledge();
  return client.refresh(navigator.onLine);
}

/** The knowledge base on this device: its seq and when it last synced (null until the first pull or read). */
export interface KnowledgeStatus {
  readonly seq: number;
  readonly syncedAt: number | null;
}
const knowledgeCell = new Cell<KnowledgeStatus | null>(null);
/** Changes after every pull that changed something: the knowledge worker catches up on it. */
export const knowledgeStatus: Watchable<KnowledgeStatus | null> = knowledgeCell;
let knowledgePull: Promise<void> | null = null;

/**
 * Pull what changed in the knowledge base since this device's seq
 * (shared/local/knowledge.ts, a lazy chunk): at sign-in, on every connection
 * and on refresh. Offline it fails quietly and the device keeps what it has.
 */
export function syncKnowledge(): Promise<void> {
  const current = sessionCell.value;
  if (!current || current.demo) return Promise.resolve();
  knowledgePull ??= (async () => {
    const { pullKnowledge, knowledgeSyncState } = await import('#shared/local/knowledge.ts');
    try {
      // A first sync hands each page's terms to the worker (it builds the index as the pages arrive) instead of storing them.
      const feed = async (page: FedPage) => {
        // Signed out meanwhile: no worker is started again for another user's data.
        if (sessionCell.value?.token !== current.token) return false;
        const { askKnowledge } = await import('../knowledge/client.ts');
        const reply = await askKnowledge({ type: 'feed', page });
        return reply.type === 'fed' && reply.indexed;
      };
      const result = await pullKnowledge(db, (since) => api.knowledgeChanges(current.token, since), Date.now, { feed });
      // The worker holds what it was fed in memory only: it saves its index now, whether or not a search is open.
      if (result.fed > 0 && sessionCell.value?.token === current.token) await import('../knowledge/client.ts').then((worker) => worker.askKnowledge({ type: 'refresh' }));
      if (sessionCell.value?.token === current.token) knowledgeCell.set({ seq: result.seq, syncedAt: Date.now() });
    } catch {
      const stored = await knowledgeSyncState(db);
      if (!knowledgeCell.value) knowledgeCell.set({ seq: stored.seq, syncedAt: stored.syncedAt });
    }
  })().finally(() => (knowledgePull = null));
  return knowledgePull;
}

/** A pull that starts after a change on the server (one already running may have missed it). */
async function pullAfterChange(): Promise<void> {
  await knowledgePull;
  await syncKnowledge();
}

/** Admin only: import a knowledge file; throws ApiError (offline, refused, not a known kind). */
export async function importKnowledge(file: File): Promise<KnowledgeImportResult> {
  const current = sessionCell.value;
  if (!current || current.demo) throw new Error('no server in demo mode');
  const type = knowledgeFileType(file.name);
  if (!type) throw new ApiError(415, 'unsupported_media_type', file.name);
  const result = await api.importKnowledge(current.token, file, type);
  void pullAfterChange();
  return result;
}

/** Admin only: withdraw an entry on the server, then pull at once so it leaves this device too. */
export async function withdrawKnowledge(id: string): Promise<void> {
  const current = sessionCell.value;
  if (!current || current.demo) throw new Error('no server in demo mode');
  await api.withdrawKnowledge(current.token, id);
  await pullAfterChange();
}

/** The synonym groups as the server holds them (admins edit them; devices get them with the knowledge pull). */
export function knowledgeSynonyms(): Promise<string[][]> {
  const current = sessionCell.value;
  if (!current || current.demo) return Promise.reject(new Error('no server in demo mode'));
  return api.knowledgeSynonyms(current.token);
}

/** Admin only: replace the synonym groups, then pull so this device searches with them at once. */
export async function saveKnowledgeSynonyms(groups: readonly (readonly string[])[]): Promise<string[][]> {
  const current = sessionCell.value;
  if (!current || current.demo) throw new Error('no server in demo mode');
  const stored = await api.putKnowledgeSynonyms(current.token, groups);
  void pullAfterChange();
  return stored;
}

/** Send the photos the server refused once more (after the cause was fixed on the server). */
export function retryRejectedPhotos(): Promise<void> {
  return client.retryRejectedPhotos();
}

/**
 * Delete the changes the server refused (after the user exported them) and
 * the local copies of their orders, which the server's state replaces.
 */
export async function discardRefused(): Promise<void> {
  await client.discardRefused();
}

/** A new photo was stored: start sending it. */
export function kickUploads(): void {
  client.kickUploads();
}

/**
 * Sign in online. Another user's data on this device is forgotten first, and
 * refused while any of it is unsynced; the same user signing in again after
 * the session ended keeps everything and delivers it.
 */
export async function signIn(username: string, password: string): Promise<void> {
  await client.signIn(server, username, password);
  // From now on this device holds work that exists nowhere else until it syncs.
  void requestPersistence();
}

export async function signInDemo(): Promise<void> {
  // Refused (UnsyncedWorkError, naming the user) while a signed-in user's work here is unsynced.
  await client.signInLocal({ user: await demoUser(), place: demoPlace() }, () => startDemo(db, Date.now()));
  orgCell.set(demoDirectory());
}

/** Refused while anything is unsynced (demo work is nobody's: it goes); otherwise ends the session and forgets the user's data. */
export function signOut(): Promise<SignOutResult> {
  return client.signOut();
}

/** The last escape hatch: a file of everything the server has not confirmed. */
export function exportUnsynced(): Promise<UnsyncedExport> {
  return buildExport(db, sessionCell.value?.user ?? null, Date.now());
}

/**
 * Load an order's doc from IndexedDB ahead of its opening (the desk: the
 * order next to the one shown, the first of a queue), so that opening it
 * does not wait for its store. `loaded` settles once the doc is read (or
 * could not be); `release` gives it back.
 */
export function preloadOrder(orderId: string): { readonly loaded: Promise<void>; release(): void } {
  let release: (() => void) | null = null;
  let cancelled = false;
  const loaded = loadStore().then((store) => store.docs.acquire(orderId)).then(
    (handle) => void (cancelled ? handle.release() : (release = () => handle.release())),
    () => undefined,
  );
  return {
    loaded,
    release: () => {
      cancelled = true;
      release?.();
    },
  };
}

/** Admin only: every account from the server (GET /api/admin/users); fails offline and in demo mode. */
export function adminUsers(): Promise<AdminUser[]> {
  const current = sessionCell.value;
  if (!current || current.demo) return Promise.reject(new Error('no server in demo mode'));
  return api.adminUsers(current.token);
}

/**
 * Set a unit's 常用语 on the server (an admin, or the clerk of the unit's
 * street), then keep them in the stored organisation at once, as the next
 * GET /api/org would; fails offline and in demo mode.
 */
export async function setUnitPhrases(unitId: string, phrases: PhraseBook): Promise<void> {
  const current = sessionCell.value;
  if (!current || current.demo) throw new Error('no server in demo mode');
  const stored = await api.setUnitPhrases(current.token, unitId, phrases);
  const directory = orgCell.value;
  if (!directory || sessionCell.value?.token !== current.token) return;
  const next: OrgDirectory = { ...directory, phrases: { ...directory.phrases, [unitId]: stored } };
  await setSessionValue(db, 'org', next);
  orgCell.set(next);
}

/**
 * Keeps the inbox's last frame for the next start (shared/local/first-frame.ts), for the user it shows only:
 * a frame recorded as the user signs out, or as another signs in, is dropped, so no one's orders stay behind
 * them; nor is it written once the database has closed under the page (a wipe: the write would make it again).
 */
export async function saveFirstFrame(frame: FirstFrame): Promise<void> {
  if (!db.isOpen()) return;
  await db.transaction('rw', db.session, async () => {
    const user = await getSessionValue(db, 'user');
    if (user?.id === frame.userId) await setSessionValue(db, FIRST_FRAME_KEY, frame);
  });
}

/** The photo's bytes from the server (the service worker caches them by hash). */
export function fetchPhoto(sha256: string): Promise<Blob> {
  const current = sessionCell.value;
  if (!current || current.demo) return Promise.reject(new Error('no server in demo mode'));
  return api.getPhoto(current.token, sha256);
}



export type { NotificationRow } from '#shared/local/db.ts';
export type { DuplicateSuggestion };

/** The notification list, newest first, as it changes. */
export function watchNotifications(listener: (rows: NotificationRow[]) => void): () => void {
  const subscription = liveQuery(() => listNotifications(db)).subscribe({ next: listener, error: () => undefined });
  return () => subscription.unsubscribe();
}

/** How many notifications are unread, as it changes. */
export function watchUnreadNotifications(listener: (count: number) => void): () => void {
  const subscription = liveQuery(() => unreadCount(db)).subscribe({ next: listener, error: () => undefined });
  return () => subscription.unsubscribe();
}

/**
 * Notifications recorded from now on in this tab's life, once each: those a
 * system notification may announce. The rows recorded before the call are
 * the baseline (they were there when the app opened).
 */
export function watchArrivingNotifications(listener: (rows: NotificationRow[]) => void): () => void {
  let seen: Set<string> | null = null;
  const subscription = liveQuery(() => db.notifications.where('unread').equals(1).toArray()).subscribe({
    next: (rows) => {
      if (seen === null) {
        seen = new Set(rows.map((row) => row.id));
        return;
      }
      const fresh = rows.filter((row) => !seen!.has(row.id));
      for (const row of fresh) seen.add(row.id);
      if (fresh.length > 0) listener(fresh);
    },
    // A failed query ends the watch (nothing more is announced until the app restarts): leave a trace of it.
    error: (error: unknown) => markStep(`notifications-watch-failed:${error instanceof Error ? error.name : String(error)}`),
  });
  return () => subscription.unsubscribe();
}

export function markNotificationsRead(which: Parameters<typeof markRead>[1]): Promise<void> {
  return markRead(db, which, Date.now());
}

/** The likely and possible duplicates of an order, from the server (which has the citizens' words and numbers); throws offline. */
export function duplicatesOf(orderId: string): Promise<DuplicateSuggestion[]> {
  const current = sessionCell.value;
  if (!current || current.demo) return Promise.resolve([]);
  return api.duplicatesOf(current.token, orderId);
}

/** The rows this device holds for these orders (titles and addresses for a list of candidates). */
export async function orderRows(ids: readonly string[]): Promise<Map<string, InboxRow>> {
  const rows = await db.orders.bulkGet([...ids]);
  return new Map(rows.filter((row): row is InboxRow => row !== undefined).map((row) => [row.id, row]));
}

/** The row of the order with this number, if it is on the device (a merged order's master). */
export function orderRowByNo(orderNo: string): Promise<InboxRow | undefined> {
  return db.orders.where('orderNo').equals(orderNo).first();
}
