/**
 * UI strings, Chinese by default with English. A dictionary rather than
 * vue-i18n: the content script is injected into every portal page, and a few
 * dozen strings do not need a 50 KB library.
 */
import { ref, type Ref } from 'vue';
import { localeItem, type Locale } from '../settings.ts';
import { translate } from './translate.ts';
import type { MessageKey } from './zh-CN.ts';

export type { MessageKey };
export { translate };

export interface I18n {
  readonly locale: Ref<Locale>;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  toggle(): Promise<void>;
}

let shared: I18n | null = null;

/** One per page or content script: the locale from extension storage, followed live (switching in the popup switches the panel too). */
export function useI18n(): I18n {
  shared ??= createI18n();
  return shared;
}

function createI18n(): I18n {
  const locale = ref<Locale>('zh-CN');
  void localeItem.getValue().then((value) => (locale.value = value));
  localeItem.watch((value) => (locale.value = value));
  return {
    locale,
    t: (key, vars) => translate(locale.value, key, vars),
    toggle: () => localeItem.setValue(locale.value === 'zh-CN' ? 'en' : 'zh-CN'),
  };
}
