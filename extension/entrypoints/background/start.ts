/**
 * Wiring of the background service worker. Chrome stops an idle worker and
 * starts it again on the next message or event; everything here is rebuilt
 * from disk on each start: the session from IndexedDB, the portal
 * registrations from the granted permissions, the sync from the session.
 */
import { LianxinDb } from '../../../shared/local/db.ts';
import { serve } from '../../lib/messaging.ts';
import { createHandlers } from './handlers.ts';
import { syncRegistration, watchPermissions } from './portal-registry.ts';
import { SessionService } from './session.ts';
import { createClerkSync } from './sync.ts';

export function startBackground(): void {
  const db = new LianxinDb('lianxin-extension');
  const session = new SessionService(db);
  const sync = createClerkSync(db, session);
  // Listeners first and synchronously: the message that woke the worker is delivered only to listeners added in the first turn.
  serve(createHandlers({ db, session, sync, now: Date.now }));
  watchPermissions();
  void syncRegistration().catch((error: unknown) => console.error('lianxin: portal registration failed', error));
  void session.active().then((active) => (active ? sync.start(active) : undefined)).catch((error: unknown) => console.error('lianxin: sync did not start', error));
}
