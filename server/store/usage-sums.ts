/**
 * What a PostgreSQL store instance knows of each user's writes of the last day
 * (the daily quota's sums, `Store.usageSince`) between two reads: the sums
 * last read, plus this instance's own appends since. The guard asks before
 * every update, and each ask was a `SUM` over the user's hours — a statement
 * per event (bench/README.md, "City day, part 4"). Other instances' writes are
 * seen at the next read, at most `freshMs` later: a user writing through
 * several instances at once can pass the quota by what those instances accept
 * in that time, which the quota (a bound on a runaway device, not a bill)
 * allows: one device writes through one socket, so through one instance, which
 * counts its own appends at once. SQLite, the only writer to its file, keeps
 * exact sums its own way.
 */
import { FreshReads } from './fresh-reads.ts';
import type { Usage, UsageRecord } from './store.ts';

/** How long sums read stand for what other instances wrote since. */
export const USAGE_FRESH_MS = 60_000;
const MAX_USERS = 10_000;

interface KnownUsage extends Usage {
  readonly sinceHour: number;
}

export class UsageSums {
  private readonly sums: FreshReads<KnownUsage>;
  /** Per user, this instance's appends counted so far: a read that one overtook is not kept. */
  private readonly appends = new Map<string, number>();

  constructor(now: () => number, freshMs = USAGE_FRESH_MS, maxUsers = MAX_USERS) {
    this.sums = new FreshReads(now, freshMs, maxUsers);
  }

  /** The user's sums from `sinceHour` on, without reading them; undefined when they must be read. */
  known(userId: string, sinceHour: number): Usage | undefined {
    const known = this.sums.known(userId);
    return known?.sinceHour === sinceHour ? { events: known.events, bytes: known.bytes } : undefined;
  }

  /** Taken before a read, handed to `read` with its answer. */
  reading(userId: string): number {
    return this.appends.get(userId) ?? 0;
  }

  /**
   * The sums just read. Kept only if no append of this instance's was counted while the read ran:
   * the answer may or may not include it, and adding it again could count it twice.
   */
  read(userId: string, sinceHour: number, usage: Usage, token: number): void {
    if (this.reading(userId) === token) this.sums.read(userId, { sinceHour, events: usage.events, bytes: usage.bytes });
  }

  /** The user's hours older than a day were pruned: sums from before them are read again. */
  forget(userId: string): void {
    this.sums.forget(userId);
  }

  /** An append of this instance's with `record` committed. */
  counted(record: UsageRecord): void {
    this.appends.set(record.userId, this.reading(record.userId) + 1);
    this.sums.wrote(record.userId, (known) =>
      record.hour >= known.sinceHour ? { sinceHour: known.sinceHour, events: known.events + record.events, bytes: known.bytes + record.bytes } : known,
    );
  }
}
