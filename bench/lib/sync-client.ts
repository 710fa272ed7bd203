/**
 * A bench device: one WebSocket, any number of docs on it, as the PWA runs
 * them (HocuspocusProvider on a shared HocuspocusProviderWebsocket, `ws` for
 * Node). Waits are event-driven, so timings are not rounded to a poll.
 */
import { BrowserLikeWebSocket } from '../../tests/server/support/client.ts';
import * as Y from 'yjs';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';

/** Denials by provider, so `synced` can fail at once instead of timing out. */
const denials = new WeakMap<HocuspocusProvider, { reason: string | null; listeners: Set<(reason: string) => void> }>();

export class BenchSocket {
  readonly socket: HocuspocusProviderWebsocket;
  private readonly providers: HocuspocusProvider[] = [];

  constructor(
    wsUrl: string,
    readonly token: string,
  ) {
    this.socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: BrowserLikeWebSocket });
  }

  open(name: string, doc = new Y.Doc()): HocuspocusProvider {
    const denial = { reason: null as string | null, listeners: new Set<(reason: string) => void>() };
    const provider = new HocuspocusProvider({
      websocketProvider: this.socket,
      name,
      token: this.token,
      document: doc,
      onAuthenticationFailed: ({ reason }) => {
        denial.reason = reason;
        for (const listener of denial.listeners) listener(reason);
      },
    });
    denials.set(provider, denial);
    provider.attach();
    this.providers.push(provider);
    return provider;
  }

  close(): void {
    for (const provider of this.providers) provider.destroy();
    this.socket.destroy();
  }
}

/** Resolves when the provider's first exchange with the server is done; rejects if the doc is denied. */
export function synced(provider: HocuspocusProvider, timeoutMs = 60_000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  const denial = denials.get(provider);
  if (denial?.reason) return Promise.reject(new Error(`${provider.configuration.name} denied: ${denial.reason}`));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sync of ${provider.configuration.name} timed out`)), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      provider.off('synced', onSynced);
      denial?.listeners.delete(onDenied);
    };
    const onSynced = ({ state }: { state: boolean }) => {
      if (!state) return;
      done();
      resolve();
    };
    const onDenied = (reason: string) => {
      done();
      reject(new Error(`${provider.configuration.name} denied: ${reason}`));
    };
    provider.on('synced', onSynced);
    denial?.listeners.add(onDenied);
  });
}

/** Resolves at the next moment every local change of the doc is acknowledged by the server. */
export function acknowledged(provider: HocuspocusProvider): Promise<void> {
  if (provider.unsyncedChanges === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = ({ number }: { number: number }) => {
      if (number !== 0) return;
      provider.off('unsyncedChanges', listener);
      resolve();
    };
    provider.on('unsyncedChanges', listener);
  });
}

export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
