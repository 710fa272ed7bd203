/**
 * The log entry for a doc's server-side writes (index docs), built from the
 * live doc and the transactions themselves rather than by merging their
 * encoded updates. `Y.mergeUpdates` decoded every pending update (each
 * summary's JSON read back) and encoded the lot again, overwritten summaries
 * included (bench/README.md, "Back online, part 4": 12–14 ms of a reconnect);
 * here nothing is decoded: each client's structs from the clock it had before
 * the first pending transaction are written as the doc holds them (what was
 * overwritten since is a deleted struct, its content gone), and the delete
 * set is the union of the transactions' own delete sets — never the doc's
 * whole delete set, which Yjs builds by walking every struct of the doc.
 *
 * Applied to any doc that has what the doc had before the first transaction,
 * the entry gives what the merged updates give (tests/server/server-writes
 * .property.test.ts checks it against `Y.mergeUpdates`). When a single
 * transaction was noted, its own update (Yjs encoded it for the doc's `update`
 * listeners, Hocuspocus's broadcast) is the entry: nothing is encoded again.
 */
import * as Y from 'yjs';

type DeleteSet = Y.Transaction['deleteSet'];

/** What local transactions wrote to one doc since its last log entry. */
export class UnloggedWrites {
  /** Per client, the clock it was at before the first transaction that wrote under it. */
  private readonly from = new Map<number, number>();
  private readonly deletes: DeleteSet[] = [];
  private transactions = 0;
  /** The update of the first transaction noted, while it is the only one. */
  private only: Uint8Array | null = null;

  constructor(readonly doc: Y.Doc) {}

  /** Notes a finished transaction of `doc`, with its update if Yjs encoded one; false when it changed nothing. */
  add(transaction: Y.Transaction, update?: Uint8Array): boolean {
    let changed = false;
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0;
      if (after <= before) continue;
      changed = true;
      const known = this.from.get(client);
      if (known === undefined || before < known) this.from.set(client, before);
    }
    if (transaction.deleteSet.clients.size > 0) {
      this.deletes.push(transaction.deleteSet);
      changed = true;
    }
    if (changed) {
      this.transactions += 1;
      this.only = this.transactions === 1 ? (update ?? null) : null;
    }
    return changed;
  }

  /** The log entry (a Yjs v1 update) of everything noted. */
  encode(): Uint8Array {
    return this.only ?? encodeWrites(this.doc, this.from, this.deletes);
  }
}

/**
 * A v1 update of `doc`'s structs from `from` (per client) on, as the doc holds
 * them now, and the union of `deletes`: the layout of Yjs's own
 * `writeClientsStructs` and `writeDeleteSet`, written with its public encoder.
 */
export function encodeWrites(doc: Y.Doc, from: ReadonlyMap<number, number>, deletes: readonly DeleteSet[]): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const clients = [...from].filter(([client, clock]) => Y.getState(doc.store, client) > clock).sort((a, b) => b[0] - a[0]);
  encoder.writeLen(clients.length);
  for (const [client, clock] of clients) {
    const structs = doc.store.clients.get(client)!;
    const start = Math.max(clock, structs[0]!.id.clock);
    const index = Y.findIndexSS(structs, start);
    encoder.writeLen(structs.length - index);
    encoder.writeClient(client);
    encoder.writeLen(start);
    const first = structs[index]!;
    first.write(encoder, start - first.id.clock);
    for (let i = index + 1; i < structs.length; i++) structs[i]!.write(encoder, 0);
  }
  const ds = Y.mergeDeleteSets([...deletes]);
  encoder.writeLen(ds.clients.size);
  for (const [client, items] of [...ds.clients].sort((a, b) => b[0] - a[0])) {
    encoder.resetDsCurVal();
    encoder.writeClient(client);
    encoder.writeLen(items.length);
    for (const item of items) {
      encoder.writeDsClock(item.clock);
      encoder.writeDsLen(item.len);
    }
  }
  return encoder.toUint8Array();
}
