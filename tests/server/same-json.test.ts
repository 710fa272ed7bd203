import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameJson } from '#server/store/rows.ts';

/** The JSON text of a value with every object's keys sorted: two values are equal as JSON when these are. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

describe('sameJson (equal as JSON values)', () => {
  it('ignores the order of object keys, and a key whose value is undefined', () => {
    expect(sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, gone: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson({ a: { b: 'x' } }, { a: { b: 'y' } })).toBe(false);
  });

  it('compares arrays element by element, an undefined element as the null JSON writes for it', () => {
    expect(sameJson(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameJson(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameJson(['a'], ['a', 'b'])).toBe(false);
    expect(sameJson([undefined], [null])).toBe(true);
    expect(sameJson(['a', undefined], ['a'])).toBe(false);
    expect(sameJson(['a'], { 0: 'a' })).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });

  it('says what the JSON texts say, for any JSON values and for a copy with its keys reordered', () => {
    const reordered = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(reordered) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)])) : value;
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameJson(a, b)).toBe(canonical(a) === canonical(b));
        expect(sameJson(a, reordered(a))).toBe(true);
      }),
    );
  });
});
