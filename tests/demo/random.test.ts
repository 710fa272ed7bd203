import { describe, expect, it } from 'vitest';
import { createRng, itemAt, mixSeed, weighted } from '#demo/random.ts';

describe('demo randomness', () => {
  it('repeats a stream for a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRng(seed).next);
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('mixes seeds so neighbouring orders get unrelated streams', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => mixSeed(42, i, 3)));
    expect(seeds.size).toBe(1000);
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(mixSeed(2 ** 40 + 1)).not.toBe(mixSeed(1));
  });

  it('draws from a weighted table in proportion to the weights', () => {
    const table = weighted([
      ['a', 3],
      ['b', 1],
      ['never', 0],
    ] as const);
    expect(table.items).toEqual(['a', 'b']);
    expect(table.shareOf('a')).toBeCloseTo(0.75);
    const rng = createRng(9);
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (table.pick(rng) === 'a') a++;
    expect(a / 10_000).toBeCloseTo(0.75, 1);
    expect(() => weighted([['x', 0]])).toThrow();
  });

  it('refuses to read outside a list', () => {
    expect(itemAt(['x'], 0)).toBe('x');
    expect(() => itemAt(['x'], 1)).toThrow();
    expect(() => createRng(1).pick([])).toThrow();
  });
});
