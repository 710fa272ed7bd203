/**
 * What a PostgreSQL store instance knows of each doc's log size between two
 * reads of it: the sizes last read, plus what this instance appended since.
 * Hocuspocus asks to store a doc a few seconds after each change, and each ask
 * was a size read (a statement, a round trip) to decide that the log was still
 * too small to fold — about one statement per event (docs/SCALING.md). With
 * this, a doc's sizes are read when this instance's own count says the log may
 * be worth folding, and at least every `freshMs` for what other instances
 * appended (their appends are not seen here; a fold waits for them at most
 * that long). Bounded: the docs least recently touched are forgotten first.
 * The SQLite store keeps one too, never stale (`freshMs` infinite): its file has
 * one writer, this process.
 */
import type { LogStats } from './store.ts';

/** How long sizes read stand for what other instances appended since. */
export const LOG_SIZES_FRESH_MS = 60_000;
const MAX_DOCS = 10_000;

interface Known {
  stats: LogStats;
  readonly readAt: number;
}

export class LogSizes {
  private readonly docs = new Map<string, Known>();

  constructor(
    private readonly now: () => number,
    private readonly freshMs = LOG_SIZES_FRESH_MS,
    private readonly maxDocs = MAX_DOCS,
  ) {}

  /** The sizes to judge a fold by without reading them; undefined when they must be read. */
  known(doc: string): LogStats | undefined {
    const known = this.docs.get(doc);
    if (!known) return undefined;
    if (this.now() - known.readAt >= this.freshMs) {
      this.docs.delete(doc);
      return undefined;
    }
    return known.stats;
  }

  /** The sizes just read from the database. */
  read(doc: string, stats: LogStats): void {
    this.docs.delete(doc);
    this.docs.set(doc, { stats, readAt: this.now() });
    for (const oldest of this.docs.keys()) {
      if (this.docs.size <= this.maxDocs) break;
      this.docs.delete(oldest);
    }
  }

  /** This instance appended `entries` entries of `bytes` bytes in all to the doc's log. */
  appended(doc: string, entries: number, bytes: number): void {
    const known = this.docs.get(doc);
    if (!known) return;
    const { stats } = known;
    known.stats = { snapshotBytes: stats.snapshotBytes, logEntries: stats.logEntries + entries, logBytes: stats.logBytes + bytes };
  }

  /** The log was folded (or may have been): read its sizes next time. */
  forget(doc: string): void {
    this.docs.delete(doc);
  }
}
