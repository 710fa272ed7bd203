/**
 * Live index docs in generations against a real server process (docs/SERVER.md, "Index docs in generations"):
 * a street's index rolls over once its history passes the threshold (set low here), the bulk read answers the old
 * name with the new one, the new generation lists the orders, and a generation is authorised exactly as its base.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { OrderSummary } from '#shared/order/summary.ts';
import { gridIndexDocName, INDEX_META_MAP, INDEX_ORDERS_MAP, indexGenerationDocName, NEXT_GENERATION_KEY, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { createOrder, login, waitFor, type DocHandle } from './support/client.ts';
import { acceptedOrder, noteUntilRolledOver } from './support/orders-in-progress.ts';
import { outsideClerk, outsider, places, users } from './support/fixture.ts';
import { serverForFile } from './support/suite.ts';

// A floor of 1 KB: the street's index rolls over at twice its two entries, after a few hundred rewrites.
const suite = serverForFile({ env: { INDEX_ROLLOVER: '1KB', COMPACT_MIN_BYTES: '256', COMPACT_DEBOUNCE: '50ms', COMPACT_MAX_DEBOUNCE: '200ms' } });
const { connect } = suite;
const street = streetIndexDocName('d1-s1');

async function bulk(user: string, names: string[]): Promise<Record<string, { update?: string; moved?: string; error?: { code: string } }>> {
  const res = await fetch(`${suite.server.url}/api/docs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await login(suite.server.url, user)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ names }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { docs: Record<string, { update?: string; moved?: string; error?: { code: string } }> }).docs;
}

describe('live index docs in generations (a real server)', () => {
  it('refuses a generation the store’s record has not reached, over the socket and the bulk read (so none is loaded and held), after the scope check', async () => {
    // Not rolled over yet: generation 4 does not exist. Made-up generations were each loaded and held as an empty doc
    // (20,000 of them: +220 MB of RSS for 35 s).
    const gen = indexGenerationDocName(street, 4);
    const clerk = await connect(users.clerk, 71);
    expect(await clerk.open(gen).deniedReason()).toMatch(/^unknown_document/);
    const worker = await connect(users.worker, 74);
    expect(await worker.open(indexGenerationDocName(gridIndexDocName(places.grid1.gridId), 2)).deniedReason()).toMatch(/^unknown_document/);
    // Outside the unit: refused for the scope, as the base.
    const otherClerk = await connect(outsideClerk, 72);
    expect(await otherClerk.open(gen).deniedReason()).toMatch(/^out_of_scope/);
    const stranger = await connect(outsider, 73);
    expect(await stranger.open(indexGenerationDocName(gridIndexDocName(places.grid1.gridId), 2)).deniedReason()).toMatch(/^out_of_scope/);
    expect(await worker.open(gen).deniedReason()).toMatch(/^out_of_scope/);
    expect((await bulk(outsideClerk.id, [gen]))[gen]?.error?.code).toBe('out_of_scope');
    const crafted = Array.from({ length: 500 }, (_, i) => indexGenerationDocName(street, i + 1));
    const answered = await bulk(users.clerk.id, crafted);
    expect(new Set(crafted.map((name) => answered[name]?.error?.code))).toEqual(new Set(['unknown_document']));
  }, 60_000);

  it('rolls a street’s index over past its threshold; the bulk read sends a device from the old name to the new one, which lists the orders', async () => {
    const clerk = await connect(users.clerk, 75);
    const worker = await connect(users.worker, 76);
    const live = (await clerk.open(street, new Y.Doc()).synced()).doc;
    // Two orders, their summaries rewritten in turn: one order's rewrites alone leave no history (each overwritten
    // item follows the one before it, under the same client, and Yjs merges the two deleted items into one).
    const handles: { id: string; w: DocHandle }[] = [];
    for (let i = 0; i < 2; i++) {
      const order = await createOrder(suite.server.url);
      await waitFor(() => live.getMap(INDEX_ORDERS_MAP).has(order.id), 'the order in the live index');
      handles.push({ id: order.id, w: (await acceptedOrder(clerk, worker, order.id)).w });
    }
    // Progress notes: one summary rewrite each in the street's, the community's and the grid's index.
    const notes = await noteUntilRolledOver(worker, handles, live);
    console.info(`the street's index rolled over after ${notes} notes`);
    // Not at once: the history had to pass the threshold.
    expect(notes).toBeGreaterThan(50);
    expect(live.getMap(INDEX_META_MAP).get(NEXT_GENERATION_KEY)).toBe(indexGenerationDocName(street, 1));

    // A new device asks for the base: told the current name, no state.
    const next = indexGenerationDocName(street, 1);
    expect((await bulk(users.clerk.id, [street]))[street]).toEqual({ moved: next });
    const fresh = (await bulk(users.clerk.id, [next]))[next]!;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(fresh.update!, 'base64'));
    for (const { id, w } of handles) expect(doc.getMap<OrderSummary>(INDEX_ORDERS_MAP).get(id)?.eventCount).toBe(w.events().length);
    // Smaller than the history it replaced.
    expect(Y.encodeStateAsUpdate(doc).length).toBeLessThan(Y.encodeStateAsUpdate(live).length / 2);
    // An outsider is not told the name, nor given the generation: it is authorised as its base.
    expect((await bulk(outsideClerk.id, [street]))[street]).toEqual({ error: expect.objectContaining({ code: 'out_of_scope' }) });
    expect((await bulk(outsideClerk.id, [next]))[next]?.error?.code).toBe('out_of_scope');
    expect(await (await connect(users.worker, 77)).open(next).deniedReason()).toMatch(/^out_of_scope/);

    // The next note goes to generation 1 only.
    const opened = (await clerk.open(next, new Y.Doc()).synced()).doc;
    const before = Y.encodeStateVector(live);
    const { id, w } = handles[0]!;
    w.append(worker.write(w, { type: 'progress', payload: { text: '最后一次进展' } }, worker.at(5000)));
    expect(await w.settled()).toBeNull();
    await waitFor(() => opened.getMap<OrderSummary>(INDEX_ORDERS_MAP).get(id)?.eventCount === w.events().length, 'the last note in generation 1');
    expect(Y.encodeStateVector(live)).toEqual(before);
  }, 180_000);
});
