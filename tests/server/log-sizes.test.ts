/**
 * The PostgreSQL store's own count of each doc's log between size reads (server/store/log-sizes.ts):
 * the last read plus this instance's appends, until it is `freshMs` old or the log was folded.
 */
import { describe, expect, it } from 'vitest';
import { LogSizes } from '#server/store/log-sizes.ts';

describe('LogSizes', () => {
  it('knows nothing of a doc whose sizes it never read, whatever was appended', () => {
    const sizes = new LogSizes(() => 0, 1000);
    sizes.appended('order:a', 2, 100);
    expect(sizes.known('order:a')).toBeUndefined();
  });

  it('adds this instance’s appends to the sizes read, until they are freshMs old', () => {
    let now = 0;
    const sizes = new LogSizes(() => now, 1000);
    sizes.read('order:a', { snapshotBytes: 500, logEntries: 3, logBytes: 90 });
    sizes.appended('order:a', 2, 40);
    sizes.appended('order:b', 1, 10);
    now = 999;
    expect(sizes.known('order:a')).toEqual({ snapshotBytes: 500, logEntries: 5, logBytes: 130 });
    expect(sizes.known('order:b')).toBeUndefined();
    now = 1000;
    expect(sizes.known('order:a')).toBeUndefined();
  });

  it('forgets a folded doc, and the least recently read beyond its bound', () => {
    const sizes = new LogSizes(() => 0, 1000, 2);
    const stats = { snapshotBytes: 0, logEntries: 1, logBytes: 1 };
    sizes.read('a', stats);
    sizes.read('b', stats);
    sizes.read('a', stats);
    sizes.read('c', stats);
    expect([sizes.known('a'), sizes.known('b'), sizes.known('c')]).toEqual([stats, undefined, stats]);
    sizes.forget('a');
    expect(sizes.known('a')).toBeUndefined();
  });
});
