/**
 * The panel's names for order fields, the close result's parts and kinds of input: words in both languages through
 * the extension's i18n, never a key; and no Chinese display text left in the panel's or the library's code (teach
 * mode offered its input kinds and sources from Chinese literals beside the i18n, review of 2026-12-07).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ORDER_FIELDS, REPLY_SOURCES, type WidgetKind } from '#shared/portal/adapter.ts';
import { orderFieldLabel, orderValueLabel, replySourceLabel, widgetKindLabel } from '#extension/entrypoints/portal.content/field-labels.ts';
import { CHANNEL_WORDS, ORDER_TYPE_WORDS } from '#shared/portal/vocabulary.ts';
import { en } from '#extension/lib/i18n/en.ts';
import { formatMessage } from '#extension/lib/i18n/translate.ts';
import { zhCN, type MessageKey } from '#extension/lib/i18n/zh-CN.ts';

const say = (locale: 'zh-CN' | 'en') => (key: MessageKey, vars?: Record<string, string | number>) => formatMessage(locale === 'en' ? en : zhCN, key, vars);
const CJK = /[\u3400-\u9fff]/;
const WIDGET_KINDS: readonly WidgetKind[] = ['text', 'textarea', 'select', 'radio', 'checkbox', 'element-plus-select', 'element-ui-select', 'layui-select', 'date', 'richtext', 'file'];

describe('field labels', () => {
  it('names every order field an order page can give, in Chinese and English', () => {
    for (const field of ORDER_FIELDS) {
      expect(CJK.test(orderFieldLabel(field, say('zh-CN'))), field).toBe(true);
      expect(orderFieldLabel(field, say('en')), field).toMatch(/^[A-Z][A-Za-z ]+$/);
    }
    expect(orderFieldLabel('receivedAt', say('zh-CN'))).toBe('受理时间');
  });

  it('names every part of the close result a reply field can take in both languages (teach mode showed “photos.handling”)', () => {
    const english = new Set<string>();
    for (const source of REPLY_SOURCES) {
      expect(CJK.test(replySourceLabel(source, say('zh-CN'))), source).toBe(true);
      const label = replySourceLabel(source, say('en'));
      expect(label, source).toMatch(/^[A-Z][A-Za-z ]+$/);
      english.add(label);
    }
    expect(english.size).toBe(REPLY_SOURCES.length);
    expect(replySourceLabel('contactTime', say('zh-CN'))).toBe('联系时间');
  });

  it('names an order’s type and channel in both languages, in Chinese by the portals’ usual word (English showed “mayor_mailbox”)', () => {
    for (const [field, words] of [['type', ORDER_TYPE_WORDS], ['channel', CHANNEL_WORDS]] as const) {
      for (const [value, portalWords] of Object.entries(words)) {
        expect(orderValueLabel(field, value, say('zh-CN')), value).toBe(portalWords[0]);
        const english = orderValueLabel(field, value, say('en'));
        expect(english, value).toMatch(/^[A-Z][A-Za-z' ]+$/);
      }
    }
    expect(orderValueLabel('channel', 'mayor_mailbox', say('en'))).toBe("Mayor's mailbox");
    // A value from a newer server is shown as it is rather than as a missing message's key.
    expect(orderValueLabel('type', 'petition', say('en'))).toBe('petition');
  });

  it('names every kind of input teach mode offers in both languages', () => {
    for (const kind of WIDGET_KINDS) {
      expect(CJK.test(widgetKindLabel(kind, say('zh-CN'))), kind).toBe(true);
      expect(CJK.test(widgetKindLabel(kind, say('en'))), kind).toBe(false);
    }
    expect(widgetKindLabel('radio', say('en'))).toBe('one choice (round buttons)');
  });

  it('leaves no Chinese string literal in the panel (portal.content) or the panel’s library outside comments: what the clerk sees comes from the i18n', () => {
    // The brand in the collapsed tab (drawn before any messages load) and the category sent to the server are not display text to translate.
    const allowed = [/title\.textContent = '连心'/];
    const offending: string[] = [];
    for (const folder of ['../../extension/entrypoints/portal.content/', '../../extension/lib/portal/']) {
      const dir = fileURLToPath(new URL(folder, import.meta.url));
      for (const file of readdirSync(dir).filter((f) => /\.(ts|vue)$/.test(f))) {
        const text = readFileSync(dir + file, 'utf8');
        // A .vue file's template text is checked too: it must use t().
        for (const [i, line] of text.split('\n').entries()) {
          if (/^\s*(\*|\/\*|\/\/)/.test(line) || allowed.some((a) => a.test(line))) continue;
          if (CJK.test(line.replace(/\/\/.*$/, ''))) offending.push(`${file}:${i + 1}: ${line.trim()}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});
