/**
 * The PostgreSQL store's own count of each user's daily quota sums between reads
 * (server/store/usage-sums.ts): the last read plus this instance's appends, for the hours asked,
 * until it is `freshMs` old; a read overtaken by an append is not kept.
 */
import { describe, expect, it } from 'vitest';
import { UsageSums } from '#server/store/usage-sums.ts';

const record = (hour: number, events = 1, bytes = 10) => ({ userId: 'u', hour, events, bytes });

describe('UsageSums', () => {
  it('adds this instance’s appends to the sums read, for the same hours, until they are freshMs old', () => {
    let now = 0;
    const sums = new UsageSums(() => now, 1000);
    sums.counted(record(100));
    expect(sums.known('u', 77)).toBeUndefined();
    sums.read('u', 77, { events: 5, bytes: 50 }, sums.reading('u'));
    sums.counted(record(100, 2, 20));
    sums.counted({ ...record(100), userId: 'v' });
    now = 999;
    expect(sums.known('u', 77)).toEqual({ events: 7, bytes: 70 });
    expect(sums.known('u', 78)).toBeUndefined();
    expect(sums.known('v', 77)).toBeUndefined();
    now = 1000;
    expect(sums.known('u', 77)).toBeUndefined();
  });

  it('does not keep a read that an append of this instance overtook', () => {
    const sums = new UsageSums(() => 0, 1000);
    const token = sums.reading('u');
    sums.counted(record(100));
    sums.read('u', 77, { events: 5, bytes: 50 }, token);
    expect(sums.known('u', 77)).toBeUndefined();
    sums.read('u', 77, { events: 6, bytes: 60 }, sums.reading('u'));
    expect(sums.known('u', 77)).toEqual({ events: 6, bytes: 60 });
  });

  it('reads again after a prune', () => {
    const sums = new UsageSums(() => 0, 1000);
    sums.read('u', 77, { events: 5, bytes: 50 }, sums.reading('u'));
    sums.forget('u');
    expect(sums.known('u', 77)).toBeUndefined();
  });
});
