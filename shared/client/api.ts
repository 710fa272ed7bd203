/**
 * The typed client of the sync server's JSON API (docs/SERVER.md, "HTTP API"),
 * for every browser-side runtime: the PWA page, the extension's background
 * service worker, tests. Only `fetch` is used — no `window`, no XHR — so it
 * runs wherever a service worker runs. Every reply is validated; every failure
 * is an `ApiError` with the server's code, the field it names, and `offline`
 * when the server could not be reached at all.
 */
import { DuplicateSuggestionSchema } from '../duplicates/wire.ts';
import type { DuplicateSuggestion } from '../duplicates/detect.ts';
import * as v from 'valibot';
import { UserSchema, type User } from '../org/roles.ts';
import type { OrgDirectory } from '../org/names.ts';
import { PhraseBookSchema, type PhraseBook } from '../order/quick-phrases.ts';
import { UnitIdSchema, UnitSchema } from '../org/units.ts';

const AdminUserSchema = v.object({ ...UserSchema.entries, disabled: v.boolean() });
/** An account as the admin page lists it. */
export type AdminUser = v.InferOutput<typeof AdminUserSchema>;
import type { OrderIntakeRequest } from '../order/intake.ts';
import { KnowledgeEntrySchema } from '../knowledge/entry.ts';
import type { KnowledgeChangesPage } from '../local/knowledge.ts';

const KnowledgePageSchema = v.object({
  seq: v.number(),
  more: v.boolean(),
  reset: v.optional(v.boolean(), false),
  entries: v.array(KnowledgeEntrySchema),
  /** Each entry's search terms (shared/knowledge/terms.ts); absent from a server from before them. */
  terms: v.optional(v.array(v.nullable(v.string()))),
  termsVersion: v.optional(v.number()),
  removed: v.optional(v.array(v.string()), []),
  synonyms: v.array(v.array(v.string())),
});
const KnowledgeImportSchema = v.object({
  imported: v.number(),
  unchanged: v.optional(v.number(), 0),
  errors: v.array(
    v.object({
      row: v.number(),
      column: v.string(),
      message: v.string(),
      cell: v.optional(v.string()),
      /** shared/knowledge/import.ts ImportErrorCode; a server from before codes sends none (the message is shown). */
      code: v.optional(v.string()),
      params: v.optional(v.record(v.string(), v.union([v.string(), v.number()]))),
    }),
  ),
});
const SynonymsReplySchema = v.object({ groups: v.array(v.array(v.string())) });
/** What an import did: counts, and every bad row with its column (and, from a sheet, its cell). */
export type KnowledgeImportResult = v.InferOutput<typeof KnowledgeImportSchema>;

/** The content type the server reads a knowledge file by. */
export function knowledgeFileType(name: string): string | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return 'text/csv';
  if (lower.endsWith('.json')) return 'application/json';
  if (lower.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return null;
}
import { validate } from '../validation/result.ts';
import { ApiError } from './api-error.ts';

export { ApiError };

/** Where the user works, as the server knows it (`/api/login`, `/api/me`); ids above the user's own unit. */
export const UserPlaceSchema = v.object({
  districtId: v.nullish(UnitIdSchema),
  streetId: v.nullish(UnitIdSchema),
  communityId: v.nullish(UnitIdSchema),
  gridId: v.nullish(UnitIdSchema),
});
export type UserPlace = v.InferOutput<typeof UserPlaceSchema>;

const SessionReplySchema = v.object({
  user: UserSchema,
  expiresAt: v.number(),
  serverTime: v.number(),
  // Older servers do not send it; field reports need it, everything else works without.
  place: v.nullish(UserPlaceSchema),
});
const LoginReplySchema = v.object({ ...SessionReplySchema.entries, token: v.pipe(v.string(), v.minLength(1)) });

export interface MeResult {
  readonly user: User;
  readonly expiresAt: number;
  /** Server clock at the reply; `serverTime − receivedAt` is the offset to record. */
  readonly serverTime: number;
  /** Device clock when the reply arrived. */
  readonly receivedAt: number;
  readonly place: UserPlace | null;
}

export interface LoginResult extends MeResult {
  readonly token: string;
}

const IntakeReplySchema = v.object({
  id: v.string(),
  orderNo: v.string(),
  created: v.boolean(),
  /** Likely and possible duplicates with what matched (an older server sends none). */
  duplicates: v.optional(v.array(DuplicateSuggestionSchema), []),
});
export type IntakeResult = v.InferOutput<typeof IntakeReplySchema>;

const ErrorBodySchema = v.object({
  code: v.string(),
  message: v.string(),
  field: v.optional(v.string()),
  errors: v.optional(v.array(v.object({ field: v.string(), message: v.string() }))),
});

const IntakeBatchReplySchema = v.object({
  created: v.number(),
  existing: v.number(),
  failed: v.number(),
  results: v.array(
    v.object({
      index: v.number(),
      status: v.number(),
      id: v.optional(v.string()),
      orderNo: v.optional(v.string()),
      created: v.optional(v.boolean()),
      duplicates: v.optional(v.array(DuplicateSuggestionSchema), []),
      error: v.optional(ErrorBodySchema),
    }),
  ),
});
export type IntakeBatchResult = v.InferOutput<typeof IntakeBatchReplySchema>;

const BulkDocsReplySchema = v.object({
  docs: v.record(v.string(), v.union([v.object({ update: v.string() }), v.object({ moved: v.string() }), v.object({ error: v.object({ code: v.string(), message: v.string() }) })])),
  serverTime: v.number(),
});

/**
 * Per document name: its state as a Yjs update, why it was refused, or, for a live index doc's generation that is
 * no longer current, the current one's name (docs/SERVER.md, "Index docs in generations").
 */
export type BulkDocs = Record<string, { readonly update: Uint8Array } | { readonly moved: string } | { readonly error: { readonly code: string; readonly message: string } }>;

const PutPhotoReplySchema = v.object({ sha256: v.string(), size: v.number(), mime: v.string(), created: v.boolean() });
export type PutPhotoResult = v.InferOutput<typeof PutPhotoReplySchema>;

export interface ApiOptions {
  /** Where the app is served, e.g. `https://host/` or `http://127.0.0.1:8787/app/`; API paths are resolved under it. */
  readonly baseUrl: string;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Device clock, for `receivedAt`. */
  readonly now?: () => number;
  /** How long the server may take to begin its answer, or pause in its body (`ANSWER_TIMEOUT_MS`); tests shorten it. */
  readonly answerTimeoutMs?: number;
}

/**
 * How long a request waits for the server's answer to begin, and then between
 * two pieces of its body, before it counts as not reached (`ApiError.offline`,
 * code `timeout`). Without it a request sent as the signal went (a connection
 * no packet comes back on) would hang for the minutes TCP takes to give up,
 * and with it whatever waits on it: an import, the first sync, the upload queue.
 */
export const ANSWER_TIMEOUT_MS = 30_000;
/**
 * A request carrying bytes (a photo) also gets the time to send them at this rate: a GPRS-class uplink at the edge of
 * coverage, where a grid worker's 400 KB photo takes minutes and must not be given up on while it is still going.
 */
const SLOWEST_UPLOAD_BYTES_PER_S = 2_000;

type Body = { readonly json: unknown } | { readonly bytes: Blob | Uint8Array; readonly type: string } | null;

export class LianxinApi {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly answerTimeoutMs: number;

  constructor(options: ApiOptions) {
    this.base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    // Bound: a bare reference to the global fetch throws "Illegal invocation" when called as a method.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? Date.now;
    this.answerTimeoutMs = options.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const response = await this.request('POST', 'api/login', null, { json: { username, password } });
    const body = await this.parse(response, LoginReplySchema);
    return { ...sessionOf(body, this.now()), token: body.token };
  }

  /** Ends the session on the server; documents opened with the token are closed too. */
  async logout(token: string): Promise<void> {
    await this.expectOk(await this.request('POST', 'api/logout', token, null));
  }

  /** Checks the token (sliding its expiry) and measures the server clock. */
  async me(token: string): Promise<MeResult> {
    const response = await this.request('GET', 'api/me', token, null);
    return sessionOf(await this.parse(response, SessionReplySchema), this.now());
  }

  /** One intake (201 created / 200 known order number) or up to 1,000 at once; the server assigns each order's id. */
  createOrders(token: string, intake: OrderIntakeRequest): Promise<IntakeResult>;
  createOrders(token: string, intakes: readonly OrderIntakeRequest[]): Promise<IntakeBatchResult>;
  async createOrders(token: string, input: OrderIntakeRequest | readonly OrderIntakeRequest[]): Promise<IntakeResult | IntakeBatchResult> {
    const response = await this.request('POST', 'api/orders', token, { json: input });
    return Array.isArray(input) ? this.parse(response, IntakeBatchReplySchema) : this.parse(response, IntakeReplySchema);
  }

  /** The likely and possible duplicates of an order already in, among its street's recent orders (clerks). */
  async duplicatesOf(token: string, orderId: string): Promise<DuplicateSuggestion[]> {
    const response = await this.request('GET', `api/orders/${encodeURIComponent(orderId)}/duplicates`, token, null);
    return (await this.parse(response, v.object({ duplicates: v.array(DuplicateSuggestionSchema) }))).duplicates;
  }

  /** The state of many documents in one request (a fresh device's bootstrap), each authorised on its own. */
  async fetchDocs(token: string, names: readonly string[]): Promise<BulkDocs> {
    const response = await this.request('POST', 'api/docs', token, { json: { names } });
    const body = await this.parse(response, BulkDocsReplySchema);
    const docs: BulkDocs = {};
    for (const [name, entry] of Object.entries(body.docs)) docs[name] = 'update' in entry ? { update: fromBase64(entry.update) } : entry;
    return docs;
  }

  /** True only when the server says it holds the photo under this hash. */
  async hasPhoto(token: string, sha256: string): Promise<boolean> {
    const response = await this.request('HEAD', `api/photos/${sha256}`, token, null);
    if (response.status === 404) return false;
    await this.expectOk(response);
    return response.headers.get('X-Content-SHA256') === sha256;
  }

  /** Upload, idempotent: `created` is false when the server had it already. */
  async putPhoto(token: string, sha256: string, bytes: Blob | Uint8Array, type = 'image/jpeg'): Promise<PutPhotoResult> {
    const response = await this.request('PUT', `api/photos/${sha256}`, token, { bytes, type });
    return this.parse(response, PutPhotoReplySchema);
  }

  /** The knowledge entries changed after `since` that apply to the user (GET /api/knowledge/changes). */
  async knowledgeChanges(token: string, since: number): Promise<KnowledgeChangesPage> {
    const response = await this.request('GET', `api/knowledge/changes?since=${since}`, token, null);
    return this.parse(response, KnowledgePageSchema);
  }

  /** Admin only: import a .csv, .json or .xlsx file of entries (POST /api/knowledge/import). */
  async importKnowledge(token: string, file: Blob, type: string): Promise<KnowledgeImportResult> {
    const response = await this.request('POST', 'api/knowledge/import', token, { bytes: file, type });
    return this.parse(response, KnowledgeImportSchema);
  }

  /** Admin only: withdraw an entry (a new version, withdrawn). */
  async withdrawKnowledge(token: string, id: string): Promise<void> {
    const response = await this.request('POST', `api/knowledge/${encodeURIComponent(id)}/withdraw`, token, null);
    await this.expectOk(response);
  }

  /** The synonym groups (GET /api/knowledge/synonyms). */
  async knowledgeSynonyms(token: string): Promise<string[][]> {
    const response = await this.request('GET', 'api/knowledge/synonyms', token, null);
    return (await this.parse(response, SynonymsReplySchema)).groups;
  }

  /** Admin only: replace the synonym groups (PUT /api/knowledge/synonyms); the groups as stored. */
  async putKnowledgeSynonyms(token: string, groups: readonly (readonly string[])[]): Promise<string[][]> {
    const response = await this.request('PUT', 'api/knowledge/synonyms', token, { json: { groups } });
    return (await this.parse(response, SynonymsReplySchema)).groups;
  }

  async getPhoto(token: string, sha256: string): Promise<Blob> {
    const response = await this.request('GET', `api/photos/${sha256}`, token, null);
    await this.expectOk(response);
    return response.blob().catch((error: unknown) => {
      throw bodyFailure(error);
    });
  }

  /**
   * The user's branch of the organisation: their unit, every unit above it
   * and every unit below it, and the people of those units (a server that
   * lists none gives an empty list).
   */
  async org(token: string): Promise<OrgDirectory> {
    const response = await this.request('GET', 'api/org', token, null);
    const body = await this.parse(response, v.object({ units: v.array(UnitSchema), people: v.optional(v.array(UserSchema), []), phrases: v.optional(v.record(v.string(), PhraseBookSchema), {}) }));
    return { units: body.units, people: body.people, phrases: body.phrases };
  }

  /** Set a unit's 常用语 (a street's clerk for their street and below, an admin for any unit); returns them as stored. */
  async setUnitPhrases(token: string, unitId: string, phrases: PhraseBook): Promise<PhraseBook> {
    const response = await this.request('PUT', `api/org/units/${encodeURIComponent(unitId)}/phrases`, token, { json: phrases });
    return this.parse(response, PhraseBookSchema);
  }

  /** Admin only: every account, disabled ones included (GET /api/admin/users). */
  async adminUsers(token: string): Promise<AdminUser[]> {
    const response = await this.request('GET', 'api/admin/users', token, null);
    const body = await this.parse(response, v.object({ users: v.array(AdminUserSchema) }));
    return body.users;
  }

  private async request(method: string, path: string, token: string | null, body: Body): Promise<Response> {
    const headers: Record<string, string> = {};
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    let payload: BodyInit | undefined;
    let timeoutMs = this.answerTimeoutMs;
    if (body && 'json' in body) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['Content-Type'] = body.type;
      payload = body.bytes instanceof Blob ? body.bytes : new Blob([body.bytes as Uint8Array<ArrayBuffer>], { type: body.type });
      timeoutMs += Math.ceil((payload.size / SLOWEST_UPLOAD_BYTES_PER_S) * 1000);
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const response = await this.fetchImpl(new URL(path, this.base).href, { method, headers, body: payload, cache: 'no-store', credentials: 'omit', signal: abort.signal });
      return watchedBody(response, this.answerTimeoutMs, abort);
    } catch (error) {
      if (abort.signal.aborted) throw new ApiError(0, 'timeout', `the server did not answer within ${Math.round(timeoutMs / 1000)} s`);
      throw new ApiError(0, 'network', `the server could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async parse<S extends v.GenericSchema>(response: Response, schema: S): Promise<v.InferOutput<S>> {
    await this.expectOk(response);
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw bodyFailure(error);
      throw new ApiError(response.status, 'bad_reply', `the server's reply is not JSON: ${error.message}`);
    }
    const checked = validate(schema, json);
    if (!checked.ok) throw new ApiError(response.status, 'bad_reply', `unexpected reply from the server (${checked.errors[0]?.field ?? ''}: ${checked.errors[0]?.message ?? ''})`);
    return checked.value;
  }

  private async expectOk(response: Response): Promise<void> {
    if (response.ok) return;
    throw await errorFrom(response);
  }
}

/**
 * The answer with its body timed as its start is: once `idleMs` pass without a byte of it (a connection that went
 * quiet halfway, as the signal went), reading it fails with `ApiError` status 0, code `timeout`, and the request is
 * aborted. The time between bytes is bounded, not the whole: a slow photo download that keeps coming is never cut.
 */
function watchedBody(response: Response, idleMs: number, abort: AbortController): Response {
  const source = response.body;
  if (source === null) return response;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const rearm = (controller: TransformStreamDefaultController<Uint8Array>) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      controller.error(new ApiError(0, 'timeout', `the server stopped sending its answer for ${Math.round(idleMs / 1000)} s`));
      abort.abort();
    }, idleMs);
  };
  const body = source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start: rearm,
      transform(chunk, controller) {
        rearm(controller);
        controller.enqueue(chunk);
      },
      flush: () => clearTimeout(timer),
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** An answer whose body broke off (the connection lost, or quiet for too long) is the server not reached. */
function bodyFailure(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'network', `the server's answer broke off: ${error instanceof Error ? error.message : String(error)}`);
}

async function errorFrom(response: Response): Promise<ApiError> {
  const retry = Number(response.headers.get('Retry-After') ?? NaN);
  const retryAfter = Number.isFinite(retry) ? retry : null;
  let json: unknown = null;
  if (response.headers.get('Content-Type')?.includes('application/json')) json = await response.json().catch(() => null);
  const body = validate(v.object({ error: ErrorBodySchema }), json);
  if (!body.ok) return new ApiError(response.status, `http_${response.status}`, `the server answered ${response.status} ${response.statusText}`, null, [], retryAfter);
  const { code, message, field, errors } = body.value.error;
  return new ApiError(response.status, code, message, field ?? null, errors ?? [], retryAfter);
}

function sessionOf(body: v.InferOutput<typeof SessionReplySchema>, receivedAt: number): MeResult {
  return { user: body.user, expiresAt: body.expiresAt, serverTime: body.serverTime, receivedAt, place: body.place ?? null };
}

/** `https://host/base/` → `wss://host/base/sync`: the sync socket lives under the same base as the app. */
export function syncUrl(baseUrl: string): string {
  const url = new URL('sync', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** The native decoder where there is one (Chromium 140+, Node 25+): a first sync decodes megabytes (issue 18). */
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64?.bind(Uint8Array);

function fromBase64(text: string): Uint8Array {
  if (nativeFromBase64) return nativeFromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
