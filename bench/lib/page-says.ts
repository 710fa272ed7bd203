/**
 * The first console message `lianxin-bench:<tag> <json>` a page logs, parsed: how a case reads a figure the
 * page measured itself. Not `waitForFunction` or `evaluate` while the figure is being made: they run
 * Playwright's injected script and the polled function in the page, main-thread tasks (60–330 ms for the
 * injected script's first evaluation) inside the measured window (bench/README.md, "Cold start, part 8");
 * a console message reaches Playwright over the DevTools protocol with nothing run in the page.
 * Start waiting before the navigation that makes the message.
 */
import type { Page } from 'playwright-core';

export function pageSays<T>(page: Page, tag: string, timeoutMs: number): Promise<T> {
  const prefix = `lianxin-bench:${tag} `;
  return page
    .waitForEvent('console', { predicate: (message) => message.text().startsWith(prefix), timeout: timeoutMs })
    .then((message) => JSON.parse(message.text().slice(prefix.length)) as T);
}
