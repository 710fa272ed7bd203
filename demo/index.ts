/**
 * Seeded demo data: a fictional city's organisation, its staff and work
 * orders with plausible histories, for `npm start`, the PWA's demo mode,
 * tests and benchmarks. Pure and deterministic: the same options give the
 * same data, on any runtime.
 */
import type { User } from '#shared/org/roles.ts';
import type { Unit } from '#shared/org/units.ts';
import { createDemo, type DemoOptions, type DemoOrder } from './demo.ts';

export { createDemo, AVERAGE_HANDLING_DAYS, ORDERS_PER_GRID_PER_DAY } from './demo.ts';
export type { Demo, DemoOptions, DemoOrder } from './demo.ts';
export { generateOrg, DEFAULT_ORG_SIZE, CITY_ID, CITY_NAME } from './org.ts';
export type { DemoOrg, GridPlace, OrgSize } from './org.ts';
export { generateUsers, staffDirectory, DEMO_ACCOUNTS, DEMO_PASSWORD } from './users.ts';
export type { DemoAccount, Staff, UserOptions } from './users.ts';
export { REAL_CASES, REAL_CASE_GRID } from './real-cases.ts';
export type { RealCase } from './real-cases.ts';
export { TYPE_WEIGHTS, CHANNEL_WEIGHTS } from './intakes.ts';
export { NOT_IN_DEMO, SATISFACTION_WEIGHTS } from './plan.ts';

export interface DemoData {
  readonly units: readonly Unit[];
  readonly users: readonly User[];
  readonly orders: readonly DemoOrder[];
}

/** Everything at once. For large sets, `createDemo(options).orders()` streams them instead. */
export function generateDemo(options: DemoOptions): DemoData {
  const demo = createDemo(options);
  return { units: demo.units, users: demo.users, orders: [...demo.orders()] };
}

/** Just the orders, built as they are consumed (benchmarks: `generateOrders({ now, count: 10_000, openCount: 200 })`). */
export function generateOrders(options: DemoOptions): Generator<DemoOrder, void, undefined> {
  return createDemo(options).orders();
}
