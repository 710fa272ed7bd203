/** Looking a string up, pure (no storage), so it can be tested anywhere. */
import type { Locale } from '../settings.ts';
import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

const MESSAGES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** The text of `key`, with `{name}` placeholders filled from `vars`. */
export function translate(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return MESSAGES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

