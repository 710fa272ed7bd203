/** GET /api/org: the caller's branch of the organisation, nothing beside it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './support/client.ts';
import { users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let server: ServerProcess;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startServer();
  dirs.push(server.dataDir);
}, 40_000);

afterAll(async () => {
  await stopAll(dirs);
});

async function orgOf(userId: string): Promise<string[]> {
  const token = await login(server.url, userId);
  const res = await fetch(`${server.url}/api/org`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { units: { id: string }[] };
  return body.units.map((u) => u.id).sort();
}

describe('GET /api/org', () => {
  it('gives a street clerk their street, what is above it and everything below it, and no other street', async () => {
    expect(await orgOf(users.clerk.id)).toEqual(['city', 'd1', 'd1-s1', 'd1-s1-c1', 'd1-s1-c1-g1', 'd1-s1-c1-g2']);
  });

  it('gives a grid worker only the chain above their grid', async () => {
    expect(await orgOf(users.worker.id)).toEqual(['city', 'd1', 'd1-s1', 'd1-s1-c1', 'd1-s1-c1-g1']);
  });

  it('refuses without a session', async () => {
    expect((await fetch(`${server.url}/api/org`)).status).toBe(401);
  });
});
