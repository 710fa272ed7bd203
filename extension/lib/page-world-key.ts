/** The window property the page-world script leaves its one-shot installer under (entrypoints/page-world.ts). */
export const PAGE_WORLD_INSTALLER = '__lianxinInstallPageWorld';
