/** The content-script side of the page-world protocol (page-protocol.ts). */
import { cryptoRandomBytes } from '#shared/clock/ids.ts';
import type { PageError } from '#shared/portal/reasons.ts';
import { REQUEST_EVENT, RESPONSE_EVENT, parseMessage, type PageRequest, type PageResponse } from './page-protocol.ts';

export interface PageBridge {
  call(request: Omit<PageRequest, 'secret' | 'id'>): Promise<PageResponse>;
}

const TIMEOUT_MS = 3000;

export function randomToken(): string {
  return [...cryptoRandomBytes(16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `secret` must be the one the page-world script was installed with. */
export function createPageBridge(win: Window, secret: string): PageBridge {
  return {
    call(request) {
      const id = randomToken();
      return new Promise<PageResponse>((resolve) => {
        const onResponse = (event: Event) => {
          const response = parseMessage<PageResponse>((event as CustomEvent<unknown>).detail, secret);
          if (!response || response.id !== id) return;
          done(response);
        };
        const timer = setTimeout(() => done({ secret, id, ok: false, error: 'no_response' satisfies PageError }), TIMEOUT_MS);
        const done = (response: PageResponse) => {
          clearTimeout(timer);
          win.removeEventListener(RESPONSE_EVENT, onResponse);
          resolve(response);
        };
        win.addEventListener(RESPONSE_EVENT, onResponse);
        win.dispatchEvent(new CustomEvent(REQUEST_EVENT, { detail: JSON.stringify({ ...request, secret, id }) }));
      });
    },
  };
}
