/**
 * The portal panel collapsed or open, remembered per portal origin: a clerk
 * who collapsed it (it covers the portal's own fields at 1280×800) finds it
 * collapsed on the next page of that portal, and open on another portal.
 * Kept in storage.local (settings.ts), which content scripts may read: an
 * origin list is nothing secret.
 */
import { collapsedPanelOriginsItem } from './settings.ts';

/** `origins` with `origin` in it when `collapsed`, out of it otherwise (pure). */
export function withCollapsed(origins: readonly string[], origin: string, collapsed: boolean): string[] {
  const others = origins.filter((o) => o !== origin);
  return collapsed ? [...others, origin] : others;
}

export async function panelCollapsedOn(origin: string): Promise<boolean> {
  return (await collapsedPanelOriginsItem.getValue()).includes(origin);
}

export async function rememberPanelCollapsed(origin: string, collapsed: boolean): Promise<void> {
  const origins = await collapsedPanelOriginsItem.getValue();
  const next = withCollapsed(origins, origin, collapsed);
  if (next.length !== origins.length || next.some((o, i) => o !== origins[i])) await collapsedPanelOriginsItem.setValue(next);
}
