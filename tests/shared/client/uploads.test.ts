/** The upload queue against a scripted server: one at a time, done only on a confirming HEAD, backoff persisted. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type LianxinApi } from '../../../shared/client/api.ts';
import { UploadQueue, backoffMs } from '../../../shared/client/uploads.ts';
import type { LianxinDb } from '../../../shared/local/db.ts';
import { storePhoto } from '../../../shared/local/photos.ts';
import { unsyncedCounts } from '../../../shared/local/projection.ts';
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
  putFailures: (ApiError | 'lose' | undefined)[] = [];
  offline = false;

  api(): LianxinApi {
    const api: Pick<LianxinApi, 'hasPhoto' | 'putPhoto'> = {
      hasPhoto: async (_token, sha256) => {
        this.calls.push(`HEAD ${sha256.slice(-2)}`);
        if (this.offline) throw new ApiError(0, 'network', 'offline');
        return this.stored.has(sha256);
      },
      putPhoto: async (_token, sha256, bytes) => {
        this.calls.push(`PUT ${sha256.slice(-2)}`);
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        this.inFlight -= 1;
        const failure = this.putFailures.shift();
        if (failure instanceof ApiError) throw failure;
        // 'lose': the reply says stored, but nothing was kept (a proxy, a full disk).
        if (failure !== 'lose') this.stored.add(sha256);
        return { sha256, size: bytes instanceof Blob ? bytes.size : bytes.length, mime: 'image/jpeg', created: true };
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

function queue(server: ScriptedServer, token: string | null = 't'): UploadQueue {
  return new UploadQueue({ db, api: server.api(), token: () => token, now: () => now });
}

describe('UploadQueue', () => {
  it('sends photos one at a time, oldest first, and counts one as uploaded only on a confirming HEAD', async () => {
    const server = new ScriptedServer();
    await addPhoto(1, T0);
    await addPhoto(2, T0 + 1);
    await addPhoto(3, T0 + 2);
    server.stored.add(sha(2)); // already on the server: no PUT
    now = T0 + 10;
    const q = queue(server);
    await q.kick();
    await q.stop();
    expect(server.calls).toEqual(['HEAD 01', 'PUT 01', 'HEAD 01', 'HEAD 02', 'HEAD 03', 'PUT 03', 'HEAD 03']);
    expect(server.maxInFlight).toBe(1);
    expect(await unsyncedCounts(db)).toMatchObject({ photos: 0 });
  });

  it('keeps a photo the server acknowledged but does not hold, and retries it after the backoff', async () => {
    const server = new ScriptedServer();
    server.putFailures = ['lose'];
    await addPhoto(1);
    const q = queue(server);
    await q.kick();
    const row = await db.uploads.get(sha(1));
    expect(row).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: now + backoffMs(1) });
    expect(row?.lastError).toMatch(/did not confirm/);

    await q.kick(); // not due yet: nothing is sent
    expect(server.calls.filter((c) => c.startsWith('PUT'))).toHaveLength(1);
    now += backoffMs(1);
    await q.kick();
    await q.stop();
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
    expect(server.calls).toEqual(['HEAD 01']);
    expect((await db.uploads.get(sha(2)))?.state).toBe('queued');

    server.offline = false;
    await q.kick(true); // back online: try each waiting photo now
    await q.stop();
    expect((await unsyncedCounts(db)).photos).toBe(0);
  });

  it('refused photos wait and say why; nothing runs without a token', async () => {
    const server = new ScriptedServer();
    server.putFailures = [new ApiError(413, 'too_large', 'the body is larger than 10485760 bytes')];
    await addPhoto(1);
    await queue(server, null).kick();
    expect(server.calls).toEqual([]);
    const q = queue(server);
    await q.kick();
    await q.stop();
    expect(await db.uploads.get(sha(1))).toMatchObject({ state: 'failed', lastError: 'the body is larger than 10485760 bytes' });
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
