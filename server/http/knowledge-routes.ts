/**
 * The knowledge base (知识库, docs/KNOWLEDGE.md):
 *
 * POST /api/knowledge/import — admin only. The body is the file (.csv, .json,
 *   .xlsx), told by Content-Type or an `X-Filename`
 *   header. Good rows are stored as new versions, bad rows reported:
 *   `{ imported, unchanged, errors: [{ row, column, message }] }`.
 * POST /api/knowledge/:id/withdraw — admin only: a new version, withdrawn.
 * GET  /api/knowledge/synonyms — any signed-in user; PUT — admin only,
 *   `{ groups: string[][] }`.
 * GET  /api/knowledge/changes?since=<seq>[&limit=n] — any signed-in user:
 *   `{ seq, more, reset, entries, terms, termsVersion, removed, synonyms }`: the current
 *   version of every entry changed after `since` whose area applies to the user's unit chain
 *   (withdrawn ones included, as tombstones), each entry's search terms (`terms[i]` for
 *   `entries[i]`, shared/knowledge/terms.ts, null for a tombstone), the ids of changed entries that
 *   no longer apply to them (`removed`, only when `since` > 0), and the seq to
 *   ask from next time. With `more`, ask again from `seq` at once. `reset`:
 *   the device's seq is past the store's (a restored backup, another
 *   server); it drops what it holds and takes this answer as a first sync.
 *   Gzipped when the client accepts it (a first sync of 40,000 entries with
 *   their terms is about 200 MB of JSON, 30 MB gzipped).
 */
import * as v from 'valibot';
import { appliesTo, KnowledgeIdSchema, type KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { importCsv, importJson, type ImportResult } from '#shared/knowledge/import.ts';
import { TERMS_VERSION } from '#shared/knowledge/terms.ts';
import { SYNONYM_GROUP_MAX, SYNONYM_GROUPS_MAX, SYNONYM_WORD_MAX } from '#shared/knowledge/synonyms.ts';
import { ancestorsOf } from '#shared/org/units.ts';
import { validate } from '#shared/validation/result.ts';
import type { Session } from '../auth/sessions.ts';
import { storedTerms, termsToSend } from '../knowledge/terms.ts';
import { log } from '../log.ts';
import type { Services } from '../services.ts';
import { requireSession } from './auth-routes.ts';
import { HttpError, JsonDepthScanner, MAX_JSON_DEPTH, readBody, readJson, sendJson, sendLargeJson, type Route } from './http.ts';

/** The largest file an admin may import: 40,000 entries as CSV are about 60 MB. */
export const KNOWLEDGE_IMPORT_MAX_BYTES = 96 * 1024 * 1024;
/** Entries per page of /changes: a first sync of 40,000 entries comes in 20 pages of about 3 MB. */
export const KNOWLEDGE_PAGE = 2000;

const SynonymsSchema = v.object({
  groups: v.pipe(
    v.array(v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(SYNONYM_WORD_MAX, `at most ${SYNONYM_WORD_MAX} characters`))), v.minLength(2, 'a group needs two words at least'), v.maxLength(SYNONYM_GROUP_MAX, `at most ${SYNONYM_GROUP_MAX} words a group`))),
    v.maxLength(SYNONYM_GROUPS_MAX, `at most ${SYNONYM_GROUPS_MAX} groups`),
  ),
});

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type FileKind = 'csv' | 'json' | 'xlsx';

/** The file's kind from its name (X-Filename, URL-encoded) or, without one, its content type. */
export function fileKind(contentType: string | undefined, filename: string | undefined): FileKind | null {
  const name = (filename ? safeDecode(filename) : '').toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.xlsx')) return 'xlsx';
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json') return 'json';
  if (type === XLSX_TYPE) return 'xlsx';
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function requireAdmin(services: Services, req: Parameters<typeof requireSession>[1], what: string): Promise<Session> {
  const session = await requireSession(services, req);
  if (session.user.role !== 'admin') throw new HttpError(403, 'forbidden', `only an admin may ${what}`);
  return session;
}

async function parseFile(kind: FileKind, body: Buffer): Promise<ImportResult> {
  switch (kind) {
    case 'csv':
      return importCsv(body.toString('utf8'));
    case 'json':
      return importJson(body.toString('utf8'));
    case 'xlsx': {
      // ExcelJS takes ~0.4 s to load: only when a spreadsheet comes, not at every server start.
      const { importXlsx } = await import('../knowledge/import-xlsx.ts');
      return importXlsx(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    }
  }
}

export function knowledgeRoutes(services: Services): Route[] {
  const { store } = services;
  return [
    {
      method: 'POST',
      path: '/api/knowledge/import',
      handler: async ({ req, res }) => {
        const session = await requireAdmin(services, req, 'import knowledge entries');
        const filename = req.headers['x-filename'];
        const kind = fileKind(req.headers['content-type'], Array.isArray(filename) ? filename[0] : filename);
        if (!kind) {
          req.resume();
          throw new HttpError(415, 'unsupported_media_type', 'send a .csv, .json or .xlsx file: name it in X-Filename or set Content-Type (text/csv, application/json, or the .xlsx type)');
        }
        const depth = kind === 'json' ? new JsonDepthScanner(MAX_JSON_DEPTH) : null;
        const body = await readBody(req, KNOWLEDGE_IMPORT_MAX_BYTES, (chunk) =>
          depth && !depth.feed(chunk) ? new HttpError(400, 'too_deep', `the JSON nests deeper than ${MAX_JSON_DEPTH} levels`) : null,
        );
        const { entries, errors } = await parseFile(kind, body);
        const put = entries.length > 0 ? await store.putKnowledge(entries, storedTerms) : { stored: [], unchanged: 0 };
        log.info('knowledge_imported', { by: session.user.id, kind, imported: put.stored.length, unchanged: put.unchanged, errors: errors.length });
        sendJson(res, 200, { imported: put.stored.length, unchanged: put.unchanged, errors });
      },
    },
    {
      method: 'POST',
      path: '/api/knowledge/:id/withdraw',
      handler: async ({ req, res, params }) => {
        const session = await requireAdmin(services, req, 'withdraw a knowledge entry');
        req.resume();
        const id = validate(KnowledgeIdSchema, params.id);
        if (!id.ok) throw new HttpError(400, 'invalid', 'not a knowledge entry id', { errors: id.errors });
        const entry = await store.getKnowledge(id.value);
        if (!entry) throw new HttpError(404, 'not_found', `no knowledge entry ${id.value}`);
        if (entry.withdrawn) {
          sendJson(res, 200, { entry });
          return;
        }
        const { stored } = await store.putKnowledge([{ ...entry, withdrawn: true, updated: Date.now() }], storedTerms);
        log.info('knowledge_withdrawn', { by: session.user.id, id: entry.id });
        sendJson(res, 200, { entry: stored[0] ?? entry });
      },
    },
    {
      method: ['GET', 'PUT'],
      path: '/api/knowledge/synonyms',
      handler: async ({ req, res }) => {
        if (req.method === 'GET') {
          await requireSession(services, req);
          sendJson(res, 200, { groups: await store.knowledgeSynonyms() });
          return;
        }
        await requireAdmin(services, req, 'change the synonyms');
        const parsed = validate(SynonymsSchema, await readJson(req, services.config.jsonMaxBytes));
        if (!parsed.ok) throw new HttpError(400, 'invalid', 'synonyms must be { groups: [[word, word, …], …] }', { errors: parsed.errors });
        await store.setKnowledgeSynonyms(parsed.value.groups);
        sendJson(res, 200, { groups: parsed.value.groups });
      },
    },
    {
      method: 'GET',
      path: '/api/knowledge/changes',
      handler: async ({ req, res, url }) => {
        const session = await requireSession(services, req);
        const since = wholeParam(url.searchParams.get('since') ?? '0', 'since', Number.MAX_SAFE_INTEGER);
        const limit = wholeParam(url.searchParams.get('limit') ?? String(KNOWLEDGE_PAGE), 'limit', KNOWLEDGE_PAGE, 1);
        const synonyms = await store.knowledgeSynonyms();
        let { changes, head } = await store.knowledgeChanges(since, limit);
        // A seq past the store's head: the device synced with another (or a restored) store; it starts again.
        const reset = since > head;
        if (reset) ({ changes, head } = await store.knowledgeChanges(0, limit));
        const more = changes.length === limit && changes[changes.length - 1]!.seq < head;
        const seq = more ? changes[changes.length - 1]!.seq : head;
        const everything = session.user.role === 'admin';
        const chain = new Set(ancestorsOf(services.directory.tree, session.user.unitId).map((unit) => unit.id));
        const entries: KnowledgeEntry[] = [];
        const terms: Array<string | null> = [];
        const removed: string[] = [];
        for (const { entry, terms: stored } of changes) {
          if (everything || appliesTo(entry, chain)) {
            entries.push(entry);
            terms.push(termsToSend(entry, stored));
          }
          // A device that started at 0 holds nothing to remove.
          else if (since > 0 && !reset) removed.push(entry.id);
        }
        await sendLargeJson(req, res, 200, { seq, more, reset, entries, terms, termsVersion: TERMS_VERSION, removed, synonyms });
      },
    },
  ];
}

function wholeParam(text: string, name: string, max: number, min = 0): number {
  if (!/^\d{1,16}$/.test(text)) throw new HttpError(400, 'invalid', `${name} must be a whole number`, { field: name });
  const n = Number(text);
  if (n < min || n > max) throw new HttpError(400, 'invalid', `${name} must be between ${min} and ${max}`, { field: name });
  return n;
}
