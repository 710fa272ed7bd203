/**
 * Redis is only the live relay between instances: when it goes away, every
 * instance keeps serving and acknowledging (durably, to PostgreSQL), and once
 * it is back every client — those connected all along and new ones, on either
 * instance — ends up with every acknowledged event.
 *
 * Two instances, four writers (two on each) writing into the same four
 * orders; redis-server is killed with SIGKILL while they write, they keep
 * writing, and Redis is started again, empty, on the same port.
 */
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { readEvents } from '#shared/sync/order-doc.ts';
import type { User } from '#shared/org/roles.ts';
import type { EventDraft } from '#shared/order/events.ts';
import { PostgresStore } from '#server/store/postgres.ts';
import { mergeState } from '#server/sync/merge-state.ts';
import { TestClient, createOrder, createOrders, waitFor, type DocHandle } from './support/client.ts';
import { hotlineIntake, users } from './support/fixture.ts';
import type { ServerProcess } from './support/server.ts';
import { describeTwoInstances } from './support/two-instances.ts';

interface Track {
  readonly server: ServerProcess;
  /** Whether the background loop writes into this track now. */
  readonly writes: () => boolean;
  readonly handle: DocHandle;
  readonly client: TestClient;
  readonly orderId: string;
  readonly written: string[];
  /**
   * Ids the server acknowledged. Each write is one update and the server acknowledges a document's updates in
   * order, one each, so the acknowledged ones are the written ones but the last `unsyncedChanges`.
   */
  acked: Set<string>;
}

interface Relay {
  readonly state: string;
  readonly reconnectAttempts: number;
}

async function relayOf(server: ServerProcess): Promise<Relay | null> {
  const body = (await (await fetch(`${server.url}/healthz`)).json()) as { relay?: Relay };
  return body.relay ?? null;
}

describeTwoInstances('a Redis outage under load', {}, (cluster) => {
  it('keeps both instances up and acknowledging, and every client sees every acknowledged event once Redis is back', async () => {
    const { a, b, redis, postgres, clients } = cluster;
    // Written on instance a during the outage only, and watched from instance b:
    // nothing written after Redis is back would carry its events across.
    const ids = await createOrders(a.url, Array.from({ length: 5 }, () => hotlineIntake()));
    const orderIds = ids.slice(0, 4);
    const quiet = { id: ids[4]! };

    // Two writers on each instance, every writer in every order.
    const writers: [ServerProcess, User][] = [
      [a, users.worker],
      [a, users.clerk],
      [b, users.worker2],
      [b, users.community],
    ];
    let phase: 'up' | 'outage' | 'back' = 'up';
    const tracks: Track[] = [];
    const track = async (client: TestClient, server: ServerProcess, orderId: string, writes: () => boolean): Promise<Track> => {
      const handle = await client.open(orderDocName(orderId)).synced();
      const t: Track = { server, handle, client, orderId, writes, written: [], acked: new Set() };
      // Not only when nothing is in flight: with every track kept writing, that moment may never come on a loaded machine.
      handle.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
        if (handle.provider.isAuthenticated) t.acked = new Set(t.written.slice(0, Math.max(0, t.written.length - number)));
      });
      tracks.push(t);
      return t;
    };
    const byWriter: TestClient[] = [];
    for (const [i, [server, user]] of writers.entries()) {
      const client = await TestClient.connect(server, user, 300 + i);
      clients.push(client);
      byWriter.push(client);
      for (const orderId of orderIds) await track(client, server, orderId, () => true);
    }
    const quietWriter = await track(byWriter[0]!, a, quiet.id, () => phase === 'outage');
    const quietWatcher = await track(byWriter[2]!, b, quiet.id, () => false);

    // Write in the background until told to stop: one event at a time into a
    // track with few changes in flight, so the docs stay the size of real orders.
    let writing = true;
    let n = 0;
    const writeLoop = (async () => {
      while (writing) {
        const ready = tracks.filter((t) => t.writes() && t.handle.provider.unsyncedChanges < 3);
        const next = ready[n % Math.max(ready.length, 1)];
        if (next) {
          const text = `进展 ${n}`;
          const draft: EventDraft =
            next.client.user.role === 'street_clerk' ? { type: 'supervise', payload: { level: 'reminder', note: text } } : { type: 'progress', payload: { text } };
          const event = next.client.write(next.handle, draft, next.client.at(n));
          next.written.push(event.id);
          next.handle.append(event);
        }
        n += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const marks = () => new Map(tracks.map((t) => [t, t.written.length]));
    const ackedSince = (since: Map<Track, number>, count: number) => () => tracks.every((t) => !t.writes() || t.acked.size >= since.get(t)! + count);

    try {
      await waitFor(ackedSince(marks(), 2), 'writes acknowledged on both instances with Redis up');
      for (const server of [a, b]) expect(await relayOf(server)).toMatchObject({ state: 'up' });

      // Redis dies with writes in flight on both instances.
      await redis.kill();
      phase = 'outage';
      await waitFor(ackedSince(marks(), 5), 'writes acknowledged on both instances with Redis down');
      // Both say so, and keep trying to reconnect (long enough for ioredis to give up on queued commands).
      await waitFor(async () => {
        const relays = await Promise.all([relayOf(a), relayOf(b)]);
        return relays.every((r) => r?.state === 'down' && r.reconnectAttempts >= 4);
      }, 'both instances reporting the relay down and retrying');
      expect(await a.metrics()).toMatch(/^lianxin_relay_up 0$/m);

      // With no relay, a client opening an order on one instance still gets what
      // the other acknowledged meanwhile, on its first sync: the store has it.
      const pairs: [ServerProcess, ServerProcess][] = [
        [a, b],
        [b, a],
      ];
      for (const [i, [here, there]] of pairs.entries()) {
        const orderId = orderIds[i]!;
        const ackedThere = new Set(tracks.filter((t) => t.orderId === orderId && t.server === there).flatMap((t) => [...t.acked]));
        expect(ackedThere.size).toBeGreaterThan(0);
        const reader = await TestClient.connect(here, users.supervisor, 800 + i);
        clients.push(reader);
        const fresh = await reader.open(orderDocName(orderId), new Y.Doc()).synced();
        const seen = new Set(fresh.events().map((e) => e.id));
        expect([...ackedThere].filter((id) => !seen.has(id)), 'events acknowledged on the other instance, missing from a first sync during the outage').toEqual([]);
        reader.close();
      }
      await waitFor(ackedSince(marks(), 3), 'more writes acknowledged with Redis still down');
      phase = 'back';
      await waitFor(() => quietWriter.handle.provider.unsyncedChanges === 0, 'the quiet order’s last write acknowledged');

      // Redis comes back, empty, on the same port, while the writers carry on.
      await redis.restart();
      await waitFor(async () => (await Promise.all([relayOf(a), relayOf(b)])).every((r) => r?.state === 'up'), 'both instances reporting the relay up again');
      await waitFor(ackedSince(marks(), 3), 'writes acknowledged on both instances after Redis returned');
    } finally {
      writing = false;
      await writeLoop;
    }
    for (const t of tracks) await t.handle.acked();
    expect(quietWriter.acked.size).toBeGreaterThan(0);

    // Both instances are still up.
    expect(a.ended(), 'instance a still running').toBeNull();
    expect(b.ended(), 'instance b still running').toBeNull();
    expect(a.logs() + b.logs()).not.toMatch(/unhandled_rejection|uncaught_exception/);

    const allOrders = [...orderIds, quiet.id];
    const ackedByOrder = new Map(allOrders.map((id) => [id, new Set<string>()]));
    for (const t of tracks) for (const id of t.acked) ackedByOrder.get(t.orderId)!.add(id);
    const total = [...ackedByOrder.values()].reduce((sum, ids) => sum + ids.size, 0);

    // Every acknowledged event is in PostgreSQL.
    const store = await PostgresStore.open(postgres.url);
    try {
      for (const orderId of allOrders) {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, mergeState(await store.loadDoc(orderDocName(orderId))));
        const stored = new Set(readEvents(doc).events.map((e) => e.id));
        const lost = [...ackedByOrder.get(orderId)!].filter((id) => !stored.has(id));
        expect(lost, `acknowledged events of ${orderId} missing from PostgreSQL`).toEqual([]);
      }
    } finally {
      await store.close();
    }

    // A fresh client on each instance gets all of them.
    for (const [i, server] of [a, b].entries()) {
      const reader = await TestClient.connect(server, users.supervisor, 900 + i);
      clients.push(reader);
      for (const orderId of allOrders) {
        const fresh = await reader.open(orderDocName(orderId), new Y.Doc()).synced();
        const missingIds = () => {
          const seen = new Set(fresh.events().map((e) => e.id));
          return [...ackedByOrder.get(orderId)!].filter((id) => !seen.has(id));
        };
        const where = `a fresh client on instance ${i === 0 ? 'a' : 'b'}`;
        await waitFor(() => missingIds().length === 0, `${where} seeing every acknowledged event of ${orderId}`, { intervalMs: 100 }).catch(() => {
          throw new Error(`${where} lacks ${missingIds().length} of ${ackedByOrder.get(orderId)!.size} acknowledged events of ${orderId}`);
        });
      }
    }

    // So do the clients that stayed connected through it all, the quiet order's watcher on b too.
    expect(quietWatcher.written).toEqual([]);
    for (const t of tracks) {
      const lacking = () => {
        const seen = new Set(t.handle.events().map((e) => e.id));
        return [...ackedByOrder.get(t.orderId)!].filter((id) => !seen.has(id)).length;
      };
      await waitFor(() => lacking() === 0, `${t.client.user.id} on ${t.orderId} seeing every acknowledged event`, { intervalMs: 100 }).catch(() => {
        throw new Error(`${t.client.user.id} on instance ${t.server === a ? 'a' : 'b'} still lacks ${lacking()} acknowledged events of ${t.orderId}`);
      });
    }
    console.info(`Redis outage: ${total} events acknowledged across both instances, all in PostgreSQL and on every client`);
  }, 180_000);

  it('brings the others what an instance wrote while it alone had lost Redis, once it is back', async () => {
    // c reaches Redis directly and never sees an outage; d goes through a proxy that is cut.
    const { clients } = cluster;
    const proxy = await cluster.redisProxy();
    const c = await cluster.startInstance('c');
    // d lets its index docs go 1 s after its last write, not 30 s: the test waits for it to hold no document.
    const d = await cluster.startInstance('d', { REDIS_URL: proxy.url, INDEX_HOLD: '1s' });
    const order = await createOrder(c.url);
    await waitFor(async () => (await Promise.all([relayOf(c), relayOf(d)])).every((r) => r?.state === 'up'), 'both relays up');

    const watcher = await TestClient.connect(c, users.worker2, 600);
    const writer = await TestClient.connect(d, users.worker, 601);
    clients.push(watcher, writer);
    const watched = await watcher.open(orderDocName(order.id)).synced();
    const written = await writer.open(orderDocName(order.id)).synced();

    proxy.cut();
    await waitFor(async () => (await relayOf(d))?.state === 'down', 'instance d reporting the relay down');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const event = writer.write(written, { type: 'progress', payload: { text: `断网时 ${i}` } }, writer.at(i));
      ids.push(event.id);
      written.append(event);
    }
    await written.acked();
    expect((await relayOf(c))?.state, 'instance c never lost Redis').toBe('up');
    // The writer leaves and d unloads everything: when it is back, it holds no
    // document to announce, and nothing is written after. d names the documents
    // it changed while cut off, and c catches them up from the store.
    writer.close();
    await waitFor(async () => ((await (await fetch(`${d.url}/healthz`)).json()) as { documents: number }).documents === 0, 'instance d holding no document');
    proxy.restore();
    await waitFor(async () => (await relayOf(d))?.state === 'up', 'instance d reporting the relay up again');
    const lacking = () => {
      const seen = new Set(watched.events().map((e) => e.id));
      return ids.filter((id) => !seen.has(id)).length;
    };
    await waitFor(() => lacking() === 0, 'the client on c seeing what d acknowledged while cut off').catch(() => {
      throw new Error(`the client on instance c still lacks ${lacking()} of ${ids.length} events instance d acknowledged while cut off from Redis`);
    });
    const reader = await TestClient.connect(c, users.supervisor, 602);
    clients.push(reader);
    const fresh = await reader.open(orderDocName(order.id), new Y.Doc()).synced();
    expect(fresh.events().map((e) => e.id)).toEqual(expect.arrayContaining(ids));
    await c.logged('"event":"relay_peer_caught_up"');
    for (const server of [c, d]) expect(server.logs()).not.toMatch(/unhandled_rejection|uncaught_exception/);
  }, 120_000);
});
