import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { buildOrgTree, descendantsOf, UnitSchema } from '#shared/org/units.ts';
import { ROLE_UNIT_KIND, ROLES, UserSchema } from '#shared/org/roles.ts';
import { DEFAULT_ORG_SIZE, DEMO_ACCOUNTS, DEMO_PASSWORD, generateOrg, generateUsers, staffDirectory } from '#demo/index.ts';

describe('generateOrg', () => {
  it('builds 示范市 with 3 districts × 3 streets × 4 communities × 4 grids by default', () => {
    const org = generateOrg();
    expect(DEFAULT_ORG_SIZE).toEqual({ districts: 3, streetsPerDistrict: 3, communitiesPerStreet: 4, gridsPerCommunity: 4 });
    const count = (kind: string) => org.units.filter((u) => u.kind === kind).length;
    expect([count('city'), count('district'), count('street'), count('community'), count('grid')]).toEqual([1, 3, 9, 36, 144]);
    expect(org.units[0]).toEqual({ id: 'city', kind: 'city', name: '示范市', parentId: null });
    expect(org.grids).toHaveLength(144);
  });

  it('gives every unit a valid, readable id and a tree that builds', () => {
    const org = generateOrg();
    for (const unit of org.units) expect(v.safeParse(UnitSchema, unit).success, unit.id).toBe(true);
    const tree = buildOrgTree(org.units);
    expect(descendantsOf(tree, 'city')).toHaveLength(org.units.length - 1);
    expect(tree.units.get('d1-s2-c3-g4')).toMatchObject({ kind: 'grid', parentId: 'd1-s2-c3' });
    expect(tree.units.get('d1-s1')?.name).toBe('凯旋路街道');
    expect(tree.units.get('d1-s1-c1')?.name).toBe('株洲路社区');
    expect(tree.units.get('d1-s1-c1-g1')?.name).toBe('株洲路社区第一网格');
  });

  it('names units uniquely among siblings and cousins', () => {
    const org = generateOrg({ districts: 6, streetsPerDistrict: 8 });
    for (const kind of ['district', 'street', 'community'] as const) {
      const names = org.units.filter((u) => u.kind === kind).map((u) => u.name);
      expect(new Set(names).size, kind).toBe(names.length);
    }
    expect(() => buildOrgTree(org.units)).not.toThrow();
  });

  it('takes other sizes and refuses nonsense', () => {
    expect(generateOrg({ districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 1, gridsPerCommunity: 1 }).units).toHaveLength(5);
    expect(() => generateOrg({ districts: 0 })).toThrow(/districts/);
    expect(() => generateOrg({ gridsPerCommunity: 1.5 })).toThrow(/gridsPerCommunity/);
  });

  it('places each grid inside its chain of units, with roads and compounds to write addresses with', () => {
    const org = generateOrg();
    for (const g of org.grids) {
      expect(g.grid.parentId).toBe(g.community.id);
      expect(g.community.parentId).toBe(g.street.id);
      expect(g.street.parentId).toBe(g.district.id);
      expect(g.roads.length).toBeGreaterThan(1);
      expect(g.compounds.length).toBeGreaterThan(0);
    }
  });
});

describe('generateUsers', () => {
  const org = generateOrg();
  const users = generateUsers(org);

  it('has one user per role and unit of that role’s kind, all valid', () => {
    for (const user of users) expect(v.safeParse(UserSchema, user).success, user.id).toBe(true);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    const units = new Map(org.units.map((u) => [u.id, u]));
    for (const user of users) expect(units.get(user.unitId)?.kind, user.id).toBe(ROLE_UNIT_KIND[user.role]);
    for (const role of ROLES) {
      const kind = ROLE_UNIT_KIND[role];
      expect(users.filter((u) => u.role === role).length, role).toBe(org.units.filter((u) => u.kind === kind).length);
    }
  });

  it('gives the first user of each role the memorable demo account', () => {
    expect(DEMO_PASSWORD).toBe('lianxin123');
    expect(DEMO_ACCOUNTS.map((a) => a.id)).toEqual(['grid1', 'community1', 'clerk1', 'supervisor1', 'admin']);
    for (const account of DEMO_ACCOUNTS) {
      const { password, ...user } = account;
      expect(password).toBe(DEMO_PASSWORD);
      expect(users).toContainEqual(user);
      expect(users.find((u) => u.role === account.role)?.id).toBe(account.id);
    }
    expect(users.find((u) => u.unitId === 'd1-s1-c1-g2')?.id).toBe('gw-d1-s1-c1-g2');
  });

  it('can staff a grid with several workers and look staff up by unit', () => {
    const many = generateUsers(org, { gridWorkersPerGrid: 2 });
    const staff = staffDirectory(many);
    expect(staff.workersOf('d1-s1-c1-g1').map((u) => u.id)).toEqual(['grid1', 'gw-d1-s1-c1-g1-2']);
    expect(staff.handlerOf('d1-s1-c1').id).toBe('community1');
    expect(staff.clerkOf('d2-s1').id).toBe('sc-d2-s1');
    expect(staff.supervisorOf('d3').id).toBe('sv-d3');
    expect(() => staff.clerkOf('nowhere')).toThrow();
  });
});
