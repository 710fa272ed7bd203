/**
 * The record of each live index doc's current generation (docs/SERVER.md, "Index docs in generations"), in both
 * stores: a compare-and-set, so of two instances rolling the same doc over from the same generation exactly one
 * wins, and a stale `from` moves nothing.
 */
import { expect } from 'vitest';
import type { Store } from '#server/store/store.ts';
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
