/**
 * The timeline titles every event by its type. zh-CN.ts is held to EventType by
 * the compiler and en.ts to zh-CN.ts; this says the same at run time, and that
 * no title is blank.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '#shared/order/events.ts';
import en from '#pwa/src/i18n/en.ts';
import zhCN from '#pwa/src/i18n/zh-CN.ts';

describe('PWA timeline labels', () => {
  it('every event type has a timeline label in zh-CN and en', () => {
    for (const [locale, messages] of [['zh-CN', zhCN], ['en', en]] as const) {
      expect(Object.keys(messages.event).sort(), locale).toEqual([...EVENT_TYPES].sort());
      for (const type of EVENT_TYPES) expect(messages.event[type].trim(), `${locale} ${type}`).not.toBe('');
    }
  });
});
