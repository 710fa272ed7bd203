/**
 * The HTTP plumbing: a tiny router, body reading with limits, JSON replies
 * and one error shape — `{ error: { code, message, field?, errors? } }` —
 * for every failure, so clients can show what was wrong and where.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FieldError } from '#shared/validation/result.ts';
import { gzipParts, joinParts, type DeflatedPart } from './gzip-parts.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field?: string; errors?: readonly FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export type Params = Record<string, string>;

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Params;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

export interface Route {
  readonly method: string | readonly string[];
  /** Path with `:name` segments, e.g. `/api/photos/:sha256`. */
  readonly path: string;
  readonly handler: Handler;
}

interface CompiledRoute {
  readonly methods: readonly string[];
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(...routes: readonly Route[]): this {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((part) => {
          if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(part.slice(1));
          return '([^/]+)';
        })
        .join('/');
      this.routes.push({
        methods: typeof route.method === 'string' ? [route.method] : [...route.method],
        pattern: new RegExp(`^${source}$`),
        names,
        handler: route.handler,
      });
    }
    return this;
  }

  /** The handler for a request, a 405 when the path exists with other methods, or null. */
  match(method: string, pathname: string): { handler: Handler; params: Params } | { allowed: string[] } | null {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      if (!route.methods.includes(method)) {
        allowed.push(...route.methods);
        continue;
      }
      const params: Params = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1]!);
      });
      return { handler: route.handler, params };
    }
    return allowed.length > 0 ? { allowed } : null;
  }
}

/**
 * Read a request body up to `limit` bytes. Past the limit the rest is drained
 * (up to a hard cap) so the client can read the 413 instead of a reset.
 * `inspect` sees each chunk as it arrives and may refuse the body there: the
 * promise rejects at once with its error, before the rest has arrived, and
 * the rest is drained (up to the same cap) without being kept.
 */
export function readBody(req: IncomingMessage, limit: number, inspect?: (chunk: Buffer) => HttpError | null): Promise<Buffer> {
  const announced = Number(req.headers['content-length'] ?? NaN);
  const hardCap = Math.max(limit * 4, 64 * 1024 * 1024);
  if (announced > hardCap) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > hardCap) req.destroy();
      if (over || refused) return;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      const refusal = inspect?.(chunk) ?? null;
      if (refusal) {
        refused = true;
        chunks.length = 0;
        reject(refusal);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (over ? reject(tooLarge(limit)) : resolve(Buffer.concat(chunks, size))));
    req.on('error', reject);
    req.on('close', () => {
      if (over) reject(tooLarge(limit));
    });
  });
}

const tooLarge = (limit: number) => new HttpError(413, 'too_large', `the body is larger than ${limit} bytes`, { headers: { Connection: 'close' } });

/**
 * How deeply JSON bodies may nest. The deepest body any route takes (an
 * intake batch: array → intake → location → position) is 4 levels; a body
 * nested thousands deep costs the parser and every recursive walk after it
 * far more than its size suggests (a 4.9 MB `[[[…]]]` held the event loop for
 * seconds).
 */
export const MAX_JSON_DEPTH = 16;

/**
 * Tracks the nesting depth of JSON text fed to it in chunks, outside strings,
 * byte by byte: UTF-8 continuation bytes are never ASCII, so a multi-byte
 * character split across chunks cannot be mistaken for a bracket or a quote.
 * Linear and allocation-free; it does not validate (JSON.parse does that).
 */
export class JsonDepthScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxDepth: number) {}

  /** False once the text has nested deeper than the maximum. */
  feed(chunk: Uint8Array): boolean {
    let { depth, inString, escaped } = this;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === 0x5c) escaped = true;
        else if (byte === 0x22) inString = false;
      } else if (byte === 0x22) inString = true;
      else if (byte === 0x5b || byte === 0x7b) {
        depth += 1;
        if (depth > this.maxDepth) {
          this.depth = depth;
          return false;
        }
      } else if (byte === 0x5d || byte === 0x7d) depth -= 1;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return true;
  }
}

/**
 * A JSON body: the content type checked, at most `limit` bytes, nested at most
 * MAX_JSON_DEPTH deep — refused (400 `too_deep`) as soon as the text goes
 * deeper, while it is still arriving and before anything is parsed.
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    throw new HttpError(415, 'unsupported_media_type', `send JSON with Content-Type: application/json (got ${type || 'none'})`);
  }
  const depth = new JsonDepthScanner(MAX_JSON_DEPTH);
  const body = await readBody(req, limit, (chunk) =>
    depth.feed(chunk) ? null : new HttpError(400, 'too_deep', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects; no request needs more than a few`),
  );
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new HttpError(400, 'malformed_json', `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** Bodies at least this long are gzipped for a client that accepts it (`sendLargeJson`). */
const GZIP_MIN_BYTES = 16 * 1024;
const gzipAsync = promisify(gzip);
const acceptsGzip = (req: IncomingMessage) => /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));

/**
 * `sendJson` for answers that may be large (the bulk read of docs, issue 18):
 * gzipped, off the event loop, when the client accepts gzip and the body is
 * at least 16 KB. JSON of Yjs states in base64 shrinks about four times; the
 * knowledge change feed's entries and terms too.
 */
export async function sendLargeJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): Promise<void> {
  const text = JSON.stringify(body);
  if (text.length < GZIP_MIN_BYTES || !acceptsGzip(req)) {
    sendJson(res, status, body);
    return;
  }
  const zipped = await gzipAsync(text);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Encoding': 'gzip',
    'Content-Length': zipped.length,
    'Cache-Control': 'no-store',
    Vary: 'Accept-Encoding',
  });
  res.end(zipped);
}

/**
 * A JSON answer made of parts (server/http/gzip-parts.ts): gzipped when the client accepts it, whatever the
 * size, the kept parts as they were compressed (the bulk read of docs, issue 18).
 */
export async function sendJsonParts(req: IncomingMessage, res: ServerResponse, status: number, parts: readonly (string | DeflatedPart)[]): Promise<void> {
  const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', Vary: 'Accept-Encoding' };
  if (!acceptsGzip(req)) {
    const text = await joinParts(parts);
    res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const zipped = await gzipParts(parts);
  res.writeHead(status, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': zipped.length });
  res.end(zipped);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { field, errors, headers } = error.details;
  sendJson(
    res,
    error.status,
    { error: { code: error.code, message: error.message, ...(field !== undefined ? { field } : {}), ...(errors ? { errors } : {}) } },
    headers,
  );
}

export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}
