/**
 * Orders on the real server for the extension's e2e tests: read one as the
 * server has it, import and dispatch one through the panel, and do the field
 * work the way the PWA does it over sync (a worker accepts, uploads photos and
 * closes; optionally the clerk's review passes).
 */
import * as Y from 'yjs';
import { expect } from 'vitest';
import { LianxinApi, syncUrl } from '#shared/client/api.ts';
import { DEMO_ACCOUNTS } from '#demo/index.ts';
import type { ClosePayload, OrderEvent, PhotoKind } from '#shared/order/events.ts';
import type { OrderIntake, OrderIntakeInput } from '#shared/order/intake.ts';
import { deriveOrder, type OrderView } from '#shared/order/reducer.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { readEvents, readIntake } from '#shared/sync/order-doc.ts';
import { TestClient } from '../../server/support/client.ts';
import type { TestPhoto } from '../portals/fixtures.ts';
import { WAIT_MS, waitForValue } from '../../support/wait.ts';
import { DEMO_PASSWORD, type LianxinServer, type PanelPage } from './fixtures.ts';

export const CLERK = DEMO_ACCOUNTS.find((a) => a.id === 'clerk1')!;
export const ADMIN = DEMO_ACCOUNTS.find((a) => a.id === 'admin')!;
const WORKER_ACCOUNT = DEMO_ACCOUNTS.find((a) => a.id === 'grid1')!;
export const WORKER = { id: WORKER_ACCOUNT.id, name: WORKER_ACCOUNT.name, role: WORKER_ACCOUNT.role, unitId: WORKER_ACCOUNT.unitId };

export interface ServerOrder {
  readonly orderId: string;
  readonly intake: OrderIntake;
  readonly events: OrderEvent[];
  /** The reducer's view of it now. */
  readonly view: OrderView;
}

/** The order as the server stores it, read through the API as the clerk. */
export async function serverOrder(server: LianxinServer, orderNo: string): Promise<ServerOrder> {
  const api = new LianxinApi({ baseUrl: server.url });
  const { token } = await api.login('clerk1', DEMO_PASSWORD);
  const placeholder = await api.createOrders(token, probeIntake(orderNo));
  if (placeholder.created) throw new Error(`order ${orderNo} was not on the server (the probe created it)`);
  const docs = await api.fetchDocs(token, [orderDocName(placeholder.id)]);
  const entry = docs[orderDocName(placeholder.id)];
  if (!entry || !('update' in entry)) throw new Error(`order ${orderNo} is not on the server`);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, entry.update);
  const intake = readIntake(doc);
  if (!intake?.ok) throw new Error(`order ${orderNo} has no valid intake`);
  const events = readEvents(doc).events;
  return { orderId: placeholder.id, intake: intake.value, events, view: deriveOrder(intake.value, events, Date.now()) };
}

/** On a portal's order page: 导入工单, check, import (created), 派单 to the demo worker's grid, seen on the server. */
export async function importAndDispatch(server: LianxinServer, panel: PanelPage, orderNo: string): Promise<void> {
  await expect.poll(() => panel.find('page-kind').getAttribute('data-kind'), { timeout: WAIT_MS }).toBe('order');
  await panel.find('read-order').click();
  await expect.poll(() => panel.page.locator('lianxin-panel [data-field=orderNo] td').textContent()).toBe(orderNo);
  await panel.find('confirm-import').click();
  // The import's result, or the refusal the panel shows: a failure then names it.
  const outcome = await waitForValue(
    () =>
      panel.page.locator('lianxin-panel [data-test=import]').evaluate((root) => {
        const created = root.querySelector('[data-test=import-result]')?.getAttribute('data-created');
        const error = root.querySelector('[data-test=import-error]')?.textContent;
        return created ? `created: ${created}` : error ? `refused: ${error}` : null;
      }),
    (seen) => seen !== null,
    `the import of ${orderNo} to be answered`,
  ).catch(async (error: unknown) => {
    // Whether the import reached the server says which half of it never answered.
    const onServer = await serverOrder(server, orderNo).then(
      () => 'the server has the order',
      (why: unknown) => `the server: ${why instanceof Error ? why.message : String(why)}`,
    );
    throw new Error(`${error instanceof Error ? error.message : String(error)}; ${onServer}`);
  });
  expect(outcome).toBe('created: true');
  await panel.find('grid-select').selectOption(WORKER.unitId);
  await panel.find('dispatch').click();
  await expect.poll(() => panel.find('dispatched').count(), { timeout: WAIT_MS }).toBe(1);
  await expect.poll(async () => (await serverOrder(server, orderNo)).events.some((e) => e.type === 'dispatch'), { timeout: WAIT_MS }).toBe(true);
}

/**
 * The field work, done the way the PWA does it over sync: the demo worker
 * accepts, uploads photos (content-addressed) and closes; with `review`, the
 * clerk's review passes it too.
 */
export async function workerCloses(server: LianxinServer, orderId: string, result: ClosePayload, photos: Record<PhotoKind, readonly TestPhoto[]>, options: { review: boolean }): Promise<void> {
  const wsUrl = syncUrl(server.url);
  const worker = await TestClient.connect({ url: server.url, wsUrl }, WORKER, 7, DEMO_PASSWORD);
  try {
    const handle = await worker.open(orderDocName(orderId)).synced();
    let at = Date.now();
    handle.append(worker.write(handle, { type: 'accept', payload: {} }, at++));
    for (const kind of ['handling', 'contact', 'document'] as const) {
      for (const photo of photos[kind]) {
        const bytes = Buffer.from(photo.base64, 'base64');
        const put = await fetch(`${server.url}/api/photos/${photo.sha256}`, { method: 'PUT', headers: { Authorization: `Bearer ${worker.token}`, 'Content-Type': 'image/jpeg' }, body: bytes });
        if (!put.ok) throw new Error(`photo upload: ${put.status} ${await put.text()}`);
        const payload = { sha256: photo.sha256, kind, mime: 'image/jpeg' as const, size: bytes.length, width: 800, height: 600, takenAt: at, location: { kind: 'none' as const, reason: 'indoors' as const } };
        handle.append(worker.write(handle, { type: 'photo_added', payload }, at++));
      }
    }
    handle.append(worker.write(handle, { type: 'close', payload: result }, at++));
    await handle.acked();
  } finally {
    worker.close();
  }
  if (!options.review) return;
  const clerk = await TestClient.connect({ url: server.url, wsUrl }, { id: CLERK.id, name: CLERK.name, role: CLERK.role, unitId: CLERK.unitId }, 8, DEMO_PASSWORD);
  try {
    const handle = await clerk.open(orderDocName(orderId)).synced();
    await expect.poll(() => handle.events().some((e) => e.type === 'close')).toBe(true);
    handle.append(clerk.write(handle, { type: 'review_pass', payload: {} }, Date.now()));
    await handle.acked();
  } finally {
    clerk.close();
  }
}

/** An intake with a known order number: the server answers with the existing order's id and creates nothing. */
function probeIntake(orderNo: string): OrderIntakeInput {
  const now = Date.now();
  return {
    id: 'probe-never-created',
    orderNo,
    source: 'portal_import',
    channel: 'phone',
    type: 'help',
    category: '其他',
    title: 'probe',
    content: 'probe',
    citizen: { name: '' },
    address: 'probe',
    place: { districtId: 'd1', streetId: 'd1-s1' },
    receivedAt: now,
    deadline: now,
  };
}
