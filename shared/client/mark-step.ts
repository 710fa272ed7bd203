/**
 * A step of a first sync on the page's timeline (`bench/lib/pwa-first-sync.ts` reads them:
 * bench/README.md, "First sync, part 5" and "part 10"); nothing where there is no `performance.mark`.
 * A module of its own: the session marks too, and must not import the sync engine to do it.
 */
export function markStep(step: string): void {
  globalThis.performance?.mark?.(`lianxin:${step}`);
}
