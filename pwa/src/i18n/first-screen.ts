/**
 * The message namespaces (top-level keys of zh-CN.ts) of the first screen:
 * the modules the entry imports statically, and the components App.vue shows
 * right after the first screen (the update prompt, the storage-wipe dialog).
 * Only these are in the entry (pwa/scripts/precompile-messages.ts splits
 * zh-CN.ts at build); the rest of Chinese is a chunk loaded right after the
 * first paint, which every lazy page waits for (router.ts).
 * tests/pwa/i18n/first-screen.test.ts checks that the first screen's modules
 * use no other namespace.
 */
export const FIRST_SCREEN_NAMESPACES = ['app', 'nav', 'inbox', 'card', 'sync', 'archives', 'duration', 'notify', 'supervision', 'orderType', 'update', 'storageLoss', 'updateRefusal', 'photoRejection'] as const;
