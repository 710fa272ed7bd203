/**
 * The app's messages are compiled at build time and the page's vue-i18n has no
 * message compiler (pwa/scripts/precompile-messages.ts, pwa/vite.config.ts).
 * Every message of both languages, and the 数据分析 page's, must read the same
 * through the runtime-only path (a string as it is, an AST formatted) as
 * through the full compiler the app used before.
 */
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { compile, type MessageCompiler } from '@intlify/core-base';
import { compileMessage, compileMessages } from '#pwa/scripts/precompile-messages.ts';
import en from '#pwa/src/i18n/en.ts';
import zhCN from '#pwa/src/i18n/zh-CN.ts';
import { INDICATOR_MESSAGES } from '#pwa/src/i18n/indicators.ts';

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));
}

/** What the runtime-only build does: a string message as it is; an AST formatted (core-base's `compile` takes the AST branch). */
const runtimeOnly: MessageCompiler = (message, context) => (typeof message === 'string' ? Object.assign(() => message, { locale: context.locale, key: context.key }) : compile(message, context));

function translators(messages: Tree) {
  const full = createI18n({ legacy: false, locale: 'x', messages: { x: messages }, missingWarn: false, fallbackWarn: false });
  const built = createI18n({ legacy: false, locale: 'x', messages: { x: compileMessages(messages, 'x') as Tree }, messageCompiler: runtimeOnly, missingWarn: false, fallbackWarn: false });
  return { full: full.global.t, built: built.global.t };
}

describe('precompiled messages', () => {
  const modules: [string, Tree][] = [
    ['zh-CN', zhCN as unknown as Tree],
    ['en', en as unknown as Tree],
    ['indicators zh-CN', INDICATOR_MESSAGES['zh-CN'] as unknown as Tree],
    ['indicators en', INDICATOR_MESSAGES.en as unknown as Tree],
  ];

  it.each(modules)('%s: every message reads the same without a compiler in the page', (_name, messages) => {
    const { full, built } = translators(messages);
    const all = leaves(messages);
    expect(all.length).toBeGreaterThan(20);
    for (const [key, source] of all) {
      const named = Object.fromEntries([...source.matchAll(/\{\s*(\w+)\s*\}/g)].map((match) => [match[1]!, `<${match[1]}>`]));
      expect(built(key, named), key).toBe(full(key, named));
      if (source.includes('|')) for (const n of [0, 1, 2]) expect(built(key, n, { named }), `${key} (${n})`).toBe(full(key, n, { named }));
    }
  });

  it('keeps plain text a string and compiles the rest', () => {
    expect(compileMessage('待办', 't')).toBe('待办');
    expect(compileMessage("a{'@'}b", 't')).toBe('a@b');
    expect(typeof compileMessage('已导出文件 {name}', 't')).toBe('object');
    expect(typeof compileMessage('no orders | one order | {n} orders', 't')).toBe('object');
  });

  it('fails the build on a message that does not compile', () => {
    expect(() => compileMessage('a {b c}', 'sync.bad')).toThrow(/sync\.bad/);
  });
});
