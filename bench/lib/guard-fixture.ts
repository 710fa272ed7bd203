/** One grid's org tree, an order and the guard's context, for the in-process micro-benchmarks of the server's checks. */
import { buildOrgTree, type Unit } from '#shared/org/units.ts';
import type { GuardContext } from '#shared/sync/guard.ts';
import { intake as buildIntake } from '../../tests/shared/support/builders.ts';

const MB = 1024 * 1024;
export const NOW = Date.UTC(2026, 10, 20, 2, 0);
const unit = (id: string, kind: Unit['kind'], parentId: string | null): Unit => ({ id, kind, name: id, parentId });
export const tree = buildOrgTree([
  unit('city', 'city', null),
  unit('d1', 'district', 'city'),
  unit('d1-s1', 'street', 'd1'),
  unit('d1-s1-c1', 'community', 'd1-s1'),
  unit('d1-s1-c1-g1', 'grid', 'd1-s1-c1'),
]);
export const order = buildIntake({ receivedAt: NOW - 10 * 86_400_000, deadline: NOW + 86_400_000 });
export const context: GuardContext = {
  now: NOW,
  clockSkewMs: 5 * 60_000,
  notBefore: NOW - 30 * 86_400_000,
  orderCreatedAt: NOW - 10 * 86_400_000,
  // Raised so that a big order is measured, not refused at the door.
  limits: { eventMaxBytes: 4 * MB, orderMaxBytes: 512 * MB, orderMaxEvents: 100_000 },
  docBytes: 0,
};
