import type { ScopeGrant } from '#shared/org/scope.ts';
import type { DocRef } from '#shared/sync/doc-names.ts';
import type { AuthUser } from '../auth/sessions.ts';

/** How a connection was let in: by the scope rule, to an index doc, or to create a field report that does not exist yet. */
export type DocGrant = ScopeGrant | 'index' | 'new_order';

/** One channel's access, shared by reference (Hocuspocus copies the context object itself). */
export interface ChannelAccess {
  /** Decided at open; access.ts re-decides it while the channel lives. */
  grant: DocGrant;
}

/** What `onAuthenticate` attaches to every document connection. */
export interface SyncContext {
  readonly user: AuthUser;
  readonly tokenHash: string;
  readonly doc: DocRef;
  readonly access: ChannelAccess;
}

/** True once `onAuthenticate` has filled the context in. */
export function isSyncContext(value: unknown): value is SyncContext {
  return typeof value === 'object' && value !== null && 'user' in value && 'doc' in value && 'tokenHash' in value && 'access' in value;
}

/**
 * Thrown from a hook to close one document's channel. Hocuspocus takes
 * `code` and `reason` from it; the reason reaches the client.
 */
export class ChannelError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ChannelError';
    // Hocuspocus logs the error it closes a channel for; a stack trace says nothing here.
    this.stack = `ChannelError ${code}: ${reason}`;
  }
}

/** Close codes (4000–4999 are the application's). */
export const CLOSE_CODES = {
  malformed: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
  refused: 4422,
  conflict: 4409,
  unavailable: 4503,
} as const;
