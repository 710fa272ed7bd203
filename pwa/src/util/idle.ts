/**
 * The next idle moment: the browser's idle periods come after a frame has been
 * rendered, so what was just changed is on screen. Not requestAnimationFrame,
 * which never fires in a tab opened in the background. Returns the cancel.
 */
export function whenIdle(run: () => void, timeoutMs = 2000): () => void {
  if ('requestIdleCallback' in window) {
    const handle = requestIdleCallback(run, { timeout: timeoutMs });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(run, 0);
  return () => clearTimeout(handle);
}
