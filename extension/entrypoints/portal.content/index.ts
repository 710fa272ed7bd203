/**
 * The portal content script. Registered at run time, only for the origins the
 * user switched on (background/portal-registry.ts). It is a loader, kept
 * small because it runs on every page of an enabled portal: it puts the
 * collapsed Lianxin tab on the page (in a shadow root, out of the portal's
 * styles) and asks the background for the panel (entrypoints/portal-panel.ts:
 * Vue, the panels, the fill engine, teaching), which the background injects
 * into this frame when an adapter's URL pattern matches the page, or when the
 * clerk opens the tab. Portals are single-page apps: while no panel is
 * loaded, it asks again when the address changes.
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import type { Envelope, Reply } from '../../lib/protocol.ts';
import { HOST_RESET_CSS, PANEL_HOST, PANEL_MOUNTED, PANEL_OPEN_ASKED, isolateKeys } from '../../lib/panel-host.ts';

const MARK = '__lianxinPortalPanel';

/** The collapsed tab's look: the panel's header, closed (panel-style.ts has the panel's own). */
const TAB_CSS = `${HOST_RESET_CSS}
:host { position: fixed !important; right: 16px !important; bottom: 16px !important; top: auto !important; left: auto !important; z-index: 2147483647 !important; }
.panel { font: 13px/1.5 system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.18); }
header { display: flex; align-items: center; gap: 8px; padding: 8px 10px; background: #c0392b; color: #fff; border-radius: 8px; }
header h1 { margin: 0; font-size: 14px; }
button { color: #fff; background: none; border: 1px solid rgba(255,255,255,.6); border-radius: 4px; padding: 0 6px; cursor: pointer; font: inherit; }`;

/** The background injects the panel here (true), or says this page needs none yet (false). */
async function askPanel(force: boolean): Promise<boolean> {
  const envelope = { lianxin: 1, type: 'panel.load', payload: { force } } satisfies Envelope;
  try {
    const reply = (await browser.runtime.sendMessage(envelope)) as Reply | undefined;
    return reply?.ok === true && (reply.value as { loaded?: unknown } | null)?.loaded === true;
  } catch {
    return false;
  }
}

export default defineContentScript({
  registration: 'runtime',
  // No CSS file: nothing to expose to web pages as a web-accessible resource.
  cssInjectionMode: 'manual',
  main() {
    // The script can arrive twice (registered, and injected into a tab open when the portal was enabled).
    const scope = globalThis as unknown as Record<string, unknown>;
    if (scope[MARK]) return;
    scope[MARK] = true;

    const host = document.createElement(PANEL_HOST);
    const shadow = host.attachShadow({ mode: 'open' });
    isolateKeys(shadow);
    const style = document.createElement('style');
    style.textContent = TAB_CSS;
    const tab = document.createElement('div');
    tab.className = 'panel collapsed';
    tab.dataset.lianxinTab = '';
    const header = document.createElement('header');
    const title = document.createElement('h1');
    // The product's name (as in the manifest), the same in every language: no messages in the loader.
    title.textContent = '连心';
    const open = document.createElement('button');
    open.type = 'button';
    open.textContent = '+';
    open.dataset.test = 'open-panel';
    header.append(title, open);
    tab.append(header);
    shadow.append(style);
    document.body.append(host);

    const mounted = () => scope[PANEL_MOUNTED] === true;
    let asked = '';
    let asking = false;
    const check = async (force: boolean): Promise<void> => {
      if (mounted() || asking || (!force && asked === location.href)) return;
      asking = true;
      asked = location.href;
      try {
        if (await askPanel(force)) stop();
        // The tab shows once the background said this page needs no panel by itself.
        else if (!mounted() && !tab.isConnected) shadow.append(tab);
      } finally {
        asking = false;
      }
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void check(false), 250);
    };
    const observer = new MutationObserver(schedule);
    function stop(): void {
      clearTimeout(timer);
      observer.disconnect();
      window.removeEventListener('hashchange', schedule);
      window.removeEventListener('popstate', schedule);
    }
    open.addEventListener('click', () => {
      scope[PANEL_OPEN_ASKED] = true;
      void check(true);
    });
    window.addEventListener('hashchange', schedule);
    window.addEventListener('popstate', schedule);
    observer.observe(document.body, { childList: true, subtree: true });
    void check(false);
  },
});
