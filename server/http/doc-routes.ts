/**
 * POST /api/docs — a fresh device's bootstrap: the state of many documents
 * (its index docs and the orders they list) in one request, instead of
 * thousands of WebSocket handshakes. Each is authorised like a WebSocket
 * open; the client applies the updates to its local docs and then syncs
 * only what changed since. Read-only: writes always go through the guard.
 */
import * as v from 'valibot';
import * as Y from 'yjs';
import { validate } from '#shared/validation/result.ts';
import type { Services } from '../services.ts';
import { authorizeDocument } from '../sync/access.ts';
import { mergeState, unreadableDocument } from '../sync/durable.ts';
import { requireSession } from './auth-routes.ts';
import { HttpError, readJson, sendLargeJson, type Route } from './http.ts';

const MAX_DOCS = 500;

const BulkSchema = v.object({
  names: v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.minLength(1, 'name at least one document'), v.maxLength(MAX_DOCS, `at most ${MAX_DOCS} documents`)),
});

export function docRoutes(services: Services): Route[] {
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
          const live = services.hocuspocus.documents.get(name);
          try {
            const update = live ? Y.encodeStateAsUpdate(live) : mergeState(await services.store.loadDoc(name));
            docs[name] = { update: Buffer.from(update).toString('base64') };
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
