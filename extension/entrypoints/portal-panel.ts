/**
 * The portal panel (PortalPanel.vue: Vue, the import, list and reply panels,
 * the fill engine, teaching), injected by the background into a portal frame
 * on demand (background/panel.ts): when an adapter's URL pattern matches the
 * page, or when the clerk opens the collapsed tab the content script put
 * there. It runs in the content scripts' isolated world and mounts into the
 * shadow root of the content script's host element, replacing the tab.
 */
import { createApp } from 'vue';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import PortalPanel from './portal.content/PortalPanel.vue';
import { PANEL_CSS } from './portal.content/panel-style.ts';
import { HOST_RESET_CSS, PANEL_HOST, PANEL_MOUNTED } from '../lib/panel-host.ts';

export default defineUnlistedScript(() => {
  const scope = globalThis as unknown as Record<string, unknown>;
  if (scope[PANEL_MOUNTED]) return;
  const shadow = document.querySelector(PANEL_HOST)?.shadowRoot;
  if (!shadow) return;
  scope[PANEL_MOUNTED] = true;
  const style = document.createElement('style');
  style.textContent = `${HOST_RESET_CSS}\n${PANEL_CSS}`;
  const container = document.createElement('div');
  shadow.replaceChildren(style, container);
  createApp(PortalPanel).mount(container);
});
