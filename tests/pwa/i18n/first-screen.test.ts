/**
 * The first screen's messages are in the entry, the rest of Chinese in a chunk
 * loaded after the first paint (pwa/src/i18n/first-screen.ts): every module
 * the entry imports statically (from pwa/src/main.ts), and every component
 * App.vue loads as an async component, uses only the first screen's
 * namespaces; and the two parts together are every message.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import zhCN from '#pwa/src/i18n/zh-CN.ts';
import { FIRST_SCREEN_NAMESPACES } from '#pwa/src/i18n/first-screen.ts';
import { messagesPart } from '#pwa/scripts/precompile-messages.ts';

const SRC = fileURLToPath(new URL('../../../pwa/src/', import.meta.url));
const NAMESPACES = new Set(Object.keys(zhCN));

/** pwa/src modules reached from main.ts by static imports, and App.vue's async components. */
function firstScreenModules(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    const specifiers = [...code.matchAll(/^\s*import\s+(?!type\b)(?:[^'"]*?\bfrom\s+)?'([^']+)'/gm)].map((match) => match[1]!);
    if (file.endsWith('App.vue')) specifiers.push(...[...code.matchAll(/defineAsyncComponent\(\(\) => import\('([^']+)'\)\)/g)].map((match) => match[1]!));
    for (const specifier of specifiers) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      if (target.startsWith(SRC) && /\.(ts|vue)$/.test(target) && !target.includes(`${join(SRC, 'i18n')}/`)) visit(target);
    }
  };
  visit(join(SRC, 'main.ts'));
  return [...seen];
}

/**
 * The namespaces a module names: `t('ns.…')`, `'ns.…'` in data, `ns.${…}`;
 * in a module that builds keys from a prefix (`${prefix}.…`), also a
 * namespace named alone (`'updateRefusal'`).
 */
function namespacesUsed(code: string): Set<string> {
  const used = new Set<string>();
  const prefixed = /`\$\{\w+\}\./.test(code);
  for (const match of code.matchAll(/['`]([a-zA-Z]+)(\.[\w.]*['`]|\.\$\{|['`])/g)) {
    const name = match[1]!;
    if (NAMESPACES.has(name) && (match[2]!.length > 1 || prefixed)) used.add(name);
  }
  return used;
}

describe("the first screen's messages", () => {
  it('are all the first screen uses', () => {
    const modules = firstScreenModules();
    expect(modules.some((file) => file.endsWith('InboxPage.vue'))).toBe(true);
    expect(modules.some((file) => file.endsWith('AppUpdatePrompt.vue'))).toBe(true);
    expect(modules.some((file) => file.endsWith('LoginPage.vue'))).toBe(false);
    const first = new Set<string>(FIRST_SCREEN_NAMESPACES);
    for (const file of modules) {
      const missing = [...namespacesUsed(readFileSync(file, 'utf8'))].filter((name) => !first.has(name));
      expect(missing, `${file.slice(SRC.length)} uses messages outside FIRST_SCREEN_NAMESPACES`).toEqual([]);
    }
  });

  it('and the rest are every message, once', () => {
    const first = messagesPart(zhCN, 'first');
    const rest = messagesPart(zhCN, 'rest');
    expect(Object.keys(first).sort()).toEqual([...FIRST_SCREEN_NAMESPACES].sort());
    expect({ ...first, ...rest }).toEqual(zhCN);
    expect(Object.keys(first).filter((key) => key in rest)).toEqual([]);
  });
});
