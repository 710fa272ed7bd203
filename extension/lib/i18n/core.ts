/**
 * UI strings, Chinese by default with English. A dictionary rather than
 * vue-i18n: the panel is injected into portal pages, and a few dozen strings
 * do not need a 50 KB library. The locale comes from extension storage and is
 * followed live (switching in the popup switches the panel too).
 */
import { ref, type Ref } from 'vue';
import { localeItem, type Locale } from '../settings.ts';
import { hasMessages, translate } from './translate.ts';
import type { MessageKey } from './zh-CN.ts';

export interface I18n {
  readonly locale: Ref<Locale>;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  toggle(): Promise<void>;
}

/** A translator as the pages and the panel pass one around (`I18n`'s `t`). */
export type Translate = I18n['t'];

/** `load` brings a locale's messages that are not there yet (translate.ts addMessages); until then they read as Chinese. */
export function createI18n(load: (locale: Locale) => Promise<void>): I18n {
  const locale = ref<Locale>('zh-CN');
  /** Bumped when messages arrive, so that what was drawn in Chinese meanwhile is drawn again. */
  const arrived = ref(0);
  const follow = (value: Locale) => {
    locale.value = value;
    if (hasMessages(value)) return;
    void load(value)
      .then(() => (arrived.value += 1))
      .catch(() => undefined);
  };
  void localeItem.getValue().then(follow);
  localeItem.watch(follow);
  return {
    locale,
    t: (key, vars) => (arrived.value, translate(locale.value, key, vars)),
    toggle: () => localeItem.setValue(locale.value === 'zh-CN' ? 'en' : 'zh-CN'),
  };
}
