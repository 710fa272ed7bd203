/**
 * Where the portal content script runs: only on origins the user switched on
 * and the browser granted (optional host permissions, asked for at run time).
 * The registration is derived from those two facts every time either changes
 * and whenever the worker starts, so it cannot drift from them.
 */
import { browser } from 'wxt/browser';
import { portalOriginsItem } from '../../lib/settings.ts';
import { hostPatternOf } from '../../lib/origins.ts';

const SCRIPT_ID = 'lianxin-portal';
const SCRIPT_FILE = '/content-scripts/portal.js';

export async function isGranted(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [hostPatternOf(origin)] });
}

/** Enabled origins the browser still grants. */
export async function activeOrigins(): Promise<string[]> {
  const origins = await portalOriginsItem.getValue();
  const granted = await Promise.all(origins.map(isGranted));
  return origins.filter((_, i) => granted[i]);
}

export async function portalState(origin: string): Promise<{ origin: string; enabled: boolean }> {
  const enabled = (await portalOriginsItem.getValue()).includes(origin) && (await isGranted(origin));
  return { origin, enabled };
}

export async function enablePortal(origin: string): Promise<{ origin: string; enabled: boolean }> {
  if (!(await isGranted(origin))) return { origin, enabled: false };
  const origins = await portalOriginsItem.getValue();
  if (!origins.includes(origin)) await portalOriginsItem.setValue([...origins, origin]);
  await syncRegistration();
  await injectIntoOpenTabs(origin);
  return portalState(origin);
}

export async function disablePortal(origin: string): Promise<{ origin: string; enabled: boolean }> {
  const origins = await portalOriginsItem.getValue();
  await portalOriginsItem.setValue(origins.filter((o) => o !== origin));
  await syncRegistration();
  const stillNeeded = (await portalOriginsItem.getValue()).some((o) => hostPatternOf(o) === hostPatternOf(origin));
  if (!stillNeeded) await browser.permissions.remove({ origins: [hostPatternOf(origin)] }).catch(() => false);
  return portalState(origin);
}

/** Make the registered content script match exactly the active origins. */
export async function syncRegistration(): Promise<void> {
  const patterns = [...new Set((await activeOrigins()).map(hostPatternOf))].sort();
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (patterns.length === 0) {
    if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
    return;
  }
  const script = { id: SCRIPT_ID, js: [SCRIPT_FILE], matches: patterns, runAt: 'document_idle' as const, allFrames: false, persistAcrossSessions: true };
  if (existing.length > 0) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
}

/** A portal page already open when the user switched the extension on gets the panel without a reload. */
async function injectIntoOpenTabs(origin: string): Promise<void> {
  const tabs = await browser.tabs.query({ url: `${origin}/*` });
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined ? undefined : browser.scripting.executeScript({ target: { tabId: tab.id }, files: [SCRIPT_FILE] }).catch(() => undefined),
    ),
  );
}

/** Keep the registration right when the user revokes a site in the browser's own settings. */
export function watchPermissions(): void {
  browser.permissions.onRemoved.addListener(() => void syncRegistration());
  browser.permissions.onAdded.addListener(() => void syncRegistration());
}
