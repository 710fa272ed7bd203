/**
 * What the tests inject into a portal page: the engine the content script
 * uses, the page-world script, and the pure adapter functions. Bundled by
 * esbuild into one script (fixtures.ts).
 */
import * as engine from '#extension/lib/portal/index.ts';
import { installPageWorld } from '#extension/lib/portal/page-world.ts';
import * as portal from '#shared/portal/index.ts';

declare global {
  interface Window {
    lianxin: { engine: typeof engine; portal: typeof portal; installPageWorld: typeof installPageWorld };
  }
}

window.lianxin = { engine, portal, installPageWorld };
