/**
 * The portal panel collapsed or open, remembered per portal origin: a clerk
 * who collapsed it (it covers the portal's own fields at 1280×800) finds it
 * collapsed on the next page of that portal, and open on another portal.
 * Kept in storage.local (settings.ts), which content scripts may read: an
 * origin list is nothing secret. Every open panel of the origin follows a
 * collapse or an open done in another tab (watchPanelCollapsed).
 */
import { withCollapsed } from './panel-collapsed-origins.ts';
import { collapsedPanelOriginsItem } from './settings.ts';

export async function panelCollapsedOn(origin: string): Promise<boolean> {
  return (await collapsedPanelOriginsItem.getValue()).includes(origin);
}

export async function rememberPanelCollapsed(origin: string, collapsed: boolean): Promise<void> {
  const origins = await collapsedPanelOriginsItem.getValue();
  const next = withCollapsed(origins, origin, collapsed);
  if (next.length !== origins.length || next.some((o, i) => o !== origins[i])) await collapsedPanelOriginsItem.setValue(next);
}

/**
 * Calls `follow` whenever the panel of `origin` is collapsed or opened elsewhere (another tab of the portal, or this
 * one: the caller's own state then already agrees). Changes for other origins are not passed on. Returns the unwatch.
 */
export function watchPanelCollapsed(origin: string, follow: (collapsed: boolean) => void): () => void {
  return collapsedPanelOriginsItem.watch((origins, before) => {
    const collapsed = origins.includes(origin);
    if (collapsed !== before.includes(origin)) follow(collapsed);
  });
}
