import { describe, expect, it } from 'vitest';
import { shortcutFor, type DeskShortcut } from '#pwa/src/composables/useDeskShortcuts.ts';
import { QUEUE_KEYS } from '#shared/order/queues.ts';
import en from '#pwa/src/i18n/en.ts';
import zhCN from '#pwa/src/i18n/zh-CN.ts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'metaKey', boolean>> = {}) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, target: null, ...mods });
const shortcut = (id: string, keys: string[], enabled = true): DeskShortcut => ({ id, keys, enabled: () => enabled, run: () => undefined });

describe('desk shortcuts', () => {
  it('take the latest enabled registration of a key, never with a modifier held', () => {
    const next = shortcut('next', ['j', 'ArrowDown']);
    const pass = shortcut('review-pass', ['p']);
    const passLater = shortcut('dispatch', ['p']);
    const off = shortcut('off', ['j'], false);
    expect(shortcutFor([next, pass], key('ArrowDown'))?.id).toBe('next');
    expect(shortcutFor([next, pass, passLater], key('p'))?.id).toBe('dispatch');
    expect(shortcutFor([next, off], key('j'))?.id).toBe('next');
    expect(shortcutFor([next], key('j', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor([next], key('x'))).toBeNull();
  });

  it('name every queue in both languages', () => {
    for (const messages of [zhCN, en]) for (const queue of QUEUE_KEYS) expect(messages.desk.queues[queue].trim()).toBeTruthy();
  });
});
