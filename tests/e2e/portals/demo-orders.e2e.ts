/**
 * Demo consistency: the demo portals started as `npm start` starts them (with
 * `ordersFromServer`) hold the orders the server's demo seed created, under
 * the same numbers, each on one portal, and the portal's pages show them;
 * the photos of their results exist on the server, so a clerk can fill them.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import * as Y from 'yjs';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { readEvents } from '#shared/sync/order-doc.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LianxinApi } from '#shared/client/api.ts';
import { DEMO_PASSWORD } from '#demo/index.ts';
import { startServer, type RunningServer } from '#server/main.ts';
import { ordersFromServer } from '../../portals/from-server.ts';
import { PORTALS, startPortals, type Portals } from '../../portals/server.ts';

let server: RunningServer;
let portals: Portals;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lianxin-demo-orders-'));
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, seedDemo: true, quiet: true });
  const orders = await ordersFromServer(server.url.replace(/\/$/, ''));
  expect(orders).not.toBeNull();
  portals = await startPortals({ host: '127.0.0.1', port: 0, orders: orders! });
});

afterAll(async () => {
  await portals?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('lists the seeded orders under the numbers the server gave them', async () => {
  const all = PORTALS.flatMap((p) => portals.orders(p).map((o) => o.orderNo));
  expect(all.length).toBeGreaterThanOrEqual(PORTALS.length * 3);
  expect(new Set(all).size).toBe(all.length);
  const api = new LianxinApi({ baseUrl: server.url.replace(/\/$/, '') });
  const { token } = await api.login('clerk1', DEMO_PASSWORD);
  for (const portal of PORTALS) {
    for (const order of portals.orders(portal)) {
      // The intake API answers an existing number with the order it already has: created false.
      const { id: _id, ...intake } = order.intake;
      const probe = (await api.createOrders(token, { ...intake, source: 'portal_import' })) as { created: boolean };
      expect(probe.created, `${portal} ${order.orderNo}`).toBe(false);
    }
  }
  // Every photo of their results is on the server for the clerk, its bytes hashing to its name.
  let checked = 0;
  for (const portal of PORTALS) {
    for (const order of portals.orders(portal)) {
      const { id } = (await api.createOrders(token, { ...order.intake, source: 'portal_import' })) as { id: string };
      const entry = (await api.fetchDocs(token, [orderDocName(id)]))[orderDocName(id)];
      if (!entry || !('update' in entry)) throw new Error(`no doc for ${order.orderNo}`);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, entry.update);
      const close = readEvents(doc).events.find((e) => e.type === 'close');
      doc.destroy();
      if (close?.type !== 'close') continue;
      for (const sha256 of [...close.payload.photos.handling, ...close.payload.photos.contact, ...close.payload.photos.document]) {
        const bytes = Buffer.from(await (await api.getPhoto(token, sha256)).arrayBuffer());
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
        checked += 1;
      }
    }
  }
  expect(checked).toBeGreaterThan(0);
  // And the portal's own API and pages show them.
  const first = portals.orders('element-plus')[0]!;
  const listed = (await (await fetch(`${portals.urls['element-plus']}api/orders`)).json()) as { data: { orderNo: string }[] };
  expect(listed.data.map((o) => o.orderNo)).toContain(first.orderNo);
  const page = await (await fetch(`${portals.urls.legacy}main.html`)).text();
  for (const o of portals.orders('legacy')) expect(page).toContain(o.orderNo);
});
