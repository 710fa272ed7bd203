/**
 * The PWA's first screen is drawn from index.html's early read without the
 * data layer (pwa/src/data/index.ts): walking every static value import from
 * pwa/src/main.ts (through pwa/src and shared/, `#shared/` resolved, type-only
 * imports skipped as the bundler skips them) reaches neither Dexie nor the
 * Yjs stack nor valibot, nor the data layer's own module (`data/layer.ts`,
 * loaded after the first paint). The weight bench case measures the bytes;
 * this keeps a stray import from putting them back unnoticed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The specifiers a module imports or re-exports as values (`import type`, `export type` and all-`type` braces skipped). */
export function valueImports(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(/^\s*(import|export)\s+(?!type\b)([^'";]*?\bfrom\s+)?'([^']+)'/gm)) {
    const clause = match[2] ?? '';
    const names = /\{([^}]*)\}/.exec(clause)?.[1];
    const onlyTypes = names !== undefined && !/^[^{]*\w[^{]*\{/.test(clause) && names.split(',').every((name) => name.trim() === '' || /^type\s/.test(name.trim()));
    if (match[1] === 'export' && !clause) continue;
    if (!onlyTypes) found.push(match[3]!);
  }
  return found;
}

function resolveModule(from: string, specifier: string): string | null {
  const base = specifier.startsWith('#shared/') ? join(ROOT, 'shared', specifier.slice('#shared/'.length)) : specifier.startsWith('.') ? resolve(dirname(from), specifier) : null;
  return base && existsSync(base) ? base : null;
}

/** Every app module and every package the first screen's static imports reach from `entry`. */
function reach(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    for (const specifier of valueImports(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.') && !specifier.startsWith('#')) {
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
        continue;
      }
      const target = resolveModule(file, specifier);
      if (target && /\.(ts|vue)$/.test(target)) visit(target);
    }
  };
  visit(entry);
  return { modules, packages };
}

describe("the first screen's static imports", () => {
  it('reach neither Dexie, nor the Yjs stack, nor valibot, nor the data layer', () => {
    const { modules, packages } = reach(join(ROOT, 'pwa/src/main.ts'));
    // The walk is real: it reaches the inbox, the data facade and the shared pure helpers.
    expect([...modules].some((file) => file.endsWith('pages/InboxPage.vue'))).toBe(true);
    expect([...modules].some((file) => file.endsWith('data/index.ts'))).toBe(true);
    expect([...modules].some((file) => file.endsWith('shared/order/inbox-order.ts'))).toBe(true);
    expect(packages.has('vue')).toBe(true);
    for (const heavy of ['dexie', 'yjs', 'y-indexeddb', 'lib0', '@hocuspocus/provider', 'valibot']) expect(packages.has(heavy), heavy).toBe(false);
    expect([...modules].filter((file) => file.endsWith('data/layer.ts') || file.endsWith('shared/local/db.ts'))).toEqual([]);
  });

  it('are found by the walk (a value import counts, a type-only one does not)', () => {
    expect(valueImports("import Dexie from 'dexie';\nimport { type A, b } from './b.ts';")).toEqual(['dexie', './b.ts']);
    expect(valueImports("import type { A } from 'dexie';\nimport { type A, type B } from './b.ts';\nexport type { C } from './c.ts';")).toEqual([]);
    expect(valueImports("export { sortForInbox } from './inbox-order.ts';\nimport './styles.css';")).toEqual(['./inbox-order.ts', './styles.css']);
  });
});
