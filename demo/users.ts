/**
 * Staff for every unit of the demo organisation, one user per role and unit,
 * and the handful of memorable accounts `npm start` prints.
 */
import { ROLE_UNIT_KIND, ROLES, type Role, type User } from '#shared/org/roles.ts';
import type { UnitKind } from '#shared/org/units.ts';
import { staffName } from './names.ts';
import type { DemoOrg } from './org.ts';

/** Demo only: every seeded account has this password. Never use it for real data. */
export const DEMO_PASSWORD = 'lianxin123';

export interface DemoAccount extends User {
  readonly password: string;
}

/**
 * The first user of each role: the first grid, community, street and district
 * of the organisation, and the city. Names match the hand-written test fixtures.
 */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { id: 'grid1', name: '王伟', role: 'grid_worker', unitId: 'd1-s1-c1-g1', password: DEMO_PASSWORD },
  { id: 'community1', name: '陈静', role: 'community_handler', unitId: 'd1-s1-c1', password: DEMO_PASSWORD },
  { id: 'clerk1', name: '刘芳', role: 'street_clerk', unitId: 'd1-s1', password: DEMO_PASSWORD },
  { id: 'supervisor1', name: '周敏', role: 'supervisor', unitId: 'd1', password: DEMO_PASSWORD },
  { id: 'admin', name: '系统管理员', role: 'admin', unitId: 'city', password: DEMO_PASSWORD },
];

const ID_PREFIX: Record<Role, string> = {
  grid_worker: 'gw',
  community_handler: 'ch',
  street_clerk: 'sc',
  supervisor: 'sv',
  admin: 'ad',
};

export interface UserOptions {
  /** Grid workers per grid (default 1); a second one lets demos show two workers racing to accept. */
  readonly gridWorkersPerGrid?: number;
}

/** Every user, role by role in `ROLES` order, each role's users in unit order. */
export function generateUsers(org: DemoOrg, options: UserOptions = {}): User[] {
  const perGrid = options.gridWorkersPerGrid ?? 1;
  if (!Number.isInteger(perGrid) || perGrid < 1 || perGrid > 9) throw new Error(`gridWorkersPerGrid must be 1 to 9, got ${perGrid}`);
  const users: User[] = [];
  let n = 0;
  for (const role of ROLES) {
    const kind: UnitKind = ROLE_UNIT_KIND[role];
    const perUnit = role === 'grid_worker' ? perGrid : 1;
    for (const unit of org.units) {
      if (unit.kind !== kind) continue;
      for (let k = 1; k <= perUnit; k++, n++) {
        const account = DEMO_ACCOUNTS.find((a) => a.role === role && a.unitId === unit.id);
        if (account && k === 1) {
          users.push({ id: account.id, name: account.name, role, unitId: unit.id });
          continue;
        }
        const id = `${ID_PREFIX[role]}-${unit.id}${k === 1 ? '' : `-${k}`}`;
        users.push({ id, name: staffName(n), role, unitId: unit.id });
      }
    }
  }
  return users;
}

/** Who works where: the lookups a history needs. */
export interface Staff {
  workersOf(gridId: string): readonly User[];
  handlerOf(communityId: string): User;
  clerkOf(streetId: string): User;
  supervisorOf(districtId: string): User;
}

export function staffDirectory(users: readonly User[]): Staff {
  const byUnit = new Map<string, User[]>();
  for (const user of users) {
    const key = `${user.role}:${user.unitId}`;
    const list = byUnit.get(key) ?? [];
    list.push(user);
    byUnit.set(key, list);
  }
  const all = (role: Role, unitId: string): readonly User[] => byUnit.get(`${role}:${unitId}`) ?? [];
  const one = (role: Role, unitId: string): User => {
    const user = all(role, unitId)[0];
    if (!user) throw new Error(`no ${role} for unit ${unitId}`);
    return user;
  };
  return {
    workersOf: (gridId) => {
      const workers = all('grid_worker', gridId);
      if (workers.length === 0) throw new Error(`no grid worker for ${gridId}`);
      return workers;
    },
    handlerOf: (communityId) => one('community_handler', communityId),
    clerkOf: (streetId) => one('street_clerk', streetId),
    supervisorOf: (districtId) => one('supervisor', districtId),
  };
}
