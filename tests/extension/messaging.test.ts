/**
 * The background's gate on every message: only this extension may ask, only
 * the extension's own pages may ask for what a portal page must never reach,
 * every payload is checked before a handler sees it, and every failure comes
 * back as a reply with a code rather than a thrown error.
 */
import { describe, expect, it } from 'vitest';
import { RequestError, callerOf, dispatch, type Caller, type Handlers } from '#extension/lib/messaging.ts';

const EXTENSION_ORIGIN = 'chrome-extension://abc/';
const popup: Caller = { extensionPage: true, tabId: null, frameId: null, url: `${EXTENSION_ORIGIN}popup.html` };
const contentScript: Caller = { extensionPage: false, tabId: 7, frameId: 0, url: 'http://portal.example/orders/1' };

const calls: string[] = [];
const handlers = new Proxy({} as Handlers, {
  get: (_target, type: string) => async (payload: unknown) => {
    calls.push(type);
    if (type === 'orders.search') throw new RequestError('offline', '无法连接', 'query');
    if (type === 'orders.awaitingReply') throw new Error('boom');
    if (type === 'session.get') return { serverUrl: 'http://x', user: null };
    if (type === 'adapters.remove') return { wrong: true, echoed: payload };
    return null;
  },
});

const message = (type: string, payload: unknown = {}) => ({ lianxin: 1, type, payload });

describe('callerOf', () => {
  it('tells the extension pages from content scripts and refuses other senders', () => {
    expect(callerOf({ id: 'abc', url: `${EXTENSION_ORIGIN}popup.html` }, 'abc', EXTENSION_ORIGIN)).toMatchObject({ extensionPage: true });
    expect(callerOf({ id: 'abc', url: 'http://portal.example/', tab: { id: 3 } as never, frameId: 2 }, 'abc', EXTENSION_ORIGIN)).toEqual({
      extensionPage: false,
      tabId: 3,
      frameId: 2,
      url: 'http://portal.example/',
    });
    expect(callerOf({ id: 'another-extension', url: `${EXTENSION_ORIGIN}popup.html` }, 'abc', EXTENSION_ORIGIN)).toBeNull();
  });
});

describe('dispatch', () => {
  it('answers a valid request with the handler value', async () => {
    expect(await dispatch(handlers, message('orders.detail', { orderNo: '250912101108115409' }), contentScript)).toEqual({ ok: true, value: null });
    expect(await dispatch(handlers, message('session.get'), contentScript)).toEqual({ ok: true, value: { serverUrl: 'http://x', user: null } });
  });

  it('never sends a value that is not what the protocol says the request answers', async () => {
    // adapters.remove answers {}: the handler's extra keys are dropped; a value of the wrong shape is refused.
    expect(await dispatch(handlers, message('adapters.remove', { id: 'a' }), popup)).toEqual({ ok: true, value: {} });
    expect(await dispatch(handlers, message('panel.load', { force: true }), contentScript)).toMatchObject({ ok: false, error: { code: 'bad_reply' } });
  });

  it('refuses what only extension pages may ask when a content script asks', async () => {
    calls.length = 0;
    for (const type of ['session.signIn', 'session.signOut', 'portals.enable', 'adapters.import']) {
      const reply = await dispatch(handlers, message(type, { serverUrl: 'http://x', username: 'a', password: 'b', origin: 'http://x', adapters: [] }), contentScript);
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses messages from outside the extension, unknown types and malformed envelopes', async () => {
    expect(await dispatch(handlers, message('session.get'), null)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dispatch(handlers, message('session.steal'), popup)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await dispatch(handlers, { type: 'session.get', payload: {} }, popup)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await dispatch(handlers, 'session.get', popup)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('names the field of an invalid payload and never calls the handler', async () => {
    calls.length = 0;
    const reply = await dispatch(handlers, message('orders.detail', { orderNo: '<img src=x onerror=alert(1)>' }), contentScript);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid', field: 'orderNo' } });
    const origin = await dispatch(handlers, message('portals.enable', { origin: 'javascript:alert(1)' }), popup);
    expect(origin).toMatchObject({ ok: false, error: { code: 'invalid', field: 'origin' } });
    expect(calls).toEqual([]);
  });

  it('asks the gate about content scripts only, and refuses a page it closes', async () => {
    calls.length = 0;
    const closed = async () => false;
    expect(await dispatch(handlers, message('orders.awaitingReply'), contentScript, closed)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
    expect(await dispatch(handlers, message('session.get'), popup, closed)).toMatchObject({ ok: true });
    expect(await dispatch(handlers, message('session.get'), contentScript, async () => true)).toMatchObject({ ok: true });
  });

  it('turns a handler failure into a reply: its code when it has one, "failed" otherwise', async () => {
    expect(await dispatch(handlers, message('orders.search', { query: '5409' }), popup)).toEqual({
      ok: false,
      error: { code: 'offline', message: '无法连接', field: 'query' },
    });
    expect(await dispatch(handlers, message('orders.awaitingReply'), popup)).toEqual({ ok: false, error: { code: 'failed', message: 'boom' } });
  });
});
