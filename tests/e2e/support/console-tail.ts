/**
 * What a browser logged, kept for a failing test's report: the last console
 * lines of its pages and workers, page errors and failed requests. A test
 * closes its browsers in `finally`, before the failure is reported, so a
 * closed browser's lines are kept until the test has ended
 * (print-console-on-failure.ts prints them, then forgets them).
 */
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';

/** How many console lines a browser keeps. */
const CONSOLE_LINES = 300;
/** How long a page may take to say what it shows, as its browser closes; a page that does not answer is reported so. */
const SNAPSHOT_MS = 1000;
/** How much of a page's text a report keeps. */
const SNAPSHOT_CHARS = 1500;

export interface WatchedBrowser {
  readonly label: string;
  readonly lines: readonly string[];
  /** Whether the browser still runs script where it matters (an extension's service worker); open browsers only. */
  readonly probe?: () => Promise<string>;
  closed: boolean;
}

const watched = new Set<WatchedBrowser>();

/**
 * Keep `context`'s console from now on. Await `closing()` on the result just before the browser is
 * closed: it writes down what each page shows (its address, the app's performance marks, its text).
 */
export function keepConsole(context: BrowserContext, label: string, probe?: () => Promise<string>): { closing(): Promise<void> } {
  const lines: string[] = [];
  const keep = (at: number, line: string) => {
    lines.push(`${new Date(at).toISOString()} ${line}`);
    if (lines.length > CONSOLE_LINES) lines.shift();
  };
  const source = (message: ConsoleMessage) => (message.worker() ? 'worker' : (message.page()?.url() ?? 'page'));
  context.on('console', (message) => keep(message.timestamp(), `[${source(message)}] ${message.type()}: ${message.text()}`));
  context.on('weberror', (error) => keep(Date.now(), `[page error] ${String(error.error())}`));
  context.on('requestfailed', (request) => keep(Date.now(), `[request failed] ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? ''}`));
  const entry: WatchedBrowser = { label, lines, ...(probe ? { probe } : {}), closed: false };
  watched.add(entry);
  return {
    closing: async () => {
      entry.closed = true;
      for (const page of context.pages()) keep(Date.now(), `[as it closed] ${await describePage(page)}`);
    },
  };
}

function describePage(page: Page): Promise<string> {
  const shown = page
    .evaluate((chars) => {
      const marks = performance.getEntriesByType('mark').map((mark) => `${mark.name}@${Math.round(mark.startTime)}`);
      return `${location.href}, marks [${marks.join(' ')}], text: ${document.body?.innerText.replace(/\s+/g, ' ').slice(0, chars) ?? ''}`;
    }, SNAPSHOT_CHARS)
    .catch((error: unknown) => `${page.url()}: ${String(error)}`);
  return answerWithin(shown, SNAPSHOT_MS, () => `${page.url()}: no answer within ${SNAPSHOT_MS} ms`);
}

/** `answer`, or `silent()`'s words if it has not come within `ms`: for a report that must not hang on what it asks. */
export async function answerWithin(answer: Promise<string>, ms: number, silent: () => string): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(silent()), ms);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The browsers watched during the current test, closed ones included (`forgetClosedBrowsers` after reporting them). */
export function watchedBrowsers(): readonly WatchedBrowser[] {
  return [...watched];
}

export function forgetClosedBrowsers(): void {
  for (const entry of watched) if (entry.closed) watched.delete(entry);
}
