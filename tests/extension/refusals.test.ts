/**
 * The background's refusals in the clerk's language: a refusal carries a code and what fills its words, the
 * background's Chinese only as a fallback; a page words it with `error.<code>` (use-ask.ts). An English clerk saw
 * “只能派给本街道的网格” and “第 2 套门户识别规则不合格…” (review of 2026-12-07).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RequestError, dispatch, type Caller, type Handlers } from '#extension/lib/messaging.ts';
import { en } from '#extension/lib/i18n/en.ts';
import { formatMessage } from '#extension/lib/i18n/translate.ts';
import { zhCN, type MessageKey } from '#extension/lib/i18n/zh-CN.ts';
import { messageOf, wordedError } from '#extension/lib/use-ask.ts';

const say = (locale: 'zh-CN' | 'en') => (key: MessageKey, vars?: Record<string, string | number>) => formatMessage(locale === 'en' ? en : zhCN, key, vars);
const CJK = /[\u3400-\u9fff]/;
const popup: Caller = { extensionPage: true, tabId: null, frameId: null, url: 'chrome-extension://abc/popup.html' };

describe('refusals', () => {
  it('carries its params across the message boundary and is worded in either language', async () => {
    const handlers = new Proxy({} as Handlers, {
      get: () => async () => {
        throw new RequestError('invalid_adapter', '第 2 套门户识别规则不合格：id: 太长', 'id', { n: 2, errors: 'id: too long' });
      },
    });
    const reply = await dispatch(handlers, { lianxin: 1, type: 'adapters.list', payload: {} }, popup);
    expect(reply).toEqual({ ok: false, error: { code: 'invalid_adapter', message: '第 2 套门户识别规则不合格：id: 太长', field: 'id', params: { n: 2, errors: 'id: too long' } } });
    if (reply.ok) return;
    const { code, message, field, params } = reply.error;
    const refused = new RequestError(code, message, field ?? null, params ?? {});
    expect(messageOf(refused, say('en'))).toBe('Portal rule set 2 is not valid: id: too long');
    expect(messageOf(refused, say('zh-CN'))).toBe('第 2 套门户识别规则不合格：id: too long');
    // A payload the protocol refused, by its field (the popup's sign-in: valibot's words are Chinese).
    const badUrl = await dispatch(handlers, { lianxin: 1, type: 'session.signIn', payload: { serverUrl: 'ftp://x', username: 'a', password: 'b' } }, popup);
    expect(badUrl).toMatchObject({ ok: false, error: { code: 'invalid', field: 'serverUrl' } });
    if (!badUrl.ok) expect(messageOf(new RequestError(badUrl.error.code, badUrl.error.message, badUrl.error.field ?? null), say('en'))).toBe('Not a server address (http:// or https://)');
    // A code the pages do not know: the background's words as they came.
    expect(messageOf(new RequestError('something_new', '新的拒绝'), say('en'))).toBe('新的拒绝');
  });

  it('has words in both languages for every refusal the background gives in Chinese, with every placeholder filled', () => {
    const dir = fileURLToPath(new URL('../../extension/entrypoints/background/', import.meta.url));
    const thrown = /new RequestError\(\s*'([a-z_]+)',\s*(['`])([^'`]*)\2(?:,\s*([^,)]+))?(?:,\s*\{([^}]*)\})?/g;
    const found: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      for (const [, code, , words, , params] of readFileSync(dir + file, 'utf8').matchAll(thrown)) {
        if (!code || !words || !CJK.test(words) ) continue;
        found.push(code);
        const key = `error.${code}` as MessageKey;
        expect(Object.hasOwn(zhCN, key), `${file}: ${code} has no ${key}`).toBe(true);
        const given = new Set((params ?? '').split(',').map((p) => p.split(':')[0]!.trim()).filter(Boolean));
        for (const message of [zhCN[key], en[key]]) {
          const wanted = [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
          expect(wanted.filter((name) => !given.has(name)), `${file}: ${code} leaves a placeholder of “${message}” unfilled`).toEqual([]);
        }
        expect(CJK.test(en[key]), `${key} in English`).toBe(false);
      }
    }
    // The scan found the refusals (a pattern that matched nothing would pass for any code).
    expect(found).toEqual(expect.arrayContaining(['grid_not_in_street', 'photo_missing', 'invalid_adapter', 'unsynced_other_user', 'org_refused', 'teach_admin_only', 'reply_refused', 'refused']));
  });

  it('words the sync line\'s error by its code, and an action the repository refused with its reason', () => {
    const dir = fileURLToPath(new URL('../../extension/entrypoints/background/', import.meta.url));
    const noted = [...readFileSync(dir + 'start.ts', 'utf8').matchAll(/noteError\(\{ code: '([a-z_]+)', message: '([^']*)' \}\)/g)];
    expect(noted.length).toBeGreaterThan(0);
    for (const [, code, words] of noted) {
      expect(wordedError({ code: code!, message: words! }, say('en'))).not.toMatch(CJK);
      expect(wordedError({ code: code!, message: words! }, say('zh-CN'))).toBe(words);
    }
    // A check's failure the pages have no words for: its own message.
    expect(wordedError({ code: 'http_502', message: 'the server answered 502 Bad Gateway' }, say('zh-CN'))).toBe('the server answered 502 Bad Gateway');
    const refused = new RequestError('refused', '操作未记录：note: too long', null, { detail: 'note: too long' });
    expect(messageOf(refused, say('en'))).toBe('Not recorded: note: too long');
  });
});
