/**
 * Two instances on one Redis and one PostgreSQL: a session ended on one
 * instance (sign-out, disabled user, password change) closes the sockets that
 * carry it on the other at once, and the other refuses its token over HTTP.
 * The periodic re-check is set to an hour here, so only the Redis session
 * channel can carry the news. Skipped, saying why, when redis-server or
 * PostgreSQL 15 is not installed.
 */
import { beforeAll, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { TestClient, createOrder, login, waitFor } from './support/client.ts';
import { PASSWORD, users } from './support/fixture.ts';
import { describeTwoInstances } from './support/two-instances.ts';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describeTwoInstances('sessions across two instances', { env: { SESSION_RECHECK: '1h' } }, (cluster) => {
  let orderId: string;
  const { clients } = cluster;

  beforeAll(async () => {
    orderId = (await createOrder(cluster.a.url, {}, users.admin.id)).id;
  }, 60_000);

  /** A user's device on instance b: signed in there, one order open, its token used over HTTP there too. */
  async function onB(user: Parameters<typeof TestClient.connect>[1], seed: number, password = PASSWORD): Promise<TestClient> {
    const client = await TestClient.connect(cluster.b, user, seed, password);
    clients.push(client);
    await client.open(orderDocName(orderId)).synced();
    expect((await fetch(`${cluster.b.url}/api/me`, { headers: bearer(client.token) })).status).toBe(200);
    return client;
  }

  it('closes the other instance’s socket when the session signs out on this one', async () => {
    const device = await onB(users.worker, 1);
    expect((await fetch(`${cluster.a.url}/api/logout`, { method: 'POST', headers: bearer(device.token) })).status).toBe(204);
    await waitFor(() => device.socketCloses.length > 0, 'instance b to close the socket');
    expect(device.socketCloses[0]).toMatchObject({ code: 4401, reason: expect.stringMatching(/signed out/) });
    expect((await fetch(`${cluster.b.url}/api/me`, { headers: bearer(device.token) })).status).toBe(401);
  }, 30_000);

  it('closes the other instance’s sockets of a user disabled on this one', async () => {
    const device = await onB(users.worker2, 2);
    const admin = await login(cluster.a.url, users.admin.id);
    expect((await fetch(`${cluster.a.url}/api/admin/users/${users.worker2.id}/disable`, { method: 'POST', headers: bearer(admin) })).status).toBe(200);
    await waitFor(() => device.socketCloses.length > 0, 'instance b to close the disabled user’s socket');
    expect(device.socketCloses[0]).toMatchObject({ code: 4401, reason: expect.stringMatching(/disabled/) });
    expect((await fetch(`${cluster.b.url}/api/me`, { headers: bearer(device.token) })).status).toBe(401);
  }, 30_000);

  it('ends the user’s sessions on the other instance when the password changes on this one, but not the one that changed it', async () => {
    const other = await onB(users.community, 3);
    const here = await login(cluster.a.url, users.community.id);
    const res = await fetch(`${cluster.a.url}/api/password`, {
      method: 'POST',
      headers: { ...bearer(here), 'Content-Type': 'application/json' },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'changed-on-a-5' }),
    });
    expect(res.status).toBe(204);
    await waitFor(() => other.socketCloses.length > 0, 'instance b to close the other session’s socket');
    expect(other.socketCloses[0]).toMatchObject({ code: 4401, reason: expect.stringMatching(/password/) });
    expect((await fetch(`${cluster.b.url}/api/me`, { headers: bearer(other.token) })).status).toBe(401);
    expect((await fetch(`${cluster.b.url}/api/me`, { headers: bearer(here) })).status).toBe(200);
  }, 30_000);
});
