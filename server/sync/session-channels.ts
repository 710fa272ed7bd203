/**
 * Sessions on the WebSocket. A document is opened with a token once
 * (AccessControl.onAuthenticate); after that the socket carries the session
 * for as long as it stays open. This extension keeps that from outliving the
 * session:
 *
 * - `connected`: each document connection is registered as a channel of its
 *   session, so ending the session (expiry timer, sign-out, disabled user,
 *   password change, here or on another instance) closes its WebSocket with
 *   4401 "unauthenticated: session ended (…)" at once;
 * - `beforeHandleMessage`: every message is checked against the in-memory
 *   state of its session (`Sessions.isLive`: the ended set and the expiry)
 *   before any other extension sees it, so nothing sent after the end is
 *   applied, stored or acknowledged. It runs ahead of DurableLog (priority).
 *
 * The client's provider reconnects, its token is refused with
 * `unauthenticated: …`, and the app asks the user to sign in again.
 */
import type { Connection, Extension, beforeHandleMessagePayload, connectedPayload } from '@hocuspocus/server';
import { END_REASON_TEXT, type EndReason, type Sessions } from '../auth/sessions.ts';
import { log } from '../log.ts';
import { ChannelError, CLOSE_CODES, isSyncContext, type SyncContext } from './context.ts';

export const sessionEndedReason = (reason: EndReason): string => `unauthenticated: session ended (${END_REASON_TEXT[reason]}); sign in again`;

export class SessionChannels implements Extension<SyncContext> {
  readonly extensionName = 'SessionChannels';
  /** Before DurableLog (default 100) and after the Redis relay (1000), which does not handle client messages. */
  readonly priority = 500;

  constructor(private readonly sessions: Sessions) {}

  async connected({ context, connection }: connectedPayload<SyncContext>): Promise<void> {
    if (!isSyncContext(context)) return;
    const detach = await this.sessions.attach(context.tokenHash, { end: (reason) => endChannel(connection, reason) });
    connection.onClose(() => detach());
  }

  async beforeHandleMessage({ context, connection }: beforeHandleMessagePayload<SyncContext>): Promise<void> {
    if (!isSyncContext(context)) return;
    if (this.sessions.isLive(context.tokenHash)) return;
    // Past its expiry here: another instance may have slid it; ask the store once.
    if (await this.sessions.check(context.tokenHash)) return;
    log.warn('message_after_session_end', { user: context.user.id, doc: connection.document.name });
    closeSocket(connection, 'expired');
    throw new ChannelError(CLOSE_CODES.unauthenticated, sessionEndedReason('expired'));
  }
}

/** Close the document's connection (no more broadcasts to it) and the WebSocket under it. */
function endChannel(connection: Connection<SyncContext>, reason: EndReason): void {
  connection.close({ code: CLOSE_CODES.unauthenticated, reason: sessionEndedReason(reason) });
  closeSocket(connection, reason);
}

function closeSocket(connection: Connection<SyncContext>, reason: EndReason): void {
  const socket = connection.webSocket;
  // 0 CONNECTING, 1 OPEN; a socket already closing keeps its first reason.
  if (socket.readyState <= 1) socket.close(CLOSE_CODES.unauthenticated, sessionEndedReason(reason));
}
