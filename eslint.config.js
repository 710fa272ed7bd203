// ESLint flat config. Not type-aware on purpose: `npm run typecheck` does the
// type work, so lint stays fast enough to run on every save and in `npm test`.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// WXT writes the globals of its auto-imports (defineBackground, browser, ref…)
// on `wxt prepare`, which `postinstall` runs. Lint must not crash on a tree
// where it has not run yet, so fall back to the few the extension uses today.
const wxtAutoImports = await import('./.wxt/eslint-auto-imports.mjs').then(
  (module) => module.default,
  () => ({
    name: 'wxt/auto-imports (fallback)',
    languageOptions: {
      globals: Object.fromEntries(
        ['browser', 'defineBackground', 'defineContentScript', 'defineUnlistedScript', 'createShadowRootUi', 'storage'].map(
          (name) => [name, 'readonly'],
        ),
      ),
    },
  }),
);

// --- Layering (see docs/ARCHITECTURE.md, "Layers") -------------------------
// Regexes rather than gitignore-style globs, so a rule matches exactly the
// specifiers it means: a relative path with a segment named after a folder,
// or a bare package name (and its subpaths). Top-level folders are imported
// across through package.json's subpath imports (`#shared/…`), so `into`
// also matches those.
const relativeInto = (...folders) => `^\\.\\.?/(?:.*/)?(?:${folders.join('|')})(?:/|$)`;
const into = (...folders) => `${relativeInto(...folders)}|^#(?:${folders.join('|')})(?:/|$)`;
const packages = (...names) => `^(?:${names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?:/|$)`;

const restrict = (regex, message) => ({ regex, caseSensitive: true, message });

const sharedIsPure = [
  restrict(into('pwa', 'extension', 'server', 'bench'), 'shared/ is the core every runtime imports; it must not import an app.'),
  restrict(into('demo'), 'The demo data sits outside the core: shared/ must not import demo/.'),
  restrict(packages('vue', 'vue-router', 'vue-i18n', 'vant', 'wxt', '#imports') + '|^@(?:vue|wxt-dev)/', 'shared/ must not depend on a UI framework or WXT.'),
  restrict(`^node:|${packages(...builtinModules)}`, 'shared/ runs in browsers too: pass IO in, do not import Node built-ins.'),
];
const noBrowserStorage = [
  restrict(packages('dexie', 'y-indexeddb'), 'Browser storage belongs in shared/local/.'),
  // Reaching into local/ would drag Dexie into every runtime through the core.
  restrict(relativeInto('local'), 'The pure core must not import shared/local/ (browser storage).'),
];
// shared/client/ (API client, repository, sync engine, upload queue) sits on top
// of shared/local/; nothing below it may import it, and it must not touch the
// network stack of a page: it also runs in the extension's service worker.
const noClient = [restrict(relativeInto('client'), 'shared/client/ is the browser-side client on top of shared/; the core and shared/local/ must not import it.')];
const noNetworkInCore = [restrict(packages('@hocuspocus/provider'), 'Sync clients belong in shared/client/.')];

const layering = (patterns) => ({ rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default defineConfig(
  globalIgnores([
    'node_modules/',
    '.output/',
    '.wxt/',
    'dist/',
    'data/',
    'bench/results*',
    'coverage/',
    'test-results/',
    '.tmp/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],

  {
    name: 'lianxin/vue-typescript',
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },

  {
    // Layout is a formatter's job, not lint's: eslint-plugin-vue's layout rules
    // (attributes per line, self-closing tags…) are stylistic warnings that
    // would fail `--max-warnings=0` without finding a single bug.
    name: 'lianxin/vue-no-layout-rules',
    files: ['**/*.vue'],
    rules: Object.fromEntries(
      Object.entries(pluginVue.rules)
        .filter(([, rule]) => rule.meta?.type === 'layout')
        .map(([name]) => [`vue/${name}`, 'off']),
    ),
  },

  {
    name: 'lianxin/rules',
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'vue/no-v-html': 'error',
      // `let { server, orders } = …` where only `server` is reassigned is fine:
      // splitting one destructuring in two to satisfy the rule reads worse.
      'prefer-const': ['error', { destructuring: 'all' }],
    },
  },

  {
    // Order text is data, never HTML: what the apps show goes in as text (v-html is refused above for templates).
    name: 'lianxin/no-html-sinks',
    files: ['pwa/src/**', 'extension/**', 'shared/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]", message: 'Set textContent or build nodes: text shown by the apps is never parsed as HTML.' },
        { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment)$/]", message: 'Build nodes: text shown by the apps is never parsed as HTML.' },
        { selector: "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]", message: 'No document.write.' },
      ],
    },
  },

  {
    // Playwright's waitForFunction takes the promise an async predicate returns for a truthy answer and returns at
    // once: such a wait waits for nothing. Poll from Node instead (`waitFor(() => page.evaluate(…))`).
    name: 'lianxin/no-async-wait-for-function',
    files: ['tests/**', 'bench/**', 'scripts/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='waitForFunction'] > :matches(ArrowFunctionExpression, FunctionExpression)[async=true]",
          message: 'waitForFunction does not await a promise: poll with waitFor(() => page.evaluate(…)).',
        },
        {
          selector: "CallExpression[callee.property.name='waitForFunction'] > ArrowFunctionExpression[async=false] > NewExpression[callee.name='Promise']",
          message: 'waitForFunction does not await a promise: poll with waitFor(() => page.evaluate(…)).',
        },
      ],
    },
  },

  {
    // The compiler already resolves every name in TS and SFC code (and knows
    // WXT's auto-imports through .wxt/wxt.d.ts); no-undef would only disagree.
    name: 'lianxin/no-undef-off-for-typed-code',
    files: ['**/*.vue'],
    rules: { 'no-undef': 'off' },
  },

  {
    name: 'lianxin/no-cycle',
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts', '.cts'] },
      // Imports name their .ts file exactly (allowImportingTsExtensions), so the
      // plain node resolver finds them; no TypeScript resolver needed.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mts', '.cts', '.js', '.mjs', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },

  // --- Globals --------------------------------------------------------------
  {
    name: 'lianxin/node-globals',
    files: ['server/**', 'scripts/**', 'tests/**', 'bench/**', '*.ts', '*.js', '*.mjs', 'pwa/*.ts', 'pwa/scripts/**'],
    languageOptions: { globals: globals.node },
  },
  {
    name: 'lianxin/browser-globals',
    files: ['pwa/src/**', 'extension/**'],
    languageOptions: { globals: globals.browser },
  },
  { ...wxtAutoImports, files: ['extension/**'] },

  // --- Layers (later blocks replace earlier options for the same file) -------
  { name: 'lianxin/layer-shared', files: ['shared/**'], ...layering([...sharedIsPure, ...noBrowserStorage, ...noClient, ...noNetworkInCore]) },
  { name: 'lianxin/layer-shared-local', files: ['shared/local/**'], ...layering([...sharedIsPure, ...noClient, ...noNetworkInCore]) },
  {
    name: 'lianxin/layer-shared-client',
    files: ['shared/client/**'],
    rules: {
      ...layering(sharedIsPure).rules,
      // The extension's background is a service worker: no window, no document, no Web Storage.
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'localStorage', 'sessionStorage', 'XMLHttpRequest'].map((name) => ({
          name,
          message: 'shared/client/ also runs in a service worker; pass what you need in.',
        })),
      ],
    },
  },
  {
    name: 'lianxin/layer-extension',
    files: ['extension/**'],
    ...layering([restrict(into('pwa'), 'The extension and the PWA share code only through shared/.')]),
  },
  {
    name: 'lianxin/layer-pwa',
    files: ['pwa/**'],
    ...layering([restrict(into('extension'), 'The PWA and the extension share code only through shared/.')]),
  },
  {
    name: 'lianxin/layer-server',
    files: ['server/**'],
    ...layering([restrict(into('pwa', 'extension'), 'The server shares code with the apps only through shared/.')]),
  },
  {
    // Demo data: generated from the core alone, runs in the PWA, the server and tests.
    name: 'lianxin/layer-demo',
    files: ['demo/**'],
    ...layering([
      restrict(into('pwa', 'extension', 'server', 'bench'), 'demo/ builds on shared/ alone; the apps import it, not the reverse.'),
      ...sharedIsPure.slice(2),
      ...noBrowserStorage.slice(0, 1),
      restrict(into('local', 'client'), 'demo/ uses the pure core only, not browser storage or the client.'),
    ]),
  },
);
