import { describe, expect, it } from 'vitest';
import { arrangePhotos } from '#shared/order/photo-pairs.ts';

describe('arrangePhotos', () => {
  it('pairs the n-th before with the n-th after by time taken; the rest follow', () => {
    const p = (id: string, takenAt: number, stage?: 'before' | 'after') => ({ id, takenAt, ...(stage ? { stage } : {}) });
    const photos = [p('a2', 4, 'after'), p('x', 2), p('b1', 1, 'before'), p('a1', 3, 'after'), p('b2', 5, 'before'), p('a3', 6, 'after')];
    const { pairs, others } = arrangePhotos(photos);
    expect(pairs.map((pair) => [pair.before?.id ?? null, pair.after?.id ?? null])).toEqual([
      ['b1', 'a1'],
      ['b2', 'a2'],
      [null, 'a3'],
    ]);
    expect(others.map((o) => o.id)).toEqual(['x']);
  });
});
