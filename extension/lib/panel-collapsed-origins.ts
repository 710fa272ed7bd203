/**
 * The list of portal origins where the panel was left collapsed, changed for
 * one origin (pure: panel-collapsed.ts keeps the list in storage.local). A
 * module of its own so that it is tested without the extension's storage.
 */

/** `origins` with `origin` in it when `collapsed`, out of it otherwise. */
export function withCollapsed(origins: readonly string[], origin: string, collapsed: boolean): string[] {
  const others = origins.filter((o) => o !== origin);
  return collapsed ? [...others, origin] : others;
}
