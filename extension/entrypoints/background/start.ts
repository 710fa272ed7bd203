/**
 * Wiring of the background service worker. Chrome stops an idle worker and
 * starts it again on the next message or event; everything here is rebuilt
 * from disk on each start: the session from IndexedDB, the portal
 * registrations from the granted permissions, the sync from the session.
 */
import { browser } from 'wxt/browser';
import { LianxinDb } from '#shared/local/db.ts';
import { serve } from '../../lib/messaging.ts';
import { createHandlers } from './handlers.ts';
import { portalOriginOf } from '../../lib/origins.ts';
import { portalState, syncRegistration, watchPermissions } from './portal-registry.ts';
import { SessionService } from './session.ts';
import { BackgroundSync } from './sync.ts';

/** Wakes a stopped worker now and then, so sync resumes without the clerk opening the popup. */
const WAKE_ALARM = 'lianxin-wake';

export function startBackground(): void {
  const db = new LianxinDb('lianxin-extension');
  const sync: BackgroundSync = new BackgroundSync(db, () => session.dropToken());
  const session: SessionService = new SessionService(db, (force) => sync.forget(force));
  // Listeners first and synchronously: the event that woke the worker is delivered only to listeners added in its first turn.
  serve(createHandlers({ db, session, sync, now: Date.now }), async (caller) => {
    const origin = portalOriginOf(caller.url ?? undefined);
    return origin !== null && (await portalState(origin)).enabled;
  });
  watchPermissions();
  browser.alarms.onAlarm.addListener(() => undefined);
  globalThis.addEventListener('online', () => sync.setOnline(true));
  globalThis.addEventListener('offline', () => sync.setOnline(false));

  void browser.alarms.create(WAKE_ALARM, { periodInMinutes: 1 });
  void syncRegistration().catch((error: unknown) => console.error('lianxin: portal registration failed', error));
  void session
    .active()
    .then((active) => (active ? sync.start(active) : undefined))
    .catch((error: unknown) => console.error('lianxin: sync did not start', error));
}
