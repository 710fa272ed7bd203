import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LianxinDb, getSessionValue } from '#shared/local/db.ts';
import { JOURNAL_REPLAY_ORIGIN, replayJournal } from '#shared/local/journal-replay.ts';
import {
  markDurable,
  markIntakesDurable,
  pendingEvents,
  pruneJournal,
  recordEvent,
  recordIntake,
} from '#shared/local/journal.ts';
import { storePhoto } from '#shared/local/photos.ts';
import { unsyncedCounts } from '#shared/local/projection.ts';
import { createHlc } from '#shared/clock/hlc.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { initOrderDoc, readEvents, readIntake } from '#shared/sync/order-doc.ts';
import { HOUR, History, T0, intake, payloads, sha, users } from '../support/builders.ts';
import { openTestDb } from './helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
beforeEach(() => ({ db, close } = openTestDb()));
afterEach(() => close());

const ORDER = intake().id;

/** A dispatch from the server's side, then the worker's accept, check-in and photo on this device. */
function workerDay() {
  const h = new History();
  const dispatch = h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0);
  const local = [
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR),
    h.by(users.worker).do({ type: 'progress', payload: { text: '已到现场查看' } }, T0 + 2 * HOUR),
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + 2 * HOUR + 60_000),
  ];
  return { dispatch, local, all: h.events };
}

async function recordAll(events: readonly Parameters<typeof recordEvent>[2][]) {
  for (const event of events) await recordEvent(db, ORDER, event);
}

describe('recordEvent', () => {
  it('is committed when it resolves: another connection reads it at once', async () => {
    const { local } = workerDay();
    await recordEvent(db, ORDER, local[0]!);
    const other = new LianxinDb(db.name);
    try {
      expect(await other.journal.get(local[0]!.id)).toMatchObject({ orderId: ORDER, durableAt: null, unsynced: 1, createdAt: T0 + HOUR });
    } finally {
      other.close();
    }
  });

  it('persists the clock state that stamped the event in the same transaction', async () => {
    const { local } = workerDay();
    const clock = { ...createHlc('dev-grid1'), wall: T0 + HOUR, counter: 2 };
    await recordEvent(db, ORDER, local[0]!, { clock, now: T0 + HOUR + 5 });
    expect(await getSessionValue(db, 'hlc')).toEqual(clock);
    expect((await db.journal.get(local[0]!.id))?.createdAt).toBe(T0 + HOUR + 5);
  });

  it('records an event once; recording it again keeps its durable mark', async () => {
    const { local } = workerDay();
    await recordEvent(db, ORDER, local[0]!);
    await markDurable(db, [local[0]!.id], T0 + 2 * HOUR);
    await recordEvent(db, ORDER, local[0]!);
    expect(await db.journal.count()).toBe(1);
    expect((await db.journal.get(local[0]!.id))?.durableAt).toBe(T0 + 2 * HOUR);
  });
});

describe('replayJournal', () => {
  it('restores into a fresh Y.Doc the events its store lost, and replaying twice appends nothing', async () => {
    const { dispatch, local, all } = workerDay();
    await recordAll(local);
    // What y-indexeddb kept: the intake and the dispatch, but none of the local writes.
    const doc = new Y.Doc();
    initOrderDoc(doc, intake());
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.changed.size > 0) origins.push(tr.origin);
    });
    const first = await replayJournal(db, ORDER, doc);
    expect(first).toBe(3);
    expect(origins).toEqual([JOURNAL_REPLAY_ORIGIN]);
    expect(await replayJournal(db, ORDER, doc)).toBe(0);
    const { events, malformed } = readEvents(doc);
    expect(malformed).toEqual([]);
    expect(events.map((e) => e.id)).toEqual(local.map((e) => e.id));
    // Once the dispatch arrives from the server, the view is the same as if nothing was lost.
    const view = deriveOrder(intake(), [dispatch, ...events], T0 + 3 * HOUR);
    expect(view).toEqual(deriveOrder(intake(), all, T0 + 3 * HOUR));
    expect(view.status).toBe('in_progress');
  });

  it('appends only what the doc lacks', async () => {
    const { local } = workerDay();
    await recordAll(local);
    const doc = new Y.Doc();
    initOrderDoc(doc, intake());
    await replayJournal(db, ORDER, doc);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(await replayJournal(db, ORDER, copy)).toBe(0);
    expect(readEvents(copy).events).toHaveLength(3);
  });

  it('leaves out events the server confirmed, unless asked', async () => {
    const { local } = workerDay();
    await recordAll(local);
    await markDurable(db, [local[0]!.id], T0 + 3 * HOUR);
    const doc = new Y.Doc();
    expect(await replayJournal(db, ORDER, doc)).toBe(2);
    expect(await replayJournal(db, ORDER, doc, { includeDurable: true })).toBe(1);
  });

  it('restores the intake of a field report created on this device', async () => {
    const report = intake({ id: 'fr-1', orderNo: 'FR-20261102-01', source: 'field_report', channel: 'field', reportedBy: 'grid1' });
    await recordIntake(db, report, T0);
    const doc = new Y.Doc();
    await replayJournal(db, report.id, doc);
    expect(readIntake(doc)).toEqual({ ok: true, value: report });
    expect(await unsyncedCounts(db)).toMatchObject({ intakes: 1 });
    await markIntakesDurable(db, [report.id], T0 + HOUR);
    expect(await unsyncedCounts(db)).toMatchObject({ intakes: 0 });
  });
});

describe('unsynced work', () => {
  it('counts journal entries until the server confirms them, then none', async () => {
    const { local } = workerDay();
    await recordAll(local);
    expect(await unsyncedCounts(db)).toEqual({ events: 3, intakes: 0, photos: 0 });
    expect((await pendingEvents(db)).map((row) => row.id)).toEqual(local.map((e) => e.id));
    expect(await pendingEvents(db, 'another-order')).toEqual([]);

    expect(await markDurable(db, [local[0]!.id, local[1]!.id], T0 + 3 * HOUR)).toBe(2);
    expect((await pendingEvents(db, ORDER)).map((row) => row.id)).toEqual([local[2]!.id]);
    await markDurable(db, local.map((e) => e.id), T0 + 4 * HOUR);
    expect(await unsyncedCounts(db)).toEqual({ events: 0, intakes: 0, photos: 0 });
    // The first confirmation time stays.
    expect((await db.journal.get(local[0]!.id))?.durableAt).toBe(T0 + 3 * HOUR);
    expect(await db.journal.get(local[0]!.id)).not.toHaveProperty('unsynced');
  });

  it('counts a stored photo until its upload is done', async () => {
    const blob = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
    const photo = { sha256: sha(1), orderId: ORDER, blob, thumb: blob, mime: 'image/jpeg', size: 3, width: 1, height: 1, takenAt: T0, createdAt: T0 } as const;
    await storePhoto(db, photo, T0);
    await storePhoto(db, photo, T0 + 1);
    expect(await db.uploads.get(sha(1))).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: T0 });
    expect(await unsyncedCounts(db)).toEqual({ events: 0, intakes: 0, photos: 1 });
    await db.uploads.update(sha(1), { state: 'done' });
    expect(await unsyncedCounts(db)).toEqual({ events: 0, intakes: 0, photos: 0 });
  });

  it('prunes only entries confirmed before the cut-off', async () => {
    const { local } = workerDay();
    await recordAll(local);
    await markDurable(db, [local[0]!.id], T0 + HOUR);
    await markDurable(db, [local[1]!.id], T0 + 5 * HOUR);
    expect(await pruneJournal(db, T0 + 2 * HOUR)).toBe(1);
    expect((await db.journal.toCollection().primaryKeys()).sort()).toEqual([local[1]!.id, local[2]!.id].sort());
  });
});
