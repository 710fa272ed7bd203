/** The test organisation, its users (all with one password) and intakes. */
import type { Unit } from '#shared/org/units.ts';
import type { OrderIntakeInput } from '#shared/order/intake.ts';
import { intake, users } from '../../shared/support/builders.ts';

export const PASSWORD = 'test-password-1';

export { users };

/** A user of another street, outside every test order's scope. */
export const outsider = { id: 'grid-s2', name: '孙丽', role: 'grid_worker', unitId: 'd1-s2-c1-g1' } as const;

const unit = (id: string, kind: Unit['kind'], parentId: string | null): Unit => ({ id, kind, name: `${kind} ${id}`, parentId });

export const units: Unit[] = [
  unit('city', 'city', null),
  unit('d1', 'district', 'city'),
  unit('d1-s1', 'street', 'd1'),
  unit('d1-s1-c1', 'community', 'd1-s1'),
  unit('d1-s1-c1-g1', 'grid', 'd1-s1-c1'),
  unit('d1-s1-c1-g2', 'grid', 'd1-s1-c1'),
  unit('d1-s2', 'street', 'd1'),
  unit('d1-s2-c1', 'community', 'd1-s2'),
  unit('d1-s2-c1-g1', 'grid', 'd1-s2-c1'),
];

export function fixtureFile(): { units: Unit[]; users: object[] } {
  return {
    units,
    users: [...Object.values(users), outsider].map((u) => ({ ...u, password: PASSWORD })),
  };
}

let counter = 0;

/** A hotline intake in grid 1 with a unique id and order number. */
export function hotlineIntake(overrides: Partial<OrderIntakeInput> = {}): OrderIntakeInput {
  counter += 1;
  const n = `${process.pid}${Date.now() % 1_000_000}${counter}`.slice(-12);
  return { ...intake({ id: `o-${n}`, orderNo: `2509${n}` }), ...overrides };
}
