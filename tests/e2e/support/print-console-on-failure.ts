/**
 * When a test fails: what its browsers' pages and workers logged just before
 * (console-tail.ts), and, for a browser that says how, whether it still runs
 * script (an extension's service worker: a request to the background that
 * never comes back leaves no other trace). A `setupFiles` entry of the e2e
 * configs.
 */
import { afterEach } from 'vitest';
import { forgetClosedBrowsers, watchedBrowsers } from './console-tail.ts';

afterEach(async ({ task }) => {
  try {
    if (task.result?.state !== 'fail') return;
    for (const browser of watchedBrowsers()) {
      const state = browser.closed ? 'closed' : browser.probe ? await browser.probe() : 'open';
      console.error(`${browser.label} (${state}): its console before the failure (last ${browser.lines.length} lines):\n${browser.lines.join('\n')}`);
    }
  } finally {
    forgetClosedBrowsers();
  }
});
