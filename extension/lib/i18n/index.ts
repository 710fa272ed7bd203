/** The i18n of the extension's own pages (popup, options): both languages in the bundle. */
import { createI18n, type I18n } from './core.ts';
import { en } from './en.ts';
import { addMessages, translate } from './translate.ts';
import type { MessageKey } from './zh-CN.ts';

export type { I18n, MessageKey };
export { translate };

addMessages('en', en);

let shared: I18n | null = null;

export function useI18n(): I18n {
  shared ??= createI18n(async () => undefined);
  return shared;
}
