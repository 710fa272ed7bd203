/**
 * The API client's error (`shared/client/api.ts`), on its own: the pages test
 * for it (`instanceof`) in the PWA's first screen, which must not load the
 * client's reply schemas (valibot) to do so.
 */
import type { FieldError } from '../validation/result.ts';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when no reply came (offline, DNS, refused, aborted, timed out). */
    readonly status: number,
    /** The server's error code (`bad_credentials`, `too_large`, …), `network` (not reached, or the answer broke off), `timeout` (no answer began in time, or it stopped coming), or `bad_reply`. */
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly errors: readonly FieldError[] = [],
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server was not reached: try again later, nothing was refused. */
  get offline(): boolean {
    return this.status === 0;
  }

  /** The token is not (or no longer) valid: sign in again. */
  get unauthenticated(): boolean {
    return this.status === 401 && this.code !== 'bad_credentials';
  }
}
