import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { UnitSchema } from '#shared/org/units.ts';

const street = { id: 'd1-s1', kind: 'street', name: '凯旋路街道', parentId: 'd1' };

describe('a unit’s 预警 window', () => {
  it('is a whole number of hours, from JSON or CSV text, and absent unless set', () => {
    expect(v.parse(UnitSchema, { ...street, warningHours: '12' }).warningHours).toBe(12);
    expect(v.parse(UnitSchema, { ...street, warningHours: 48 }).warningHours).toBe(48);
    for (const bad of ['0', 1.5, 721, '12h', -1]) expect(v.safeParse(UnitSchema, { ...street, warningHours: bad }).success, String(bad)).toBe(false);
    expect(v.parse(UnitSchema, street)).not.toHaveProperty('warningHours');
  });
});
