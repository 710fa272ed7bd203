/**
 * The Yjs client id a server writes an index doc under (`grid:`, `community:`, `street:`, their archives).
 *
 * Hocuspocus makes each loaded doc a `Y.Doc` with a random `clientID`, so an index doc gained a client every time
 * it was loaded and written — 20 loads a day for a year is 7,300 clients, each kept for ever in its state vector
 * (sent in every device's sync step 1 and the server's answer, built twice per transaction), its encoded state and
 * its delete set (bench/README.md, "Index docs' Yjs clients over a year"). Here a server draws one id when it
 * starts and writes every index doc under it, load after load: a doc gains a client per server process that wrote
 * it, not per load.
 *
 * Yjs's rule for reusing a client id (docs.yjs.dev, FAQ): no two `Y.Doc`s may hold it at once; and a copy must
 * never reuse it for items it does not have — items an earlier copy wrote and sent to devices but that never
 * reached the store (the log's 100 ms window, a failed append): the same (client, clock) would then name different
 * content on a device and on the server, for ever. So:
 *
 * - The id is random per server (never stored): two instances, and two runs of one, never share it; items a
 *   crashed run lost were written under an id no later run draws (but by chance, as for any Yjs client).
 * - A loaded copy takes the id this server last wrote the doc under only if the loaded state reaches exactly the
 *   clock this server reached there (every item it ever wrote and sent is in the store, and nobody else wrote under
 *   it); otherwise it gets a fresh random id (`claim`).
 * - The copy that claimed it last is the only one that writes under it: a transaction on any other copy of
 *   the doc in this process (one still held while a newer one loaded) moves that copy to a fresh id first
 *   (`beforeTransaction`). Hocuspocus keeps one copy per name loaded, and the indexer's hold keeps a copy loaded
 *   while it writes, so this is a guard that is not expected to act.
 */
import * as Y from 'yjs';
import { randomClientId } from '#shared/sync/order-doc.ts';

/** Where an index doc's writes under this server's id stand: the id, the clock reached, the copy that holds it. */
interface Reached {
  client: number;
  clock: number;
  /** The `life` of the copy that claimed the id last (a number, not the doc: an unloaded doc is not kept alive here). */
  life: number;
}

export class IndexClientIds {
  /** The id this server writes index docs under (unless a doc's own checks gave it another). */
  readonly own: number;
  /** Per index doc loaded by this server. One small entry per doc, kept for the process's life: forgetting one could let a copy reuse an id whose lost items it lacks. */
  private readonly reached = new Map<string, Reached>();
  /** Per loaded copy: its serial number. */
  private readonly lives = new WeakMap<Y.Doc, number>();
  private nextLife = 1;

  constructor(private readonly draw: () => number = randomClientId) {
    this.own = draw();
  }

  /**
   * Sets a freshly loaded copy's client id, before anything is written to it: the id this server last wrote the
   * doc under if the loaded state has exactly what it wrote there, a fresh one otherwise. The copy then holds it.
   */
  claim(name: string, doc: Y.Doc): void {
    const life = this.nextLife++;
    this.lives.set(doc, life);
    const last = this.reached.get(name);
    const candidate = last?.client ?? this.own;
    const clock = Y.getState(doc.store, candidate);
    doc.clientID = clock === (last?.clock ?? 0) ? candidate : this.fresh(doc);
    this.reached.set(name, { client: doc.clientID, clock: Y.getState(doc.store, doc.clientID), life });
  }

  /** At the start of every transaction of a copy: a copy that no longer holds its id moves off it before writing. */
  beforeTransaction(name: string, doc: Y.Doc): void {
    const last = this.reached.get(name);
    if (last !== undefined && last.client === doc.clientID && last.life !== this.lives.get(doc)) doc.clientID = this.fresh(doc);
  }

  /** After every transaction that changed the copy: the clock reached under its id (what devices may have been sent). */
  wrote(name: string, doc: Y.Doc): void {
    const last = this.reached.get(name);
    const life = this.lives.get(doc);
    // Only the holder's writes move the record (another copy moved off the id before writing: `beforeTransaction`).
    if (last === undefined || life === undefined || last.life !== life) return;
    last.client = doc.clientID;
    last.clock = Y.getState(doc.store, doc.clientID);
  }

  /** An id no struct of the doc is written under. */
  private fresh(doc: Y.Doc): number {
    let client = this.draw();
    while (doc.store.clients.has(client) || client === this.own) client = this.draw();
    return client;
  }
}
