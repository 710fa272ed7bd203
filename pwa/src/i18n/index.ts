import { createI18n } from 'vue-i18n';
import { Locale as VantLocale } from 'vant';
import vantZhCN from 'vant/es/locale/lang/zh-CN';
import vantEnUS from 'vant/es/locale/lang/en-US';
import type { Locale } from '../../../shared/order/conflicts.ts';
import zhCN, { type MessageSchema } from './zh-CN.ts';
import en from './en.ts';

export type { Locale };
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

const STORAGE_KEY = 'lianxin.locale';

function storedLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  // Numbers and dates are formatted by Intl directly in the composables.
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
});

function applyLocale(locale: Locale): void {
  VantLocale.use(locale === 'en' ? 'en-US' : 'zh-CN', locale === 'en' ? vantEnUS : vantZhCN);
  document.documentElement.lang = locale;
}

applyLocale(i18n.global.locale.value);

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  applyLocale(locale);
}
