/** The test organisation, its users (all with one password) and intakes. */
import * as v from 'valibot';
import { cryptoRandomBytes, newId } from '#shared/clock/ids.ts';
import type { User } from '#shared/org/roles.ts';
import type { Unit } from '#shared/org/units.ts';
import { OrderIntakeSchema, type OrderIntake, type OrderIntakeInput, type OrderIntakeRequest } from '#shared/order/intake.ts';
import { DAY, intake, users } from '../../shared/support/builders.ts';

export const PASSWORD = 'test-password-1';

export { users };

/** A user of another street, outside every test order's scope. */
export const outsider = { id: 'grid-s2', name: '孙丽', role: 'grid_worker', unitId: 'd1-s2-c1-g1' } as const;
/** The clerk of that other street. */
export const outsideClerk = { id: 'clerk-s2', name: '马骏', role: 'street_clerk', unitId: 'd1-s2' } as const;

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
    users: [...Object.values(users), outsider, outsideClerk].map((u) => ({ ...u, password: PASSWORD })),
  };
}

let counter = 0;

/** A hotline intake in grid 1 with a unique order number; the server gives it its id. */
export function hotlineIntake(overrides: Partial<OrderIntakeRequest> = {}): OrderIntakeRequest {
  counter += 1;
  const n = `${process.pid}${Date.now() % 1_000_000}${counter}`.slice(-12);
  const { id: _id, ...request } = intake({ orderNo: `2509${n}` });
  return { ...request, ...overrides };
}

/** Grid places of the test organisation. */
export const places = {
  grid1: { districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g1' },
  /** The outsider's grid, in street 2. */
  outsider: { districtId: 'd1', streetId: 'd1-s2', communityId: 'd1-s2-c1', gridId: 'd1-s2-c1-g1' },
} as const;

/** A field report by `reporter` at `place`, with a random id made on the device as the PWA makes it, received now. */
export function fieldReport(reporter: Pick<User, 'id'>, place: OrderIntake['place'], overrides: Partial<OrderIntakeInput> = {}): OrderIntake {
  const id = `fr-${newId(cryptoRandomBytes)}`;
  const now = Date.now();
  return v.parse(OrderIntakeSchema, {
    ...intake({ id, orderNo: id.toUpperCase(), source: 'field_report', channel: 'field', reportedBy: reporter.id, citizen: { name: '' }, place }),
    receivedAt: now,
    deadline: now + 5 * DAY,
    ...overrides,
  });
}
