/**
 * Storage integrity and health against real servers:
 *
 * - a database with its last 64 KB overwritten is refused at start (exit 3,
 *   naming the file and the restore), while a backup taken by `npm run backup`
 *   as the server served verifies, is restored, and serves every event it
 *   held; devices send what was acknowledged after the backup again;
 * - a document whose stored bytes are damaged fails loudly: `storage_error`
 *   to the client (not "permission-denied"), a log line, and /healthz 503;
 * - /healthz is 503 when free space is below MIN_FREE_SPACE, and on a really
 *   full disk (a small tmpfs, when this runs as root and may mount) it names
 *   the failed write and recovers once space is freed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { readEvents } from '#shared/sync/order-doc.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { TestClient, createOrder, login, waitFor } from './support/client.ts';
import { waitForValue } from '../support/wait.ts';
import { users } from './support/fixture.ts';
import { startServer, stopAll, tempDir, type ServerProcess } from './support/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const clients: TestClient[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** `npm run <script> -- <args>`, as an operator types it. */
function npmRun(script: string, ...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every stored event of the documents, read back by the admin through the bulk read. */
async function storedEvents(server: ServerProcess, names: readonly string[]): Promise<Map<string, string[]>> {
  const token = await login(server.url, users.admin.id);
  const res = await fetch(`${server.url}/api/docs`, { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ names }) });
  const body = (await res.json()) as { docs: Record<string, { update?: string }> };
  const events = new Map<string, string[]>();
  for (const name of names) {
    const doc = new Y.Doc();
    const update = body.docs[name]?.update;
    if (update) Y.applyUpdate(doc, Buffer.from(update, 'base64'));
    events.set(name, readEvents(doc).events.map((e) => e.id));
  }
  return events;
}

/** `count` events by `client` on the order open in `handle`, sent as one update, acknowledged. */
async function writeEvents(client: TestClient, handle: ReturnType<TestClient['open']>, count: number, label: string): Promise<OrderEvent[]> {
  const written: OrderEvent[] = [];
  for (let i = 0; i < count; i++) {
    written.push(client.write({ events: () => [...handle.events(), ...written] }, { type: 'phone_reveal', payload: { purpose: `${label} ${i}` } }, client.at(i)));
  }
  handle.append(...written);
  await handle.acked();
  return written;
}

async function overwriteTail(file: string, bytes: number): Promise<void> {
  const { size } = await stat(file);
  const handle = await open(file, 'r+');
  try {
    await handle.write(randomBytes(Math.min(bytes, size)), 0, Math.min(bytes, size), Math.max(0, size - bytes));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** 20 orders with 30 acknowledged events each (600), written by the worker. */
async function sixHundredEvents(server: ServerProcess, seed: number) {
  const worker = await TestClient.connect(server, users.worker, seed);
  clients.push(worker);
  const orders: string[] = [];
  const handles: ReturnType<TestClient['open']>[] = [];
  for (let i = 0; i < 20; i++) {
    const { id } = await createOrder(server.url, {}, users.admin.id);
    orders.push(orderDocName(id));
    handles.push(await worker.open(orderDocName(id)).synced());
  }
  const acknowledged = new Map<string, string[]>();
  await Promise.all(handles.map(async (handle, i) => acknowledged.set(orders[i]!, (await writeEvents(worker, handle, 30, `event ${i}`)).map((e) => e.id))));
  expect([...acknowledged.values()].flat()).toHaveLength(600);
  return { worker, orders, handles, acknowledged };
}

/** Start a server on `dataDir` expecting it to refuse; returns its error (with its stderr). */
async function refusedStart(dataDir: string): Promise<Error> {
  const outcome = await startServer({ dataDir, importFixture: false }).then(
    (started) => ({ started }),
    (error: Error) => ({ error }),
  );
  if ('started' in outcome) {
    await outcome.started.kill();
    throw new Error('the server started on a damaged database');
  }
  return outcome.error;
}

describe('a damaged database', () => {
  it('is refused at start, naming the file and the restore, when its last 64 KB were overwritten', async () => {
    const server = await startServer();
    dirs.push(server.dataDir);
    await sixHundredEvents(server, 81);
    await server.kill('SIGTERM');
    const file = join(server.dataDir, 'lianxin.sqlite');
    expect((await stat(file)).size).toBeGreaterThan(256 * 1024);
    await overwriteTail(file, 64 * 1024);
    const refused = await refusedStart(server.dataDir);
    expect(refused.message).toMatch(/exited with 3 before listening/);
    expect(refused.message).toContain(`refusing to start: the database ${file} is damaged`);
    expect(refused.message).toMatch(/restore the last good backup/);
  }, 120_000);

  it('restores from a backup taken while serving: verified, started, every event it held served', async () => {
    const dataDir = await tempDir();
    const backupDir = join(await tempDir('lianxin-backup-'), 'backup');
    dirs.push(dataDir, join(backupDir, '..'), `${dataDir}.damaged`);
    let server = await startServer({ dataDir });
    const { worker, orders, handles, acknowledged } = await sixHundredEvents(server, 61);

    // The operator's backup, taken while the server serves.
    const backup = npmRun('backup', '--data-dir', dataDir, '--out', backupDir);
    expect(backup.status, backup.output).toBe(0);
    expect(backup.output).toMatch(/integrity ok/);
    // Acknowledged after the backup: only the device still has these when the backup is restored.
    const late = await writeEvents(worker, handles[0]!, 10, 'after backup');
    const keptDoc = handles[0]!.doc;
    worker.close();
    await server.kill('SIGTERM');

    // The disk mangles the file's last 64 KB.
    await overwriteTail(join(dataDir, 'lianxin.sqlite'), 64 * 1024);
    expect((await refusedStart(dataDir)).message).toMatch(/exited with 3 before listening/);
    const damaged = npmRun('verify', '--data-dir', dataDir);
    expect(damaged.status).toBe(1);
    expect(damaged.output).toMatch(/is damaged/);

    // Restore as docs/SERVER.md says: check the backup, move the damaged folder aside, copy the backup in.
    const checked = npmRun('verify', '--data-dir', backupDir);
    expect(checked.status, checked.output).toBe(0);
    await rename(dataDir, `${dataDir}.damaged`);
    await cp(backupDir, dataDir, { recursive: true });
    expect(npmRun('verify', '--data-dir', dataDir).status).toBe(0);
    server = await startServer({ dataDir, importFixture: false });

    // A backup carries no sessions: the devices sign in again.
    expect((await fetch(`${server.url}/api/me`, { headers: bearer(worker.token) })).status).toBe(401);
    const restored = await storedEvents(server, orders);
    for (const name of orders) expect(restored.get(name)).toEqual(expect.arrayContaining(acknowledged.get(name)!));
    expect(restored.get(orders[0]!)).not.toContain(late[0]!.id);
    // The device that wrote after the backup still has those events in its document, and sends them again.
    const device = await TestClient.connect(server, users.worker, 62);
    clients.push(device);
    await device.open(orders[0]!, keptDoc).synced();
    await waitFor(async () => (await storedEvents(server, [orders[0]!])).get(orders[0]!)!.includes(late.at(-1)!.id), 'the events written after the backup, sent again');
    await server.kill();
  }, 120_000);
});

describe('a document whose stored bytes are damaged', () => {
  it('fails loudly: storage_error to the client, a log line naming it, /healthz 503', async () => {
    let server = await startServer();
    dirs.push(server.dataDir);
    const name = orderDocName((await createOrder(server.url, {}, users.admin.id)).id);
    await server.kill();
    const db = new Database(join(server.dataDir, 'lianxin.sqlite'));
    const garbage = Buffer.alloc(64, 0xff);
    const changed = db.prepare('UPDATE doc_updates SET data = ? WHERE doc = ?').run(garbage, name).changes + db.prepare('UPDATE doc_snapshots SET data = ? WHERE doc = ?').run(garbage, name).changes;
    db.close();
    expect(changed).toBeGreaterThan(0);
    server = await server.restart();

    const worker = await TestClient.connect(server, users.worker, 71);
    clients.push(worker);
    expect(await worker.open(name).deniedReason()).toMatch(/^storage_error: this document is damaged/);
    await server.logged(`"event":"document_load_failed","doc":"${name}","corrupt":true`);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unhealthy', storage: { corrupt: { what: name } } });
    const token = await login(server.url, users.admin.id);
    const bulk = await fetch(`${server.url}/api/docs`, { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ names: [name] }) });
    expect(await bulk.json()).toMatchObject({ docs: { [name]: { error: { code: 'storage_error' } } } });
    await server.kill();
  }, 60_000);
});

describe('/healthz and the disk', () => {
  it('says 503 when free space is below MIN_FREE_SPACE', async () => {
    const server = await startServer({ env: { MIN_FREE_SPACE: '100000000GB' } });
    dirs.push(server.dataDir);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { problems: string[]; storage: { freeBytes: { database: number } } };
    expect(body.problems.join('\n')).toMatch(/free space in the data folder is below/);
    expect(body.storage.freeBytes.database).toBeGreaterThan(0);
    await server.kill();
  }, 30_000);

  const mountable = userInfo().uid === 0 && spawnSync('mount', ['--version']).status === 0;
  it.skipIf(!mountable)('says 503 on a full disk, names the failed write, and recovers once space is freed (tmpfs; needs root)', async () => {
    const mountPoint = await tempDir('lianxin-tmpfs-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
    try {
      const dataDir = join(mountPoint, 'data');
      await mkdir(dataDir);
      const server = await startServer({ dataDir, env: { MIN_FREE_SPACE: '1MB' } });
      try {
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        // Fill the disk.
        const filler = await open(join(mountPoint, 'filler'), 'w');
        try {
          for (const chunk of [256 * 1024, 4096]) {
            try {
              for (;;) await filler.write(Buffer.alloc(chunk));
            } catch (error) {
              expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
            }
          }
        } finally {
          await filler.close();
        }
        const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(400 * 1024)]);
        const sha = createHash('sha256').update(photo).digest('hex');
        const token = await login(server.url, users.worker.id).catch(() => null);
        if (token) {
          const put = await fetch(`${server.url}/api/photos/${sha}`, { method: 'PUT', headers: { ...bearer(token), 'Content-Type': 'image/jpeg' }, body: photo });
          expect(put.status).toBeGreaterThanOrEqual(500);
        }
        // The probe runs at most every 2 s: wait for the next one to have tried the photo folder.
        type Health = { problems: string[]; storage: { lastWriteError: { photos: { code: string } | null } } };
        const full = await waitForValue(
          async () => {
            const res = await fetch(`${server.url}/healthz`);
            return { status: res.status, body: (await res.json()) as Health };
          },
          ({ status, body }) => status === 503 && body.storage.lastWriteError.photos !== null,
          '/healthz to report the full disk and the failed photo write',
        );
        expect(full.body.problems.join('\n')).toMatch(/free space in the data folder is below/);
        expect(full.body.problems.join('\n')).toMatch(/photo/);
        expect(full.body.storage.lastWriteError.photos?.code).toBe('ENOSPC');

        await rm(join(mountPoint, 'filler'));
        await waitFor(async () => (await fetch(`${server.url}/healthz`)).status === 200, '/healthz to recover once space is freed');
      } finally {
        await server.kill();
      }
    } finally {
      // Lazy: detached even if something still holds a file there.
      execFileSync('umount', ['-l', mountPoint]);
      await rm(mountPoint, { recursive: true, force: true });
    }
  }, 60_000);
  if (!mountable) console.warn('full-disk test skipped: it mounts a small tmpfs, which needs root');
});
