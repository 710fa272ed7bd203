/**
 * Wiring of the background service worker. Chrome stops an idle worker and
 * starts it again on the next message or event; everything here is rebuilt
 * from disk on each start: the session from IndexedDB, the portal
 * registrations from the granted permissions, the sync from the session.
 */
import { browser } from 'wxt/browser';
import { ClientSession, syncStackOf } from '#shared/client/client-session.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import { OrderRepository } from '#shared/client/repository.ts';
import * as syncModule from '#shared/client/sync.ts';
import { LianxinDb } from '#shared/local/db.ts';
import { cryptoRandomBytes } from '#shared/clock/ids.ts';
import { recentArchiveMonths } from '#shared/order/index-placement.ts';
import { serve } from '../../lib/messaging.ts';
import { lastSyncedAtItem } from '../../lib/settings.ts';
import { createHandlers } from './handlers.ts';
import { portalOriginOf } from '../../lib/origins.ts';
import { portalState, syncRegistration, watchPermissions } from './portal-registry.ts';
import { SessionService, serverOf } from './session.ts';
import { BackgroundSync } from './sync.ts';

/** Wakes a stopped worker now and then, so sync resumes without the clerk opening the popup. */
const WAKE_ALARM = 'lianxin-wake';


export function startBackground(): void {
  const now = Date.now;
  const db = new LianxinDb('lianxin-extension');
  const docs = new OrderDocs({ db });
  const client: ClientSession = new ClientSession({
    db,
    loadDocs: () => Promise.resolve(docs),
    random: cryptoRandomBytes,
    now,
    online: navigator.onLine,
    // A service worker may not import() code: the sync stack is in the background's bundle.
    loadSync: () => Promise.resolve(syncStackOf(syncModule)),
    onForgotten: () => lastSyncedAtItem.setValue(null),
    // Forget the token (the data stays) so the popup asks to sign in again.
    onSessionEnded: () => {
      sync.noteError({ code: 'unauthenticated', message: '登录已失效，请重新登录' });
      void client.stopSync().then(() => session.dropToken());
    },
    onCheckFailed: (error) => sync.noteError({ code: error.code, message: error.message }),
    // Orders archived or merged lately left the live index at once (shared/order/index-placement.ts): the clerk
    // still looks them up, and an import's 并单 check weighs those closed a few days ago (ARCHIVED_GRACE_MS), so the
    // archives of this month and the last are kept here as the PWA's 已办 keeps them. Asked at every connect: the
    // months move on while the worker runs.
    onConnected: () => client.openArchives(recentArchiveMonths(now())),
  });
  const repository = new OrderRepository({ db, docs, user: () => client.session.value?.user ?? null, random: cryptoRandomBytes, now });
  const sync: BackgroundSync = new BackgroundSync(db, client, repository, now);
  const session: SessionService = new SessionService(db, client, now);
  // Listeners first and synchronously: the event that woke the worker is delivered only to listeners added in its first turn.
  serve(createHandlers({ db, session, sync, now }), async (caller) => {
    const origin = portalOriginOf(caller.url ?? undefined);
    return origin !== null && (await portalState(origin)).enabled;
  });
  watchPermissions();
  browser.alarms.onAlarm.addListener(() => undefined);
  globalThis.addEventListener('online', () => client.setOnline(true));
  globalThis.addEventListener('offline', () => client.setOnline(false));

  void browser.alarms.create(WAKE_ALARM, { periodInMinutes: 1 });
  void syncRegistration().catch((error: unknown) => console.error('lianxin: portal registration failed', error));
  void Promise.all([client.restore(), session.active()])
    .then(([, active]) => (active ? client.startSync(serverOf(active)) : undefined))
    .catch((error: unknown) => console.error('lianxin: sync did not start', error));
}
