/**
 * The record of each live index doc's current generation (docs/SERVER.md, "Index docs in generations"), in both
 * stores: a compare-and-set, so of two instances rolling the same doc over from the same generation exactly one
 * wins, and a stale `from` moves nothing. And the pruning of superseded generations: everything of the generations
 * below the one before the current one goes (log, snapshot, client claims), nothing else does.
 */
import { expect } from 'vitest';
import type { Store } from '#server/store/store.ts';
import { pruneSupersededGenerations } from '#server/sync/index-generations.ts';
import { indexGenerationDocName } from '#shared/sync/doc-names.ts';
import { describeBothStores } from './support/both-stores.ts';

async function exercise(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    const base = `street:gen-cas-${Math.random().toString(36).slice(2, 8)}`;
    const other = `${base}-other`;
    expect(await store.indexGenerations([base, other])).toEqual(new Map([[base, 0], [other, 0]]));
    // Two rollovers from 0 at once: one wins.
    const first = await Promise.all([store.advanceIndexGeneration(base, 0), store.advanceIndexGeneration(base, 0)]);
    expect(first.filter(Boolean)).toHaveLength(1);
    expect((await store.indexGenerations([base])).get(base)).toBe(1);
    // A stale `from` (0 again, or one ahead) moves nothing.
    expect(await store.advanceIndexGeneration(base, 0)).toBe(false);
    expect(await store.advanceIndexGeneration(base, 2)).toBe(false);
    expect((await store.indexGenerations([base])).get(base)).toBe(1);
    // From the current one, on; the other doc untouched.
    const second = await Promise.all([store.advanceIndexGeneration(base, 1), store.advanceIndexGeneration(base, 1)]);
    expect(second.filter(Boolean)).toHaveLength(1);
    expect(await store.indexGenerations([base, other])).toEqual(new Map([[base, 2], [other, 0]]));
  } finally {
    await store.close();
  }
}

describeBothStores('index generations: compare-and-set', exercise);

async function pruning(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    const base = 'street:prune';
    const gen = (generation: number) => indexGenerationDocName(base, generation);
    // Generations 0–3 of one street (0 folded into a snapshot, 1 with a client claim), a street never rolled over,
    // and a doc whose name starts like the street's.
    for (let generation = 0; generation <= 3; generation++) await store.appendUpdate(gen(generation), new Uint8Array(10 + generation));
    expect(await store.compactDoc(gen(0), () => new Uint8Array(50))).toBe(1);
    await store.appendUpdate(gen(0), new Uint8Array(5));
    await store.claimClients(gen(1), [7], 'wang');
    const untouched = ['street:never-rolled', `${base}-near`, 'order:o-1'];
    for (const name of untouched) await store.appendUpdate(name, new Uint8Array(3));
    for (let from = 0; from < 3; from++) expect(await store.advanceIndexGeneration(base, from)).toBe(true);
    expect(await store.listIndexGenerations()).toEqual(new Map([[base, 3]]));

    // 0 (snapshot 50 + entry 5) and 1 (entry 11) go; 2, the one before the current, stays with 3.
    expect(await pruneSupersededGenerations(store)).toEqual({ indexes: 1, docs: 2, bytes: 66 });
    expect(await store.listDocs('street:')).toEqual([gen(2), gen(3), `${base}-near`, 'street:never-rolled'].sort());
    expect(await store.loadDoc(gen(0))).toEqual({ snapshot: null, updates: [] });
    expect(await store.loadDoc(gen(1))).toEqual({ snapshot: null, updates: [] });
    expect((await store.loadDoc(gen(2))).updates).toHaveLength(1);
    for (const name of untouched) expect((await store.loadDoc(name)).updates).toHaveLength(1);
    // The deleted generation's client claims went with it.
    expect(await store.claimClients(gen(1), [7], 'li')).toEqual(new Map([[7, 'li']]));

    // Run again: nothing more to delete; after the next rollover, 2 goes.
    expect(await pruneSupersededGenerations(store)).toEqual({ indexes: 0, docs: 0, bytes: 0 });
    expect(await store.advanceIndexGeneration(base, 3)).toBe(true);
    expect(await pruneSupersededGenerations(store)).toEqual({ indexes: 1, docs: 1, bytes: 12 });
    expect(await store.listDocs(base)).toEqual([gen(3), `${base}-near`].sort());
  } finally {
    await store.close();
  }
}

describeBothStores('index generations: superseded ones pruned', pruning);
