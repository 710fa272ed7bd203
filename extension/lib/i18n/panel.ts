/**
 * The i18n of the portal panel (and the teaching panel): Chinese in the
 * bundle; English only when the clerk uses it, injected by the background
 * (`panel.locale` → entrypoints/portal-en.ts), which leaves the messages in
 * the isolated world under EN_MESSAGES.
 */
import { ask } from '../messaging.ts';
import { EN_MESSAGES } from '../panel-host.ts';
import { createI18n, type I18n } from './core.ts';
import { addMessages, type Messages } from './translate.ts';
import type { MessageKey } from './zh-CN.ts';

export type { I18n, MessageKey };


let shared: I18n | null = null;

export function useI18n(): I18n {
  shared ??= createI18n(async (locale) => {
    if (locale !== 'en') return;
    const scope = globalThis as unknown as Record<string, unknown>;
    if (typeof scope[EN_MESSAGES] !== 'object') await ask('panel.locale', { locale });
    const messages = scope[EN_MESSAGES];
    if (typeof messages === 'object' && messages !== null) addMessages('en', messages as Messages);
  });
  return shared;
}
