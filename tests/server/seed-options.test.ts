/**
 * The demo seed: orders wait for the demo grid worker's 签收 and the demo
 * street clerk's 派单 (so every demo can show them, at any hour), the same
 * seed gives the same ones, and the seed's size is a knob (tests and the
 * cold-start check choose it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '#demo/index.ts';
import { availableActions } from '#shared/order/actions.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { gridIndexDocName, INDEX_ORDERS_MAP } from '#shared/sync/doc-names.ts';
import { AWAITING_ACCEPT, AWAITING_DISPATCH, awaitingAccept, awaitingDispatch, seedIfNeeded } from '#server/seed.ts';
import { setQuiet } from '#server/log.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { inEachTimeZone, sweepInstants } from '../shared/support/instants.ts';

const worker = DEMO_ACCOUNTS.find((a) => a.role === 'grid_worker')!;
const clerk = DEMO_ACCOUNTS.find((a) => a.role === 'street_clerk')!;
const dirs: string[] = [];
/** The sweep's instants (the dates' edges) and a quarter-hour of every hour of a week. */
const instants = () => [...sweepInstants(), ...Array.from({ length: 7 * 24 }, (_, h) => ({ name: `hour ${h} of the week`, at: Date.UTC(2026, 11, 7, h, 15 * (h % 4)) }))];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('demo seed', () => {
  it('adds orders dispatched to the demo grid worker that only wait for 签收, the same ones for the same seed', () => {
    const now = Date.UTC(2026, 11, 1, 8);
    const orders = awaitingAccept(now, 1);
    expect(orders).toHaveLength(AWAITING_ACCEPT);
    for (const order of orders) {
      const view = deriveOrder(order.intake, order.events, now);
      expect(view.status).toBe('dispatched');
      expect(view.target?.unitId).toBe(worker.unitId);
      expect(availableActions(view, worker)).toContain('accept');
    }
    expect(awaitingAccept(now, 1).map((o) => o.intake.id)).toEqual(orders.map((o) => o.intake.id));
    expect(new Set(orders.map((o) => o.intake.id)).size).toBe(AWAITING_ACCEPT);
  });

  it('finds as many orders awaiting 签收 at every instant and in every time zone', () => {
    // Once, the one-grid demo left only two at 18 of the 672 quarter-hours of a week.
    for (const { name, at } of instants()) {
      const orders = awaitingAccept(at, 1);
      expect(orders, name).toHaveLength(AWAITING_ACCEPT);
      for (const order of orders) {
        expect(order.events.every((e) => e.at <= at), `${name}: written before now`).toBe(true);
        expect(availableActions(deriveOrder(order.intake, order.events, at), worker), name).toContain('accept');
      }
    }
    for (const ids of inEachTimeZone(() => awaitingAccept(Date.UTC(2026, 11, 31, 15, 59), 1).map((o) => o.intake.id))) {
      expect(ids).toHaveLength(AWAITING_ACCEPT);
    }
  });

  it('adds orders in the demo street clerk’s street that wait for 派单, at every instant and in every time zone, none of them the ones awaiting 签收', () => {
    // At 21:56 China time the general demo's street had no 待派单: its undispatched orders are its last hours' calls.
    for (const { name, at } of instants()) {
      const orders = awaitingDispatch(at, 1);
      expect(orders, name).toHaveLength(AWAITING_DISPATCH);
      for (const order of orders) {
        const view = deriveOrder(order.intake, order.events, at);
        expect(view.status, name).toBe('pending_dispatch');
        expect(order.intake.place.streetId, name).toBe(clerk.unitId);
        expect(order.events.every((e) => e.at <= at), `${name}: written before now`).toBe(true);
        expect(availableActions(view, clerk), name).toContain('dispatch');
      }
      const accepting = new Set(awaitingAccept(at, 1).map((o) => o.intake.orderNo));
      expect(orders.filter((o) => accepting.has(o.intake.orderNo)), name).toEqual([]);
    }
    for (const ids of inEachTimeZone(() => awaitingDispatch(Date.UTC(2026, 11, 31, 15, 59), 1).map((o) => o.intake.id))) {
      expect(ids).toHaveLength(AWAITING_DISPATCH);
    }
    expect(awaitingDispatch(Date.UTC(2026, 11, 1, 8), 1).map((o) => o.intake.id)).toEqual(awaitingDispatch(Date.UTC(2026, 11, 1, 8), 1).map((o) => o.intake.id));
  });

  it('seeds the size asked for, plus the orders awaiting 签收 and 派单, all in the worker grid index', async () => {
    setQuiet(true);
    const dir = await mkdtemp(join(tmpdir(), 'lianxin-seed-'));
    dirs.push(dir);
    const store = new SqliteStore(join(dir, 'lianxin.sqlite'));
    try {
      const oneGrid = { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 1, gridsPerCommunity: 1 };
      const report = await seedIfNeeded(store, 'always', { now: Date.UTC(2026, 11, 31, 15, 59), count: 50, openCount: 20, org: oneGrid });
      expect(report?.orders).toBe(50 + AWAITING_ACCEPT + AWAITING_DISPATCH);
      expect(await store.countOrders()).toBe(50 + AWAITING_ACCEPT + AWAITING_DISPATCH);
      const index = new Y.Doc();
      const state = await store.loadDoc(gridIndexDocName(worker.unitId));
      for (const update of [state.snapshot, ...state.updates]) if (update) Y.applyUpdate(index, update);
      expect(index.getMap(INDEX_ORDERS_MAP).size).toBe(50 + AWAITING_ACCEPT + AWAITING_DISPATCH);
    } finally {
      await store.close();
    }
  });
});
