/**
 * When a test fails: what the extension's service worker and the pages
 * logged just before, and whether the service worker still runs script. A
 * request to the background that never comes back leaves no other trace.
 */
import { afterEach } from 'vitest';
import { openBrowsers, type ExtensionBrowser } from './fixtures.ts';

/** How long the probe of the service worker may take before it counts as not answering. */
const PROBE_MS = 5000;

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  for (const browser of openBrowsers()) {
    const lines = browser.consoleTail();
    console.error(`The extension's service worker: ${await probe(browser)}. Its console and the pages' before the failure (last ${lines.length} lines):\n${lines.join('\n')}`);
  }
});

async function probe(browser: ExtensionBrowser): Promise<string> {
  const workers = browser.context.serviceWorkers().filter((w) => w.url().includes(browser.extensionId));
  if (workers.length === 0) return 'not running';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silent = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`running, but no answer to a script within ${PROBE_MS} ms`), PROBE_MS);
  });
  try {
    return await Promise.race([workers[0]!.evaluate(() => 'running and answering').catch((error: unknown) => `running, the probe failed: ${String(error)}`), silent]);
  } finally {
    clearTimeout(timer);
  }
}
