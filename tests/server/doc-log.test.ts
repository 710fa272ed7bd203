import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPACT_ENTRIES, worthCompacting } from '#server/sync/durable.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { configFromArgs, DEFAULT_COMPACT_MIN_BYTES, resolveConfig } from '#server/config.ts';

describe('worthCompacting', () => {
  const KB = 1024;

  it('leaves a small log alone however small the snapshot, until it holds the floor', () => {
    expect(worthCompacting({ snapshotBytes: 4 * KB, logBytes: 2 * KB, logEntries: 5 }, 16 * KB)).toBe(false);
    expect(worthCompacting({ snapshotBytes: 0, logBytes: 15 * KB, logEntries: 40 }, 16 * KB)).toBe(false);
    expect(worthCompacting({ snapshotBytes: 4 * KB, logBytes: 16 * KB, logEntries: 40 }, 16 * KB)).toBe(true);
  });

  it('still waits for a quarter of a big snapshot', () => {
    expect(worthCompacting({ snapshotBytes: 400 * KB, logBytes: 99 * KB, logEntries: 150 }, 16 * KB)).toBe(false);
    expect(worthCompacting({ snapshotBytes: 400 * KB, logBytes: 100 * KB, logEntries: 150 }, 16 * KB)).toBe(true);
  });

  it('folds a log of many entries whatever their size', () => {
    expect(worthCompacting({ snapshotBytes: 400 * KB, logBytes: 2 * KB, logEntries: COMPACT_ENTRIES }, 16 * KB)).toBe(true);
  });

  it('without a floor, folds at a quarter of the snapshot (what the server tests run with)', () => {
    expect(worthCompacting({ snapshotBytes: 4 * KB, logBytes: KB, logEntries: 3 }, 0)).toBe(true);
    expect(worthCompacting({ snapshotBytes: 4 * KB, logBytes: KB - 1, logEntries: 3 }, 0)).toBe(false);
  });
});

describe('COMPACT_MIN_BYTES', () => {
  it('defaults to 16 KB and is read from the flag or the environment', () => {
    expect(resolveConfig({}).compactMinBytes).toBe(DEFAULT_COMPACT_MIN_BYTES);
    expect(resolveConfig(configFromArgs(['--compact-min-bytes', '64KB'], {})).compactMinBytes).toBe(64 * 1024);
    expect(resolveConfig(configFromArgs([], { COMPACT_MIN_BYTES: '0' })).compactMinBytes).toBe(0);
  });
});

describe('a log append of several entries (the client update and its receipts)', () => {
  it('stores each as its own entry, in order, in one write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lianxin-log-'));
    const store = new SqliteStore(join(dir, 'lianxin.sqlite'));
    try {
      const first = await store.appendUpdate('order:o-1', new Uint8Array([1, 2, 3]));
      const last = await store.appendUpdate('order:o-1', [new Uint8Array([4]), new Uint8Array([5, 6])], { userId: 'u', hour: 1, events: 1, bytes: 3 });
      expect(last).toBe(first + 2);
      const state = await store.loadDoc('order:o-1');
      expect(state.updates.map((u) => [...u])).toEqual([[1, 2, 3], [4], [5, 6]]);
      expect(await store.usageSince('u', 0)).toEqual({ events: 1, bytes: 3 });
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
