/**
 * Two instances on one Redis and one PostgreSQL: a session ended on one
 * instance (sign-out, disabled user, password change) closes the sockets that
 * carry it on the other at once, and the other refuses its token over HTTP.
 * The periodic re-check is set to an hour here, so only the Redis session
 * channel can carry the news. Skipped, saying why, when redis-server or
 * PostgreSQL 15 is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { TestClient, createOrder, login, waitFor } from './support/client.ts';
import { PASSWORD, users } from './support/fixture.ts';
import { missingBinaries, startPostgres, startRedis, type Service } from './support/services.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

const missing = missingBinaries();
if (missing) console.warn(`session scale-out tests skipped: ${missing}`);

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe.skipIf(missing !== null)('sessions across two instances', () => {
  let redis: Service;
  let postgres: Service;
  let a: ServerProcess;
  let b: ServerProcess;
  let orderId: string;
  const clients: TestClient[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    const env = { DATABASE_URL: postgres.url, REDIS_URL: redis.url, SESSION_RECHECK: '1h' };
    a = await startServer({ env: { ...env, INSTANCE_NAME: 'a' } });
    b = await startServer({ env: { ...env, INSTANCE_NAME: 'b' }, importFixture: false });
    dirs.push(a.dataDir, b.dataDir);
    orderId = (await createOrder(a.url, {}, users.admin.id)).id;
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await stopAll(dirs);
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });

  /** A user's device on instance b: signed in there, one order open, its token used over HTTP there too. */
  async function onB(user: Parameters<typeof TestClient.connect>[1], seed: number, password = PASSWORD): Promise<TestClient> {
    const client = await TestClient.connect(b, user, seed, password);
    clients.push(client);
    await client.open(orderDocName(orderId)).synced();
    expect((await fetch(`${b.url}/api/me`, { headers: bearer(client.token) })).status).toBe(200);
    return client;
  }

  it('closes the other instance’s socket when the session signs out on this one', async () => {
    const device = await onB(users.worker, 1);
    expect((await fetch(`${a.url}/api/logout`, { method: 'POST', headers: bearer(device.token) })).status).toBe(204);
    await waitFor(() => device.socketCloses.length > 0, 'instance b to close the socket');
    expect(device.socketCloses[0]).toMatchObject({ code: 4401, reason: expect.stringMatching(/signed out/) });
    expect((await fetch(`${b.url}/api/me`, { headers: bearer(device.token) })).status).toBe(401);
  }, 30_000);

  it('closes the other instance’s sockets of a user disabled on this one', async () => {
    const device = await onB(users.worker2, 2);
    const admin = await login(a.url, users.admin.id);
    expect((await fetch(`${a.url}/api/admin/users/${users.worker2.id}/disable`, { method: 'POST', headers: bearer(admin) })).status).toBe(200);
    await waitFor(() => device.socketCloses.length > 0, 'instance b to close the disabled user’s socket');
    expect(device.socketCloses[0]).toMatchObject({ code: 4401, reason: expect.stringMatching(/disabled/) });
    expect((await fetch(`${b.url}/api/me`, { headers: bearer(device.token) })).status).toBe(401);
  }, 30_000);

  it('ends the user’s sessions on the other instance when the password changes on this one, but not the one that changed it', async () => {
    const other = await onB(users.community, 3);
    const here = await login(a.url, users.community.id);
    const res = await fetch(`${a.url}/api/password`, {
      method: 'POST',
      headers: { ...bearer(here), 'Content-Type': 'application/json' },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'changed-on-a-5' }),
    });
    expect(res.status).toBe(204);
    await waitFor(() => other.socketCloses.length > 0, 'instance b to close the other session’s socket');
    expect(other.socketCloses[0]).toMatchObject({ code: 4401, reason: expect.stringMatching(/password/) });
    expect((await fetch(`${b.url}/api/me`, { headers: bearer(other.token) })).status).toBe(401);
    expect((await fetch(`${b.url}/api/me`, { headers: bearer(here) })).status).toBe(200);
  }, 30_000);
});
