/**
 * Replaying the journal (`journal.ts`) into an order's Y.Doc: on every open of
 * an order (`OrderDocs.acquire`), after its y-indexeddb store has loaded.
 * Apart from the journal so that the journal itself needs no Yjs.
 */
import type * as Y from 'yjs';
import { appendEvents, initOrderDoc, readIntake } from '../sync/order-doc.ts';
import type { IntakeRow, JournalRow, LianxinDb } from './db.ts';
import { byClock } from './journal.ts';

/** Transaction origin of replayed writes, so observers can tell them from the user's. */
export const JOURNAL_REPLAY_ORIGIN = 'lianxin:journal-replay';

export interface ReplayOptions {
  /**
   * Replay events the server already confirmed too. Off by default: those
   * come back with sync, and appending them into a doc that has not synced
   * yet (a doc whose local store was deleted after archiving, say) would add
   * a second copy of each to the order for good.
   */
  readonly includeDurable?: boolean;
}

/**
 * Append to `doc` every journalled event of the order it lacks (and the
 * intake of a field report, if the doc has none). Call after the doc's
 * y-indexeddb store has loaded. Safe to repeat. Returns the events appended.
 */
export async function replayJournal(db: LianxinDb, orderId: string, doc: Y.Doc, options: ReplayOptions = {}): Promise<number> {
  const [rows, intakeRow] = await db.transaction('r', db.journal, db.intakes, () =>
    Promise.all([db.journal.where('orderId').equals(orderId).toArray(), db.intakes.get(orderId)]),
  );
  const wanted = (row: JournalRow | IntakeRow) => options.includeDurable === true || row.durableAt === null;
  if (intakeRow && wanted(intakeRow) && readIntake(doc) === null) initOrderDoc(doc, intakeRow.intake, JOURNAL_REPLAY_ORIGIN);
  const events = rows.filter(wanted).sort(byClock).map((row) => row.event);
  return appendEvents(doc, events, JOURNAL_REPLAY_ORIGIN);
}

