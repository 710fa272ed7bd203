/**
 * POST /api/docs — a fresh device's bootstrap: the state of many documents
 * (its index docs and the orders they list) in one request, instead of
 * thousands of WebSocket handshakes. Each is authorised like a WebSocket
 * open; the client applies the updates to its local docs and then syncs
 * only what changed since. Read-only: writes always go through the guard.
 *
 * A live index doc named by a generation that is no longer current (its base name, when the index has rolled
 * over: docs/SERVER.md, "Index docs in generations") is answered `{ "moved": "<current name>" }`, without its
 * state: the device opens the current generation instead and downloads only that.
 */
import * as v from 'valibot';
import { isLiveIndexDocName } from '#shared/sync/doc-names.ts';
import { validate } from '#shared/validation/result.ts';
import type { Services } from '../services.ts';
import type { DocState } from '../store/store.ts';
import { authorizeDocuments } from '../sync/access.ts';
import { unreadableDocument } from '../sync/durable.ts';
import { EncodedStates } from '../sync/encoded-states.ts';
import { requireSession } from './auth-routes.ts';
import type { DeflatedPart } from './gzip-parts.ts';
import { HttpError, readJson, sendJsonParts, type Route } from './http.ts';

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
        // The answer's JSON as parts: each doc's entry compressed once per doc version (EncodedStates), the rest
        // (punctuation, refusals, the time) per request; an entry is added only once this user is authorised for it.
        const parts: (string | Promise<DeflatedPart>)[] = ['{"docs":{'];
        const add = (name: string, entry: { error: { code: string; message: string } } | { moved: string } | string | Promise<DeflatedPart>) => {
          if (parts.length > 1) parts.push(',');
          parts.push(typeof entry === 'string' || entry instanceof Promise ? entry : `${JSON.stringify(name)}:${JSON.stringify(entry)}`);
        };
        // Every name authorised, and every stored doc to answer read, in one statement each (bench/README.md,
        // "First sync, part 17"): a request may name 500 order docs.
        const names = [...new Set(body.value.names)];
        const accesses = await authorizeDocuments(services, session.user, names, (doc) => services.hocuspocus.documents.get(doc));
        const loaded = (name: string) => {
          const doc = services.hocuspocus.documents.get(name);
          return doc && !doc.isLoading ? doc : undefined;
        };
        // Authorised as the base (the same unit), so the current name is told only to those who may open it.
        const moved = new Map<string, string>();
        const currents = await services.indexer.currentIndexNames(names.filter((name) => accesses.get(name)!.ok && isLiveIndexDocName(name)));
        for (const [name, current] of currents) if (current !== name) moved.set(name, current);
        const answered = names.filter((name) => {
          const access = accesses.get(name)!;
          return access.ok && access.exists && !moved.has(name);
        });
        // A doc loaded is answered from memory; any other from the store's bytes (its encoding kept per content):
        // a request may name 500 order docs, which must not all stay in memory, and a street's index let go is not
        // decoded for the answer (bench/README.md, "First sync, part 16"). A live index doc is loaded and held
        // once the answer is sent, for the device's socket, which opens it next: loaded before, its load (≈ 65 ms
        // of the event loop for a street's index) stood in front of the answer ("First sync, part 17").
        const notLoaded = answered.filter((name) => !loaded(name));
        const toHold = notLoaded.filter(isLiveIndexDocName);
        if (toHold.length > 0) res.once('close', () => toHold.forEach((name) => void services.indexer.hold(name).catch(() => undefined)));
        let stored: Map<string, DocState>;
        let readFailed: unknown = null;
        try {
          stored = notLoaded.length > 0 ? await services.store.loadDocs(notLoaded) : new Map();
        } catch (error) {
          stored = new Map();
          readFailed = error;
        }
        const unread = new Set(notLoaded);
        for (const name of names) {
          const access = accesses.get(name)!;
          if (!access.ok) {
            add(name, { error: { code: access.code, message: access.message } });
            continue;
          }
          const current = moved.get(name);
          if (current !== undefined) {
            add(name, { moved: current });
            continue;
          }
          if (!access.exists) {
            add(name, { error: { code: 'unknown_order', message: 'no such order' } });
            continue;
          }
          try {
            const state = stored.get(name);
            if (state) add(name, states.ofStored(name, state).entry());
            else if (readFailed !== null && unread.has(name)) throw readFailed;
            else {
              // Loaded when the others were read; unloaded meanwhile it is read now, alone.
              const doc = loaded(name);
              add(name, (doc ? states.ofLive(name, doc) : states.ofStored(name, await services.store.loadDoc(name))).entry());
            }
          } catch (error) {
            const failure = unreadableDocument(services.health, name, error);
            add(name, { error: { code: 'storage_error', message: failure.reason.replace(/^storage_error: /, '') } });
          }
        }
        parts.push(`},"serverTime":${Date.now()}}`);
        await sendJsonParts(req, res, 200, await Promise.all(parts));
      },
    },
  ];
}
