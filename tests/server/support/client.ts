/**
 * Real clients: log in over HTTP, open documents with HocuspocusProvider on
 * one shared WebSocket (as the PWA does), write events stamped as the user.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import type { User } from '#shared/org/roles.ts';
import type { EventDraft, OrderEvent } from '#shared/order/events.ts';
import type { OrderIntakeRequest } from '#shared/order/intake.ts';
import { appendEvents, readEvents } from '#shared/sync/order-doc.ts';
import { Writer } from '../../shared/support/builders.ts';
import { PASSWORD, hotlineIntake, users } from './fixture.ts';
import { waitFor, type WaitOptions } from '../../support/wait.ts';

/**
 * `ws` as Node clients' WebSocket, with a browser's manners: an error event
 * nobody listens to is not thrown. Closing a socket that is still connecting
 * (a client stopped mid-handshake) makes `ws` emit an error; a browser just
 * fires the event, and Hocuspocus has stopped listening by then.
 */
export class BrowserLikeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => undefined);
  }
}

export { waitFor } from '../../support/wait.ts';

export async function login(url: string, username: string, password = PASSWORD): Promise<string> {
  return (await signIn(url, username, password)).token;
}

/** A login's token and the server's clock when it answered (`serverTime`): tests stamp events relative to it, never to this machine's clock. */
export async function signIn(url: string, username: string, password = PASSWORD): Promise<{ token: string; serverTime: number }> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; serverTime: number };
  return { token: body.token, serverTime: body.serverTime };
}

export async function postIntake(url: string, token: string, intake: OrderIntakeRequest | OrderIntakeRequest[]): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/api/orders`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(intake),
  });
  return { status: res.status, body: await res.json() };
}

/** POSTs one intake with `token` and answers the id the server assigned; anything but 201 throws with the answer. */
export async function createdId(url: string, token: string, intake: OrderIntakeRequest): Promise<string> {
  const res = await postIntake(url, token, intake);
  if (res.status !== 201) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}

/** A hotline order created by the street-1 clerk (or `as`); its id is the one the server answered with. */
export async function createOrder(url: string, overrides: Partial<OrderIntakeRequest> = {}, as: string = users.clerk.id): Promise<{ id: string; orderNo: string }> {
  const intake = hotlineIntake(overrides);
  return { id: await createdId(url, await login(url, as), intake), orderNo: intake.orderNo };
}

/** Many orders in one batch; their ids in the order given. */
export async function createOrders(url: string, intakes: readonly OrderIntakeRequest[], as: string = users.clerk.id): Promise<string[]> {
  const res = await postIntake(url, await login(url, as), [...intakes]);
  const body = res.body as { failed?: number; results?: { id?: string }[] };
  if (res.status !== 200 || body.failed !== 0) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
  return (body.results ?? []).map((r) => r.id ?? '');
}

export interface Refused {
  readonly type: 'refused';
  readonly code: string;
  readonly reason: string;
  readonly field?: string;
}

export interface OpenOptions {
  /** Route this provider's messages by its own session key, as the apps' sync engine does (shared/client/sync.ts). */
  readonly sessionAwareness?: boolean;
}

export class DocHandle {
  readonly doc: Y.Doc;
  readonly provider: HocuspocusProvider;
  readonly messages: unknown[] = [];
  denied: string | null = null;
  closed: string | null = null;
  authenticated = false;

  constructor(socket: HocuspocusProviderWebsocket, name: string, token: string, doc = new Y.Doc(), options: OpenOptions = {}) {
    this.doc = doc;
    this.provider = new HocuspocusProvider({
      websocketProvider: socket,
      name,
      sessionAwareness: options.sessionAwareness ?? false,
      token,
      document: doc,
      onStateless: ({ payload }) => this.messages.push(JSON.parse(payload)),
      onAuthenticationFailed: ({ reason }) => {
        this.denied = reason;
      },
      onAuthenticated: () => {
        this.authenticated = true;
      },
      onClose: ({ event }) => {
        this.closed = event.reason || String(event.code);
      },
    });
    this.provider.attach();
  }

  /** First sync with the server done. */
  async synced(timeoutMs?: number): Promise<this> {
    await waitFor(() => this.provider.synced || this.denied !== null, `sync of ${this.provider.configuration.name}`, timeoutMs === undefined ? {} : { timeoutMs });
    if (this.denied !== null) throw new Error(`${this.provider.configuration.name} denied: ${this.denied}`);
    return this;
  }

  /** Every local change acknowledged by the server (which means: durably stored). */
  async acked(timeoutMs?: number): Promise<void> {
    await waitFor(() => this.provider.synced && this.provider.unsyncedChanges === 0, `acknowledgement on ${this.provider.configuration.name}`, timeoutMs === undefined ? {} : { timeoutMs });
  }

  /**
   * What became of the local changes: acknowledged (durably stored) or
   * refused. For a test that expects one, so that the other fails it at once
   * instead of after a timeout.
   */
  async outcome(timeoutMs?: number): Promise<'acknowledged' | Refused> {
    await waitFor(
      () => this.messages.some(isRefused) || (this.provider.synced && this.provider.unsyncedChanges === 0),
      `acknowledgement or refusal on ${this.provider.configuration.name}`,
      timeoutMs === undefined ? {} : { timeoutMs },
    );
    return this.messages.find(isRefused) ?? 'acknowledged';
  }

  async deniedReason(): Promise<string> {
    await waitFor(() => this.denied !== null, `denial of ${this.provider.configuration.name}`);
    return this.denied!;
  }

  async refusal(): Promise<Refused> {
    await waitFor(() => this.messages.some(isRefused), `refusal on ${this.provider.configuration.name}`);
    return this.messages.find(isRefused)!;
  }

  /** Wait until every local change is acknowledged or the server refused one; the refusal, or null. */
  async settled(options: WaitOptions = {}): Promise<Refused | null> {
    const name = this.provider.configuration.name;
    await waitFor(() => this.messages.some(isRefused) || (this.provider.synced && this.provider.unsyncedChanges === 0), `acknowledgement or refusal on ${name}`, options);
    return this.messages.find(isRefused) ?? null;
  }

  events(): OrderEvent[] {
    return readEvents(this.doc).events;
  }

  append(...events: OrderEvent[]): void {
    appendEvents(this.doc, events);
  }

  destroy(): void {
    this.provider.destroy();
  }
}

const isRefused = (m: unknown): m is Refused => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'refused';

/** One user on one device: a login, one socket, any number of docs. */
export class TestClient {
  readonly socket: HocuspocusProviderWebsocket;
  /** Every time the server closed this device's WebSocket: code and reason. */
  readonly socketCloses: { code: number; reason: string }[] = [];
  private readonly writer: Writer;
  private readonly docs: DocHandle[] = [];

  private constructor(
    readonly user: User,
    readonly token: string,
    /** The server's clock when this client signed in. */
    readonly serverTime: number,
    wsUrl: string,
    seed: number,
  ) {
    this.socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: BrowserLikeWebSocket });
    this.socket.on('close', ({ event }: { event: { code: number; reason: string } }) => this.socketCloses.push({ code: event.code, reason: String(event.reason ?? '') }));
    this.writer = new Writer(user, seed);
  }

  static async connect(server: { url: string; wsUrl: string }, user: User, seed = 1, password = PASSWORD): Promise<TestClient> {
    const { token, serverTime } = await signIn(server.url, user.id, password);
    return new TestClient(user, token, serverTime, server.wsUrl, seed);
  }

  /** A time `offsetMs` after the server's clock at sign-in: what an event is stamped with. */
  at(offsetMs = 0): number {
    return this.serverTime + offsetMs;
  }

  open(name: string, doc?: Y.Doc, options?: OpenOptions): DocHandle {
    const handle = new DocHandle(this.socket, name, this.token, doc, options);
    this.docs.push(handle);
    return handle;
  }

  /** A new event by this user, stamped after everything in `handle`. */
  write(handle: Pick<DocHandle, 'events'>, draft: EventDraft, at: number): OrderEvent {
    return this.writer.write(draft, at, handle.events());
  }

  close(): void {
    for (const doc of this.docs) doc.destroy();
    this.socket.destroy();
  }
}
