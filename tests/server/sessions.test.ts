/**
 * A session ends everywhere at once: when it expires (with no event at all:
 * a timer at its expiry), when its user is disabled and when the password
 * changes. Every open WebSocket carrying it is closed, every write after the
 * end is refused, HTTP says 401, and a password change ends the user's other
 * sessions but not the one that changed it. Real server processes, real
 * clients.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderIntakeSchema } from '#shared/order/intake.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { initOrderDoc, readEvents, readIntake } from '#shared/sync/order-doc.ts';
import { TestClient, createOrder, login, postIntake, waitFor } from './support/client.ts';
import { cryptoRandomBytes, newId } from '#shared/clock/ids.ts';
import { PASSWORD, hotlineIntake, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const clients: TestClient[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const me = async (server: ServerProcess, token: string) => (await fetch(`${server.url}/api/me`, { headers: bearer(token) })).status;

async function connect(server: ServerProcess, user: Parameters<typeof TestClient.connect>[1], seed: number, password = PASSWORD): Promise<TestClient> {
  const client = await TestClient.connect(server, user, seed, password);
  clients.push(client);
  return client;
}

/** A new order in grid 1, taken in by the admin (whose account no test here changes). */
async function newOrder(server: ServerProcess): Promise<string> {
  return (await createOrder(server.url, {}, users.admin.id)).id;
}

/** What the server holds for a document, read by the admin through the bulk read. */
async function stored(server: ServerProcess, name: string): Promise<Y.Doc | null> {
  const token = await login(server.url, users.admin.id);
  const res = await fetch(`${server.url}/api/docs`, { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ names: [name] }) });
  const body = (await res.json()) as { docs: Record<string, { update?: string }> };
  const update = body.docs[name]?.update;
  if (!update) return null;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(update, 'base64'));
  return doc;
}

/** A field report by `user`, in their grid, as a fresh Y.Doc. */
function fieldReport(user: { id: string }): { id: string; doc: Y.Doc } {
  const id = `fr-${newId(cryptoRandomBytes)}`;
  const report = v.parse(OrderIntakeSchema, { ...hotlineIntake({ orderNo: `FR-${id}`, source: 'field_report', channel: 'field', reportedBy: user.id }), id });
  const doc = new Y.Doc();
  initOrderDoc(doc, report);
  return { id, doc };
}

/** Run the admin command line against a server's data folder, as an administrator would. */
async function adminImport(server: ServerProcess, users: object[]): Promise<void> {
  const file = join(server.dataDir, `users-${Date.now()}.json`);
  await writeFile(file, JSON.stringify({ users }));
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/admin.ts', 'import', file, '--data-dir', server.dataDir], { cwd: ROOT, encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
}

describe('a session that expires', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer({ env: { SESSION_TTL: '6s' } });
    dirs.push(server.dataDir);
  }, 40_000);

  it('closes its open socket at the expiry, with nothing sent, and refuses what the device writes afterwards', async () => {
    const orderId = await newOrder(server);
    const worker = await connect(server, users.worker, 11);
    const handle = await worker.open(orderDocName(orderId)).synced();
    // Nothing more is sent: only a timer at the session's expiry can end the channel.
    await waitFor(() => worker.socketCloses.length > 0, 'the server to close the socket at the session’s expiry');
    expect(worker.socketCloses[0]).toMatchObject({ code: 4401, reason: expect.stringMatching(/^unauthenticated: .*expired/) });
    expect(await me(server, worker.token)).toBe(401);

    // The device writes on: the provider reconnects with the dead token and is refused; nothing is stored.
    const late = worker.write(handle, { type: 'phone_reveal', payload: { purpose: 'after the end' } }, worker.at(5));
    handle.append(late);
    expect(await handle.deniedReason()).toMatch(/^unauthenticated: /);
    const doc = await stored(server, orderDocName(orderId));
    expect(readEvents(doc!).events.map((e) => e.id)).not.toContain(late.id);
  }, 60_000);
});

describe('disabling a user and changing a password', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer();
    dirs.push(server.dataDir);
  }, 40_000);

  it('ends every session of a user an admin disables, at once: sockets closed, writes refused, HTTP 401, no sign-in', async () => {
    const orderId = await newOrder(server);
    const clerk = await connect(server, users.clerk, 21);
    const clerkDoc = await clerk.open(orderDocName(orderId)).synced();
    const admin = await login(server.url, users.admin.id);

    const res = await fetch(`${server.url}/api/admin/users/${users.clerk.id}/disable`, { method: 'POST', headers: bearer(admin) });
    expect(res.status).toBe(200);
    // At once: the server closed the socket before it answered (its log says so in that order) …
    const logs = await server.logged('"event":"user_disabled"');
    expect(logs.indexOf('"event":"session_ended","user":"clerk1","reason":"disabled"')).toBeGreaterThan(-1);
    expect(logs.indexOf('"event":"session_ended","user":"clerk1","reason":"disabled"')).toBeLessThan(logs.indexOf('"event":"user_disabled"'));
    // … and the client hears it as soon as the close frame arrives.
    await waitFor(() => clerk.socketCloses.length > 0, 'the disabled clerk’s socket closed');
    expect(clerk.socketCloses[0]).toMatchObject({ code: 4401, reason: expect.stringMatching(/disabled/) });
    expect(await me(server, clerk.token)).toBe(401);
    expect((await postIntake(server.url, clerk.token, hotlineIntake())).status).toBe(401);
    await expect(login(server.url, users.clerk.id)).rejects.toThrow(/401/);
    // A write the old device still makes never lands.
    const late = clerk.write(clerkDoc, { type: 'phone_reveal', payload: { purpose: 'disabled' } }, clerk.at(7));
    clerkDoc.append(late);
    expect(await clerkDoc.deniedReason()).toMatch(/^unauthenticated: /);
    expect(readEvents((await stored(server, orderDocName(orderId)))!).events.map((e) => e.id)).not.toContain(late.id);

    // Enabled again, the clerk signs in anew; the old token stays dead.
    expect((await fetch(`${server.url}/api/admin/users/${users.clerk.id}/enable`, { method: 'POST', headers: bearer(admin) })).status).toBe(200);
    expect(await me(server, await login(server.url, users.clerk.id))).toBe(200);
    expect(await me(server, clerk.token)).toBe(401);
  }, 60_000);

  it('only lets an admin disable users', async () => {
    const worker = await login(server.url, users.worker2.id);
    const res = await fetch(`${server.url}/api/admin/users/${users.worker.id}/disable`, { method: 'POST', headers: bearer(worker) });
    expect(res.status).toBe(403);
    expect(await me(server, await login(server.url, users.worker.id))).toBe(200);
  });

  it('ends the sessions of a user the admin command disables, and refuses the field report the old socket sends', async () => {
    const worker = await connect(server, users.worker2, 31);
    const open = await worker.open(orderDocName(await newOrder(server))).synced();
    expect(open.closed).toBeNull();

    await adminImport(server, [{ ...users.worker2, disabled: true }]);
    await waitFor(() => worker.socketCloses.length > 0, 'the disabled user’s socket closed');
    expect(worker.socketCloses[0]).toMatchObject({ code: 4401 });
    expect(await me(server, worker.token)).toBe(401);

    const report = fieldReport(users.worker2);
    const handle = worker.open(orderDocName(report.id), report.doc);
    expect(await handle.deniedReason()).toMatch(/^unauthenticated: /);
    expect(await stored(server, orderDocName(report.id))).toSatisfy((doc: Y.Doc | null) => doc === null || readIntake(doc) === null);
    await adminImport(server, [{ ...users.worker2, disabled: false }]);
  }, 60_000);

  it('ends the user’s other sessions when they change their password, and keeps the one that changed it', async () => {
    const orderId = await newOrder(server);
    const phone = await connect(server, users.worker, 41);
    const tablet = await connect(server, users.worker, 42);
    const onPhone = await phone.open(orderDocName(orderId)).synced();
    await tablet.open(orderDocName(orderId)).synced();

    const res = await fetch(`${server.url}/api/password`, {
      method: 'POST',
      headers: { ...bearer(phone.token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'a-new-password-2' }),
    });
    expect(res.status).toBe(204);
    await waitFor(() => tablet.socketCloses.length > 0, 'the other device’s socket closed');
    expect(tablet.socketCloses[0]).toMatchObject({ code: 4401, reason: expect.stringMatching(/password/) });
    expect(await me(server, tablet.token)).toBe(401);
    // The device that changed it carries on.
    expect(await me(server, phone.token)).toBe(200);
    expect(phone.socketCloses).toEqual([]);
    onPhone.append(phone.write(onPhone, { type: 'phone_reveal', payload: { purpose: 'still here' } }, phone.at(9)));
    await onPhone.acked();
    await expect(login(server.url, users.worker.id)).rejects.toThrow(/401/);
    expect(await me(server, await login(server.url, users.worker.id, 'a-new-password-2'))).toBe(200);
  }, 60_000);

  it('refuses a password change with the wrong current password, without ending the session', async () => {
    const token = await login(server.url, users.community.id);
    const res = await fetch(`${server.url}/api/password`, {
      method: 'POST',
      headers: { ...bearer(token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ currentPassword: 'not-the-password', newPassword: 'another-password-3' }),
    });
    expect(res.status).toBe(403);
    expect(await me(server, token)).toBe(200);
  });

  it('ends the sessions of a user whose password the admin command changes', async () => {
    const orderId = await newOrder(server);
    const supervisor = await connect(server, users.supervisor, 51);
    await supervisor.open(orderDocName(orderId)).synced();
    await adminImport(server, [{ ...users.supervisor, password: 'reset-by-admin-4' }]);
    await waitFor(() => supervisor.socketCloses.length > 0, 'the socket closed after the password reset');
    expect(await me(server, supervisor.token)).toBe(401);
    expect(await me(server, await login(server.url, users.supervisor.id, 'reset-by-admin-4'))).toBe(200);
  }, 60_000);
});
