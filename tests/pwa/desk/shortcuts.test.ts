import { describe, expect, it } from 'vitest';
import { modalOpen, shortcutFor, type DeskShortcut } from '#pwa/src/composables/useDeskShortcuts.ts';
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

  it('take no key while a dialog or sheet is open (its overlay shown), and take them again once it is hidden', () => {
    const pass = shortcut('review-pass', ['a']);
    const overlays = (...displays: string[]) => ({ querySelectorAll: () => displays.map((display) => ({ style: { display } })) }) as unknown as ParentNode;
    expect(modalOpen(overlays())).toBe(false);
    expect(modalOpen(overlays('none', 'none'))).toBe(false);
    expect(modalOpen(overlays('none', ''))).toBe(true);
    expect(shortcutFor([pass], key('a'), modalOpen(overlays('')))).toBeNull();
    expect(shortcutFor([pass], key('a'), modalOpen(overlays('none')))?.id).toBe('review-pass');
  });

  it('name every queue in both languages', () => {
    for (const messages of [zhCN, en]) for (const queue of QUEUE_KEYS) expect(messages.desk.queues[queue].trim()).toBeTruthy();
  });
});
