/**
 * The page-world script for rich-text editors (extension/lib/portal/page-world.ts),
 * injected by the background into the portal page's MAIN world only when the
 * content script asks for it. It leaves one installer on the window under a
 * name the background chose; the background calls it at once, in a second
 * injection, with the per-page secret, and the installer removes itself.
 * A page that intercepts the installer learns a secret that lets it do no
 * more than it can already do to its own editors: the content script reads
 * every field back instead of trusting a reply.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { installPageWorld } from '../lib/portal/page-world.ts';
import { PAGE_WORLD_INSTALLER } from '../lib/page-world-key.ts';

export default defineUnlistedScript(() => {
  const scope = window as unknown as Record<string, unknown>;
  if (scope[PAGE_WORLD_INSTALLER]) return;
  let installed = false;
  Object.defineProperty(window, PAGE_WORLD_INSTALLER, {
    configurable: true,
    value: (secret: unknown) => {
      if (installed || typeof secret !== 'string' || secret.length < 16) return;
      installed = true;
      installPageWorld(secret, window);
    },
  });
});
