/**
 * Both ends of the protocol (protocol.ts): `ask` for pages and content
 * scripts, `serve` for the background. The background checks the sender, the
 * envelope and the payload before a handler sees it, and the handler's value
 * against the response schema before it is sent; the asker checks the reply's
 * envelope (a value or an error).
 */
import * as v from 'valibot';
import { browser, type Browser } from 'wxt/browser';
import { formatErrors, validate } from '#shared/validation/result.ts';
import {
  EnvelopeSchema,
  PROTOCOL,
  ReplySchema,
  type Envelope,
  type ParsedRequestOf,
  type Reply,
  type RequestOf,
  type RequestType,
  type ResponseOf,
} from './protocol.ts';

/** What a refusal's words are filled with (`{name}` in the i18n's `error.<code>`). */
export type ErrorParams = Readonly<Record<string, string | number>>;

/**
 * A refusal from the background, with the code to branch on and a message to show. A page words a known code
 * in the user's language (`error.<code>`, filled from `params`); `message` is the Chinese fallback.
 */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly params: ErrorParams = {},
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export async function ask<K extends RequestType>(type: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
  const envelope = { lianxin: 1, type, payload } satisfies Envelope;
  let raw: unknown;
  try {
    raw = await browser.runtime.sendMessage(envelope);
  } catch (error) {
    throw new RequestError('unreachable', `扩展后台无响应：${error instanceof Error ? error.message : String(error)}`);
  }
  const reply = validate(ReplySchema, raw);
  if (!reply.ok) throw new RequestError('bad_reply', `后台回复格式错误：${formatErrors(reply.errors)}`);
  if (!reply.value.ok) {
    const { code, message, field, params } = reply.value.error;
    throw new RequestError(code, message, field ?? null, params ?? {});
  }
  // The background checked the value against the response schema before sending it (dispatch):
  // the askers (the portal panel above all) need not carry every schema of the protocol.
  return reply.value.value as ResponseOf<K>;
}

export interface Caller {
  /** An extension page (popup, options) rather than a content script in a web page. */
  readonly extensionPage: boolean;
  /** The tab and frame a content script runs in. */
  readonly tabId: number | null;
  readonly frameId: number | null;
  readonly url: string | null;
}

export type Handlers = { readonly [K in RequestType]: (payload: ParsedRequestOf<K>, caller: Caller) => Promise<ResponseOf<K>> };

/** Who sent a message, or null when it is not from this extension at all. */
export function callerOf(sender: Browser.runtime.MessageSender, extensionId: string, extensionOrigin: string): Caller | null {
  if (sender.id !== extensionId) return null;
  const url = sender.url ?? null;
  const extensionPage = url !== null && url.startsWith(extensionOrigin);
  return { extensionPage, tabId: sender.tab?.id ?? null, frameId: sender.frameId ?? null, url };
}

/** Whether a content script on this page may ask at all (the background says: only on enabled portals). */
export type ContentGate = (caller: Caller) => Promise<boolean>;

/** Check and run one message; never throws, every failure is a reply. */
export async function dispatch(handlers: Handlers, message: unknown, caller: Caller | null, contentGate: ContentGate = async () => true): Promise<Reply> {
  if (caller === null) return refuse('forbidden', 'not from this extension');
  // A content script left running on a page the clerk has since disabled asks nothing more.
  if (!caller.extensionPage && !(await contentGate(caller))) return refuse('forbidden', 'the extension is not enabled on this page');
  const envelope = validate(EnvelopeSchema, message);
  if (!envelope.ok) return refuse('bad_request', formatErrors(envelope.errors));
  const { type, payload } = envelope.value;
  const def = PROTOCOL[type];
  if (def.from === 'extension' && !caller.extensionPage) return refuse('forbidden', `${type} may only be asked from the extension's own pages`);
  const parsed = v.safeParse(def.request, payload);
  if (!parsed.success) {
    const errors = validate(def.request, payload);
    const first = errors.ok ? undefined : errors.errors[0];
    return { ok: false, error: { code: 'invalid', message: errors.ok ? 'invalid' : formatErrors(errors.errors), ...(first?.field ? { field: first.field } : {}) } };
  }
  try {
    const handler = handlers[type] as (payload: unknown, caller: Caller) => Promise<unknown>;
    const value = await handler(parsed.output, caller);
    // Nothing leaves the background that is not what the protocol says this request answers.
    const checked = validate(def.response, value);
    if (!checked.ok) return refuse('bad_reply', `后台回复格式错误：${formatErrors(checked.errors)}`);
    return { ok: true, value: checked.value };
  } catch (error) {
    if (error instanceof RequestError) {
      const { code, message, field, params } = error;
      return { ok: false, error: { code, message, ...(field ? { field } : {}), ...(Object.keys(params).length > 0 ? { params: { ...params } } : {}) } };
    }
    return refuse('failed', error instanceof Error ? error.message : String(error));
  }
}

function refuse(code: string, message: string): Reply {
  return { ok: false, error: { code, message } };
}

/** How long a request may go unanswered before the background says so in its console. */
const SLOW_ANSWER_MS = 10_000;

/** Answer the protocol in the background. */
export function serve(handlers: Handlers, contentGate?: ContentGate): void {
  // The background runs at the extension's own origin (chrome-extension://<id>, moz-extension://<uuid>).
  const extensionOrigin = `${globalThis.location.origin}/`;
  browser.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (reply: Reply) => void) => {
    // Messages that are not ours (WXT's own, other listeners') are left alone.
    if (typeof message !== 'object' || message === null || (message as { lianxin?: unknown }).lianxin !== 1) return false;
    // A handler stuck on the network or the disk names itself in the worker's console (the e2e reports print it).
    const type = String((message as { type?: unknown }).type).slice(0, 64);
    const slow = setTimeout(() => console.warn(`lianxin: ${type} still unanswered after ${SLOW_ANSWER_MS / 1000} s`), SLOW_ANSWER_MS);
    void dispatch(handlers, message, callerOf(sender, browser.runtime.id, extensionOrigin), contentGate).then((reply) => {
      clearTimeout(slow);
      sendResponse(reply);
    });
    // Keep the channel open for the asynchronous reply (Chrome ignores a returned promise before 146).
    return true;
  });
}
