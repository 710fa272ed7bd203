/** Positions read as places: "距事发地 80 米", coordinates only on request; a geo: link for the map app. */
import { describe, expect, it } from 'vitest';
import { geoLink, placeOf, roundMetres } from '#shared/order/place.ts';

const origin = { kind: 'fix', position: { lat: 34.6712, lng: 112.4021, accuracy: 30 } } as const;

describe('placeOf', () => {
  it('says how far from the reported place, rounded, with the accuracy', () => {
    // ~0.00072° of latitude ≈ 80 m.
    const here = { kind: 'fix', position: { lat: 34.67192, lng: 112.4021, accuracy: 14.6 } } as const;
    expect(placeOf(here, origin)).toEqual({ kind: 'near', metres: 80, accuracy: 15 });
  });

  it('says only that it was located when the order has no position, and why not when there was none', () => {
    expect(placeOf(origin, null)).toEqual({ kind: 'fix', accuracy: 30 });
    expect(placeOf({ kind: 'none', reason: 'indoors' }, origin)).toEqual({ kind: 'none', reason: 'indoors' });
  });

  it('rounds to 10 m below a kilometre and to 100 m above', () => {
    expect(roundMetres(84)).toBe(80);
    expect(roundMetres(1234)).toBe(1200);
  });
});

describe('geoLink', () => {
  it('opens the address in the map app, with the coordinates when known', () => {
    expect(geoLink('中州路 12 号', null)).toBe(`geo:0,0?q=${encodeURIComponent('中州路 12 号')}`);
    expect(geoLink('中州路', origin.position)).toMatch(/^geo:34\.671200,112\.402100\?q=34\.671200,112\.402100\(/);
  });
});
