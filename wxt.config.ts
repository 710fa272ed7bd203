import { defineConfig } from 'wxt';

// The extension lives in extension/; shared/ is imported by relative path.
// Host access is never asked for at install: each portal origin is granted at
// run time from the popup (optional_host_permissions), and the portal content
// script is registered for exactly the granted origins.
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  modules: ['@wxt-dev/module-vue'],
  // `npm run zip:ext`: .output/lianxin-<version>-chrome.zip and -firefox.zip, and for Firefox
  // (addons.mozilla.org asks for the sources of a bundled extension) -sources.zip with only what
  // the extension is built from: `npm ci && npm run build:ext:firefox` rebuilds it.
  zip: {
    includeSources: ['extension/**', 'shared/**', 'package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.base.json', 'tsconfig.json', 'README.md'],
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: '连心 Lianxin',
    description: '把 12345 工单从政务门户导入连心，并把现场办理结果回填到门户表单。',
    default_locale: undefined,
    permissions: ['storage', 'scripting', 'activeTab', 'alarms'],
    // MV2 (Firefox's default build) has no optional_host_permissions: hosts go in optional_permissions.
    ...(manifestVersion === 2 ? { optional_permissions: ['http://*/*', 'https://*/*'] } : { optional_host_permissions: ['http://*/*', 'https://*/*'] }),
    // Firefox asks what leaves the device: the portal's order content (citizens' names and numbers)
    // goes to the office's own Lianxin server, with the clerk's sign-in.
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'lianxin@lianxin.example',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['personallyIdentifyingInfo', 'websiteContent', 'authenticationInfo'] },
            },
          },
        }
      : {}),
  }),
});
