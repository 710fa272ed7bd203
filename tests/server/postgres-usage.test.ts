/**
 * The PostgreSQL store answers the daily quota's sums (`usageSince`, asked before every update) from
 * what it read and its own appends since (`UsageSums`), and reads them again when they are
 * `USAGE_FRESH_MS` old: another instance's appends count from then on. Two stores on one cluster
 * stand for two instances; the clock is pinned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '#server/store/postgres.ts';
import { ClientClaimedError } from '#server/store/store.ts';
import { USAGE_FRESH_MS } from '#server/store/usage-sums.ts';
import { missingBinaries, startPostgres, type Service } from './support/services.ts';

const missing = missingBinaries();
const HOUR = 480_000;
const usage = (events: number, bytes: number, userId = 'u') => ({ userId, hour: HOUR, events, bytes });

describe.skipIf(missing !== null)('a PostgreSQL instance’s daily quota sums', () => {
  let postgres: Service;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  afterAll(() => postgres?.stop());

  it('counts its own appends at once and the other instances’ once what it read is USAGE_FRESH_MS old', async () => {
    let now = 0;
    const here = await PostgresStore.open(postgres.url, { now: () => now });
    const other = await PostgresStore.open(postgres.url);
    const since = HOUR - 23;
    try {
      expect(await here.usageSince('u', since)).toEqual({ events: 0, bytes: 0 });
      await here.appendUpdate('order:o-quota', new Uint8Array([1]), usage(2, 30));
      expect(await here.usageSince('u', since)).toEqual({ events: 2, bytes: 30 });

      // Another instance's appends are not seen within the window…
      await other.appendUpdate('order:o-quota', new Uint8Array([2]), usage(5, 50));
      expect(await here.usageSince('u', since)).toEqual({ events: 2, bytes: 30 });
      // …but the sums from another hour on are read, and so is everything once the window is over.
      expect(await here.usageSince('u', since + 1)).toEqual({ events: 7, bytes: 80 });
      now += USAGE_FRESH_MS;
      expect(await here.usageSince('u', since)).toEqual({ events: 7, bytes: 80 });

      // An append refused for a client id another user owns counts nothing, here or in the table.
      await other.appendUpdate('order:o-quota', new Uint8Array([3]), usage(1, 1, 'v'), { userId: 'v', clients: [41] });
      const refused = here.appendUpdate('order:o-quota', new Uint8Array([4]), usage(9, 90), { userId: 'u', clients: [41] });
      await expect(refused).rejects.toBeInstanceOf(ClientClaimedError);
      expect(await here.usageSince('u', since)).toEqual({ events: 7, bytes: 80 });
      now += USAGE_FRESH_MS;
      expect(await here.usageSince('u', since)).toEqual({ events: 7, bytes: 80 });
      expect(await other.usageSince('u', since)).toEqual({ events: 7, bytes: 80 });
    } finally {
      await here.close();
      await other.close();
    }
  }, 60_000);
});
