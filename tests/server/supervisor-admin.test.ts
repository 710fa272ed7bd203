/**
 * What supervisors and admins read: a supervisor the street index docs of
 * their district (no district index doc: the server authorises each street's
 * by the scope rule) and its orders, nothing of another district; an admin
 * the accounts, through an admin-only endpoint.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexDocNamesFor } from '#shared/client/sync.ts';
import { warningWindowMsFor } from '#shared/order/queues.ts';
import type { Unit } from '#shared/org/units.ts';
import { orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { TestClient, createOrder, login, waitFor } from './support/client.ts';
import { PASSWORD, fixtureFile, users } from './support/fixture.ts';
import { startServer, stopAll, tempDir, type ServerProcess } from './support/server.ts';

/** A second district with its own street, clerk and supervisor. */
const otherDistrict = {
  units: [
    { id: 'd2', kind: 'district', name: '涧西区', parentId: 'city' },
    { id: 'd2-s1', kind: 'street', name: '天津路街道', parentId: 'd2' },
    { id: 'd2-s1-c1', kind: 'community', name: '天津路社区', parentId: 'd2-s1' },
    { id: 'd2-s1-c1-g1', kind: 'grid', name: '第一网格', parentId: 'd2-s1-c1' },
  ],
  clerk: { id: 'clerk-d2', name: '韩梅', role: 'street_clerk', unitId: 'd2-s1' },
} as const;

let server: ServerProcess;
const dirs: string[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  const dataDir = await tempDir();
  dirs.push(dataDir);
  const base = fixtureFile();
  const file = join(dataDir, 'org.json');
  // Street 1's office sets its own 预警 window.
  const units = base.units.map((unit) => (unit.id === 'd1-s1' ? { ...unit, warningHours: 12 } : unit));
  await writeFile(file, JSON.stringify({ units: [...units, ...otherDistrict.units], users: [...base.users, { ...otherDistrict.clerk, password: PASSWORD }] }));
  server = await startServer({ dataDir, importFixture: false, args: ['--import', file] });
}, 40_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await stopAll(dirs);
});

async function connect(user: Parameters<typeof TestClient.connect>[1], seed: number): Promise<TestClient> {
  const client = await TestClient.connect(server, user, seed);
  clients.push(client);
  return client;
}

describe('a supervisor', () => {
  it('reads the street index docs of the district and its orders, and nothing of another district', async () => {
    const inDistrict = await createOrder(server.url);
    const elsewhere = await createOrder(
      server.url,
      { place: { districtId: 'd2', streetId: 'd2-s1', communityId: 'd2-s1-c1', gridId: 'd2-s1-c1-g1' } },
      otherDistrict.clerk.id,
    );
    // The docs the app opens for a supervisor who knows the district's streets.
    const names = indexDocNamesFor(users.supervisor, ['d1-s1', 'd1-s2']);
    expect(names).toEqual([streetIndexDocName('d1-s1'), streetIndexDocName('d1-s2')]);

    const supervisor = await connect(users.supervisor, 41);
    const [s1, s2] = await Promise.all(names.map((name) => supervisor.open(name).synced()));
    await waitFor(() => s1!.doc.getMap('orders').has(inDistrict.id), 'order in the street index the supervisor reads');
    expect(s2!.doc.getMap('orders').has(inDistrict.id)).toBe(false);
    await supervisor.open(orderDocName(inDistrict.id)).synced();

    expect(await supervisor.open(streetIndexDocName('d2-s1')).deniedReason()).toMatch(/^out_of_scope/);
    expect(await supervisor.open(orderDocName(elsewhere.id)).deniedReason()).toMatch(/^out_of_scope/);
  }, 30_000);

  it('cannot write into a street index doc', async () => {
    const supervisor = await connect(users.supervisor, 42);
    const index = await supervisor.open(streetIndexDocName('d1-s1')).synced();
    index.doc.getMap('orders').set('forged', { status: 'archived' });
    const clerk = await connect(users.clerk, 43);
    const fresh = await clerk.open(streetIndexDocName('d1-s1')).synced();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fresh.doc.getMap('orders').has('forged')).toBe(false);
    expect(index.provider.unsyncedChanges).toBeGreaterThan(0);
  }, 30_000);
});

describe("an office's 预警 window", () => {
  it('is imported with its unit and reaches the office through GET /api/org', async () => {
    const res = await fetch(`${server.url}/api/org`, { headers: { Authorization: `Bearer ${await login(server.url, users.clerk.id)}` } });
    const body = (await res.json()) as { units: Unit[] };
    expect(body.units.find((unit) => unit.id === 'd1-s1')?.warningHours).toBe(12);
    expect(body.units.find((unit) => unit.id === 'd1')).not.toHaveProperty('warningHours');
    expect(warningWindowMsFor(body.units, users.clerk.unitId)).toBe(12 * 60 * 60 * 1000);
  });
});

describe('GET /api/admin/users', () => {
  const get = async (userId: string | null) =>
    fetch(`${server.url}/api/admin/users`, userId === null ? {} : { headers: { Authorization: `Bearer ${await login(server.url, userId)}` } });

  it('lists every account with its unit and state to an admin, and nothing secret', async () => {
    const res = await get(users.admin.id);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { users: Record<string, unknown>[] };
    expect(body.users).toContainEqual({ ...otherDistrict.clerk, disabled: false });
    expect(body.users).toContainEqual({ ...users.supervisor, disabled: false });
    for (const user of body.users) expect(Object.keys(user).sort()).toEqual(['disabled', 'id', 'name', 'role', 'unitId']);
  });

  it('refuses everyone else', async () => {
    expect((await get(users.supervisor.id)).status).toBe(403);
    expect((await get(users.clerk.id)).status).toBe(403);
    expect((await get(null)).status).toBe(401);
  });
});
