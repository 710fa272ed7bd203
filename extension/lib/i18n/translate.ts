/** Looking a string up, pure (no storage), so it can be tested anywhere. */
import type { Locale } from '../settings.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

export type Messages = Record<MessageKey, string>;

/**
 * The messages of each locale loaded so far: Chinese always; English added by
 * whoever carries it — the extension's pages at start (i18n/index.ts), the
 * portal panel only when switched to English (i18n/panel.ts). A locale not
 * loaded (yet) reads as Chinese.
 */
const loaded: Partial<Record<Locale, Messages>> = { 'zh-CN': zhCN };

export function addMessages(locale: Locale, messages: Messages): void {
  loaded[locale] = messages;
}

export function hasMessages(locale: Locale): boolean {
  return loaded[locale] !== undefined;
}

/**
 * The text of `key`, with `{name}` placeholders filled from `vars`. A message counting `{n}` things may give its
 * singular and plural as `one | other` (English); the singular is read when `n` is 1.
 */
export function translate(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return formatMessage(loaded[locale] ?? zhCN, key, vars);
}

/** `key` of the given messages, filled as `translate` does (for callers holding the messages themselves). */
export function formatMessage(messages: Messages, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const forms = messages[key].split(' | ');
  const message = (vars.n === 1 ? forms[0] : forms.at(-1)) ?? '';
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
