/** User ids and units as devices use them: a user id always makes a valid clock id; a unit knows its place. */
import * as fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createHlc, decodeHlc, tickHlc } from '#shared/clock/hlc.ts';
import { USER_ID_MAX, UserIdSchema } from '#shared/org/roles.ts';
import { buildOrgTree, placeOfUnit, type Unit } from '#shared/org/units.ts';

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.';

describe('user ids and device clock ids', () => {
  it('turns every valid user id into a valid clock id that round-trips, and refuses the rest', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 0, maxLength: USER_ID_MAX + 4 }), (id: string) => {
        if (!v.safeParse(UserIdSchema, id).success) {
          expect(id === '' || id.includes('.') || id.length > USER_ID_MAX).toBe(true);
          return;
        }
        const node = `dev-${id}`;
        const { stamp } = tickHlc(createHlc(node), 1_700_000_000_000);
        expect(decodeHlc(stamp)?.node).toBe(node);
      }),
      { seed: 20261201, numRuns: 500 },
    );
  });

  it('refuses dotted user ids, which would break event stamps', () => {
    expect(v.is(UserIdSchema, 'wang.wei')).toBe(false);
    expect(() => createHlc('dev-wang.wei')).toThrow(/invalid HLC node/);
  });
});

describe('placeOfUnit', () => {
  const unit = (id: string, kind: Unit['kind'], parentId: string | null): Unit => ({ id, kind, name: id, parentId });
  const tree = buildOrgTree([
    unit('city', 'city', null),
    unit('d1', 'district', 'city'),
    unit('d1-s1', 'street', 'd1'),
    unit('d1-s1-c1', 'community', 'd1-s1'),
    unit('d1-s1-c1-g1', 'grid', 'd1-s1-c1'),
  ]);

  it('names every level at or above the unit and null below it', () => {
    expect(placeOfUnit(tree, 'd1-s1-c1-g1')).toEqual({ unitId: 'd1-s1-c1-g1', districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g1' });
    expect(placeOfUnit(tree, 'd1-s1-c1')).toEqual({ unitId: 'd1-s1-c1', districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1', gridId: null });
    expect(placeOfUnit(tree, 'city')).toEqual({ unitId: 'city', districtId: null, streetId: null, communityId: null, gridId: null });
    expect(placeOfUnit(tree, 'nowhere')).toBeNull();
  });
});
