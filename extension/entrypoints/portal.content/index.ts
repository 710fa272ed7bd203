/**
 * The portal content script. Registered at run time, only for the origins the
 * user switched on (background/portal-registry.ts); it shows the Lianxin
 * panel in a shadow root, out of the portal's styles, and does nothing on a
 * page no adapter recognises beyond a small collapsed tab.
 */
import { createApp, type App } from 'vue';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import PortalPanel from './PortalPanel.vue';
import { PANEL_CSS } from './panel-style.ts';

const MARK = '__lianxinPortalPanel';

export default defineContentScript({
  registration: 'runtime',
  // The panel's styles are passed to the shadow root as text: no CSS file to
  // expose to web pages as a web-accessible resource.
  cssInjectionMode: 'manual',
  async main(ctx) {
    // The script can arrive twice (registered, and injected into a tab open when the portal was enabled).
    const scope = globalThis as unknown as Record<string, unknown>;
    if (scope[MARK]) return;
    scope[MARK] = true;

    const ui = await createShadowRootUi<App>(ctx, {
      name: 'lianxin-panel',
      position: 'inline',
      anchor: 'body',
      append: 'last',
      css: PANEL_CSS,
      isolateEvents: true,
      onMount(container) {
        const app = createApp(PortalPanel);
        app.mount(container);
        return app;
      },
      onRemove(app) {
        app?.unmount();
      },
    });
    ui.mount();
  },
});
