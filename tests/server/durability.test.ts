/**
 * "Synced" means durably stored: several clients write into several orders
 * without waiting, the server is killed with SIGKILL the moment a client sees
 * all its changes acknowledged, and after a restart every acknowledged event
 * is there — also those acknowledged in the last milliseconds before the kill.
 */
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { mulberry32 } from '#shared/clock/ids.ts';
import type { EventDraft } from '#shared/order/events.ts';
import { TestClient, createOrders, waitFor, type DocHandle } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

const dirs: string[] = [];
const clients: TestClient[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAll(dirs);
});

interface Track {
  readonly handle: DocHandle;
  readonly client: TestClient;
  readonly written: string[];
  /** Ids of events the server acknowledged: all written before unsyncedChanges last reached 0. */
  acked: Set<string>;
}

async function setUp(): Promise<{ server: ServerProcess; orders: string[] }> {
  const server = await startServer();
  dirs.push(server.dataDir);
  return { server, orders: await createOrders(server.url, Array.from({ length: 6 }, () => hotlineIntake())) };
}

async function readBack(server: ServerProcess, orderId: string): Promise<Set<string>> {
  const reader = await TestClient.connect(server, users.supervisor, 999);
  clients.push(reader);
  const handle = await reader.open(orderDocName(orderId), new Y.Doc()).synced();
  return new Set(handle.events().map((e) => e.id));
}

describe('durable acknowledgement', () => {
  it('loses no acknowledged event when the server is killed with SIGKILL during many writes', async () => {
    let { server, orders } = await setUp();
    const writers = [users.worker, users.worker2, users.community, users.clerk];
    const tracks: Track[] = [];
    for (const [i, user] of writers.entries()) {
      const client = await TestClient.connect(server, user, 100 + i);
      clients.push(client);
      for (const orderId of orders) {
        const handle = await client.open(orderDocName(orderId)).synced();
        tracks.push({ handle, client, written: [], acked: new Set() });
      }
    }

    let killed = false;
    let killedAt = 0;
    const ackedBeforeKill = () => tracks.reduce((n, t) => n + t.acked.size, 0);
    for (const track of tracks) {
      track.handle.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
        if (number !== 0 || !track.handle.provider.isAuthenticated) return;
        track.acked = new Set(track.written);
        // Kill the moment a client has seen a batch acknowledged, with other writes still in flight.
        if (!killed && ackedBeforeKill() >= 100 && tracks.some((t) => t.handle.provider.unsyncedChanges > 0)) {
          killed = true;
          killedAt = Date.now();
          void server.kill('SIGKILL');
        }
      });
    }

    // Write without waiting: bursts of events into random orders (an order holds
    // a few dozen events at most, as in the field), until the kill.
    let n = 0;
    const started = Date.now();
    const random = mulberry32(7);
    while (!killed && Date.now() - started < 20_000) {
      const open = tracks.filter((t) => t.written.length < 60);
      if (open.length === 0) break;
      const track = open[Math.floor(random() * open.length)]!;
      const burst = 1 + Math.floor(random() * 3);
      for (let k = 0; k < burst; k++) {
        const text = `进展 ${n}-${k}`;
        const draft: EventDraft =
          track.client.user.role === 'street_clerk' ? { type: 'supervise', payload: { level: 'reminder', note: text } } : { type: 'progress', payload: { text } };
        const event = track.client.write(track.handle, draft, track.client.at(n));
        track.written.push(event.id);
        track.handle.append(event);
      }
      n += 1;
      await new Promise((r) => setTimeout(r, random() < 0.2 ? 2 : 0));
    }
    // On a busy machine the writes may all be sent before enough were acknowledged:
    // the kill then comes while the rest are still on their way.
    await waitFor(() => killed, 'the kill during writes');
    await server.kill('SIGKILL');
    const acked = tracks.map((t) => new Set(t.acked));
    const written = tracks.reduce((sum, t) => sum + t.written.length, 0);
    const ackedTotal = acked.reduce((sum, s) => sum + s.size, 0);
    for (const c of clients.splice(0)) c.close();

    server = await server.restart();
    let survivedUnacked = 0;
    for (const orderId of orders) {
      const stored = await readBack(server, orderId);
      tracks.forEach((track, i) => {
        if (track.handle.provider.configuration.name !== orderDocName(orderId)) return;
        for (const id of acked[i]!) expect(stored.has(id), `acknowledged event ${id} survived`).toBe(true);
        survivedUnacked += track.written.filter((id) => !acked[i]!.has(id) && stored.has(id)).length;
      });
    }
    console.info(
      `kill -9 ${Date.now() - killedAt} ms ago: ${written} events written, ${ackedTotal} acknowledged and all kept, ${survivedUnacked} of ${written - ackedTotal} unacknowledged also stored`,
    );
    await server.kill();
  }, 60_000);

  it('keeps everything across clean restarts, before and after the log is compacted', async () => {
    let { server, orders } = await setUp();
    const worker = await TestClient.connect(server, users.worker, 200);
    clients.push(worker);
    const handle = await worker.open(orderDocName(orders[0]!)).synced();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const event = worker.write(handle, { type: 'progress', payload: { text: `第${i}次` } }, worker.at(i));
      ids.push(event.id);
      handle.append(event);
    }
    await handle.acked();
    worker.close();
    // Compaction runs COMPACT_DEBOUNCE (200 ms in tests) after the last change.
    await server.logged(`"event":"doc_compacted","doc":"${orderDocName(orders[0]!)}"`);
    await server.kill('SIGTERM');
    server = await server.restart();
    expect([...(await readBack(server, orders[0]!))]).toEqual(expect.arrayContaining(ids));
    await server.kill('SIGKILL');
    server = await server.restart();
    expect((await readBack(server, orders[0]!)).size).toBe(ids.length);
    await server.kill();
  }, 40_000);
});
