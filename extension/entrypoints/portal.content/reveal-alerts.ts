/**
 * An error shown in the panel is scrolled into the panel's view. The panel is
 * a scrolling box at most 80 % of the window high: an error written below a
 * long order's fields (无法连接 after 确认导入, say) was out of sight, and the
 * clerk saw a button that did nothing. Only the panel scrolls, never the
 * portal's page (scrollIntoView would move the portal under a fixed panel).
 */

/** Scroll `box` (the panel) by the least that brings `target` into its visible part, below its sticky header. */
export function revealInBox(box: HTMLElement, target: Element, header: Element | null): void {
  const view = box.getBoundingClientRect();
  const seen = target.getBoundingClientRect();
  const top = view.top + (header?.getBoundingClientRect().height ?? 0);
  if (seen.bottom > view.bottom) box.scrollTop += Math.min(seen.bottom - view.bottom, seen.top - top);
  else if (seen.top < top) box.scrollTop -= top - seen.top;
}

const ALERT = '[role=alert]';

/** Watch `box` for alerts added to it (Vue's v-if adds a fresh element each time) and reveal each. Returns the stop. */
export function revealAlerts(box: HTMLElement): () => void {
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        const alert = node.matches(ALERT) ? node : node.querySelector(ALERT);
        if (alert) revealInBox(box, alert, box.querySelector(':scope > header'));
      }
    }
  });
  observer.observe(box, { childList: true, subtree: true });
  return () => observer.disconnect();
}
