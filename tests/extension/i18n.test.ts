/** UI strings: every key in both languages, placeholders filled, unknown placeholders left visible. */
import { describe, expect, it } from 'vitest';
import { en } from '#extension/lib/i18n/en.ts';
import { translate } from '#extension/lib/i18n/translate.ts';
import { zhCN } from '#extension/lib/i18n/zh-CN.ts';

describe('i18n', () => {
  it('has every string in Chinese and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const value of [...Object.values(en), ...Object.values(zhCN)]) expect(value.trim()).not.toBe('');
  });

  it('fills placeholders', () => {
    expect(translate('zh-CN', 'teachNotUnique', { n: 3 })).toBe('⚠ 同时指向 3 处');
    expect(translate('en', 'teachFieldsAdded', { n: 2 })).toBe('2 items added');
    expect(translate('en', 'teachFieldsAdded')).toBe('{n} items added');
  });
});
