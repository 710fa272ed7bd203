/**
 * 常用语 per unit: PUT /api/org/units/:id/phrases is authorised by scope (an
 * admin any unit, a street's clerk their street and below, nobody else), and
 * what was set reaches the units below through GET /api/org.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './support/client.ts';
import { outsideClerk, outsider, users } from './support/fixture.ts';
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

const book = (action: string) => ({ actions: [action], publicReply: [], returnReason: [] });

async function put(userId: string, unitId: string, body: unknown): Promise<number> {
  const token = await login(server.url, userId);
  const res = await fetch(`${server.url}/api/org/units/${unitId}/phrases`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.body?.cancel();
  return res.status;
}

async function phrasesSeenBy(userId: string): Promise<Record<string, { actions: string[] }>> {
  const token = await login(server.url, userId);
  const res = await fetch(`${server.url}/api/org`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { phrases: Record<string, { actions: string[] }> }).phrases;
}

describe('PUT /api/org/units/:id/phrases', () => {
  it('lets a street clerk set their street’s phrases and those of a grid below it; the grid’s workers get both', async () => {
    expect(await put(users.clerk.id, 'd1-s1', book('街道统一用语'))).toBe(200);
    expect(await put(users.clerk.id, 'd1-s1-c1-g1', book('网格用语'))).toBe(200);
    const seen = await phrasesSeenBy(users.worker.id);
    expect(seen['d1-s1']?.actions).toEqual(['街道统一用语']);
    expect(seen['d1-s1-c1-g1']?.actions).toEqual(['网格用语']);
  });

  it('refuses a grid worker, even for their own grid', async () => {
    expect(await put(users.worker.id, 'd1-s1-c1-g1', book('自己设的'))).toBe(403);
    expect(await put(users.community.id, 'd1-s1-c1', book('社区设的'))).toBe(403);
    expect((await phrasesSeenBy(users.worker.id))['d1-s1-c1-g1']?.actions).not.toContain('自己设的');
  });

  it('refuses the clerk of another street, for the street and for a grid of it', async () => {
    expect(await put(outsideClerk.id, 'd1-s1', book('别的街道'))).toBe(403);
    expect(await put(outsideClerk.id, 'd1-s1-c1-g1', book('别的街道'))).toBe(403);
    expect(await put(users.clerk.id, 'd1-s2', book('越界'))).toBe(403);
    expect((await phrasesSeenBy(users.worker.id))['d1-s1']?.actions).toEqual(['街道统一用语']);
    expect((await phrasesSeenBy(outsider.id))['d1-s2']).toBeUndefined();
  });

  it('lets an admin set any unit’s, and lists a unit’s phrases only to its branch', async () => {
    expect(await put(users.admin.id, 'd1-s2', book('管理员设的'))).toBe(200);
    expect((await phrasesSeenBy(outsider.id))['d1-s2']?.actions).toEqual(['管理员设的']);
    expect((await phrasesSeenBy(users.worker.id))['d1-s2']).toBeUndefined();
  });

  it('refuses an unknown unit, a malformed book and no session', async () => {
    expect(await put(users.admin.id, 'nowhere', book('x'))).toBe(403);
    expect(await put(users.clerk.id, 'd1-s1', { actions: 'not a list', publicReply: [], returnReason: [] })).toBe(400);
    expect(await put(users.clerk.id, 'd1-s1', { ...book('x'), actions: ['长'.repeat(101)] })).toBe(400);
    expect((await fetch(`${server.url}/api/org/units/d1-s1/phrases`, { method: 'PUT', body: '{}' })).status).toBe(401);
  });
});
