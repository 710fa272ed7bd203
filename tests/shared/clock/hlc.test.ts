import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, createHlc, decodeHlc, encodeHlc, MAX_DRIFT_MS, tickHlc, withServerOffset } from '#shared/clock/hlc.ts';
import { cryptoRandomBytes, newId, seededRandomBytes } from '#shared/clock/ids.ts';

const T = Date.UTC(2026, 10, 2);

describe('hybrid logical clock', () => {
  it('follows the wall clock when it moves forward', () => {
    const a = tickHlc(createHlc('phone'), T);
    expect(decodeHlc(a.stamp)).toEqual({ wall: T, counter: 0, node: 'phone' });
    const b = tickHlc(a.state, T + 5);
    expect(decodeHlc(b.stamp)).toEqual({ wall: T + 5, counter: 0, node: 'phone' });
  });

  it('counts when the wall clock stands still or goes back', () => {
    const a = tickHlc(createHlc('phone'), T);
    const b = tickHlc(a.state, T);
    const c = tickHlc(b.state, T - 60_000); // the user moved the clock back
    expect([a.stamp, b.stamp, c.stamp].map((s) => decodeHlc(s)!.counter)).toEqual([0, 1, 2]);
    expect(compareHlc(a.stamp, b.stamp)).toBe(-1);
    expect(compareHlc(b.stamp, c.stamp)).toBe(-1);
  });

  it('stamps after every event seen, even from a device whose clock is ahead', () => {
    const ahead = tickHlc(createHlc('clerk'), T + 3_600_000).stamp;
    const mine = tickHlc(createHlc('phone'), T, [ahead]).stamp;
    expect(compareHlc(ahead, mine)).toBe(-1);
  });

  it('does not follow a stamp absurdly far in the future', () => {
    const future = encodeHlc({ wall: T + MAX_DRIFT_MS + 1, counter: 0, node: 'broken' });
    const mine = tickHlc(createHlc('phone'), T, [future]).stamp;
    expect(decodeHlc(mine)!.wall).toBe(T);
  });

  it('orders stamps as strings exactly as by (wall, counter, node)', () => {
    const stamp = fc.record({ wall: fc.integer({ min: 0, max: 2 ** 45 }), counter: fc.nat(60_000_000), node: fc.constantFrom('a', 'b', 'phone-1') });
    fc.assert(
      fc.property(stamp, stamp, (x, y) => {
        const byFields = x.wall - y.wall || x.counter - y.counter || (x.node < y.node ? -1 : x.node > y.node ? 1 : 0);
        expect(Math.sign(compareHlc(encodeHlc(x), encodeHlc(y)))).toBe(Math.sign(byFields));
        expect(decodeHlc(encodeHlc(x))).toEqual(x);
      }),
    );
  });

  it('is monotonic for any sequence of clock readings', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: T - 1e9, max: T + 1e9 }), { minLength: 2, maxLength: 50 }), (readings) => {
        let state = createHlc('phone');
        let last = '';
        for (const now of readings) {
          const next = tickHlc(state, now);
          expect(compareHlc(last, next.stamp)).toBe(-1);
          state = next.state;
          last = next.stamp;
        }
      }),
    );
  });

  it('keeps the measured offset to the server clock', () => {
    const state = withServerOffset(createHlc('phone'), T + 90_000, T);
    expect(state.serverOffsetMs).toBe(90_000);
  });

  it('refuses node ids that would break the encoding', () => {
    expect(() => createHlc('a.b')).toThrow(/invalid HLC node/);
  });
});

describe('ids', () => {
  it('are 16 base-36 characters and repeat for the same seed only', () => {
    const a = newId(seededRandomBytes(1));
    expect(a).toMatch(/^[0-9a-z]{16}$/);
    expect(newId(seededRandomBytes(1))).toBe(a);
    expect(newId(seededRandomBytes(2))).not.toBe(a);
  });

  it('come from Web Crypto in the apps, which Node has as a global too', () => {
    expect(cryptoRandomBytes(24)).toHaveLength(24);
    expect(newId(cryptoRandomBytes)).not.toBe(newId(cryptoRandomBytes));
  });
});
