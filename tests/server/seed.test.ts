/** First start on an empty data folder seeds the demo; later starts leave the data alone. */
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#demo/index.ts';
import { gridIndexDocName } from '#shared/sync/doc-names.ts';
import { TestClient, login } from './support/client.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

const dirs: string[] = [];
const clients: TestClient[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

describe('demo seeding', () => {
  it('gives every demo account a working login and lists the demo orders, once', async () => {
    let server: ServerProcess = await startServer({ seedDemo: true, importFixture: false });
    dirs.push(server.dataDir);
    await server.logged('"event":"demo_seeded"');
    for (const account of DEMO_ACCOUNTS) expect(await login(server.url, account.id, DEMO_PASSWORD)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const worker = DEMO_ACCOUNTS.find((a) => a.role === 'grid_worker')!;
    const client = await TestClient.connect(server, worker, 1, DEMO_PASSWORD);
    clients.push(client);
    const index = await client.open(gridIndexDocName(worker.unitId)).synced();
    expect(index.doc.getMap('orders').size).toBeGreaterThan(0);

    await server.kill();
    server = await server.restart();
    expect(server.logs()).not.toMatch(/"event":"demo_seeded"/);
    await server.kill();
  }, 60_000);
});
