/**
 * Authentication and authorisation of every document a client opens, by the
 * shared scope rule. Index docs are opened read-only. An order doc that does
 * not exist yet may be opened only by a role that creates field reports; the
 * guard then checks that what they write is a field report of their own, in
 * their own unit.
 */
import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import type * as Y from 'yjs';
import { FIELD_REPORT_ROLES, mayOpenIndex, mayOpenOrder, orderScopeOf, type OrderScope } from '#shared/org/scope.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { readEvents, readIntake } from '#shared/sync/order-doc.ts';
import { parseDocName, type DocRef } from '#shared/sync/doc-names.ts';
import type { AuthUser, Sessions } from '../auth/sessions.ts';
import type { Directory } from '../org/directory.ts';
import type { Store } from '../store/store.ts';
import type { Metrics } from '../metrics.ts';
import { log } from '../log.ts';
import { ChannelError, CLOSE_CODES, type SyncContext } from './context.ts';

export interface AccessOptions {
  readonly sessions: Sessions;
  readonly directory: Directory;
  readonly store: Store;
  readonly metrics: Metrics;
}

export type DocAccess =
  | { readonly ok: true; readonly ref: DocRef; readonly readOnly: boolean; readonly exists: boolean }
  | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * May `user` open the document `name`? Shared by the WebSocket and the bulk
 * HTTP read. The order's row is what the indexer wrote after the last change;
 * when it says no but the doc is open on this instance, the live doc decides,
 * so a worker can open an order the moment it is dispatched to them.
 */
export async function authorizeDocument(
  options: Pick<AccessOptions, 'directory' | 'store'>,
  user: AuthUser,
  name: string,
  liveDoc: (name: string) => Y.Doc | undefined = () => undefined,
): Promise<DocAccess> {
  const ref = parseDocName(name);
  if (!ref) return { ok: false, code: 'unknown_document', message: 'no such document' };
  const tree = options.directory.tree;
  if (ref.kind === 'order') {
    const order = await options.store.getOrder(ref.id);
    if (!order) {
      if (FIELD_REPORT_ROLES.includes(user.role)) return { ok: true, ref, readOnly: false, exists: false };
      return { ok: false, code: 'unknown_order', message: `order ${ref.id} does not exist` };
    }
    let decision = mayOpenOrder(tree, user, order);
    const live = decision.ok ? undefined : liveDoc(name);
    if (live) decision = mayOpenOrder(tree, user, liveScope(live) ?? order);
    if (!decision.ok) return { ok: false, code: decision.reason, message: `order ${order.orderNo} is outside your scope (${user.unitId})` };
    return { ok: true, ref, readOnly: false, exists: true };
  }
  const decision = mayOpenIndex(tree, user, ref.id);
  if (!decision.ok) return { ok: false, code: decision.reason, message: `${ref.kind} ${ref.id} is outside your scope (${user.unitId})` };
  // Only the server writes index docs.
  return { ok: true, ref, readOnly: true, exists: true };
}

function liveScope(doc: Y.Doc): OrderScope | null {
  const intake = readIntake(doc);
  if (!intake?.ok) return null;
  return orderScopeOf(intake.value, deriveOrder(intake.value, readEvents(doc).events, Date.now()));
}

export class AccessControl implements Extension<SyncContext> {
  readonly extensionName = 'AccessControl';

  constructor(private readonly options: AccessOptions) {}

  async onAuthenticate(data: onAuthenticatePayload<SyncContext>): Promise<SyncContext> {
    const { documentName } = data;
    const session = await this.options.sessions.authenticate(data.token);
    if (!session) throw this.deny(null, documentName, 'unauthenticated', 'sign in again: the token is missing, unknown or expired', CLOSE_CODES.unauthenticated);
    const access = await authorizeDocument(this.options, session.user, documentName, (name) => data.instance.documents.get(name));
    if (!access.ok) throw this.deny(session.user.id, documentName, access.code, access.message);
    if (access.readOnly) data.connectionConfig.readOnly = true;
    return { user: session.user, tokenHash: session.tokenHash, doc: access.ref };
  }

  private deny(user: string | null, doc: string, code: string, message: string, closeCode: number = CLOSE_CODES.forbidden): ChannelError {
    this.options.metrics.denied.inc(code);
    log.warn('document_denied', { user, doc, code, reason: message });
    return new ChannelError(closeCode, `${code}: ${message}`);
  }
}
