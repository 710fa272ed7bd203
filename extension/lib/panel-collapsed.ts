/**
 * The portal panel collapsed or open, remembered per portal origin: a clerk
 * who collapsed it (it covers the portal's own fields at 1280×800) finds it
 * collapsed on the next page of that portal, and open on another portal.
 * Kept in storage.local (settings.ts), which content scripts may read: an
 * origin list is nothing secret.
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
