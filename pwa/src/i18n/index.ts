import { createI18n } from 'vue-i18n';
import { Locale as VantLocale } from 'vant';
import vantZhCN from 'vant/es/locale/lang/zh-CN';
import type { Locale } from '#shared/order/labels.ts';
// In the build, only the first screen's namespaces (first-screen.ts); the rest is `loadMessages`'s chunk.
import zhCN, { type MessageSchema } from './zh-CN.ts';
import { STORED_KEYS } from '../data/storage-keys.ts';

export type { Locale };
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

const STORAGE_KEY = STORED_KEYS.locale.key;

function storedLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

// English is a lazy chunk, loaded when chosen (and in the warm phase, so an update never leaves it uncached).
export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN } as Record<Locale, MessageSchema>,
  // Numbers and dates are formatted by Intl directly in the composables.
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
});

let chineseRest: Promise<void> | null = null;

/**
 * Chinese's messages after the first screen's (pwa/scripts/precompile-messages.ts
 * splits zh-CN.ts at build), merged once: loaded right after the first paint,
 * and awaited by every lazy page (router.ts) before it renders.
 */
export function loadMessages(): Promise<void> {
  chineseRest ??= import('virtual:lianxin-rest-messages').then((module) => i18n.global.mergeLocaleMessage('zh-CN', module.default as MessageSchema));
  chineseRest.catch(() => (chineseRest = null));
  return chineseRest;
}

type VantMessages = Parameters<typeof VantLocale.use>[1];

let english: Promise<VantMessages> | null = null;

/** English's messages, and Vant's, loaded once; resolves with Vant's. */
function loadEnglish(): Promise<VantMessages> {
  english ??= Promise.all([import('./en.ts'), import('vant/es/locale/lang/en-US')]).then(([app, vant]) => {
    i18n.global.setLocaleMessage('en', app.default);
    return vant.default;
  });
  english.catch(() => (english = null));
  return english;
}

async function applyLocale(locale: Locale): Promise<void> {
  const vantMessages = locale === 'en' ? await loadEnglish() : vantZhCN;
  VantLocale.use(locale === 'en' ? 'en-US' : 'zh-CN', vantMessages);
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}

/** The stored locale is applied: the app mounts after it (at once in Chinese). */
export const localeLoaded: Promise<void> = applyLocale(storedLocale()).catch(() => undefined);

/** The warm phase's share: English's chunks in this tab (router.ts `warmPages`). */
export function warmLocales(): Promise<unknown> {
  return loadEnglish();
}

export function setLocale(locale: Locale): void {
  localStorage.setItem(STORAGE_KEY, locale);
  void applyLocale(locale);
}
