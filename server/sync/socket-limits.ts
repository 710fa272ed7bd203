/**
 * What one WebSocket may cost the server, so that one client cannot make it
 * unavailable to the others:
 *
 * - **Documents.** `SocketLimits` (a Hocuspocus extension) refuses a document
 *   past `maxDocs` open on one socket with `too_many_documents`, before its
 *   authentication costs anything (a socket that opened 6,000 empty order docs
 *   held 74 MB and delayed everyone's writes by seconds). Real clients open
 *   their index docs, the order on screen and the orders holding unsynced
 *   work (shared/client/sync.ts): a few, at most hundreds.
 * - **Message rate.** `InboundGate` lets a socket's messages through at
 *   `perSecond` (bursts of five seconds' worth) and as many bytes; past that it
 *   stops reading the socket (TCP pushes back on the client) and holds what was
 *   already read until the budget refills. Nothing is dropped or refused: a
 *   flood is slowed to the rate, other sockets are served in between.
 * - **Awareness.** No Lianxin client uses Yjs awareness (presence). The server
 *   drops awareness messages at the socket (`classifyMessage`) instead of
 *   applying them and broadcasting them to every other client of the document,
 *   read-only index docs included (a client relayed 90 MB to another that way).
 *   They, and the provider's answers to the server's pings, still count as
 *   activity for Hocuspocus's idle timeout.
 *
 * Per-socket state travels in the Hocuspocus context: `app.ts` passes
 * `{ socket: new SocketState() }` as the connection's default context, which
 * Hocuspocus copies (shallowly) into every document's context on that socket.
 */
import type { Extension, onAuthenticatePayload, onConnectPayload, onDisconnectPayload } from '@hocuspocus/server';
import type { Metrics } from '../metrics.ts';
import { log } from '../log.ts';
import { ChannelError, CLOSE_CODES } from './context.ts';

/** Hocuspocus message types (`MessageType` in @hocuspocus/server) the gate looks at. */
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const MESSAGE_PING = 9;
const MESSAGE_PONG = 10;

/** The server's ping: a bare message type, no document (the provider answers with a bare Pong). */
export const PING_MESSAGE = Uint8Array.of(MESSAGE_PING);

export class SocketState {
  /** Documents authorised (open or being set up) on this socket. */
  readonly docs = new Set<string>();
  /** The limit was hit and logged once (a client past it would log every refusal otherwise). */
  limitLogged = false;
}

/** The socket's state in a Hocuspocus context, when `app.ts` put it there. */
export function socketOf(context: unknown): SocketState | null {
  if (typeof context !== 'object' || context === null || !('socket' in context)) return null;
  return context.socket instanceof SocketState ? context.socket : null;
}

export interface SocketLimitsOptions {
  readonly maxDocs: number;
  readonly metrics: Metrics;
}

export class SocketLimits implements Extension {
  readonly extensionName = 'SocketLimits';
  /** After AccessControl (100): a document counts once it is authorised. */
  readonly priority = 90;

  constructor(private readonly options: SocketLimitsOptions) {}

  /** Before authentication, so a socket past its limit costs no session or order lookup. */
  async onConnect({ context, documentName }: onConnectPayload): Promise<void> {
    const socket = socketOf(context);
    if (socket && this.full(socket, documentName)) throw this.refuse(socket, context, documentName);
  }

  async onAuthenticate({ context, documentName }: onAuthenticatePayload): Promise<void> {
    const socket = socketOf(context);
    if (!socket) return;
    // Checked again: many documents may have passed onConnect before any was counted.
    if (this.full(socket, documentName)) throw this.refuse(socket, context, documentName);
    socket.docs.add(documentName);
  }

  async onDisconnect({ context, documentName }: onDisconnectPayload): Promise<void> {
    socketOf(context)?.docs.delete(documentName);
  }

  private full(socket: SocketState, documentName: string): boolean {
    return !socket.docs.has(documentName) && socket.docs.size >= this.options.maxDocs;
  }

  private refuse(socket: SocketState, context: unknown, documentName: string): ChannelError {
    this.options.metrics.denied.inc('too_many_documents');
    if (!socket.limitLogged) {
      socket.limitLogged = true;
      const user = typeof context === 'object' && context !== null && 'user' in context && typeof context.user === 'object' && context.user !== null && 'id' in context.user ? String(context.user.id) : null;
      log.warn('document_denied', { user, doc: documentName, code: 'too_many_documents', open: socket.docs.size, limit: this.options.maxDocs });
    }
    return new ChannelError(
      CLOSE_CODES.forbidden,
      `too_many_documents: this connection already has ${socket.docs.size} documents open, the most one connection may (MAX_DOCS_PER_SOCKET); close some first`,
    );
  }
}

export type MessageKind = 'awareness' | 'pong' | 'other';

/**
 * What a raw client message is, read without decoding it: a bare Pong, an
 * awareness or awareness-query message (`varString address · varUint type`),
 * or anything else (for Hocuspocus, which also deals with malformed ones).
 */
export function classifyMessage(data: Uint8Array): MessageKind {
  if (data.length === 1 && data[0] === MESSAGE_PONG) return 'pong';
  let pos = 0;
  const readUint = (): number | null => {
    let value = 0;
    let multiplier = 1;
    for (let i = 0; i < 5 && pos < data.length; i++) {
      const byte = data[pos++]!;
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
    }
    return null;
  };
  const addressLength = readUint();
  if (addressLength === null || addressLength > data.length - pos) return 'other';
  pos += addressLength;
  const type = readUint();
  return type === MESSAGE_AWARENESS || type === MESSAGE_QUERY_AWARENESS ? 'awareness' : 'other';
}

export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

class TokenBucket {
  private tokens: number;
  private at = performance.now();

  constructor(readonly limit: RateLimit) {
    this.tokens = limit.burst;
  }

  available(now: number): number {
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.at) * this.limit.perSecond) / 1000);
    this.at = now;
    return this.tokens;
  }

  take(amount: number): void {
    this.tokens -= amount;
  }

  /** Milliseconds until `amount` is available (0 if it is). */
  waitMs(amount: number, now: number): number {
    const missing = Math.min(amount, this.limit.burst) - this.available(now);
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / this.limit.perSecond);
  }
}

/** What the gate needs of a socket: `ws`'s WebSocket. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

export interface GateLimits {
  readonly messages: RateLimit;
  readonly bytes: RateLimit;
}

/** The gate for a server's configured message rate and largest message. */
export function gateLimits(messagesPerSecond: number, maxPayloadBytes: number): GateLimits {
  return {
    messages: { perSecond: messagesPerSecond, burst: messagesPerSecond * 5 },
    bytes: { perSecond: maxPayloadBytes * 2, burst: maxPayloadBytes * 4 },
  };
}

/**
 * Lets one socket's messages through at its budget, in order. Over budget it
 * pauses the socket and queues what had already been read (at most what `ws`
 * had buffered), then delivers the queue as the budget refills and resumes.
 */
export class InboundGate {
  private readonly queue: Uint8Array[] = [];
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly socket: Pausable,
    limits: GateLimits,
    private readonly deliver: (data: Uint8Array) => void,
    private readonly onThrottled: () => void,
  ) {
    this.messages = new TokenBucket(limits.messages);
    this.bytes = new TokenBucket(limits.bytes);
  }

  accept(data: Uint8Array): void {
    if (this.closed) return;
    if (this.queue.length === 0 && this.admit(data)) {
      this.deliver(data);
      return;
    }
    this.queue.push(data);
    if (this.timer === null) {
      this.socket.pause();
      this.onThrottled();
      this.schedule();
    }
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private admit(data: Uint8Array): boolean {
    const now = performance.now();
    // A message larger than the byte burst passes once the bucket is full, leaving it in debt.
    if (this.messages.available(now) < 1 || this.bytes.available(now) < Math.min(data.length, this.bytes.limit.burst)) return false;
    this.messages.take(1);
    this.bytes.take(data.length);
    return true;
  }

  private schedule(): void {
    const head = this.queue[0]!;
    const now = performance.now();
    const wait = Math.max(this.messages.waitMs(1, now), this.bytes.waitMs(head.length, now), 1);
    this.timer = setTimeout(() => this.drain(), wait);
  }

  private drain(): void {
    this.timer = null;
    if (this.closed) return;
    while (this.queue.length > 0 && this.admit(this.queue[0]!)) this.deliver(this.queue.shift()!);
    if (this.queue.length > 0) this.schedule();
    else this.socket.resume();
  }
}
