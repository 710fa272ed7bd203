/**
 * Live index docs in generations (server/sync/index-generations.ts; docs/SERVER.md, "Index docs in generations"),
 * in process on a real SQLite store: the server's own `Hocuspocus`, `DurableLog` (its folds measure the state and
 * call the rollover check) and the indexer's `IndexWrites`, as bench/profile/index-client-ids.ts runs them. A second
 * "instance" is a second Hocuspocus, DurableLog and IndexWrites on the same store.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Hocuspocus } from '@hocuspocus/server';
import { deriveOrder } from '#shared/order/reducer.ts';
import { summarizeOrder, type OrderSummary } from '#shared/order/summary.ts';
import { INDEX_META_MAP, INDEX_ORDERS_MAP, indexGenerationDocName, NEXT_GENERATION_KEY, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { DurableLog, type DurableLogOptions } from '#server/sync/durable.ts';
import { IndexWrites } from '#server/sync/indexer.ts';
import { IndexGenerations, liveEntryBytes, pruneSupersededGenerations, rolloverThreshold } from '#server/sync/index-generations.ts';
import { mergeState } from '#server/sync/merge-state.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { Metrics } from '#server/metrics.ts';
import { intake as buildIntake } from '../shared/support/builders.ts';
import { stopAll } from './support/server.ts';
import { waitForValue } from '../support/wait.ts';

const NOW = Date.UTC(2026, 10, 20, 2);
const FLOOR = 2048;
const dirs: string[] = [];
const instances: Instance[] = [];

afterEach(async () => {
  for (const instance of instances.splice(0)) await instance.close();
});
afterAll(async () => {
  await stopAll(dirs);
});

interface Instance {
  readonly hocuspocus: Hocuspocus;
  readonly writes: IndexWrites;
  readonly generations: IndexGenerations;
  /** Every rollover check the folds asked for: the doc, its folded bytes, and what it rolled over to. */
  readonly checks: { name: string; bytes: number; rolled: Promise<string | null> }[];
  close(): Promise<void>;
}

async function newStore(): Promise<SqliteStore> {
  const dir = await mkdtemp(join(tmpdir(), 'lianxin-generations-'));
  dirs.push(dir);
  return new SqliteStore(join(dir, 'lianxin.sqlite'));
}

/** `generations`: the instance's record of generations, when a test watches its store reads and writes. */
function instance(store: SqliteStore, { soleWriter = true, rollover = true, generations = new IndexGenerations(store) } = {}): Instance {
  const checks: Instance['checks'] = [];
  let writes: IndexWrites | null = null;
  const durable = new DurableLog({
    store,
    metrics: new Metrics(),
    // Folded as often as the live-fold rules allow, so that the check runs.
    compactMinBytes: 64,
    soleWriter,
    onIndexStored: (name: string, bytes: number) => {
      if (rollover && writes) checks.push({ name, bytes, rolled: writes.considerRollover(name, bytes, FLOOR) });
    },
    deletedGenerationSuccessor: (name: string) => generations.successorOfDeleted(name),
  } as unknown as DurableLogOptions);
  const hocuspocus = new Hocuspocus({ quiet: true, debounce: 5, maxDebounce: 20, extensions: [durable] });
  writes = new IndexWrites(hocuspocus, undefined, 60_000, generations);
  const created: Instance = {
    hocuspocus,
    writes,
    generations,
    checks,
    // The held docs let go, stored (their logs appended) and unloaded, as at the end of a hold.
    close: async () => {
      await writes.release();
      while (hocuspocus.documents.size > 0 || hocuspocus.unloadingDocuments.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    },
  };
  instances.push(created);
  return created;
}

let seq = 0;
function summary(): OrderSummary {
  const i = seq++;
  const intake = buildIntake({ id: `o-${i}`, orderNo: `2026112000${String(i).padStart(6, '0')}`, receivedAt: NOW - 86_400_000, deadline: NOW + 86_400_000 });
  return summarizeOrder(intake, deriveOrder(intake, [], NOW));
}
/** The summary after one more event (the same size: a stamp of fixed length). */
const rewritten = (s: OrderSummary): OrderSummary => ({ ...s, eventCount: s.eventCount + 1, lastHlc: String(s.eventCount + 1).padStart(16, '0') });

/** The doc as the store has it (snapshot and log). */
async function stored(store: SqliteStore, name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, mergeState(await store.loadDoc(name)));
  return doc;
}

const entriesOf = (doc: Y.Doc): Record<string, number> => Object.fromEntries([...doc.getMap<OrderSummary>(INDEX_ORDERS_MAP)].map(([id, s]) => [id, s.eventCount]));
const successor = (doc: Y.Doc): unknown => doc.getMap(INDEX_META_MAP).get(NEXT_GENERATION_KEY);
/** A pause in the rewrites for the folds and their rollover checks to run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('live index docs in generations', () => {
  it('rolls a live index doc over once its folded state passes the threshold, not before; the new generation lists the same entries and takes the writes', async () => {
    const store = await newStore();
    const a = instance(store);
    const base = streetIndexDocName('s-gen-1');
    const live = new Map<string, OrderSummary>();
    for (let i = 0; i < 3; i++) {
      const s = summary();
      live.set(s.id, s);
    }
    await a.writes.write([...live].map(([orderId, s]) => ({ name: base, orderId, summary: s })));
    // Rewrites, one transaction each (as index runs are), until a fold's check rolls the doc over.
    let rolledTo: string | null = null;
    for (let round = 0; round < 2000 && rolledTo === null; round++) {
      const ids = [...live.keys()];
      const id = ids[round % ids.length]!;
      const next = rewritten(live.get(id)!);
      live.set(id, next);
      await a.writes.write([{ name: base, orderId: id, summary: next }]);
      if (round % 25 === 24) {
        await settle();
        for (const check of a.checks) rolledTo ??= await check.rolled;
      }
    }
    expect(rolledTo).toBe(indexGenerationDocName(base, 1));
    // Not before: every check under the threshold (by the doc's entries as they were) rolled nothing, and the one
    // that did was past it.
    const results = await Promise.all(a.checks.map(async (check) => ({ ...check, rolled: await check.rolled })));
    const threshold = rolloverThreshold(liveEntryBytes(a.hocuspocus.documents.get(indexGenerationDocName(base, 1))!), FLOOR);
    for (const check of results.filter((c) => c.rolled === null && c.name === base)) expect(check.bytes).toBeLessThan(threshold * 1.05);
    const rolled = results.find((c) => c.rolled !== null)!;
    expect(rolled.bytes).toBeGreaterThanOrEqual(FLOOR);
    expect(results.filter((c) => c.rolled !== null)).toHaveLength(1);
    expect((await store.indexGenerations([base])).get(base)).toBe(1);

    // The new generation lists every entry as the old one did; the old one names it (once its key is logged).
    const old = await waitForValue(() => stored(store, base), (doc) => successor(doc) !== undefined, 'the successor key logged');
    const fresh = await stored(store, indexGenerationDocName(base, 1));
    expect(entriesOf(fresh)).toEqual(Object.fromEntries([...live].map(([id, s]) => [id, s.eventCount])));
    expect(entriesOf(old)).toEqual(entriesOf(fresh));
    expect(successor(old)).toBe(indexGenerationDocName(base, 1));
    expect(Y.encodeStateAsUpdate(fresh).length).toBeLessThan(Y.encodeStateAsUpdate(old).length / 2);

    // Writes to the base go to generation 1; generation 0 takes none.
    const before = Y.encodeStateVector(old);
    const id = [...live.keys()][0]!;
    const last = rewritten(live.get(id)!);
    await a.writes.write([{ name: base, orderId: id, summary: last }]);
    await waitForValue(
      async () => (await stored(store, indexGenerationDocName(base, 1))).getMap<OrderSummary>(INDEX_ORDERS_MAP).get(id)?.eventCount,
      (count) => count === last.eventCount,
      'the write logged in generation 1',
    );
    expect(Y.encodeStateVector(await stored(store, base))).toEqual(before);
  }, 60_000);

  it('of two instances rolling the same doc over at once, exactly one does', async () => {
    const store = await newStore();
    const a = instance(store, { soleWriter: false, rollover: false });
    const b = instance(store, { soleWriter: false, rollover: false });
    const base = streetIndexDocName('s-gen-2');
    const s = summary();
    await a.writes.write([{ name: base, orderId: s.id, summary: s }]);
    await waitForValue(async () => entriesOf(await stored(store, base)), (entries) => entries[s.id] !== undefined, 'the entry logged');
    // B loads the doc as stored (no relay between these two): the same entry.
    await b.writes.hold(base);
    const rolled = await Promise.all([a.writes.rollOver(base), b.writes.rollOver(base)]);
    expect(rolled.filter((name) => name !== null)).toEqual([indexGenerationDocName(base, 1)]);
    expect((await store.indexGenerations([base])).get(base)).toBe(1);
  }, 30_000);

  it('a write of another instance aimed at the old generation after the rollover lands in the new one', async () => {
    const store = await newStore();
    const a = instance(store, { soleWriter: false, rollover: false });
    const b = instance(store, { soleWriter: false, rollover: false });
    const base = streetIndexDocName('s-gen-3');
    const first = summary();
    await a.writes.write([{ name: base, orderId: first.id, summary: first }]);
    // B knows the index at generation 0 (its record read before the rollover).
    expect(await b.generations.current(base)).toBe(0);
    expect(await a.writes.rollOver(base)).toBe(indexGenerationDocName(base, 1));
    await a.close();
    // B's write, named for the base, goes by B's record to generation 0, whose successor key sends it on.
    const later = rewritten(first);
    const other = summary();
    await b.writes.write([
      { name: base, orderId: first.id, summary: later },
      { name: base, orderId: other.id, summary: other },
    ]);
    await b.close();
    const fresh = await stored(store, indexGenerationDocName(base, 1));
    expect(entriesOf(fresh)).toEqual({ [first.id]: later.eventCount, [other.id]: other.eventCount });
    expect(entriesOf(await stored(store, base))).toEqual({ [first.id]: first.eventCount });
    expect(await b.generations.current(base)).toBe(1);
  }, 30_000);

  it('stores the next generation filled before the record names it: a process stopping right after the record moved leaves no empty current generation', async () => {
    const store = await newStore();
    const base = streetIndexDocName('s-gen-5');
    const next = indexGenerationDocName(base, 1);
    // What the store holds of generation 1 the moment the record names it: what a restart right then would find.
    let atMove: Record<string, number> | null = null;
    const generations = new IndexGenerations({
      indexGenerations: (bases) => store.indexGenerations(bases),
      advanceIndexGeneration: async (b, from) => {
        const moved = await store.advanceIndexGeneration(b, from);
        if (moved) atMove = entriesOf(await stored(store, next));
        return moved;
      },
    });
    const a = instance(store, { rollover: false, generations });
    const entries = [summary(), summary()];
    await a.writes.write(entries.map((s) => ({ name: base, orderId: s.id, summary: s })));
    expect(await a.writes.rollOver(base)).toBe(next);
    expect(atMove).toEqual(Object.fromEntries(entries.map((s) => [s.id, s.eventCount])));
  }, 30_000);

  it('the entries written to the old generation between the fill and the record’s move reach the new one, removals too', async () => {
    const store = await newStore();
    const base = streetIndexDocName('s-gen-6');
    const next = indexGenerationDocName(base, 1);
    const [kept, removed] = [summary(), summary()];
    const later = rewritten(kept);
    const added = summary();
    let a: Instance | null = null;
    const generations = new IndexGenerations({
      indexGenerations: (bases) => store.indexGenerations(bases),
      // Written after the fill, before the record moves: by the record still generation 0's.
      advanceIndexGeneration: async (b, from) => {
        await a!.writes.write([
          { name: base, orderId: kept.id, summary: later },
          { name: base, orderId: removed.id, summary: null },
          { name: base, orderId: added.id, summary: added },
        ]);
        return store.advanceIndexGeneration(b, from);
      },
    });
    a = instance(store, { rollover: false, generations });
    await a.writes.write([kept, removed].map((s) => ({ name: base, orderId: s.id, summary: s })));
    expect(await a.writes.rollOver(base)).toBe(next);
    const expected = { [kept.id]: later.eventCount, [added.id]: added.eventCount };
    expect(entriesOf(await a.writes.hold(next))).toEqual(expected);
    await a.close();
    expect(entriesOf(await stored(store, next))).toEqual(expected);
  }, 30_000);

  it('serves a pruned generation as the current one’s name alone, which a device holding it can merge, and it stays deleted', async () => {
    const store = await newStore();
    const a = instance(store, { rollover: false });
    const base = streetIndexDocName('s-gen-6');
    const entries = [summary(), summary()];
    await a.writes.write(entries.map((s) => ({ name: base, orderId: s.id, summary: s })));
    // A device's copy of generation 0, taken before it was superseded.
    const device = await waitForValue(() => stored(store, base), (doc) => Object.keys(entriesOf(doc)).length === entries.length, 'the entries logged');
    expect(await a.writes.rollOver(base)).toBe(indexGenerationDocName(base, 1));
    expect(await a.writes.rollOver(indexGenerationDocName(base, 1))).toBe(indexGenerationDocName(base, 2));
    await a.close();
    expect(await pruneSupersededGenerations(store)).toMatchObject({ indexes: 1, docs: 1 });

    // Another instance, with nothing in memory, serves generation 0 to a socket.
    const b = instance(store, { rollover: false });
    const connection = await b.hocuspocus.openDirectConnection(base, {});
    const served = connection.document!;
    expect(successor(served)).toBe(indexGenerationDocName(base, 2));
    expect(entriesOf(served)).toEqual({});
    // Merged into the device's copy: the name arrives, and the copy's entries stay.
    Y.applyUpdate(device, Y.encodeStateAsUpdate(served));
    expect(successor(device)).toBe(indexGenerationDocName(base, 2));
    expect(Object.keys(entriesOf(device)).sort()).toEqual(entries.map((s) => s.id).sort());
    // Let go (its store hooks run): nothing of it is written back.
    await connection.disconnect();
    await b.close();
    expect(await store.loadDoc(base)).toEqual({ snapshot: null, updates: [] });
    // The current generation and the one before it load as stored: no successor key added to either.
    const current = await b.hocuspocus.openDirectConnection(indexGenerationDocName(base, 2), {});
    expect(successor(current.document!)).toBeUndefined();
    expect(Object.keys(entriesOf(current.document!)).sort()).toEqual(entries.map((s) => s.id).sort());
    await current.disconnect();
  }, 30_000);

  it('fills a generation the record moved to but whose copy never reached the store, before writing to it', async () => {
    const store = await newStore();
    const a = instance(store, { rollover: false });
    const base = streetIndexDocName('s-gen-4');
    const entries = [summary(), summary()];
    await a.writes.write(entries.map((s) => ({ name: base, orderId: s.id, summary: s })));
    await a.close();
    // The record moved (a rollover's first step), and the process stopped before the copy.
    expect(await store.advanceIndexGeneration(base, 0)).toBe(true);
    const b = instance(store, { rollover: false });
    const added = summary();
    await b.writes.write([{ name: base, orderId: added.id, summary: added }]);
    await b.close();
    const fresh = await stored(store, indexGenerationDocName(base, 1));
    expect(Object.keys(entriesOf(fresh)).sort()).toEqual([...entries, added].map((s) => s.id).sort());
    expect(successor(await stored(store, base))).toBe(indexGenerationDocName(base, 1));
  }, 30_000);
});
