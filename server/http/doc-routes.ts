/**
 * POST /api/docs — a fresh device's bootstrap: the state of many documents
 * (its index docs and the orders they list) in one request, instead of
 * thousands of WebSocket handshakes. Each is authorised like a WebSocket
 * open; the client applies the updates to its local docs and then syncs
 * only what changed since. Read-only: writes always go through the guard.
 */
import * as v from 'valibot';
import { isLiveIndexDocName } from '#shared/sync/doc-names.ts';
import { validate } from '#shared/validation/result.ts';
import type { Services } from '../services.ts';
import { authorizeDocument } from '../sync/access.ts';
import { unreadableDocument } from '../sync/durable.ts';
import { EncodedStates } from '../sync/encoded-states.ts';
import { requireSession } from './auth-routes.ts';
import { HttpError, readJson, sendLargeJson, type Route } from './http.ts';

const MAX_DOCS = 500;

const BulkSchema = v.object({
  names: v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.minLength(1, 'name at least one document'), v.maxLength(MAX_DOCS, `at most ${MAX_DOCS} documents`)),
});

export function docRoutes(services: Services): Route[] {
  // Encoded once per doc version, not once per device (issue 18): see encoded-states.ts.
  const states = new EncodedStates();
  return [
    {
      method: 'POST',
      path: '/api/docs',
      handler: async ({ req, res }) => {
        const session = await requireSession(services, req);
        const body = validate(BulkSchema, await readJson(req, 256 * 1024));
        if (!body.ok) throw new HttpError(400, 'invalid', `${body.errors[0]!.field}: ${body.errors[0]!.message}`, { field: body.errors[0]!.field, errors: body.errors });
        const docs: Record<string, { update: string } | { error: { code: string; message: string } }> = {};
        for (const name of new Set(body.value.names)) {
          const access = await authorizeDocument(services, session.user, name, (doc) => services.hocuspocus.documents.get(doc));
          if (!access.ok) {
            docs[name] = { error: { code: access.code, message: access.message } };
            continue;
          }
          if (!access.exists) {
            docs[name] = { error: { code: 'unknown_order', message: 'no such order' } };
            continue;
          }
          try {
            // A live index doc is loaded and held (the device's socket opens it next; the next device reads it
            // from memory); order and archive docs are read from the store unless loaded already: a request may
            // name 500 of them, which must not all stay in memory (issue 18, first sync).
            const loaded = services.hocuspocus.documents.get(name);
            const live = loaded && !loaded.isLoading ? loaded : isLiveIndexDocName(name) ? await services.indexer.hold(name) : null;
            docs[name] = { update: live ? states.ofLive(live) : states.ofStored(name, await services.store.loadDoc(name)) };
          } catch (error) {
            const failure = unreadableDocument(services.health, name, error);
            docs[name] = { error: { code: 'storage_error', message: failure.reason.replace(/^storage_error: /, '') } };
          }
        }
        // Gzipped when large and accepted: a new device's bulk read is mostly JSON (issue 18, first sync).
        await sendLargeJson(req, res, 200, { docs, serverTime: Date.now() });
      },
    },
  ];
}
