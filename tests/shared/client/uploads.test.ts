/** The upload queue against a scripted server: one at a time until the link proves good, then two; one PUT each, done only on a confirming reply, backoff persisted. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type LianxinApi } from '#shared/client/api.ts';
import { exportUnsynced } from '#shared/client/device.ts';
import { UploadQueue, backoffMs, isPermanentRejection, rejectedUploads } from '#shared/client/uploads.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { storePhoto } from '#shared/local/photos.ts';
import { unsyncedCounts } from '#shared/local/projection.ts';
import { T0, sha } from '../support/builders.ts';
import { openTestDb } from '../local/helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
let now: number;

beforeEach(() => {
  ({ db, close } = openTestDb());
  now = T0;
});
afterEach(() => close());

/** A server that stores what it is sent, with failures scripted per call. */
class ScriptedServer {
  readonly stored = new Set<string>();
  readonly calls: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Failures for the next PUTs, in order; undefined means success. */
  putFailures: (ApiError | 'lose' | 'short' | undefined)[] = [];
  offline = false;
  /** How long a PUT takes on the queue's clock (the link's speed). */
  putTakesMs = 0;
  /** How long a PUT waits, in real time, for a second one to join it before it answers alone (`heldForAnother`). */
  overlapWaitMs = 5;

  private readonly held: (() => void)[] = [];

  /**
   * A PUT stays in flight until another one joins it (then both go on), or for `overlapWaitMs` when none
   * comes: with a wait long beside the queue's own steps, whether it sends two at once is read from
   * `maxInFlight` whatever the machine's load (5 ms in flight missed the second lane's PUT once at load 9).
   */
  private heldForAnother(): Promise<void> {
    if (this.inFlight >= 2) {
      for (const release of this.held.splice(0)) release();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(release, this.overlapWaitMs);
      function release() {
        clearTimeout(timer);
        resolve();
      }
      this.held.push(release);
    });
  }

  api(): LianxinApi {
    const api: Pick<LianxinApi, 'hasPhoto' | 'putPhoto'> = {
      hasPhoto: async (_token, sha256) => {
        this.calls.push(`HEAD ${sha256.slice(-2)}`);
        if (this.offline) throw new ApiError(0, 'network', 'offline');
        return this.stored.has(sha256);
      },
      putPhoto: async (_token, sha256, bytes) => {
        this.calls.push(`PUT ${sha256.slice(-2)}`);
        if (this.offline) throw new ApiError(0, 'network', 'offline');
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        await this.heldForAnother();
        now += this.putTakesMs;
        this.inFlight -= 1;
        const failure = this.putFailures.shift();
        if (failure instanceof ApiError) throw failure;
        // 'lose': the bytes are kept but the reply never arrives (the signal drops); 'short': a reply for fewer bytes than sent.
        this.stored.add(sha256);
        if (failure === 'lose') throw new ApiError(0, 'network', 'the connection was reset');
        const size = bytes instanceof Blob ? bytes.size : bytes.length;
        return { sha256, size: failure === 'short' ? size - 1 : size, mime: 'image/jpeg', created: true };
      },
    };
    return api as LianxinApi;
  }
}

async function addPhoto(n: number, at = now): Promise<string> {
  const blob = new Blob([Uint8Array.of(0xff, 0xd8, n, 0xff, 0xd9)], { type: 'image/jpeg' });
  await storePhoto(db, { sha256: sha(n), orderId: 'o-1', blob, thumb: blob, mime: 'image/jpeg', size: blob.size, width: 1, height: 1, takenAt: at, createdAt: at }, at);
  return sha(n);
}

function queue(server: ScriptedServer, token: string | null = 't', onUnauthenticated?: () => void): UploadQueue {
  return new UploadQueue({ db, api: server.api(), token: () => token, now: () => now, ...(onUnauthenticated ? { onUnauthenticated } : {}) });
}

const puts = (server: ScriptedServer) => server.calls.filter((c) => c.startsWith('PUT'));

describe('UploadQueue', () => {
  it('sends photos oldest first, one PUT each, and counts one as uploaded on the confirming reply', async () => {
    const server = new ScriptedServer();
    await addPhoto(1, T0);
    await addPhoto(2, T0 + 1);
    await addPhoto(3, T0 + 2);
    server.stored.add(sha(2)); // already on the server: the PUT is answered as such
    now = T0 + 10;
    const q = queue(server);
    await q.kick();
    await q.stop();
    expect(server.calls).toEqual(['PUT 01', 'PUT 02', 'PUT 03']);
    expect(await unsyncedCounts(db)).toMatchObject({ photos: 0 });
  });

  it('keeps two photos in flight once one was confirmed quickly, and one at a time on a slow link', async () => {
    for (const [takes, expected] of [
      [100, 2],
      [3_000, 1],
    ] as const) {
      const server = new ScriptedServer();
      server.putTakesMs = takes;
      server.overlapWaitMs = 250;
      const shas = [];
      for (let n = 1; n <= 5; n++) shas.push(await addPhoto(takes + n, T0 + n));
      now = T0 + 10;
      const q = queue(server);
      await q.kick();
      await q.stop();
      expect(server.maxInFlight, `a PUT of ${takes} ms`).toBe(expected);
      // Each photo once, the first alone: nothing is sent twice by the two lanes.
      expect(puts(server)).toHaveLength(5);
      expect(puts(server)[0]).toBe(`PUT ${shas[0]!.slice(-2)}`);
      expect(await db.uploads.where('state').equals('done').count()).toBeGreaterThanOrEqual(5);
    }
    expect(await unsyncedCounts(db)).toMatchObject({ photos: 0 });
  });

  it('keeps a photo whose reply does not confirm its bytes, and retries it after the backoff', async () => {
    const server = new ScriptedServer();
    server.putFailures = ['short'];
    await addPhoto(1);
    const q = queue(server);
    await q.kick();
    const row = await db.uploads.get(sha(1));
    expect(row).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: now + backoffMs(1) });
    expect(row?.lastError).toMatch(/did not confirm/);

    await q.kick(); // not due yet: nothing is sent
    expect(puts(server)).toHaveLength(1);
    now += backoffMs(1);
    server.stored.clear(); // the server does not hold it after all: the retry asks, then sends the bytes again
    await q.kick();
    await q.stop();
    expect(server.calls).toEqual(['PUT 01', 'HEAD 01', 'PUT 01']);
    expect((await db.uploads.get(sha(1)))?.state).toBe('done');
  });

  it('asks before a retry, and does not send again bytes that landed when the reply was lost', async () => {
    const server = new ScriptedServer();
    server.putFailures = ['lose'];
    await addPhoto(1);
    const q = queue(server);
    await q.kick();
    expect((await db.uploads.get(sha(1)))?.state).toBe('failed');
    now += backoffMs(1);
    await q.kick();
    await q.stop();
    expect(server.calls).toEqual(['PUT 01', 'HEAD 01']);
    expect((await db.uploads.get(sha(1)))?.state).toBe('done');
  });

  it('backs off exponentially up to five minutes, and stops the round when offline', async () => {
    expect([1, 2, 3, 4, 10, 20].map(backoffMs)).toEqual([2000, 4000, 8000, 16000, 300000, 300000]);
    const server = new ScriptedServer();
    server.offline = true;
    await addPhoto(1);
    await addPhoto(2, T0 + 1);
    const q = queue(server);
    await q.kick();
    // One failed attempt; the second photo was not tried against a server that is not there.
    expect(server.calls).toEqual(['PUT 01']);
    expect((await db.uploads.get(sha(2)))?.state).toBe('queued');

    server.offline = false;
    await q.kick(true); // back online: try each waiting photo now
    await q.stop();
    expect((await unsyncedCounts(db)).photos).toBe(0);
  });

  it('nothing runs without a token', async () => {
    const server = new ScriptedServer();
    await addPhoto(1);
    await queue(server, null).kick();
    expect(server.calls).toEqual([]);
    expect((await db.uploads.get(sha(1)))?.state).toBe('queued');
  });

  it.each([
    [413, 'too_large', 'the body is larger than 10485760 bytes'],
    [415, 'not_an_image', 'the bytes are not a JPEG, PNG or WebP image'],
    [422, 'hash_mismatch', 'the bytes hash to 00, not 01'],
    [400, 'empty', 'the body is empty'],
  ])('a photo the server refuses for good (%i %s) is marked rejected with its reason, never retried, and kept', async (status, code, reason) => {
    const server = new ScriptedServer();
    server.putFailures = [new ApiError(status, code, reason)];
    await addPhoto(1);
    await addPhoto(2, T0 + 1);
    now = T0 + 10;
    const q = queue(server);
    await q.kick();
    // The refusal does not hold up the next photo.
    expect(server.calls).toEqual(['PUT 01', 'PUT 02']);
    expect(await db.uploads.get(sha(1))).toMatchObject({ state: 'failed', lastError: reason, rejection: { status, code, reason, at: now } });
    expect(await rejectedUploads(db)).toEqual([{ sha256: sha(1), orderId: 'o-1', status, code, reason, at: now }]);

    // Not after any backoff, not when forced (back online, pull to refresh).
    now += 24 * 60 * 60_000;
    await q.kick();
    await q.kick(true);
    await q.stop();
    expect(puts(server)).toHaveLength(2);
    expect(q.progress.value).toEqual({ current: null, done: 0, total: 0 });

    // Nothing lost: the photo is on the device, still unsynced (sign-out refused) and in the export.
    expect((await db.photos.get(sha(1)))?.blob.size).toBe(5);
    expect(await unsyncedCounts(db)).toMatchObject({ photos: 1 });
    const exported = JSON.parse(await (await exportUnsynced(db, null, now)).blob.text()) as { photos: { sha256: string }[] };
    expect(exported.photos.map((p) => p.sha256)).toEqual([sha(1)]);
  });

  it.each([
    [new ApiError(0, 'network', 'offline'), 'offline'],
    [new ApiError(500, 'internal', 'the server failed'), 'retry'],
    [new ApiError(503, 'http_503', 'the server answered 503'), 'retry'],
    [new ApiError(429, 'rate_limited', 'too many requests'), 'retry'],
    [new ApiError(408, 'timeout', 'request timeout'), 'retry'],
  ])('a passing failure (%s) backs off and is retried, not rejected', async (failure) => {
    const server = new ScriptedServer();
    server.putFailures = [failure];
    await addPhoto(1);
    const q = queue(server);
    await q.kick();
    const row = await db.uploads.get(sha(1));
    expect(row).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: now + backoffMs(1), lastError: failure.message });
    expect(row?.rejection ?? null).toBeNull();
    expect(await rejectedUploads(db)).toEqual([]);
    now += backoffMs(1);
    await q.kick();
    await q.stop();
    expect((await db.uploads.get(sha(1)))?.state).toBe('done');
  });

  it('a lost session is not a rejection: the queue stops and asks for sign-in', async () => {
    const server = new ScriptedServer();
    server.putFailures = [new ApiError(401, 'unauthenticated', 'the session ended')];
    await addPhoto(1);
    await addPhoto(2, T0 + 1);
    now = T0 + 10;
    let ended = 0;
    const q = queue(server, 't', () => (ended += 1));
    await q.kick();
    await q.stop();
    expect(ended).toBe(1);
    expect(server.calls).toEqual(['PUT 01']);
    expect(await rejectedUploads(db)).toEqual([]);
    expect((await db.uploads.get(sha(1)))?.state).toBe('failed');
  });

  it('classifies refusals: 4xx but 401, 408 and 429 are permanent', () => {
    const permanent = [400, 403, 404, 409, 413, 415, 422].map((status) => isPermanentRejection(new ApiError(status, 'x', 'x')));
    const passing = [0, 401, 408, 429, 500, 502, 503].map((status) => isPermanentRejection(new ApiError(status, 'x', 'x')));
    expect(permanent.every(Boolean)).toBe(true);
    expect(passing.some(Boolean)).toBe(false);
  });

  it('a rejection survives a restart, and retryRejected sends the photo again', async () => {
    const server = new ScriptedServer();
    server.putFailures = [new ApiError(413, 'too_large', 'too large')];
    await addPhoto(1);
    const first = queue(server);
    await first.kick();
    await first.stop();
    const second = queue(server); // the app restarted
    await second.kick(true);
    expect(puts(server)).toHaveLength(1);
    await second.retryRejected();
    await second.stop();
    expect(puts(server)).toHaveLength(2);
    expect(await db.uploads.get(sha(1))).toMatchObject({ state: 'done', rejection: null });
    expect(await rejectedUploads(db)).toEqual([]);
  });

  it('puts a row left uploading by a closed tab back in the queue', async () => {
    const server = new ScriptedServer();
    await addPhoto(1);
    await db.uploads.update(sha(1), { state: 'uploading' });
    const q = queue(server);
    await q.kick();
    await q.stop();
    expect((await db.uploads.get(sha(1)))?.state).toBe('done');
  });
});
