/**
 * Bringing live documents up to what the store holds, for instances that share
 * a PostgreSQL database and relay live updates through Redis.
 *
 * Every update is in the store before any instance applies or relays it
 * (docs/SERVER.md, "Durable acknowledgement"), so the store is the truth and
 * the relay only a shortcut. A document held in memory misses what other
 * instances relayed while Redis was unreachable (its subscription was down,
 * and their publishes failed), and nothing would ever send it again: clients
 * on that instance, and new clients opening the document there, would lack
 * acknowledged events for as long as it stayed loaded. So a live document is
 * *fresh* only while the relay has been up since it was loaded or last caught
 * up; otherwise it is *stale*, and:
 *
 * - when the relay is back (`relayBack`, called by RedisRelay once its
 *   subscriptions are live again), every loaded document reads the store and
 *   applies what it lacks, which Hocuspocus sends on to its clients;
 * - a client opening a stale document (`onAuthenticate`, after authorisation)
 *   gets it caught up first — during an outage, on every open;
 * - orders written on this instance while the relay was down are indexed
 *   again when it is back: two instances may each have written an index entry
 *   from half of the order's events;
 * - the documents changed on this instance while its relay was down are named
 *   to the other instances when it is back (`changedWhileDown`, sent by
 *   RedisRelay), and they catch those up if they hold them (`peerChanged`):
 *   an instance that lost Redis alone (the others never saw an outage) would
 *   otherwise never bring them its writes.
 *
 * Applying stored updates is idempotent (Yjs), and they are applied with an
 * origin that DurableLog does not log again and Hocuspocus does not store.
 */
import * as Y from 'yjs';
import {
  isTransactionOrigin,
  type Document,
  type Extension,
  type Hocuspocus,
  type LocalTransactionOrigin,
  type afterUnloadDocumentPayload,
  type onAuthenticatePayload,
  type onChangePayload,
  type onConfigurePayload,
} from '@hocuspocus/server';
import { parseDocName } from '#shared/sync/doc-names.ts';
import type { DocState, Store } from '../store/store.ts';
import type { Metrics } from '../metrics.ts';
import { errorMessage, log } from '../log.ts';
import type { LoggedOrigin } from './durable.ts';

/** Already in the log (DurableLog must not append it again) and nothing to store (no compaction is due). */
export const CAUGHT_UP_ORIGIN = {
  source: 'local',
  skipStoreHooks: true,
  context: { logged: true } satisfies LoggedOrigin,
} as const satisfies LocalTransactionOrigin;

export interface CatchUpOptions {
  readonly store: Store;
  readonly metrics: Metrics;
  /** An order doc gained content from the store, or was written while the relay was down: index it again. */
  readonly reindex: (orderId: string) => void;
  /** Documents caught up at once when the relay is back (the store's pool is shared with everything else). */
  readonly concurrency?: number;
}

export interface CatchUpReport {
  /** Loaded documents read from the store. */
  readonly docs: number;
  /** Of those, the ones that lacked something. */
  readonly changed: number;
  /** Documents changed here while the relay was down, named to the other instances. */
  readonly told?: number;
}

export class CatchUp implements Extension {
  readonly extensionName = 'CatchUp';
  /** After AccessControl (100) and SocketLimits (90): only authorised opens cost a read. */
  readonly priority = 80;
  /** Bumped each time the relay goes down: freshness is per outage. */
  private epoch = 0;
  private relayUp = false;
  private instance: Hocuspocus | null = null;
  /** Loaded document → the epoch in which it was last known to hold everything. */
  private readonly fresh = new Map<string, number>();
  private readonly running = new Map<string, Promise<boolean>>();
  private readonly ordersChangedWhileDown = new Set<string>();
  private readonly docsChangedWhileDown = new Set<string>();

  constructor(private readonly options: CatchUpOptions) {}

  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
  }

  /** A client opens a document this instance holds: if it may have missed relayed updates, read the store first. */
  async onAuthenticate({ documentName, instance }: onAuthenticatePayload): Promise<void> {
    const document = instance.documents.get(documentName);
    if (!document || !this.isStale(documentName)) return;
    try {
      if (await this.catchUp(documentName, document)) log.info('doc_caught_up', { doc: documentName, on: 'open' });
    } catch (error) {
      // The client gets what this instance holds; a store that does not answer refuses its writes anyway.
      log.warn('catch_up_failed', { doc: documentName, error: errorMessage(error) });
    }
  }

  /** Changes made here (clients' writes, the indexer's) that the others cannot have been told about. */
  async onChange({ documentName, transactionOrigin }: onChangePayload): Promise<void> {
    if (this.relayUp || transactionOrigin === CAUGHT_UP_ORIGIN) return;
    if (isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'redis') return;
    this.docsChangedWhileDown.add(documentName);
  }

  async afterUnloadDocument({ documentName, instance }: afterUnloadDocumentPayload): Promise<void> {
    if (!instance.documents.has(documentName)) this.fresh.delete(documentName);
  }

  /** The epoch to pass to `markFresh` for work that starts now. */
  currentEpoch(): number {
    return this.epoch;
  }

  isStale(name: string): boolean {
    return !this.relayUp || this.fresh.get(name) !== this.epoch;
  }

  /** A document loaded with its relay subscription and peers' state in place (RedisRelay.afterLoadDocument). */
  markFresh(name: string, epoch: number): void {
    if (epoch === this.epoch) this.fresh.set(name, epoch);
  }

  /** Called by DurableLog's owner for every client write to an order. */
  orderChanged(orderId: string): void {
    if (!this.relayUp) this.ordersChangedWhileDown.add(orderId);
  }

  relayDown(): void {
    this.relayUp = false;
    this.epoch += 1;
  }

  /**
   * The relay is connected again and its subscriptions are live: catch every
   * loaded document up (and `announce` it to the other instances, which
   * answer with what they hold that we do not), index again what changed
   * here meanwhile, name the documents changed here to the others (`tell`),
   * and count the documents fresh. Stops early, without marking anything, if
   * `aborted()` (the relay went down again).
   */
  async relayBack(
    announce: (name: string, document: Document) => Promise<unknown>,
    tell: (changed: readonly string[]) => Promise<unknown>,
    aborted: () => boolean,
  ): Promise<CatchUpReport> {
    const epoch = this.epoch;
    const documents = this.instance?.documents ?? new Map<string, Document>();
    let docs = 0;
    let changed = 0;
    // Documents that finish loading during a pass are picked up by the next.
    for (let pass = 0; pass < 3 && !aborted(); pass++) {
      const todo = [...documents].filter(([name]) => this.fresh.get(name) !== epoch);
      if (todo.length === 0) break;
      await eachLimited(todo, this.options.concurrency ?? 4, async ([name, document]) => {
        if (aborted()) return;
        if (await this.catchUp(name, document, epoch)) changed += 1;
        docs += 1;
        await announce(name, document);
      });
    }
    if (aborted() || epoch !== this.epoch) return { docs, changed };
    const told = [...this.docsChangedWhileDown];
    await tell(told);
    if (aborted() || epoch !== this.epoch) return { docs, changed };
    for (const name of told) this.docsChangedWhileDown.delete(name);
    for (const orderId of this.ordersChangedWhileDown) this.options.reindex(orderId);
    this.ordersChangedWhileDown.clear();
    this.relayUp = true;
    return { docs, changed, told: told.length };
  }

  /** Another instance, back on the relay, changed these documents while it could not relay: catch up those held here. */
  async peerChanged(names: readonly string[]): Promise<number> {
    let changed = 0;
    for (const name of names) {
      const document = this.instance?.documents.get(name);
      if (!document) continue;
      try {
        if (await this.catchUp(name, document)) changed += 1;
      } catch (error) {
        // Stays stale: the next open catches it up.
        this.fresh.delete(name);
        log.warn('catch_up_failed', { doc: name, error: errorMessage(error) });
      }
    }
    return changed;
  }

  /**
   * Apply what the store holds for `name` to its live document; true if that
   * added anything. `freshIn`: the epoch in which the relay subscription was
   * known to be live before the read (then the document is fresh afterwards).
   */
  catchUp(name: string, document: Y.Doc, freshIn: number | null = this.relayUp ? this.epoch : null): Promise<boolean> {
    const running = this.running.get(name);
    if (running) return running;
    const run = (async () => {
      const state = await this.options.store.loadDoc(name);
      this.options.metrics.catchUpReads += 1;
      const changed = applyStored(document, state);
      if (freshIn !== null) this.markFresh(name, freshIn);
      if (changed) {
        this.options.metrics.docsCaughtUp += 1;
        const ref = parseDocName(name);
        if (ref?.kind === 'order') this.options.reindex(ref.id);
      }
      return changed;
    })().finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }
}

/** Apply a stored snapshot and log to a live document in one transaction; true if anything was new. */
export function applyStored(document: Y.Doc, state: DocState): boolean {
  let changed = false;
  const onUpdate = () => {
    changed = true;
  };
  document.on('update', onUpdate);
  try {
    document.transact(() => {
      if (state.snapshot) Y.applyUpdate(document, state.snapshot);
      for (const update of state.updates) Y.applyUpdate(document, update);
    }, CAUGHT_UP_ORIGIN);
  } finally {
    document.off('update', onUpdate);
  }
  return changed;
}

async function eachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
