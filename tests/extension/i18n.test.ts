/** UI strings: every key in both languages, placeholders filled, unknown placeholders left visible. */
import { describe, expect, it } from 'vitest';
import { en } from '#extension/lib/i18n/en.ts';
import { addMessages, hasMessages, translate } from '#extension/lib/i18n/translate.ts';
import { zhCN } from '#extension/lib/i18n/zh-CN.ts';

describe('i18n', () => {
  it('has every string in Chinese and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const value of [...Object.values(en), ...Object.values(zhCN)]) expect(value.trim()).not.toBe('');
  });

  it('reads a locale not loaded yet as Chinese, and English once added (the panel loads it only when used)', () => {
    expect(hasMessages('en')).toBe(false);
    expect(translate('en', 'teachNotUnique', { n: 3 })).toBe('⚠ 同时指向 3 处');
    addMessages('en', en);
    expect(hasMessages('en')).toBe(true);
    expect(translate('en', 'teachFieldsAdded', { n: 2 })).toBe('2 items added');
  });

  it('fills placeholders', () => {
    addMessages('en', en);
    expect(translate('zh-CN', 'teachNotUnique', { n: 3 })).toBe('⚠ 同时指向 3 处');
    expect(translate('en', 'teachFieldsAdded', { n: 2 })).toBe('2 items added');
    expect(translate('en', 'teachFieldsAdded')).toBe('{n} items added');
  });

  it('counts in the right number in English: one item, two items, no items; Chinese has one form', () => {
    addMessages('en', en);
    expect(translate('en', 'teachFieldsAdded', { n: 1 })).toBe('1 item added');
    expect(translate('en', 'teachFieldsAdded', { n: 0 })).toBe('0 items added');
    expect(translate('en', 'listRows', { n: 1 })).toBe('1 order in the list; tick it to import:');
    expect(translate('en', 'teachColumnPicked', { header: '工单编号', n: 1 })).toBe('column “工单编号” (1 row)');
    expect(translate('zh-CN', 'teachFieldsAdded', { n: 1 })).toBe(zhCN.teachFieldsAdded.replace('{n}', '1'));
    for (const value of [...Object.values(en), ...Object.values(zhCN)]) expect(value.split(' | ').length, value).toBeLessThanOrEqual(2);
  });

  it('tells the clerk what to do when the reply page’s order is not in Lianxin: the import button and “Find” by their own words', () => {
    // “No such order, or not synced yet” left the clerk at the portal's reply form with nothing to do (review of 2026-12-07).
    for (const messages of [zhCN, en]) {
      expect(messages.orderNotFound).toContain(messages.importOrder);
      expect(messages.orderNotFound).toContain(messages.search);
    }
  });
});
