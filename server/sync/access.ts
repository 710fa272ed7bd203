/**
 * Authentication and authorisation of every document a client opens, by the
 * shared scope rule, and again whenever what the rule reads changes.
 *
 * - Index docs are opened read-only, at or above their unit.
 * - An order doc is opened when the order is in the user's scope
 *   (`mayOpenOrder`). The grant is re-decided while the channel lives: when
 *   the order gets its content and whenever a change to it could change its
 *   scope (a dispatch, or a late event that makes a dispatch stop applying),
 *   and a channel the rule no longer allows is closed before the change that
 *   ended it is sent anywhere. Grants by place or to an admin cannot be lost,
 *   so only the few channels granted through a dispatch cost a re-check.
 * - An order doc that does not exist yet may be opened only by a role that
 *   creates field reports, only under a field report's random id
 *   (`fr-` + 16 base-36 characters), and only to create the report at once:
 *   the client's first update must create it (the guard then checks it is a
 *   field report of the user's own, in their unit), or the channel is closed;
 *   one that sends nothing is closed after `newOrderTimeoutMs`, and a user may
 *   hold at most MAX_NEW_ORDERS_PER_USER such channels at a time.
 */
import type { Connection, Document, Extension, Hocuspocus, afterHandleMessagePayload, afterLoadDocumentPayload, beforeHandleMessagePayload, connectedPayload, onAuthenticatePayload } from '@hocuspocus/server';
import type * as Y from 'yjs';
import { FIELD_REPORT_ROLES, mayOpenIndex, mayOpenOrder, orderScopeOf, type OrderScope, type ScopeGrant } from '#shared/org/scope.ts';
import { isFieldReportId } from '#shared/order/intake.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { hasIntake, readEvents, readIntake } from '#shared/sync/order-doc.ts';
import { liveIndexGeneration, parseDocName, type DocRef } from '#shared/sync/doc-names.ts';
import type { AuthUser, Sessions } from '../auth/sessions.ts';
import type { Directory } from '../org/directory.ts';
import type { OrderRow, Store } from '../store/store.ts';
import type { Metrics } from '../metrics.ts';
import { log } from '../log.ts';
import { ChannelError, CLOSE_CODES, isSyncContext, type ChannelAccess, type DocGrant, type SyncContext } from './context.ts';
import { readClientMessage } from './wire.ts';

/** Order docs that do not exist yet one user may hold open at once (each only until it creates its field report). */
export const MAX_NEW_ORDERS_PER_USER = 100;

export interface AccessOptions {
  readonly sessions: Sessions;
  readonly directory: Directory;
  readonly store: Store;
  readonly metrics: Metrics;
  /** A channel to an order that does not exist yet is closed when it has not created it by then. */
  readonly newOrderTimeoutMs: number;
}

/** Grants that hold whatever is written into the order: its place never changes, an admin sees everything. */
const LASTING: ReadonlySet<DocGrant> = new Set<DocGrant>(['admin', 'place', 'index'] satisfies (ScopeGrant | 'index')[]);

export type DocAccess =
  | { readonly ok: true; readonly ref: DocRef; readonly readOnly: boolean; readonly exists: boolean; readonly grant: DocGrant }
  | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * May `user` open the document `name`? Shared by the WebSocket and the bulk
 * HTTP read. The order's row is what the indexer wrote after the last change;
 * unless it grants for good (by place, or to an admin), the live doc decides
 * when it is open on this instance: it is newer, so a worker can open an
 * order the moment it is dispatched to them, and not a moment after it has
 * been dispatched away.
 */
export async function authorizeDocument(
  options: Pick<AccessOptions, 'directory' | 'store'>,
  user: AuthUser,
  name: string,
  liveDoc: (name: string) => Y.Doc | undefined = () => undefined,
): Promise<DocAccess> {
  return (await authorizeDocuments(options, user, [name], liveDoc)).get(name)!;
}

/**
 * `authorizeDocument` for each of `names`, the order rows read in one statement (the bulk read's 500 order
 * docs: one `getOrder` each was 500 statements, bench/README.md "First sync, part 17"). Each name is decided on
 * its own, by the same rule; every name is in the answer.
 */
export async function authorizeDocuments(
  options: Pick<AccessOptions, 'directory' | 'store'>,
  user: AuthUser,
  names: readonly string[],
  liveDoc: (name: string) => Y.Doc | undefined = () => undefined,
): Promise<Map<string, DocAccess>> {
  const refs = new Map(names.map((name) => [name, parseDocName(name)]));
  const orderIds = [...refs.values()].flatMap((ref) => (ref?.kind === 'order' ? [ref.id] : []));
  const orders = orderIds.length > 0 ? await options.store.getOrders(orderIds) : new Map<string, OrderRow>();
  // A live index generation after the first exists only once the store's record has reached it (the record moves
  // after the generation is filled, before anything names it): a later one is refused, or any name a user makes up
  // (…:gen:20000) would be loaded and held as an empty doc (docs/SERVER.md, "Index docs in generations"). Read only
  // for such names, in one statement.
  const laterBases = [...new Set(names.flatMap((name) => {
    const live = liveIndexGeneration(name);
    return live !== null && live.generation > 0 ? [live.base] : [];
  }))];
  const recorded = laterBases.length > 0 ? await options.store.indexGenerations(laterBases) : new Map<string, number>();
  const tree = options.directory.tree;
  const decide = (name: string, ref: DocRef | null): DocAccess => {
    if (!ref) return { ok: false, code: 'unknown_document', message: 'no such document' };
    if (ref.kind === 'order') {
      const order = orders.get(ref.id);
      if (!order) {
        if (FIELD_REPORT_ROLES.includes(user.role) && isFieldReportId(ref.id)) return { ok: true, ref, readOnly: false, exists: false, grant: 'new_order' };
        return { ok: false, code: 'unknown_order', message: 'no such order; only a new field report may be opened before it exists' };
      }
      let decision = mayOpenOrder(tree, user, order);
      const live = decision.ok && LASTING.has(decision.via) ? undefined : liveDoc(name);
      if (live) decision = mayOpenOrder(tree, user, liveScope(live) ?? order);
      // Neither the order's id nor its number is repeated: the caller may not know either.
      if (!decision.ok) return { ok: false, code: decision.reason, message: `this order is outside your scope (${user.unitId})` };
      return { ok: true, ref, readOnly: false, exists: true, grant: decision.via };
    }
    const decision = mayOpenIndex(tree, user, ref.id);
    if (!decision.ok) return { ok: false, code: decision.reason, message: `${ref.kind} ${ref.id} is outside your scope (${user.unitId})` };
    const live = liveIndexGeneration(name);
    if (live !== null && live.generation > (recorded.get(live.base) ?? 0)) return { ok: false, code: 'unknown_document', message: 'no such generation of this index' };
    // Only the server writes index docs.
    return { ok: true, ref, readOnly: true, exists: true, grant: 'index' };
  };
  return new Map([...refs].map(([name, ref]) => [name, decide(name, ref)]));
}

/** The scope facts of a live order doc, or null while it has no (valid) intake. */
function liveScope(doc: Y.Doc): OrderScope | null {
  const intake = readIntake(doc);
  if (!intake?.ok) return null;
  return orderScopeOf(intake.value, deriveOrder(intake.value, readEvents(doc).events, Date.now()));
}

const denialText = (code: string) => (code === 'unknown_order' ? 'no such order' : 'this order is outside your scope now');

interface NewOrderHold {
  readonly userId: string;
  readonly timer: NodeJS.Timeout;
}

export class AccessControl implements Extension<SyncContext> {
  readonly extensionName = 'AccessControl';
  /** Connections whose grant was checked against the live doc since they were attached. */
  private readonly attached = new WeakSet<Connection<SyncContext>>();
  /** Open channels to orders that do not exist yet, and how many each user holds. */
  private readonly holds = new Map<ChannelAccess, NewOrderHold>();
  private readonly heldByUser = new Map<string, number>();

  constructor(private readonly options: AccessOptions) {}

  async onAuthenticate(data: onAuthenticatePayload<SyncContext>): Promise<SyncContext> {
    const { documentName } = data;
    const session = await this.options.sessions.authenticate(data.token);
    if (!session) throw this.deny(null, documentName, 'unauthenticated', 'sign in again: the token is missing, unknown or expired', CLOSE_CODES.unauthenticated);
    const access = await authorizeDocument(this.options, session.user, documentName, (name) => data.instance.documents.get(name));
    if (!access.ok) throw this.deny(session.user.id, documentName, access.code, access.message);
    if (access.readOnly) data.connectionConfig.readOnly = true;
    const context: SyncContext = { user: session.user, tokenHash: session.tokenHash, doc: access.ref, access: { grant: access.grant } };
    if (access.grant === 'new_order') {
      const held = this.heldByUser.get(session.user.id) ?? 0;
      if (held >= MAX_NEW_ORDERS_PER_USER) {
        throw this.deny(session.user.id, documentName, 'too_many_new_orders', `you have ${held} new orders open that you have not created yet; create or close them first`);
      }
      this.hold(context.access, session.user.id, documentName, data.instance);
    }
    return context;
  }

  /** Keep order docs' channels in step with the order's scope, from the first change after loading. */
  async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload<SyncContext>): Promise<void> {
    if (parseDocName(documentName)?.kind !== 'order') return;
    document.on('afterTransaction', (transaction: Y.Transaction) => {
      // Runs inside the transaction's cleanup, before Hocuspocus broadcasts its update.
      if (transaction.changed.size === 0 && transaction.deleteSet.clients.size === 0) return;
      this.recheck(document);
    });
  }

  async connected({ connection, context }: connectedPayload<SyncContext>): Promise<void> {
    if (this.holds.has(context.access)) connection.onClose(() => this.release(context.access));
  }

  /**
   * The first message of a channel whose grant can be lost is checked against
   * the live doc before Hocuspocus answers it: the order may have been created
   * or dispatched away between the authorisation and the channel's opening.
   */
  async beforeHandleMessage({ connection, document, documentName, context }: beforeHandleMessagePayload<SyncContext>): Promise<void> {
    if (this.attached.has(connection) || !isSyncContext(context)) return;
    this.attached.add(connection);
    if (LASTING.has(this.grantOf(context))) return;
    const denial = this.decide(document, context);
    if (denial) throw this.deny(context.user.id, documentName, denial, denialText(denial));
  }

  /** A channel opened to create an order must have created it with its first update. */
  async afterHandleMessage({ connection, document, documentName, context, update }: afterHandleMessagePayload<SyncContext>): Promise<void> {
    if (!isSyncContext(context) || this.grantOf(context) !== 'new_order' || hasIntake(document)) return;
    let kind: string;
    try {
      kind = readClientMessage(update).kind;
    } catch {
      return; // the durable log refuses it
    }
    if (kind !== 'update') return;
    this.close(connection, documentName, 'unknown_order', 'no such order, and your first update did not create a field report');
  }

  /**
   * Re-decide every channel of `document` whose grant can be lost, against the
   * doc as it is now; close those the scope rule no longer allows.
   */
  private recheck(document: Document): void {
    const losable = document.getConnections().filter((c): c is Connection<SyncContext> => isSyncContext(c.context) && !LASTING.has(this.grantOf(c.context)));
    if (losable.length === 0) return;
    const scope = liveScope(document);
    for (const connection of losable) {
      const denial = this.decide(document, connection.context, scope);
      if (denial) this.close(connection, document.name, denial, denialText(denial));
    }
  }

  /** Decide a channel against the live doc: null to keep it (its grant updated), or why not. */
  private decide(document: Y.Doc, context: SyncContext, scope: OrderScope | null = liveScope(document)): string | null {
    if (scope === null) {
      // Nothing to see yet: a new order's channel waits for its creation; any other lost its order.
      return this.grantOf(context) === 'new_order' && !hasIntake(document) ? null : 'unknown_order';
    }
    const decision = mayOpenOrder(this.options.directory.tree, context.user, scope);
    if (!decision.ok) return decision.reason;
    context.access.grant = decision.via;
    this.release(context.access);
    return null;
  }

  private grantOf(context: SyncContext): DocGrant {
    return context.access.grant;
  }

  private hold(access: ChannelAccess, userId: string, documentName: string, instance: Hocuspocus): void {
    this.heldByUser.set(userId, (this.heldByUser.get(userId) ?? 0) + 1);
    const timer = setTimeout(() => {
      const document = instance.documents.get(documentName);
      const connection = document?.getConnections().find((c) => isSyncContext(c.context) && c.context.access === access);
      if (document && connection && !hasIntake(document)) {
        this.close(connection, documentName, 'unknown_order', `no such order, and it was not created within ${Math.round(this.options.newOrderTimeoutMs / 1000)} s`);
      }
      this.release(access);
    }, this.options.newOrderTimeoutMs);
    timer.unref();
    this.holds.set(access, { userId, timer });
  }

  private release(access: ChannelAccess): void {
    const hold = this.holds.get(access);
    if (!hold) return;
    this.holds.delete(access);
    clearTimeout(hold.timer);
    const left = (this.heldByUser.get(hold.userId) ?? 1) - 1;
    if (left > 0) this.heldByUser.set(hold.userId, left);
    else this.heldByUser.delete(hold.userId);
  }

  private close(connection: Connection<SyncContext>, doc: string, code: string, message: string): void {
    const user = isSyncContext(connection.context) ? connection.context.user.id : null;
    this.options.metrics.denied.inc(code);
    log.warn('document_closed', { user, doc, code, reason: message });
    connection.close({ code: CLOSE_CODES.forbidden, reason: `${code}: ${message}` });
  }

  private deny(user: string | null, doc: string, code: string, message: string, closeCode: number = CLOSE_CODES.forbidden): ChannelError {
    this.options.metrics.denied.inc(code);
    log.warn('document_denied', { user, doc, code, reason: message });
    return new ChannelError(closeCode, `${code}: ${message}`);
  }
}
