/**
 * The write-ahead journal of what this device wrote. y-indexeddb gives no
 * signal that an update reached disk (its issue #28): close the tab right
 * after an edit and the edit can be gone. So an action is "saved" when its
 * event is committed here, and on every open of an order the journal is
 * replayed into the Y.Doc; `appendEvents` skips what the doc already has.
 *
 * Order of a local action: stamp → `recordEvent` (await) → append to the
 * Y.Doc → project the row. The server's durable acknowledgement later calls
 * `markDurable`; until then the event counts as unsynced.
 *
 * Yjs-free (Dexie only), so the app's first screen can count what is unsynced
 * without loading Yjs; the replay into a Y.Doc is `journal-replay.ts`.
 */
import type { HlcState } from '../clock/hlc.ts';
import type { OrderEvent } from '../order/events.ts';
import type { OrderIntake } from '../order/intake.ts';
import type { EventRefusal, JournalRow, LianxinDb } from './db.ts';

export interface RecordOptions {
  /** Device time of recording; defaults to the event's own `at`. */
  readonly now?: number;
  /** The clock state that stamped the event, persisted in the same transaction. */
  readonly clock?: HlcState;
}

/**
 * Durably record an event written on this device. Resolves only after the
 * IndexedDB transaction has committed (Dexie resolves a read-write
 * transaction on `complete`); recording the same event again changes nothing,
 * in particular not a durableAt already set.
 */
export async function recordEvent(db: LianxinDb, orderId: string, event: OrderEvent, options: RecordOptions = {}): Promise<void> {
  await db.transaction('rw', db.journal, db.session, async () => {
    if (!(await db.journal.get(event.id))) {
      await db.journal.add({ id: event.id, orderId, event, createdAt: options.now ?? event.at, durableAt: null, unsynced: 1 });
    }
    if (options.clock) await db.session.put({ key: 'hlc', value: options.clock });
  });
}

/** Durably record the intake of an order created on this device (a field report). */
export async function recordIntake(db: LianxinDb, intake: OrderIntake, now: number): Promise<void> {
  await db.transaction('rw', db.intakes, async () => {
    if (!(await db.intakes.get(intake.id))) {
      await db.intakes.add({ orderId: intake.id, intake, createdAt: now, durableAt: null, unsynced: 1 });
    }
  });
}

/** The server stored these events durably. Returns how many rows changed. */
export function markDurable(db: LianxinDb, eventIds: readonly string[], at: number): Promise<number> {
  return db.journal
    .where('id')
    .anyOf([...eventIds])
    .and((row) => row.durableAt === null)
    .modify({ durableAt: at, unsynced: undefined });
}

/** The server stored the intakes of these orders durably. */
export function markIntakesDurable(db: LianxinDb, orderIds: readonly string[], at: number): Promise<number> {
  return db.intakes
    .where('orderId')
    .anyOf([...orderIds])
    .and((row) => row.durableAt === null)
    .modify({ durableAt: at, unsynced: undefined });
}

/** Journal rows the server has not confirmed, of one order or of all, in clock order. */
export async function pendingEvents(db: LianxinDb, orderId?: string): Promise<JournalRow[]> {
  const rows =
    orderId === undefined
      ? await db.journal.where('unsynced').equals(1).toArray()
      : await db.journal.where('orderId').equals(orderId).and((row) => row.durableAt === null).toArray();
  return rows.sort(byClock);
}

/**
 * The server's guard refused the update that carried this order's unsynced
 * work (the events and a field report's intake not yet confirmed): mark them
 * with why. They stay unsynced; they are no longer "waiting".
 */
export async function markRefused(db: LianxinDb, orderId: string, refusal: EventRefusal): Promise<number> {
  return db.transaction('rw', db.journal, db.intakes, async () => {
    const events = await db.journal.where('orderId').equals(orderId).and((row) => row.durableAt === null).modify({ refusal });
    const intakes = await db.intakes.where('orderId').equals(orderId).and((row) => row.durableAt === null).modify({ refusal });
    return events + intakes;
  });
}

/** An order whose unsynced work the server refused, as the UI lists it. */
export interface RefusedWork extends EventRefusal {
  readonly orderId: string;
  /** The refused events, in clock order. */
  readonly events: readonly OrderEvent[];
  /** The order was created here (a field report) and its intake was refused too. */
  readonly intake: boolean;
}

/** Orders with refused unsynced work, oldest refusal first (the latest refusal of each order). */
export async function refusedWork(db: LianxinDb): Promise<RefusedWork[]> {
  const [events, intakes] = await db.transaction('r', db.journal, db.intakes, () =>
    Promise.all([db.journal.where('unsynced').equals(1).toArray(), db.intakes.where('unsynced').equals(1).toArray()]),
  );
  const byOrder = new Map<string, { refusal: EventRefusal; rows: JournalRow[]; intake: boolean }>();
  const note = (orderId: string, refusal: EventRefusal) => {
    const entry = byOrder.get(orderId) ?? { refusal, rows: [], intake: false };
    if (refusal.at > entry.refusal.at) entry.refusal = refusal;
    byOrder.set(orderId, entry);
    return entry;
  };
  for (const row of events) if (row.refusal) note(row.orderId, row.refusal).rows.push(row);
  for (const row of intakes) if (row.refusal) note(row.orderId, row.refusal).intake = true;
  return [...byOrder]
    .map(([orderId, { refusal, rows, intake }]) => ({ ...refusal, orderId, events: rows.sort(byClock).map((row) => row.event), intake }))
    .sort((a, b) => a.at - b.at || (a.orderId < b.orderId ? -1 : 1));
}

/**
 * Delete every unsynced journal row and intake of these orders that hold
 * refused work (after the user exported it): they exist nowhere else, so
 * this is the user's explicit choice. Returns the orders touched.
 */
export async function discardRefused(db: LianxinDb, orderIds: readonly string[]): Promise<string[]> {
  return db.transaction('rw', db.journal, db.intakes, async () => {
    const [events, intakes] = await Promise.all([
      db.journal.where('orderId').anyOf([...orderIds]).and((row) => row.durableAt === null).toArray(),
      db.intakes.where('orderId').anyOf([...orderIds]).and((row) => row.durableAt === null).toArray(),
    ]);
    const refused = new Set([...events, ...intakes].filter((row) => row.refusal).map((row) => row.orderId));
    await db.journal.bulkDelete(events.filter((row) => refused.has(row.orderId)).map((row) => row.id));
    await db.intakes.bulkDelete(intakes.filter((row) => refused.has(row.orderId)).map((row) => row.orderId));
    return [...refused].sort();
  });
}

/**
 * Forget journal rows the server confirmed before `durableBefore`: they are
 * in the order doc and on the server, and the journal should stay short.
 */
export function pruneJournal(db: LianxinDb, durableBefore: number): Promise<number> {
  return db.journal.where('durableAt').below(durableBefore).delete();
}

/** Journal rows in the order their events were stamped. */
export function byClock(a: JournalRow, b: JournalRow): number {
  return a.event.hlc < b.event.hlc ? -1 : a.event.hlc > b.event.hlc ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
