/**
 * Durable acknowledgement and the guard, as one Hocuspocus extension.
 *
 * Hocuspocus acknowledges an update (SyncStatus) right after applying it in
 * memory, and awaits `beforeHandleMessage` before it applies anything. So:
 *
 *   beforeHandleMessage: decode the raw message · guard the update against the
 *     live doc · append it to the log and await the commit · return
 *   (Hocuspocus applies it and acknowledges: the ack now means "on disk")
 *   afterHandleMessage: release the doc's lock, let the indexer know
 *
 * A refused update throws before the append: nothing is stored or applied,
 * the client gets a `refused` stateless message and that document's channel
 * is closed; its other documents and other clients carry on.
 *
 * The guard runs with the server's clock and what the server knows of the
 * writer (its session's start, the order's creation, the doc's stored bytes)
 * and the user's writes in the last 24 hours are counted in the store. With
 * an accepted update the server records when it received each new event: a
 * receipt update to the doc's `received` map, built without touching the live
 * doc, stored beside the client's update (two log entries, one transaction)
 * and applied only once both are durable — so no client ever holds a receipt the server
 * could lose (the guard refuses any client write to that map).
 *
 * The per-document lock spans guard → append → apply, so two clients writing
 * the same order are checked one after the other, each against a doc that
 * already holds the other's accepted update.
 *
 * `onLoadDocument` rebuilds a doc from its snapshot and log; `onStoreDocument`
 * (debounced by Hocuspocus) folds the log into the snapshot inside the store,
 * deleting exactly the entries it merged, so compaction never depends on what
 * this process has in memory and is safe with several instances.
 */
import * as Y from 'yjs';
import {
  isTransactionOrigin,
  type Connection,
  type Extension,
  type afterHandleMessagePayload,
  type afterUnloadDocumentPayload,
  type beforeHandleMessagePayload,
  type onChangePayload,
  type onCreateDocumentPayload,
  type onLoadDocumentPayload,
  type onStoreDocumentPayload,
} from '@hocuspocus/server';
import { INDEX_META_MAP, isLiveIndexDocName, NEXT_GENERATION_KEY, parseDocName } from '#shared/sync/doc-names.ts';
import { checkDailyQuota, guardOrderUpdate, type DailyLimits, type Refusal, type WriteLimits } from '#shared/sync/guard.ts';
import { hasIntake, ReceiptWriter } from '#shared/sync/order-doc.ts';
import { decodeUpdate, type DecodedUpdate } from '#shared/sync/inspect-update.ts';
import { withoutUpdateListeners } from '#shared/sync/unheard.ts';
import { ClientClaimedError, OrderIdTakenError, type DocState, type LogAppend, type LogStats, type Store, type UsageRecord } from '../store/store.ts';
import type { Directory } from '../org/directory.ts';
import type { Metrics } from '../metrics.ts';
import { isStorageError, type StorageHealth } from '../store/health.ts';
import { errorMessage, log } from '../log.ts';
import { ChannelError, CLOSE_CODES, isSyncContext, type SyncContext } from './context.ts';
import { readClientMessage, WireError } from './wire.ts';
import { newOrderRow } from './order-row.ts';
import { UnloggedWrites } from './server-writes.ts';
import { IndexClientIds } from './index-client-ids.ts';
import { KeyedLock } from './keyed-lock.ts';
import { mergeState, type StoredState } from './merge-state.ts';
import type { ReceiptSigner } from './receipt-signer.ts';

/** Marks a server-side write whose update is already in the log, so onChange does not append it twice. */
export interface LoggedOrigin {
  readonly logged: true;
}

/** The guard's settings (server/config.ts). */
export interface WriteRules {
  readonly clockSkewMs: number;
  readonly offlineMaxMs: number;
  readonly limits: WriteLimits;
  readonly daily: DailyLimits;
}

export interface DurableLogOptions {
  readonly store: Store;
  readonly directory: Directory;
  readonly metrics: Metrics;
  /** Where an unreadable document is reported (/healthz). */
  readonly health?: StorageHealth;
  /** Called after an order doc changed through a client. */
  readonly onOrderChanged: (orderId: string) => void;
  /** Called after another instance's change to an order doc was applied here (relayed by Redis). */
  readonly onOrderRelayed?: (orderId: string) => void;
  /** Whether the writer's session is still live (asked again once the doc's lock is held: the wait for it can be long). */
  readonly sessionLive?: (tokenHash: string) => boolean;
  readonly rules: WriteRules;
  /** Signs the receipts the server writes, and checks those a device sends back. */
  readonly receipts: ReceiptSigner;
  /** The server's clock (tests). */
  readonly now?: () => number;
  /** A monotonic clock in ms, for the time between an index doc's folds (`LIVE_FOLD_INTERVAL_MS`); performance.now if not given (tests). */
  readonly elapsedMs?: () => number;
  /** A log is folded once it holds this many bytes, or a quarter of its snapshot if that is more (`worthCompacting`). */
  readonly compactMinBytes: number;
  /** Folds a snapshot and its log (`FoldThread.merge`: off the event loop); `mergeState` in this thread if not given. */
  readonly fold?: (state: StoredState) => Promise<Uint8Array>;
  /**
   * This instance is the only one writing to its store (no Redis): an index doc's log entries are
   * all made from changes already applied to its live doc, or were loaded into it, so its fold is
   * the live doc encoded (no decode of the snapshot and log). Never for order docs: a client's update
   * is logged before it is applied.
   */
  readonly soleWriter?: boolean;
  /**
   * After a live index doc's fold: the bytes of its state as folded (the fold encodes it anyway, so its size costs
   * nothing more) — the indexer rolls it over past its threshold (index-generations.ts).
   */
  readonly onIndexStored?: (name: string, storedBytes: number) => void;
  /**
   * For a live index doc loaded with nothing stored: the current generation's name when this is a superseded
   * generation that was deleted (`IndexGenerations.successorOfDeleted`), else null.
   */
  readonly deletedGenerationSuccessor?: (name: string) => Promise<string | null>;
}

/** What the server keeps per loaded order doc, beside the doc. */
interface LoadedDoc {
  /** Bytes stored for it: snapshot and log when loaded, plus every update logged or relayed since. */
  bytes: number;
  /** When the order was created on the server (its row); undefined until looked up, null if it has no row. */
  createdAt: number | null | undefined;
  readonly receipts: ReceiptWriter;
  /**
   * Receipts logged with a client's update, waiting for Hocuspocus to apply that update: they join its
   * transaction (`joinReceipts`), so the doc changes once and its sockets get one update, not two merged.
   */
  pendingReceipts: { readonly connection: Connection<SyncContext>; readonly update: Uint8Array } | null;
}

const HOUR = 60 * 60 * 1000;
/** A server write already in the log (the receipts), so onChange does not log it again. */
const LOGGED_RECEIPTS = { source: 'local', context: { logged: true } } as const;

/** Server refusal codes beyond the shared guard's. */
export type ServerRefusalCode = Refusal['code'] | 'order_no_taken' | 'order_id_taken' | 'malformed_message' | 'foreign_client_id';

export class DurableLog implements Extension<SyncContext> {
  readonly extensionName = 'DurableLog';
  private readonly locks = new KeyedLock();
  private readonly held = new Map<Connection<SyncContext>, () => void>();
  private readonly background = new Set<Promise<unknown>>();
  /** Server-side index-doc changes not yet handed to the store, per doc (`noteServerWrite`). */
  private readonly unlogged = new Map<string, UnloggedWrites>();
  private unloggedTimer: NodeJS.Timeout | null = null;
  /** Per loaded doc: Yjs client id → the user who owns it there (a cache of the store's claims). */
  private readonly clientOwners = new Map<string, Map<number, string>>();
  private readonly loaded = new Map<string, LoadedDoc>();
  /** Session start by token hash (a cache of the store's sessions). */
  private readonly sessionStarts = new Map<string, number>();
  private readonly now: () => number;
  private readonly elapsedMs: () => number;
  /** Per loaded index doc folded from its live doc: when it was last folded here (`elapsedMs`; `worthFoldingLive`). */
  private readonly liveFolds = new Map<string, number>();
  /** The Yjs client ids this server writes index docs under: one per server, not one per load. */
  private readonly indexClients = new IndexClientIds();

  constructor(private readonly options: DurableLogOptions) {
    this.now = options.now ?? Date.now;
    this.elapsedMs = options.elapsedMs ?? (() => performance.now());
  }

  /**
   * Hocuspocus creates each Document (a Y.Doc) with the options this returns. Without a `guid`, Yjs draws one with
   * lib0's `uuidv4`: 31 calls of Node's `webcrypto.getRandomValues`, ≈ 0.25 ms a doc, on every doc loaded — ≈ 5 ms of
   * a 21-doc return, 8–13 % of it in its profiles (bench/README.md, "Back online, part 6"). Nothing reads a Document's guid
   * (Yjs uses it only for subdocuments); the doc's name is as unique.
   */
  async onCreateDocument({ documentName }: onCreateDocumentPayload<SyncContext>): Promise<{ readonly guid: string }> {
    return { guid: documentName };
  }

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload<SyncContext>): Promise<void> {
    const started = performance.now();
    // A doc unloaded with changes still on their way to the log is read only once they are in it.
    if (this.unlogged.has(documentName)) {
      this.logServerWrites();
      await Promise.all(this.background);
    }
    let state: DocState;
    try {
      state = await this.options.store.loadDoc(documentName);
      const empty = state.snapshot === null && state.updates.length === 0;
      const successor = empty && isLiveIndexDocName(documentName) ? ((await this.options.deletedGenerationSuccessor?.(documentName)) ?? null) : null;
      // Hocuspocus's Document listens to its own `update` events and buffers every change for a broadcast
      // at the next setImmediate. For the load's change that was the whole stored doc encoded as one update
      // (Yjs encodes a transaction only for `update` listeners), then sent to the connection that asked for
      // the doc, which attaches before that fires, ahead of its own sync step 2 (bench/README.md, "Back
      // online, part 2"); flushed to nobody, it was still an encode of the whole doc on every load ("part 4").
      // So the load's transaction runs with no `update` listener: nothing encoded, nothing buffered.
      withoutUpdateListeners(document, () =>
        document.transact(() => {
          if (state.snapshot) Y.applyUpdate(document, state.snapshot);
          for (const update of state.updates) Y.applyUpdate(document, update);
          // A superseded generation deleted from the store: a device that still holds it learns where to go, and
          // nothing else. Written in the load, outside the index writes' log (`noteServerWrite` is not listening
          // yet), so it stays deleted.
          if (successor !== null) document.getMap<unknown>(INDEX_META_MAP).set(NEXT_GENERATION_KEY, successor);
        }),
      );
    } catch (error) {
      // Loudly: the client is told it is the storage (not "permission-denied"), the log and /healthz say which document.
      throw unreadableDocument(this.options.health, documentName, error);
    }
    if (parseDocName(documentName)?.kind === 'order') {
      const bytes = (state.snapshot?.length ?? 0) + state.updates.reduce((sum, update) => sum + update.length, 0);
      this.loaded.set(documentName, newLoadedDoc(document, bytes));
    } else {
      // Written under this server's client id, not the random one of each load (index-client-ids.ts).
      this.indexClients.claim(documentName, document);
      document.on('beforeTransaction', () => this.indexClients.beforeTransaction(documentName, document));
      // From the `update` event (a transaction that changed something), whose encoded update can be the log entry.
      document.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
        this.indexClients.wrote(documentName, document);
        this.noteServerWrite(documentName, document, transaction, update);
      });
    }
    this.options.metrics.loadSeconds.observe((performance.now() - started) / 1000);
  }

  async beforeHandleMessage({ connection, document, documentName, update: raw, context }: beforeHandleMessagePayload<SyncContext>): Promise<void> {
    // Read-only connections (index docs) never have updates applied: Hocuspocus answers them itself.
    if (connection.readOnly) return;
    let message: ReturnType<typeof readClientMessage>;
    try {
      message = readClientMessage(raw);
    } catch (error) {
      throw this.refuse(connection, context, documentName, {
        code: 'malformed_message',
        reason: error instanceof WireError ? error.message : `unreadable message (${errorMessage(error)})`,
      });
    }
    if (message.kind !== 'update') return;
    const ref = parseDocName(documentName);
    if (ref?.kind !== 'order' || !isSyncContext(context)) {
      throw this.refuse(connection, context, documentName, { code: 'foreign_type', reason: 'this document is read-only' });
    }
    // Decoded once for every check here (the guard's inspection, `alreadyContains`, `writtenClients`); Hocuspocus'
    // apply decodes it again. Null when malformed: the guard says so.
    const decoded = decodeOrNull(message.update);
    const writes = decoded === null ? null : clocksWritten(decoded);
    if (decoded !== null && writes !== null && alreadyContains(document, decoded, writes)) return;

    const release = await this.locks.acquire(documentName);
    const guardStarted = performance.now();
    try {
      if (this.options.sessionLive && !this.options.sessionLive(context.tokenHash)) {
        throw new ChannelError(CLOSE_CODES.unauthenticated, 'unauthenticated: the session ended; sign in again');
      }
      const loaded = this.loadedDoc(documentName, document);
      if (loaded.createdAt === undefined) loaded.createdAt = (await this.options.store.getOrder(ref.id))?.createdAt ?? null;
      const sessionStart = await this.sessionStart(context.tokenHash);
      const { rules } = this.options;
      const now = this.now();
      const verdict = guardOrderUpdate(document, ref.id, decoded ?? message.update, context.user, this.options.directory.tree, {
        now,
        clockSkewMs: rules.clockSkewMs,
        notBefore: sessionStart - rules.offlineMaxMs,
        orderCreatedAt: hasIntake(document) ? loaded.createdAt : null,
        limits: rules.limits,
        docBytes: loaded.bytes,
        verifyReceipt: (eventId, value) => this.options.receipts.verify(documentName, eventId, value),
      });
      if (!verdict.ok) throw this.refuse(connection, context, documentName, verdict.refusal);
      const userId = context.user.id;
      const squatting = (client: number) =>
        this.refuse(connection, context, documentName, {
          code: 'foreign_client_id',
          reason: `the update writes under Yjs client ${client}, which belongs to another user in this order`,
        });
      const clients = this.writtenClients(documentName, document, writes ?? new Map<number, number>(), userId);
      if (clients.squatted !== null) throw squatting(clients.squatted);
      // A new order's ids are claimed first (rare); an update's are claimed in its own append's commit.
      if (verdict.created && clients.unclaimed.length > 0) {
        const squatted = await this.claim(documentName, clients.unclaimed, userId);
        if (squatted !== null) throw squatting(squatted);
      }
      const claim = !verdict.created && clients.unclaimed.length > 0 ? { userId, clients: clients.unclaimed } : undefined;
      const hour = Math.floor(now / HOUR);
      const used = await this.options.store.usageSince(context.user.id, hour - 23);
      const overQuota = checkDailyQuota(used, { events: verdict.appended, bytes: message.update.length }, rules.daily);
      if (overQuota) throw this.refuse(connection, context, documentName, overQuota);
      const usage: UsageRecord = { userId: context.user.id, hour, events: verdict.appended, bytes: message.update.length };

      // The receipts go into the log with the update (same commit), and into the doc once both are durable.
      const carried = new Set(verdict.carriedReceipts);
      const receipts = loaded.receipts.record(
        verdict.events.filter((event) => !carried.has(event.id)).map((event) => [event.id, this.options.receipts.sign(documentName, event.id, now)] as const),
      );
      // Two entries of one transaction, not one merged update: merging decoded and re-encoded both.
      const stored = receipts === null ? message.update : [message.update, receipts];
      const storedBytes = message.update.length + (receipts?.length ?? 0);
      const started = performance.now();
      this.options.metrics.guardSeconds.observe((started - guardStarted) / 1000);
      try {
        if (verdict.created) {
          const result = await this.options.store
            .createOrder(newOrderRow(verdict.created, now), documentName, stored, { usage })
            .catch((error: unknown) => {
              if (error instanceof OrderIdTakenError) return { created: false as const, existingId: '' };
              throw error;
            });
          if (!result.created) {
            loaded.receipts.reset();
            throw this.refuse(connection, context, documentName, {
              code: result.existingId ? 'order_no_taken' : 'order_id_taken',
              // Never the other order's id: a reporter may not see it (an order number is no oracle).
              reason: result.existingId ? `order number ${verdict.created.orderNo} is already taken` : `order id ${ref.id} is taken`,
              field: result.existingId ? 'intake.orderNo' : 'intake.id',
            });
          }
          loaded.createdAt = now;
          log.info('order_created', { order: ref.id, orderNo: verdict.created.orderNo, by: context.user.id, source: 'field_report' });
        } else {
          await this.options.store.appendUpdate(documentName, stored, usage, claim).catch((error: unknown) => {
            if (!(error instanceof ClientClaimedError)) throw error;
            this.owners(documentName).set(error.client, error.owner);
            loaded.receipts.reset();
            throw squatting(error.client);
          });
          if (claim) for (const client of claim.clients) this.owners(documentName).set(client, userId);
        }
      } catch (error) {
        if (!(error instanceof ChannelError)) loaded.receipts.reset();
        throw error;
      }
      loaded.bytes += storedBytes;
      this.options.metrics.persistSeconds.observe((performance.now() - started) / 1000);
      this.options.metrics.updatesLogged += 1;
      // Applied in the transaction Hocuspocus applies the update in (`joinReceipts`), or alone when the lock is released.
      if (receipts !== null) loaded.pendingReceipts = { connection, update: receipts };
      // Held until Hocuspocus has applied the update (afterHandleMessage), so
      // the next writer's guard sees it. Released anyway after 10 s, in case
      // Hocuspocus never gets there.
      const releaseHeld = () => {
        clearTimeout(timer);
        if (loaded.pendingReceipts?.connection === connection) {
          const { update } = loaded.pendingReceipts;
          loaded.pendingReceipts = null;
          Y.applyUpdate(document, update, LOGGED_RECEIPTS);
        }
        release();
      };
      const timer = setTimeout(() => {
        if (this.held.get(connection) === releaseHeld) this.release(connection);
      }, 10_000);
      timer.unref();
      this.held.set(connection, releaseHeld);
    } catch (error) {
      release();
      if (error instanceof ChannelError) throw error;
      log.error('update_store_failed', { doc: documentName, user: context.user.id, error: errorMessage(error) });
      connection.sendStateless(JSON.stringify({ type: 'unavailable', reason: 'the server could not store the update; it was not applied' }));
      throw new ChannelError(CLOSE_CODES.unavailable, 'storage unavailable; try again');
    }
  }

  async afterHandleMessage({ connection, documentName }: afterHandleMessagePayload<SyncContext>): Promise<void> {
    if (!this.held.has(connection)) return;
    this.release(connection);
    this.options.metrics.updatesApplied += 1;
    const ref = parseDocName(documentName);
    if (ref?.kind === 'order') this.options.onOrderChanged(ref.id);
  }

  /** Server-side writes (index docs) are logged here; client writes were logged before they were applied. */
  async onChange({ documentName, update, transactionOrigin }: onChangePayload<SyncContext>): Promise<void> {
    // Another instance logged what Redis relays; it still counts toward the order's size here.
    if (isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'redis') {
      const loaded = this.loaded.get(documentName);
      if (loaded) {
        loaded.bytes += update.length;
        const ref = parseDocName(documentName);
        if (ref?.kind === 'order') this.options.onOrderRelayed?.(ref.id);
      }
      return;
    }
    // An index doc's writes are noted from its own `update` events (`noteServerWrite`), not from this hook.
    if (isUnloggedLocalWrite(transactionOrigin) && parseDocName(documentName)?.kind === 'order') this.logInBackground([{ name: documentName, update }]);
  }

  /**
   * An index doc's local write: derived, nobody waits for its log entry. Its transactions are noted per doc and
   * logged SERVER_WRITES_MS after the first of them, one entry per doc built from the live doc (`UnloggedWrites`:
   * nothing decoded, where merging their updates decoded every one) or, for a single transaction, its own update,
   * in whichever group commit is next.
   */
  private noteServerWrite(documentName: string, document: Y.Doc, transaction: Y.Transaction, update: Uint8Array): void {
    if (!isUnloggedLocalWrite(transaction.origin)) return;
    let writes = this.unlogged.get(documentName);
    if (writes !== undefined && writes.doc !== document) {
      // Another life of the doc (unloaded and loaded again); the load flushes first, so not expected.
      this.logInBackground([{ name: documentName, update: writes.encode() }]);
      writes = undefined;
    }
    writes ??= new UnloggedWrites(document);
    if (!writes.add(transaction, update)) return;
    this.unlogged.set(documentName, writes);
    this.unloggedTimer ??= setTimeout(() => this.logServerWrites(), SERVER_WRITES_MS);
  }

  /** Appends the index-doc changes waiting to be logged, one entry per doc, all in one append. */
  private logServerWrites(): void {
    if (this.unloggedTimer !== null) clearTimeout(this.unloggedTimer);
    this.unloggedTimer = null;
    if (this.unlogged.size === 0) return;
    this.logInBackground([...this.unlogged].map(([name, writes]) => ({ name, update: writes.encode() })));
    this.unlogged.clear();
  }

  /** Appends one doc's index-doc changes waiting to be logged, if any; the others keep their 100 ms. */
  private logServerWritesOf(documentName: string): void {
    const writes = this.unlogged.get(documentName);
    if (writes === undefined) return;
    this.unlogged.delete(documentName);
    this.logInBackground([{ name: documentName, update: writes.encode() }]);
  }

  private logInBackground(entries: readonly LogAppend[]): void {
    const pending = this.options.store
      .appendUpdates(entries)
      .then(() => {
        this.options.metrics.updatesLogged += entries.length;
      })
      .catch((error: unknown) => {
        for (const { name } of entries) log.error('server_update_store_failed', { doc: name, error: errorMessage(error) });
      })
      .finally(() => this.background.delete(pending));
    this.background.add(pending);
  }

  async onStoreDocument({ documentName, document }: onStoreDocumentPayload<SyncContext>): Promise<void> {
    // Only this doc's own waiting writes: logging every index doc's on each order doc's store (about one per
    // update under load) made an entry per index doc and update, not one per 100 ms (bench/README.md, "Fan-out, part 7").
    this.logServerWritesOf(documentName);
    await Promise.all(this.background);
    const kind = parseDocName(documentName)?.kind;
    // Called once the log is read: the live index doc holds every entry read (see `soleWriter`).
    const index = kind !== undefined && kind !== 'order';
    // A live index doc's folded state, measured as the fold makes it (nothing encoded for it): past its threshold the
    // indexer rolls the doc over to its next generation (index-generations.ts). Only on a fold: folds are rare.
    const measured: { bytes: number | null } = { bytes: null };
    const measure = (state: Uint8Array): Uint8Array => {
      measured.bytes = state.length;
      return state;
    };
    const fromLive = this.options.soleWriter && index ? { live: () => measure(Y.encodeStateAsUpdate(document)) } : null;
    const minBytes = this.options.compactMinBytes * (fromLive ? LIVE_FOLD_FLOOR_FACTOR : 1);
    if (!fromLive) {
      const fold = this.options.fold ?? mergeState;
      const merged = await this.options.store.compactDoc(documentName, index ? async (state: StoredState) => measure(await fold(state)) : fold, (stats) => worthCompacting(stats, minBytes));
      if (merged > 0) log.info('doc_compacted', { doc: documentName, entries: merged });
    } else {
      const lastFold = this.liveFolds.get(documentName);
      const sinceFoldMs = lastFold === undefined ? Number.POSITIVE_INFINITY : this.elapsedMs() - lastFold;
      const merged = await this.options.store.compactDoc(documentName, fromLive, (stats) => worthFoldingLive(stats, minBytes, sinceFoldMs));
      if (merged > 0) {
        this.liveFolds.set(documentName, this.elapsedMs());
        log.info('doc_compacted', { doc: documentName, entries: merged });
      }
    }
    if (measured.bytes !== null && isLiveIndexDocName(documentName)) this.options.onIndexStored?.(documentName, measured.bytes);
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.clientOwners.delete(documentName);
    this.loaded.delete(documentName);
    this.liveFolds.delete(documentName);
  }

  /** The per-doc state; a doc loaded some other way (none here) gets its size counted from itself. */
  private loadedDoc(name: string, document: Y.Doc): LoadedDoc {
    let loaded = this.loaded.get(name);
    if (!loaded) {
      loaded = newLoadedDoc(document, Y.encodeStateAsUpdate(document).length);
      this.loaded.set(name, loaded);
    }
    return loaded;
  }

  /** When the session behind a token began (its row; now, if it is gone). */
  private async sessionStart(tokenHash: string): Promise<number> {
    const cached = this.sessionStarts.get(tokenHash);
    if (cached !== undefined) return cached;
    const start = (await this.options.store.getSession(tokenHash))?.createdAt ?? this.now();
    if (this.sessionStarts.size > 50_000) this.sessionStarts.clear();
    this.sessionStarts.set(tokenHash, start);
    return start;
  }

  /**
   * Yjs identifies content by (client id, clock). A user who wrote structs
   * under another user's client id, at clocks that user has not synced yet,
   * would make that user's own later writes look like duplicates and vanish.
   * So each client id belongs, per document, to the first user who writes
   * under it. Of the ids the update writes under: one known (cached) to be
   * another user's, and those whose owner is not known here — claimed in the
   * update's own commit (`appendUpdate`'s claim: no commit of its own), or
   * first for a new order (`claim`).
   */
  private writtenClients(name: string, doc: Y.Doc, to: ReadonlyMap<number, number>, userId: string): { squatted: number | null; unclaimed: number[] } {
    const writing = [...to].filter(([client, clock]) => clock > Y.getState(doc.store, client)).map(([client]) => client);
    const owners = this.owners(name);
    const squatted = writing.find((client) => owners.has(client) && owners.get(client) !== userId) ?? null;
    return { squatted, unclaimed: writing.filter((client) => !owners.has(client)) };
  }

  /** Claims the ids in a commit of their own; returns one that belongs to another user, or null. */
  private async claim(name: string, clients: readonly number[], userId: string): Promise<number | null> {
    const owners = this.owners(name);
    for (const [client, owner] of await this.options.store.claimClients(name, clients, userId)) owners.set(client, owner);
    return clients.find((client) => owners.get(client) !== userId) ?? null;
  }

  /** Per loaded doc: Yjs client id → owner, as far as this process has seen. */
  private owners(name: string): Map<number, string> {
    let owners = this.clientOwners.get(name);
    if (!owners) {
      owners = new Map();
      this.clientOwners.set(name, owners);
    }
    return owners;
  }

  /** Wait for server-side writes still on their way to the log. */
  async flush(): Promise<void> {
    this.logServerWrites();
    await Promise.all(this.background);
  }

  private release(connection: Connection<SyncContext>): void {
    const release = this.held.get(connection);
    this.held.delete(connection);
    release?.();
  }

  private refuse(connection: Connection<SyncContext>, context: unknown, doc: string, refusal: { code: ServerRefusalCode; reason: string; field?: string }): ChannelError {
    this.options.metrics.refused.inc(refusal.code);
    const user = isSyncContext(context) ? context.user.id : null;
    log.warn('update_refused', { user, doc, code: refusal.code, reason: refusal.reason, field: refusal.field });
    connection.sendStateless(JSON.stringify({ type: 'refused', doc, ...refusal }));
    const closeCode = refusal.code === 'malformed_message' || refusal.code === 'malformed_update' ? CLOSE_CODES.malformed : refusal.code.endsWith('_taken') ? CLOSE_CODES.conflict : CLOSE_CODES.refused;
    return new ChannelError(closeCode, `${refusal.code}: ${refusal.reason}`);
  }
}

/** A server-side write not yet in the log: a local transaction whose origin is not marked `LoggedOrigin`. */
function isUnloggedLocalWrite(origin: unknown): boolean {
  if (!isTransactionOrigin(origin) || origin.source !== 'local') return false;
  const context: unknown = origin.context;
  return !(typeof context === 'object' && context !== null && 'logged' in context && context.logged === true);
}

/** The per-doc state of a loaded order doc, its receipts joining the transaction of the client update they were logged with. */
function newLoadedDoc(document: Y.Doc, bytes: number): LoadedDoc {
  const loaded: LoadedDoc = { bytes, createdAt: undefined, receipts: new ReceiptWriter(document), pendingReceipts: null };
  document.on('beforeTransaction', (transaction: Y.Transaction) => joinReceipts(loaded, document, transaction));
  return loaded;
}

/**
 * Hocuspocus applies a client's update in a transaction whose origin is the connection; the
 * receipts logged with it are applied first inside that same transaction (a nested apply joins
 * the open one), so observers, the log's `onChange` and the broadcast see one change. Applied
 * apart, they were a second update that Hocuspocus's broadcast merged with the client's
 * (`Y.mergeUpdates`: both decoded and encoded again) for every acknowledged update.
 */
function joinReceipts(loaded: LoadedDoc, document: Y.Doc, transaction: Y.Transaction): void {
  const pending = loaded.pendingReceipts;
  if (pending === null) return;
  const origin: unknown = transaction.origin;
  if (!isTransactionOrigin(origin) || origin.source !== 'connection' || origin.connection !== pending.connection) return;
  loaded.pendingReceipts = null;
  Y.applyUpdate(document, pending.update);
}

function decodeOrNull(update: Uint8Array): DecodedUpdate | null {
  try {
    return decodeUpdate(update);
  } catch {
    return null;
  }
}

/** Per Yjs client, the clock up to which the update writes: what `Y.parseUpdateMeta` gives as `to`, from the structs already decoded. */
function clocksWritten(update: DecodedUpdate): ReadonlyMap<number, number> {
  const to = new Map<number, number>();
  for (const struct of update.structs) to.set(struct.id.client, struct.id.clock + struct.length);
  return to;
}

/**
 * True when applying `update` would change nothing: a reconnect's sync step 2
 * with nothing new. Reads only the update (no snapshot of the doc): every
 * struct is below the doc's clock for its client and it deletes nothing.
 */
function alreadyContains(doc: Y.Doc, update: DecodedUpdate, writes: ReadonlyMap<number, number>): boolean {
  for (const [client, clock] of writes) if (clock > Y.getState(doc.store, client)) return false;
  return update.ds.clients.size === 0;
}

/**
 * A document the store could not give back: a read error (the database is
 * unreachable or damaged) or stored bytes that are not a Yjs update (damaged
 * data). Logged and filed in /healthz (as corruption unless the store merely
 * failed to answer); the channel closes with `storage_error: …`.
 */
export function unreadableDocument(health: StorageHealth | undefined, doc: string, error: unknown): ChannelError {
  const unavailable = isStorageError(error) && !/CORRUPT|NOTADB|^XX/.test(String((error as { code?: unknown }).code));
  log.error('document_load_failed', { doc, corrupt: !unavailable, error: errorMessage(error) });
  if (!unavailable) health?.markCorrupt(doc, error);
  return new ChannelError(
    CLOSE_CODES.unavailable,
    unavailable
      ? 'storage_error: the server cannot read its storage right now; try again later'
      : 'storage_error: this document is damaged in the server’s storage and cannot be read; the operators are told (keep your copy)',
  );
}

/**
 * Whether folding the log into the snapshot is worth its cost now. Folding
 * rewrites the whole snapshot, so doing it after every change would cost each
 * update the size of the doc (a big order once took a second per update).
 * Folding only once the log has grown to a quarter of the snapshot keeps the
 * cost per logged byte constant — each byte is rewritten a bounded number of
 * times — while a load reads at most a snapshot and a quarter; a log of many
 * small entries is folded anyway, so loads do not apply thousands of them.
 * And not before the log holds `minBytes`: a fold also has a fixed cost (a
 * fresh doc, a decode and an encode of everything), which, for a doc of a
 * few KB folded every three or four updates, was the largest part of the
 * server's CPU per update (bench/README.md, "Fan-out, part 3").
 */
export function worthCompacting(stats: LogStats, minBytes: number): boolean {
  return stats.logEntries >= COMPACT_ENTRIES || (stats.logBytes >= minBytes && stats.logBytes * 4 >= stats.snapshotBytes);
}

/**
 * `worthCompacting` for an index doc folded from its live doc, which is also folded no more often than once per
 * `LIVE_FOLD_INTERVAL_MS` (`sinceFoldMs`: since this instance last folded it; infinite if it has not) unless its log
 * holds `COMPACT_ENTRIES` entries or `LIVE_FOLD_LOG_FACTOR` times the larger of its snapshot and `minBytes`. Such a
 * fold encodes the whole doc on the event loop — Yjs walks every struct of it, the tombstone of every summary ever
 * overwritten included, for its delete set — and writes it in a group commit, whatever the log holds; under the
 * fan-out's load a street's doc passed its 64 KB floor between two of Hocuspocus's 10 s stores and was folded at every
 * one (bench/README.md, "Fan-out, part 10"). A cold load reads at most a snapshot and a log of four times the larger of
 * it and the floor, or of 200 entries (≈ 9 ms more than at the floor for a street of 110 orders).
 */
export function worthFoldingLive(stats: LogStats, minBytes: number, sinceFoldMs: number): boolean {
  if (!worthCompacting(stats, minBytes)) return false;
  return sinceFoldMs >= LIVE_FOLD_INTERVAL_MS || stats.logEntries >= COMPACT_ENTRIES || stats.logBytes >= LIVE_FOLD_LOG_FACTOR * Math.max(stats.snapshotBytes, minBytes);
}

/** An index doc folded from its live doc is folded at most this often, unless its log is long (`worthFoldingLive`). */
export const LIVE_FOLD_INTERVAL_MS = 30_000;

/** The log, in times the snapshot (or the floor if larger), past which an index doc folded from its live doc is folded however recently it was. */
export const LIVE_FOLD_LOG_FACTOR = 4;

/**
 * Index-doc changes are logged this long after the first of them, merged per doc: under load a street's doc
 * changes with almost every update, and one entry per doc and group commit was ≈ 3 log rows per update and a
 * fold every 200 of them (bench/README.md, "Fan-out, part 5"). Index docs are derived: a crash in that window
 * loses the entries written in it, which come back with the order's next change.
 */
export const SERVER_WRITES_MS = 100;

/**
 * An index doc folded from its live doc waits for this many times `compactMinBytes` of log. Its fold encodes the
 * whole doc on the event loop whatever the log holds, so under the fan-out's load a street's or a community's doc of
 * 8–27 KB was encoded and written again every ≈ 20 summaries (1.6 KB of snapshot per acknowledged update); a cold
 * load reads at most the larger log, ≈ 1 ms more for a doc of 20 orders (bench/README.md, "Fan-out, part 9").
 */
export const LIVE_FOLD_FLOOR_FACTOR = 4;

/** Log entries after which a document is folded whatever their size. */
export const COMPACT_ENTRIES = 200;
