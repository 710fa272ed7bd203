/**
 * Waiting in tests: for a condition, never for a length of time. The limit
 * only bounds a wait that will never end; it is generous because a 2-core CI
 * machine under load can be ten times slower than a quiet one, and a test
 * that gives up says what it was waiting for.
 */

/** The default limit of a wait: long enough for a loaded machine, short enough to fail within a test's timeout. */
export const WAIT_MS = 45_000;

export interface WaitOptions {
  readonly timeoutMs?: number;
  /** Between checks (default 20 ms). */
  readonly intervalMs?: number;
}

/** Resolves once `check` is true; rejects naming `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, options: WaitOptions = {}): Promise<void> {
  await waitForValue(check, (ok) => ok, what, options);
}

/** Reads `read` until `ok` accepts its value, and returns that value. */
export async function waitForValue<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, what: string, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = WAIT_MS, intervalMs = 20 } = options;
  const started = performance.now();
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (performance.now() - started > timeoutMs) {
      const seen = typeof last === 'boolean' ? '' : ` (last seen: ${describe(last)})`;
      throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
}
