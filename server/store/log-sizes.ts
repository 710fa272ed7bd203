/**
 * What a store instance knows of each doc's log size between two
 * reads of it: the sizes last read, plus what this instance appended since.
 * Hocuspocus asks to store a doc a few seconds after each change, and each ask
 * was a size read (a statement, a round trip) to decide that the log was still
 * too small to fold — about one statement per event (docs/SCALING.md). With
 * this, a doc's sizes are read when this instance's own count says the log may
 * be worth folding, and at least every `freshMs` for what other instances
 * appended (their appends are not seen here; a fold waits for them at most
 * that long). The SQLite store keeps one too, never stale (`freshMs` infinite):
 * its file has one writer, this process.
 */
import { FreshReads } from './fresh-reads.ts';
import type { LogStats } from './store.ts';

/** How long sizes read stand for what other instances appended since. */
export const LOG_SIZES_FRESH_MS = 60_000;
const MAX_DOCS = 10_000;

export class LogSizes extends FreshReads<LogStats> {
  constructor(now: () => number, freshMs = LOG_SIZES_FRESH_MS, maxDocs = MAX_DOCS) {
    super(now, freshMs, maxDocs);
  }

  /** This instance appended `entries` entries of `bytes` bytes in all to the doc's log. */
  appended(doc: string, entries: number, bytes: number): void {
    this.wrote(doc, (stats) => ({ snapshotBytes: stats.snapshotBytes, logEntries: stats.logEntries + entries, logBytes: stats.logBytes + bytes }));
  }
}
