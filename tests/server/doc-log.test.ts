import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { Hocuspocus, type onLoadDocumentPayload, type onStoreDocumentPayload } from '@hocuspocus/server';
import { COMPACT_ENTRIES, DurableLog, type DurableLogOptions, LIVE_FOLD_FLOOR_FACTOR, LIVE_FOLD_INTERVAL_MS, LIVE_FOLD_LOG_FACTOR, worthCompacting } from '#server/sync/durable.ts';
import type { SyncContext } from '#server/sync/context.ts';
import { mergeState } from '#server/sync/merge-state.ts';
import { SqliteStore } from '#server/store/sqlite.ts';
import { CHECKPOINT_COMMITS, CheckpointThread } from '#server/store/checkpoint-thread.ts';
import { waitFor } from '../support/wait.ts';
import { countStatements } from './support/statements.ts';
import type { DocState, Fold, LogStats, Store } from '#server/store/store.ts';
import { configFromArgs, DEFAULT_COMPACT_MIN_BYTES, resolveConfig } from '#server/config.ts';

const KB = 1024;

describe('worthCompacting', () => {

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

describe('WAL checkpoints (CheckpointThread: a second connection in a worker, not in a commit)', () => {
  it('checkpoints the WAL off the event loop, keeps it from growing, and loses nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lianxin-log-'));
    const file = join(dir, 'lianxin.sqlite');
    const blob = new Uint8Array(8 * 1024).fill(7);
    const commits = 24 * CHECKPOINT_COMMITS;
    try {
      const store = new SqliteStore(file);
      let walMax = 0;
      try {
        // Each append awaited: a group commit (and an fsync) of its own.
        for (let i = 0; i < commits; i++) {
          await store.appendUpdate(`order:o-${i % 7}`, blob);
          if (i === CHECKPOINT_COMMITS) await waitFor(() => store.walCheckpoints > 0, 'the first checkpoint');
          if (i > 2 * CHECKPOINT_COMMITS) walMax = Math.max(walMax, statSync(`${file}-wal`).size);
        }
        await waitFor(() => store.walCheckpoints >= 2, 'checkpoints after the first');
      } finally {
        await store.close();
      }
      // The store's connection never checkpoints on its own (wal_autocheckpoint = 0): without the thread the
      // WAL would hold every commit, more than the appends' own bytes (25 MB here); with it, it starts over after
      // each checkpoint's second step, which copies what was committed beside the first: about one round of
      // commits (1.9–2.0 MB here), whatever the count.
      expect(walMax).toBeLessThan((commits * blob.length) / 4);
      const reopened = new SqliteStore(file);
      try {
        const state = await reopened.loadDoc('order:o-0');
        expect(state.updates).toHaveLength(Math.ceil(commits / 7));
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a checkpoint in two steps (CheckpointThread.committed)', () => {
  it('copies beside the commits, then pauses them only to copy what they wrote meanwhile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lianxin-log-'));
    const file = join(dir, 'lianxin.sqlite');
    const store = new SqliteStore(file);
    const thread = new CheckpointThread(file, () => {
      throw new Error('the checkpoint thread failed');
    });
    try {
      await store.appendUpdate('order:o-1', new Uint8Array(4096).fill(1));
      const commit = () => thread.committed();
      for (let i = 1; i < CHECKPOINT_COMMITS; i++) expect(commit()).toBeNull();
      // The first step is asked for and the store goes on: nothing to wait for.
      expect(commit()).toBeNull();
      await store.appendUpdate('order:o-1', new Uint8Array(4096).fill(2));
      expect(commit()).toBeNull(); // a commit beside the first step
      await waitFor(() => thread.completed === 1, 'the first step');
      // The next commit waits for the second step, which copies what was written beside the first.
      const tail = commit();
      expect(tail).toBeInstanceOf(Promise);
      await tail;
      expect({ completed: thread.completed, paused: thread.paused }).toEqual({ completed: 2, paused: 1 });
      // With no commit synced beside the first step, the second is still due: a commit begun during the first
      // and synced after it has frames the first did not copy.
      for (let i = 1; i <= CHECKPOINT_COMMITS; i++) expect(commit()).toBeNull();
      await waitFor(() => thread.completed === 3, 'the next first step');
      await commit();
      expect({ completed: thread.completed, paused: thread.paused }).toEqual({ completed: 4, paused: 2 });
    } finally {
      await thread.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A fresh SQLite store in a temporary folder, closed and removed after `body`. */
async function withStore(body: (store: SqliteStore) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lianxin-log-'));
  const store = new SqliteStore(join(dir, 'lianxin.sqlite'));
  try {
    await body(store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** An update that sets `key` to `value` in the doc's map `m`. */
function setting(key: string, value: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

const entriesOf = (state: DocState): Record<string, unknown> => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, mergeState(state));
  return doc.getMap('m').toJSON();
};

/** A merge (as the worker thread's, asynchronous) that folds only once released. */
function heldMerge(): { merge: (state: DocState) => Promise<Uint8Array>; release: () => void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    merge: async (state) => {
      await gate;
      return mergeState(state);
    },
    release: () => release(),
  };
}

describe('a fold with an asynchronous merge (the worker thread, FoldThread)', () => {
  it('keeps an entry appended while the merge runs, and deletes exactly the entries it read', async () => {
    await withStore(async (store) => {
      await store.appendUpdate('street:s1', setting('a', 1));
      await store.appendUpdate('street:s1', setting('b', 2));
      const held = heldMerge();
      const folded = store.compactDoc('street:s1', held.merge);
      await store.appendUpdate('street:s1', setting('c', 3));
      held.release();
      expect(await folded).toBe(2);
      const state = await store.loadDoc('street:s1');
      expect(state.updates).toHaveLength(1);
      expect(entriesOf(state)).toEqual({ a: 1, b: 2, c: 3 });
    });
  });

  it('writes nothing when another fold of the doc wrote after its read (the later one would drop what the other folded)', async () => {
    await withStore(async (store) => {
      await store.appendUpdate('street:s1', setting('a', 1));
      const held = heldMerge();
      // The slow fold reads [a]; meanwhile b is appended and a fast fold folds [a, b].
      const slow = store.compactDoc('street:s1', held.merge);
      await store.appendUpdate('street:s1', setting('b', 2));
      expect(await store.compactDoc('street:s1', mergeState)).toBe(2);
      held.release();
      expect(await slow).toBe(0);
      expect(entriesOf(await store.loadDoc('street:s1'))).toEqual({ a: 1, b: 2 });
    });
  });
});

describe('the rows a fold deletes', () => {
  it('are deleted in one statement, exactly those read: another doc’s rows between them stay', async () => {
    await withStore(async (store) => {
      const deletes = countStatements(store, 'DELETE FROM doc_updates');
      for (const key of ['a', 'b', 'c']) {
        await store.appendUpdate('street:s1', setting(key, 1));
        await store.appendUpdate('street:s2', setting(key, 2));
      }
      expect(await store.compactDoc('street:s1', mergeState)).toBe(3);
      expect(deletes()).toBe(1);
      expect((await store.loadDoc('street:s1')).updates).toHaveLength(0);
      expect(entriesOf(await store.loadDoc('street:s1'))).toEqual({ a: 1, b: 1, c: 1 });
      expect((await store.loadDoc('street:s2')).updates).toHaveLength(3);
    });
  });
});

describe("the daily quota's sums (usageSince)", () => {
  it('are read once and then kept by the store’s own writes, per user and from the hour asked', async () => {
    await withStore(async (store) => {
      await store.appendUpdate('order:o-1', new Uint8Array([1]), { userId: 'u', hour: 100, events: 1, bytes: 10 });
      expect(await store.usageSince('u', 0)).toEqual({ events: 1, bytes: 10 });
      await store.appendUpdate('order:o-1', new Uint8Array([2]), { userId: 'u', hour: 101, events: 2, bytes: 20 });
      await store.appendUpdate('order:o-2', new Uint8Array([3]), { userId: 'v', hour: 101, events: 5, bytes: 50 });
      await store.appendUpdate('order:o-1', new Uint8Array([4]), { userId: 'u', hour: 101, events: 1, bytes: 5 });
      expect(await store.usageSince('u', 0)).toEqual({ events: 4, bytes: 35 });
      expect(await store.usageSince('u', 101)).toEqual({ events: 3, bytes: 25 });
      expect(await store.usageSince('v', 0)).toEqual({ events: 5, bytes: 50 });
      // A day later the oldest hour is gone, from the table and from the sums.
      await store.appendUpdate('order:o-1', new Uint8Array([5]), { userId: 'u', hour: 125, events: 1, bytes: 1 });
      expect(await store.usageSince('u', 0)).toEqual({ events: 4, bytes: 26 });
    });
  });
});

describe('a fold from the live doc (Fold `live`)', () => {
  it('writes the live state as the snapshot and deletes exactly the entries read before it', async () => {
    await withStore(async (store) => {
      await store.appendUpdate('street:s1', setting('a', 1));
      await store.appendUpdate('street:s1', setting('b', 2));
      const live = new Y.Doc();
      live.getMap('m').set('a', 1);
      live.getMap('m').set('b', 2);
      let appended: Promise<unknown> = Promise.resolve();
      const folded = await store.compactDoc('street:s1', {
        live: () => {
          // An entry appended once the entries were read stays in the log.
          appended = store.appendUpdate('street:s1', setting('c', 3));
          return Y.encodeStateAsUpdate(live);
        },
      });
      await appended;
      expect(folded).toBe(2);
      const state = await store.loadDoc('street:s1');
      expect(state.updates).toHaveLength(1);
      expect(entriesOf(state)).toEqual({ a: 1, b: 2, c: 3 });
    });
  });
});

describe('which fold a document gets (DurableLog.onStoreDocument)', () => {
  /** What each fold returned, for a doc of `name` holding one entry, with and without `soleWriter`. */
  async function foldOf(name: string, soleWriter: boolean): Promise<Uint8Array> {
    const folded: Uint8Array[] = [];
    const store = {
      compactDoc: async (_name: string, merge: Fold) => {
        folded.push(typeof merge === 'function' ? await merge({ snapshot: null, updates: [setting('stored', 1)] }) : await merge.live());
        return 1;
      },
    };
    const options = { store: store as unknown as Store, compactMinBytes: 0, soleWriter, fold: async () => new Uint8Array([9]) };
    const durable = new DurableLog(options as unknown as DurableLogOptions);
    const document = new Y.Doc();
    document.getMap('m').set('live', 2);
    await durable.onStoreDocument({ documentName: name, document } as unknown as onStoreDocumentPayload<SyncContext>);
    return folded[0]!;
  }

  it('folds an index doc from its live doc on a single instance, and everything else through the fold given', async () => {
    const live = new Y.Doc();
    Y.applyUpdate(live, await foldOf('street:s1', true));
    expect(live.getMap('m').toJSON()).toEqual({ live: 2 });
    expect([...(await foldOf('order:o-1', true))]).toEqual([9]);
    expect([...(await foldOf('street:s1', false))]).toEqual([9]);
  });
});

describe('when a document is worth folding (DurableLog.onStoreDocument)', () => {
  /** The store's answer to `worthIt` for these sizes, for a doc of `name`, with `compactMinBytes` 16 KB. */
  async function worthFolding(name: string, soleWriter: boolean, stats: LogStats): Promise<boolean> {
    let answer: boolean | undefined;
    const store = {
      compactDoc: async (_name: string, _merge: Fold, worthIt: (stats: LogStats) => boolean) => {
        answer = worthIt(stats);
        return 0;
      },
    };
    const durable = new DurableLog({ store: store as unknown as Store, compactMinBytes: 16 * KB, soleWriter } as unknown as DurableLogOptions);
    await durable.onStoreDocument({ documentName: name, document: new Y.Doc() } as unknown as onStoreDocumentPayload<SyncContext>);
    return answer!;
  }
  const sizes = (logKb: number): LogStats => ({ snapshotBytes: 20 * KB, logBytes: logKb * KB, logEntries: 20 });

  it('folds an index doc folded from its live doc only at LIVE_FOLD_FLOOR_FACTOR times the floor; order docs and relayed index docs at the floor', async () => {
    expect(LIVE_FOLD_FLOOR_FACTOR).toBe(4);
    expect(await worthFolding('street:s1', true, sizes(16))).toBe(false);
    expect(await worthFolding('community:c1', true, sizes(63))).toBe(false);
    expect(await worthFolding('street:s1', true, sizes(64))).toBe(true);
    expect(await worthFolding('order:o-1', true, sizes(16))).toBe(true);
    expect(await worthFolding('street:s1', false, sizes(16))).toBe(true);
  });

  it('folds an index doc folded from its live doc at most once per LIVE_FOLD_INTERVAL_MS, unless its log is long; order docs whenever worth it', async () => {
    let clock = 0;
    let stats: LogStats = { snapshotBytes: 110 * KB, logBytes: 100 * KB, logEntries: 20 };
    const answers: string[] = [];
    const store = {
      compactDoc: async (name: string, _merge: Fold, worthIt: (stats: LogStats) => boolean) => {
        const fold = worthIt(stats);
        answers.push(`${name} ${fold ? 'folded' : 'kept'}`);
        return fold ? stats.logEntries : 0;
      },
    };
    const durable = new DurableLog({ store: store as unknown as Store, compactMinBytes: 16 * KB, soleWriter: true, elapsedMs: () => clock } as unknown as DurableLogOptions);
    const stored = (documentName: string) => durable.onStoreDocument({ documentName, document: new Y.Doc() } as unknown as onStoreDocumentPayload<SyncContext>);
    await stored('street:s1'); // never folded here: folded (64 KB floor and a quarter of the snapshot passed)
    clock = 10_000;
    await stored('street:s1'); // 10 s later, the same sizes: kept (main folded it at every store)
    await stored('order:o-1'); // an order doc: folded whenever worth it
    stats = { snapshotBytes: 110 * KB, logBytes: LIVE_FOLD_LOG_FACTOR * 110 * KB, logEntries: 60 };
    await stored('street:s1'); // a log of four times the snapshot: folded however recently
    clock = 20_000;
    stats = { snapshotBytes: 110 * KB, logBytes: 100 * KB, logEntries: 20 };
    await stored('street:s1'); // 10 s after that fold: kept
    stats = { snapshotBytes: 110 * KB, logBytes: 2 * KB, logEntries: COMPACT_ENTRIES };
    await stored('street:s1'); // many entries: folded
    clock = 20_000 + LIVE_FOLD_INTERVAL_MS;
    stats = { snapshotBytes: 110 * KB, logBytes: 100 * KB, logEntries: 20 };
    await stored('street:s1'); // the interval passed: folded
    expect(answers).toEqual([
      'street:s1 folded',
      'street:s1 kept',
      'order:o-1 folded',
      'street:s1 folded',
      'street:s1 kept',
      'street:s1 folded',
      'street:s1 folded',
    ]);
  });

  it('still folds an index doc of many entries whatever their size', async () => {
    expect(await worthFolding('street:s1', true, { snapshotBytes: 20 * KB, logBytes: 2 * KB, logEntries: COMPACT_ENTRIES })).toBe(true);
  });
});

describe("a Document's guid (DurableLog.onCreateDocument)", () => {
  // Without one, Yjs draws a uuidv4 per Document: 31 webcrypto calls, 8–13 % of a reconnect's server CPU (bench/README.md,
  // "Back online, part 6"). Fails if Hocuspocus stops creating its Documents with what onCreateDocument returns.
  it('is the doc name, given to Hocuspocus when it creates the Document', async () => {
    const stored = new Y.Doc();
    stored.getMap('orders').set('o-1', { eventCount: 1 });
    const store = { loadDoc: async () => ({ snapshot: Y.encodeStateAsUpdate(stored), updates: [] }), compactDoc: async () => 0 };
    const metrics = { loadSeconds: { observe: () => {} } };
    const hocuspocus = new Hocuspocus({ quiet: true, extensions: [new DurableLog({ store, metrics } as unknown as DurableLogOptions)] });
    const connection = await hocuspocus.openDirectConnection('street:s1', {});
    const document = hocuspocus.documents.get('street:s1');
    expect(document?.guid).toBe('street:s1');
    expect(document?.getMap('orders').toJSON()).toEqual({ 'o-1': { eventCount: 1 } });
    await connection.disconnect();
  });
});

describe("an index doc's server-side writes (DurableLog)", () => {
  it('logs the local writes as one entry per doc, which gives the live doc when applied to what was stored; what Redis relayed stays out (its instance logged it)', async () => {
    await withStore(async (store) => {
      const stored = new Y.Doc();
      stored.getMap('orders').set('o-1', { eventCount: 1 });
      await store.appendUpdate('street:s1', Y.encodeStateAsUpdate(stored));
      const metrics = { loadSeconds: { observe: () => {} }, updatesLogged: 0 };
      const durable = new DurableLog({ store, metrics } as unknown as DurableLogOptions);
      const document = new Y.Doc();
      await durable.onLoadDocument({ documentName: 'street:s1', document } as unknown as onLoadDocumentPayload<SyncContext>);
      const orders = document.getMap<{ eventCount: number }>('orders');
      const local = { source: 'local', context: {} };
      document.transact(() => orders.set('o-1', { eventCount: 2 }), local);
      document.transact(() => orders.set('o-2', { eventCount: 1 }), local);
      document.transact(() => orders.set('o-1', { eventCount: 3 }), local);
      const other = new Y.Doc();
      Y.applyUpdate(other, Y.encodeStateAsUpdate(document));
      other.getMap('orders').set('o-3', { eventCount: 1 });
      Y.applyUpdate(document, Y.encodeStateAsUpdate(other, Y.encodeStateVector(document)), { source: 'redis' });
      await durable.flush();

      // What a restart reads back: the entry stored before, and one entry for the three local writes.
      const state = await store.loadDoc('street:s1');
      expect(state.updates).toHaveLength(2);
      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, mergeState(state));
      expect(reloaded.getMap('orders').toJSON()).toEqual({ 'o-1': { eventCount: 3 }, 'o-2': { eventCount: 1 } });
    });
  });

  // Under load an order doc is stored about once per update: logging every index doc's writes then made an entry
  // per index doc and update instead of one per 100 ms (bench/README.md, "Fan-out, part 7").
  it("logs them when their own doc is stored, not when another doc is", async () => {
    await withStore(async (store) => {
      const metrics = { loadSeconds: { observe: () => {} }, updatesLogged: 0 };
      const durable = new DurableLog({ store, metrics, compactMinBytes: 1 << 20 } as unknown as DurableLogOptions);
      const street = new Y.Doc();
      await durable.onLoadDocument({ documentName: 'street:s1', document: street } as unknown as onLoadDocumentPayload<SyncContext>);
      street.transact(() => street.getMap('orders').set('o-1', { eventCount: 1 }), { source: 'local', context: {} });
      await durable.onStoreDocument({ documentName: 'order:o-1', document: new Y.Doc() } as unknown as onStoreDocumentPayload<SyncContext>);
      expect((await store.loadDoc('street:s1')).updates).toHaveLength(0);
      await durable.onStoreDocument({ documentName: 'street:s1', document: street } as unknown as onStoreDocumentPayload<SyncContext>);
      expect((await store.loadDoc('street:s1')).updates).toHaveLength(1);
      await durable.flush();
      expect((await store.loadDoc('street:s1')).updates).toHaveLength(1);
    });
  });
});
