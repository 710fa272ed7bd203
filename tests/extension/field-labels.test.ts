/** The panel's names for order fields and for the close result's parts: words in both languages, never a key. */
import { describe, expect, it } from 'vitest';
import { ORDER_FIELDS, REPLY_SOURCES } from '#shared/portal/adapter.ts';
import { SOURCE_NAMES } from '#shared/portal/reply-plan.ts';
import { orderFieldLabel, replySourceLabel } from '#extension/entrypoints/portal.content/field-labels.ts';

describe('field labels', () => {
  it('names every order field an order page can give, in Chinese and English', () => {
    for (const field of ORDER_FIELDS) {
      expect(orderFieldLabel(field, 'zh-CN'), field).not.toBe(field);
      expect(orderFieldLabel(field, 'en'), field).not.toBe(field);
    }
  });

  it('names every part of the close result a reply field can take: the engine’s Chinese words, English words (teach mode showed “photos.handling”)', () => {
    const english = new Set<string>();
    for (const source of REPLY_SOURCES) {
      expect(replySourceLabel(source, 'zh-CN')).toBe(SOURCE_NAMES[source]);
      const label = replySourceLabel(source, 'en');
      expect(label, source).not.toBe(source);
      expect(label, source).toMatch(/^[A-Z][A-Za-z ]+$/);
      english.add(label);
    }
    expect(english.size).toBe(REPLY_SOURCES.length);
  });
});
