/**
 * What the portal content script (the loader, portal.content/index.ts) and
 * the panel script it has the background inject (entrypoints/portal-panel.ts)
 * share: the host element, and the names they meet under in the content
 * scripts' isolated world (the page cannot see them). Nothing here imports
 * anything: the loader stays small.
 */

/** The element on the page whose open shadow root holds the panel. */
export const PANEL_HOST = 'lianxin-panel';

/** Set on the isolated world's global once the panel is mounted: the loader then stops watching. */
export const PANEL_MOUNTED = '__lianxinPanelMounted';

/** Set on the isolated world's global when the clerk opened the collapsed tab: the panel then mounts open, whatever it was on this portal. */
export const PANEL_OPEN_ASKED = '__lianxinPanelOpenAsked';

/** The shadow root's reset: the portal's styles stop at the host. */
export const HOST_RESET_CSS = ':host{all:initial !important;}';

/** Keys typed in the panel stay in it: portals listen for shortcuts on the document. */
export function isolateKeys(shadow: ShadowRoot): void {
  for (const type of ['keydown', 'keyup', 'keypress']) shadow.addEventListener(type, (event) => event.stopPropagation());
}

/**
 * Set on the isolated world's global by the teaching script (entrypoints/portal-teach.ts,
 * injected by the background only when a clerk asks to teach): mounts the teaching panel
 * into `host` and returns its unmount.
 */
export const TEACH_MOUNT = '__lianxinTeachMount';

export interface TeachCallbacks {
  readonly onSaved: () => void;
  readonly onClose: () => void;
  /** The kind of page the panel recognised this one as (taught before): what the admin most likely adds to. */
  readonly kind?: 'order' | 'reply' | 'list';
}

export type TeachMount = (host: Element, callbacks: TeachCallbacks) => () => void;

/** Where the panel's English messages (entrypoints/portal-en.ts, injected when the clerk uses English) wait for it. */
export const EN_MESSAGES = '__lianxinEnMessages';
