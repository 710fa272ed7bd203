/**
 * The field PWA. Run from the repository root:
 *   npm run dev:pwa      (dev server; /api and the sync socket proxied to LIANXIN_SERVER)
 *   npm run build:pwa    (to dist/pwa, which the sync server serves at its origin root)
 *
 * LIANXIN_PWA_BASE sets the public path (default `/`): the app and its service
 * worker scope live under it, and API and sync URLs are resolved against it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { VitePWA } from 'vite-plugin-pwa';
import Components from 'unplugin-vue-components/vite';
import { VantResolver } from '@vant/auto-import-resolver';
import { PHOTO_CACHE, STORED_KEYS } from './src/data/storage-keys.ts';
import { precompileMessages } from './scripts/precompile-messages.ts';
import { earlyRead } from './scripts/early-read.ts';
import { appContentSecurityPolicy, COMMON_SECURITY_HEADERS, inlineScripts, safeHost } from '#shared/web/security-headers.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const base = process.env.LIANXIN_PWA_BASE ?? '/';
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
// LIANXIN_BUILD_ID marks a build (CI, or the update test's second build).
process.env.VITE_APP_VERSION = process.env.LIANXIN_BUILD_ID ? `${version}+${process.env.LIANXIN_BUILD_ID}` : version;
const server = process.env.LIANXIN_SERVER ?? 'http://127.0.0.1:8787';
const proxy = {
  [`${base}api`]: { target: server, changeOrigin: true },
  [`${base}sync`]: { target: server.replace(/^http/, 'ws'), ws: true, changeOrigin: true },
};

const outDir = fileURLToPath(new URL('../dist/pwa', import.meta.url));

/**
 * `vite preview` sends the headers the sync server sends with the app
 * (shared/web/security-headers.ts): the same Content-Security-Policy, with the
 * built index.html's inline script allowed by its hash, so the e2e tests run
 * the app under the policy it ships with; and no source maps.
 */
function securityHeaders(): Plugin {
  return {
    name: 'lianxin-security-headers',
    configurePreviewServer(server) {
      // The folder served (`vite preview --outDir` serves a copy in the e2e tests).
      const index = resolve(server.config.root, server.config.build.outDir, 'index.html');
      const hashes = existsSync(index) ? inlineScripts(readFileSync(index, 'utf8')).map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`) : [];
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        // /api and /sync are proxied: the server behind answers with its own headers.
        if ((req.url ?? '').startsWith(`${base}api/`) || (req.url ?? '').startsWith(`${base}sync`)) {
          next();
          return;
        }
        for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) res.setHeader(name, value);
        res.setHeader('Content-Security-Policy', appContentSecurityPolicy(hashes, safeHost(req.headers.host)));
        if (/\.map(?:$|\?)/.test(req.url ?? '')) {
          res.statusCode = 404;
          res.end();
          return;
        }
        next();
      });
    },
  };
}

/**
 * Vant's icon font is inlined (a woff2 `data:` URL) with a fallback on
 * at.alicdn.com. Chromium fetches the fallback too, which the app's
 * Content-Security-Policy (font-src 'self' data:) refuses, and which would
 * tell a third party about every user: the fallback is cut from the CSS.
 */
function noRemoteFonts(): Plugin {
  return {
    name: 'lianxin-no-remote-fonts',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vant[\\/].*\.css$/.test(id.split('?')[0] ?? '') || !code.includes('at.alicdn.com')) return null;
      return { code: code.replace(/,\s*url\((["']?)\/\/at\.alicdn\.com\/[^)]*\1\)\s*format\((["'])woff\2\)/g, ''), map: null };
    },
  };
}

/**
 * Vant's base.css must open the first screen's CSS. Every Vant component's style imports it before its own CSS, but
 * when Vite 8 emits it as a CSS-only shared chunk it links it *after* the entry's own stylesheet
 * (vitejs/vite#6375, #3924): its `.van-hairline--top-bottom { position: relative }` then undid `.van-tabbar--fixed`
 * (the tab bar scrolled away with the list) and its `:root` variables undid the app's (`--van-primary-color` in
 * styles.css). The first screen's CSS is one stylesheet (`firstScreenChunk`), in which the import order puts it
 * first; this checks that it does, and fails the build otherwise. Lazy pages' stylesheets come later, after it.
 */
function vantBaseFirst(): Plugin {
  return {
    name: 'lianxin-vant-base-first',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const base = Object.values(context.bundle ?? {}).find(
          (file) => file.type === 'asset' && file.fileName.endsWith('.css') && String(file.source).includes('--van-black:'),
        );
        if (!base || base.type !== 'asset') throw new Error("lianxin-vant-base-first: Vant's base.css is not in the bundle");
        const first = /<link rel="stylesheet"[^>]*>/.exec(html)?.[0];
        if (!first?.includes(`/${base.fileName}"`) || !/^\s*:root[^{]*\{--van-black:/.test(String(base.source)))
          throw new Error(`lianxin-vant-base-first: Vant's base.css does not open ${base.fileName}, the first stylesheet`);
        return html;
      },
    },
  };
}

/**
 * The first screen's code in one file, and its CSS in one. Left to itself, Rolldown cuts the modules that the entry
 * imports statically into chunks by which lazy pages share them: 14 scripts and 4 stylesheets (some of 140 bytes),
 * each one a fetch event for the service worker, which answered them one after another in 100–350 ms on a cold
 * start while the entry could not run (bench/README.md "Cold start, part 11"). The built-in `$initial` tag captures
 * exactly the entry's static import graph; Rolldown then merges that group into the entry chunk. Lazy pages import
 * from it (it is loaded before any of them) and keep their own chunks.
 */
const firstScreenChunk = { groups: [{ name: 'first-screen', tags: ['$initial' as const] }] };

const config = defineConfig({
  root,
  base,
  publicDir: 'public',
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    // Messages are compiled at build time (precompileMessages): no message compiler in the page.
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
  },
  resolve: {
    // vue-i18n's runtime-only build: it formats the precompiled messages and never compiles one.
    alias: [{ find: /^vue-i18n$/, replacement: fileURLToPath(new URL('../node_modules/vue-i18n/dist/vue-i18n.runtime.mjs', import.meta.url)) }],
  },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in the build: the server would otherwise be handing out the app's source.
    sourcemap: false,
    // .vite/manifest.json: which chunks the first paint needs and which load later (bench case 7).
    manifest: true,
    // The largest chunk is exceljs (≈ 930 KB raw), loaded only on 数据分析's 导出 .xlsx.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: { output: { codeSplitting: firstScreenChunk } },
  },
  worker: { format: 'es' },
  server: { port: 5173, strictPort: false, fs: { allow: [repoRoot] }, proxy },
  preview: { port: 4173, proxy },
  plugins: [
    securityHeaders(),
    noRemoteFonts(),
    vantBaseFirst(),
    // index.html's inline first read (the session and the first screen's rows) while the code loads.
    earlyRead({ tabKey: STORED_KEYS.inboxTab.key, localeKey: STORED_KEYS.locale.key }),
    // Chinese: the first screen's messages in the entry, the rest a chunk loaded after the first paint (i18n/first-screen.ts).
    precompileMessages(/[\\/]pwa[\\/]src[\\/]i18n[\\/](?:zh-CN|en|indicators)\.ts$/, fileURLToPath(new URL('./src/i18n/zh-CN.ts', import.meta.url))),
    vue(),
    // Vant's resolver: each template imports the Vant components it names, with
    // their CSS, so lazy pages carry theirs (nothing is registered globally).
    Components({ resolvers: [VantResolver()], dirs: [], dts: false }),
    VitePWA({
      // generateSW: everything our worker does (precache the shell, cache photos
      // by hash, wait for the user before updating) is configuration. Uploads run
      // from the page's own queue, never from the service worker. See pwa/README.md.
      strategies: 'generateSW',
      registerType: 'prompt',
      injectRegister: false,
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['icons/favicon-48.png', 'icons/apple-touch-icon-180.png'],
      manifest: {
        id: base,
        name: '连心 · 12345 工单',
        short_name: '连心',
        description: '网格员离线接单、到场、拍照、办结 12345 工单',
        lang: 'zh-CN',
        dir: 'ltr',
        start_url: base,
        scope: base,
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#d7000f',
        categories: ['productivity', 'government'],
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Not left to NODE_ENV: a build run from a test runner must still ship the production worker.
        mode: 'production',
        globPatterns: ['**/*.{js,css,html,png,svg,woff,woff2,webmanifest}'],
        // Source maps are for developers, not for the offline shell.
        globIgnores: ['**/*.map'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/\/api\//, /\/sync(\/|$)/],
        cleanupOutdatedCaches: true,
        // The tap on a system notification (public/sw-notify.js); the notifications themselves are shown by the page.
        importScripts: ['sw-notify.js'],
        // The first install takes control at once so the very first visit is
        // already offline-capable; later versions wait for the user (registerType
        // 'prompt'), so skipWaiting stays off.
        clientsClaim: true,
        skipWaiting: false,
        runtimeCaching: [
          {
            // Photos are content-addressed: a hash names exactly one picture, so
            // a cached copy is never stale.
            urlPattern: /\/api\/photos\/[0-9a-f]{64}$/,
            method: 'GET',
            handler: 'CacheFirst',
            options: {
              cacheName: PHOTO_CACHE,
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 3000, purgeOnQuotaError: true },
            },
          },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
});

export default defineConfig(({ command }) => {
  // A build ships production code even when run from a test runner: vitest sets
  // NODE_ENV=test, and Vite would then bundle Vue's development builds (warnings,
  // bigger and slower) and compile the SFCs for development. Vite reads NODE_ENV
  // for this after loading the config.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});
