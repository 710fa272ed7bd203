/**
 * The one client policy the PWA and the extension run (`ClientSession`):
 * who may sign in over whose data, when sign-out is refused, which orders are
 * prefetched, and the status both report. On fake-indexeddb, with a scripted
 * server (login, logout, me) and a stand-in sync engine whose state the test
 * sets.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandomBytes } from '#shared/clock/ids.ts';
import { LianxinApi } from '#shared/client/api.ts';
import { ClientSession, LOCAL_TOKEN, UnsyncedWorkError, type Engine, type Server, type SyncStack } from '#shared/client/client-session.ts';
import { OrderDocs } from '#shared/client/order-docs.ts';
import type { ArchiveStatus, SyncEngineOptions, SyncEngineState } from '#shared/client/sync.ts';
import { Cell } from '#shared/client/watchable.ts';
import { getSessionValue, setSessionValue, type LianxinDb } from '#shared/local/db.ts';
import { markDurable, recordEvent } from '#shared/local/journal.ts';
import { storePhoto } from '#shared/local/photos.ts';
import { projectMany } from '#shared/local/projection.ts';
import type { User } from '#shared/org/roles.ts';
import { HOUR, History, T0, intake, sha, users } from '../support/builders.ts';
import { openTestDb, syntheticSummaries } from '../local/helpers.ts';
import { waitForValue } from '../../support/wait.ts';

/** Stands in for the sync engine: the test moves its state; prefetches are recorded. */
class FakeEngine implements Engine {
  readonly state = new Cell<SyncEngineState>({ connection: 'connecting', docsInFlight: 0, indexLoaded: false, liveLoaded: false, openLoaded: false, openKnown: false, listStored: false });
  readonly refusals = new Cell<readonly never[]>([]);
  readonly archives = new Cell<ArchiveStatus>({ months: {}, loading: [] });
  readonly archivesOpened: string[][] = [];
  readonly prefetched: string[][] = [];
  started = false;
  stopped = false;
  constructor(readonly options: SyncEngineOptions) {}
  start(): void {
    this.started = true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
  setOnline(): void {}
  addIndexDocs(): void {}
  openArchives(months: readonly string[]): void {
    this.archivesOpened.push([...months]);
  }
  async prefetch(orderIds: readonly string[]): Promise<number> {
    return orderIds.length;
  }
  async download(orderIds: readonly string[]): Promise<number> {
    this.prefetched.push([...orderIds]);
    return orderIds.length;
  }
  openIds: string[] = [];
  openOrderIds(): string[] {
    return this.openIds;
  }
  async discardRefused(): Promise<string[]> {
    return [];
  }
  connect(): void {
    this.state.set({ connection: 'connected', docsInFlight: 0, indexLoaded: true, liveLoaded: true, openLoaded: true, openKnown: true, listStored: true });
  }
}

/** The server's side of sign-in: every demo user signs in with any password; logouts are recorded. */
class ScriptedServer {
  readonly logouts: string[] = [];
  private tokens = 0;
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    const token = (init?.headers as Record<string, string> | undefined)?.Authorization?.replace('Bearer ', '') ?? '';
    if (url.pathname === '/api/login') {
      const { username } = JSON.parse(String(init?.body)) as { username: string };
      const user = Object.values(users).find((u: User) => u.id === username);
      if (!user) return json(401, { error: { code: 'bad_credentials', message: 'no such user' } });
      this.tokens += 1;
      return json(200, { user, token: `${user.id}-token-${this.tokens}`, expiresAt: T0 + 14 * 24 * HOUR, serverTime: T0, place: null });
    }
    if (url.pathname === '/api/logout') {
      this.logouts.push(token);
      return new Response(null, { status: 204 });
    }
    if (url.pathname === '/api/me') {
      const user = Object.values(users).find((u: User) => token.startsWith(`${u.id}-token-`));
      return json(200, { user, expiresAt: T0 + 14 * 24 * HOUR, serverTime: T0, place: null });
    }
    // Photos and the rest: the server is busy, the queue backs off.
    return json(503, { error: { code: 'unavailable', message: 'busy' } });
  };
}

let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;
let server: ScriptedServer;
let remote: Server;
let engines: FakeEngine[];
let forgotten: number;
let client: ClientSession;

/** The stand-in sync stack: its engines go to `engines`. */
function fakeStack(): SyncStack {
  return {
    createEngine: (options) => {
      const engine = new FakeEngine(options);
      engines.push(engine);
      return engine;
    },
    indexDocNamesFor: (user) => [`grid:${user.unitId}`],
  };
}

function newClient(): ClientSession {
  const stack = fakeStack();
  return new ClientSession({
    db,
    loadDocs: () => Promise.resolve(docs),
    random: seededRandomBytes(7),
    now: () => T0,
    online: true,
    loadSync: () => Promise.resolve(stack),
    onForgotten: () => {
      forgotten += 1;
    },
  });
}

beforeEach(() => {
  ({ db, close } = openTestDb());
  docs = new OrderDocs({ db });
  server = new ScriptedServer();
  remote = { api: new LianxinApi({ baseUrl: 'http://lianxin.test/', fetch: server.fetch, now: () => T0 }), syncUrl: 'ws://lianxin.test/sync' };
  engines = [];
  forgotten = 0;
  client = newClient();
});

afterEach(async () => {
  await client.stopSync();
  await close();
});

const lastEngine = () => engines.at(-1)!;

async function unsyncedEvent(orderId = intake().id): Promise<string> {
  const event = new History().by(users.worker).do({ type: 'accept', payload: {} }, T0 + HOUR);
  await recordEvent(db, orderId, event);
  return event.id;
}

async function rejectedPhoto(): Promise<void> {
  const blob = new Blob([Uint8Array.of(0xff, 0xd8, 1, 0xff, 0xd9)], { type: 'image/jpeg' });
  await storePhoto(db, { sha256: sha(1), orderId: intake().id, blob, thumb: blob, mime: 'image/jpeg', size: 5, width: 1, height: 1, takenAt: T0, createdAt: T0 }, T0);
  await db.uploads.update(sha(1), { state: 'failed', rejection: { status: 413, code: 'too_large', reason: '照片太大', at: T0 } });
}

describe('sign-out', () => {
  it('is refused while events are unsynced, and changes nothing', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    await unsyncedEvent();
    expect(await client.signOut()).toEqual({ ok: false, events: 1, photos: 0 });
    expect(client.session.value?.user.id).toBe(users.worker.id);
    expect(server.logouts).toEqual([]);
    expect(lastEngine().stopped).toBe(false);
    expect(await db.journal.count()).toBe(1);
  });

  it('is refused while a photo the server rejected for good is on the device (it exists nowhere else)', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    await rejectedPhoto();
    expect(await client.signOut()).toEqual({ ok: false, events: 0, photos: 1 });
  });

  it('once everything is synced: ends the session on the server and forgets the user’s data', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    const token = client.session.value!.token;
    const eventId = await unsyncedEvent();
    await markDurable(db, [eventId], T0 + HOUR);
    expect(await client.signOut()).toEqual({ ok: true });
    expect(server.logouts).toEqual([token]);
    expect(client.session.value).toBeNull();
    expect(await db.session.count()).toBe(0);
    expect(await db.journal.count()).toBe(0);
    expect(forgotten).toBe(1);
    expect(lastEngine().stopped).toBe(true);
  });

  it('discards unsynced work only when asked to', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    await unsyncedEvent();
    expect(await client.signOut({ discardUnsynced: true })).toEqual({ ok: true });
    expect(await db.journal.count()).toBe(0);
  });

  it('still goes when the server cannot be told (offline): the token expires there', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    const offline: Server = { ...remote, api: new LianxinApi({ baseUrl: 'http://lianxin.test/', fetch: () => Promise.reject(new TypeError('offline')) }) };
    await client.startSync(offline);
    expect(await client.signOut()).toEqual({ ok: true });
    expect(client.session.value).toBeNull();
  });
});

describe('signing in as another user', () => {
  it('over unsynced work is refused: the work and the previous session stay, and the new token is ended on the server', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    await unsyncedEvent();
    const refused = client.signIn(remote, users.worker2.id, 'pw');
    await expect(refused).rejects.toBeInstanceOf(UnsyncedWorkError);
    await expect(refused).rejects.toMatchObject({ owner: { id: users.worker.id, name: users.worker.name } });
    expect(server.logouts).toEqual([expect.stringMatching(/^grid2-token-/)]);
    expect(await db.journal.count()).toBe(1);
    expect((await getSessionValue(db, 'user'))?.id).toBe(users.worker.id);
    expect(forgotten).toBe(0);
    // Refused before anything was stopped: the previous user's work keeps syncing.
    expect(lastEngine().stopped).toBe(false);
  });

  it('counts a previous user whose token was dropped (the extension drops it when the server ends the session)', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    await unsyncedEvent();
    await db.session.bulkDelete(['token', 'tokenExpiresAt']);
    await expect(newClient().signIn(remote, users.worker2.id, 'pw')).rejects.toBeInstanceOf(UnsyncedWorkError);
  });

  it('over synced data forgets it first', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    const eventId = await unsyncedEvent();
    await markDurable(db, [eventId], T0 + HOUR);
    await projectMany(db, syntheticSummaries(3).map((summary) => ({ summary })), T0);
    await client.signIn(remote, users.worker2.id, 'pw');
    expect(client.session.value?.user.id).toBe(users.worker2.id);
    expect(await db.journal.count()).toBe(0);
    expect(await db.orders.count()).toBe(0);
    expect(forgotten).toBe(1);
  });

  it('is not what the same user signing in again is: their unsynced work stays and is delivered', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    await unsyncedEvent();
    await client.signIn(remote, users.worker.id, 'pw');
    expect(await db.journal.count()).toBe(1);
    expect(forgotten).toBe(0);
    expect(lastEngine().options.token).toBe(client.session.value!.token);
    expect(lastEngine().started).toBe(true);
  });

  it('over a local session (demo) forgets its data without asking: it is nobody’s work', async () => {
    await client.signInLocal({ user: users.worker, place: null }, async () => undefined);
    expect(client.session.value).toMatchObject({ local: true, token: LOCAL_TOKEN });
    await unsyncedEvent();
    await client.signIn(remote, users.worker.id, 'pw');
    expect(client.session.value).toMatchObject({ local: false, user: { id: users.worker.id } });
    expect(await db.journal.count()).toBe(0);
  });
});

describe('a local session', () => {
  it('is refused over a signed-in user’s unsynced work', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    await unsyncedEvent();
    await expect(client.signInLocal({ user: users.worker2, place: null }, async () => undefined)).rejects.toBeInstanceOf(UnsyncedWorkError);
    expect(await db.journal.count()).toBe(1);
  });

  it('writes its data after the old is gone, never syncs, and signs out with its work', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    await projectMany(db, syntheticSummaries(2).map((summary) => ({ summary })), T0);
    let rowsWhenPrepared = -1;
    await client.signInLocal({ user: users.worker, place: null }, async () => {
      rowsWhenPrepared = await db.orders.count();
    });
    expect(rowsWhenPrepared).toBe(0);
    expect(client.status.value.phase).toBe('local');
    expect(engines.every((engine) => engine.stopped)).toBe(true);
    await unsyncedEvent();
    expect(await client.signOut()).toEqual({ ok: true });
    expect(await db.journal.count()).toBe(0);
  });
});

describe('status', () => {
  it('a photo the server rejected for good does not keep the status busy', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    lastEngine().connect();
    await rejectedPhoto();
    const status = await client.readStatus();
    expect(status).toMatchObject({ phase: 'attention', pendingPhotos: 1, rejectedPhotos: [{ sha256: sha(1) }] });
    expect(client.pending.value.unsynced).toEqual({ events: 0, intakes: 0, photos: 1 });
  });

  it('loads the sync stack and the docs while the server checks the password, not after its answer (part 15)', async () => {
    const loaded: string[] = [];
    let answer = () => undefined as void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const held: typeof fetch = async (input, init) => {
      await answered;
      return server.fetch(input, init);
    };
    const stack = fakeStack();
    client = new ClientSession({
      db,
      loadDocs: () => (loaded.push('docs'), Promise.resolve(docs)),
      random: seededRandomBytes(7),
      now: () => T0,
      online: true,
      loadSync: () => (loaded.push('sync'), Promise.resolve(stack)),
    });
    const signingIn = client.signIn({ ...remote, api: new LianxinApi({ baseUrl: 'http://lianxin.test/', fetch: held, now: () => T0 }) }, users.worker.id, 'pw');
    await waitForValue(() => loaded, (names) => names.includes('sync') && names.includes('docs'), 'the chunks asked for, the password not checked yet');
    answer();
    await signingIn;
    expect(lastEngine().started).toBe(true);
  });

  it('follows the session: connecting while the engine starts, synced once it has everything, signed_out once the session is gone', async () => {
    expect((await client.readStatus()).phase).toBe('signed_out');
    await client.signIn(remote, users.worker.id, 'pw');
    expect((await client.readStatus()).phase).toBe('connecting');
    lastEngine().connect();
    expect((await client.readStatus()).phase).toBe('synced');
    await unsyncedEvent();
    expect((await client.readStatus()).phase).toBe('syncing');
    client.setOnline(false);
    expect(client.status.value.phase).toBe('offline');
  });

  it('reads a stored session back after a restart (a stopped service worker) without starting sync', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    const restarted = newClient();
    expect(await restarted.restore()).toMatchObject({ user: { id: users.worker.id }, local: false });
    expect((await restarted.readStatus()).phase).toBe('connecting');
  });
});

describe('prefetch', () => {
  it('fetches the open orders not yet on the device once the index has loaded, once', async () => {
    const summaries = syntheticSummaries(40);
    await projectMany(db, summaries.map((summary) => ({ summary })), T0);
    const open = summaries.filter((s) => s.tab !== 'done').map((s) => s.id);
    expect(summaries.some((s) => s.tab === 'other')).toBe(true);
    await client.signIn(remote, users.worker.id, 'pw');
    expect(lastEngine().prefetched).toEqual([]);
    lastEngine().connect();
    const remembered = await waitForValue(() => getSessionValue(db, 'prefetched'), (ids) => (ids?.length ?? 0) > 0, 'prefetched orders remembered');
    expect([...remembered!].sort()).toEqual([...open].sort());
    expect(lastEngine().prefetched.flat().sort()).toEqual([...open].sort());

    // The next start does not fetch them again.
    await client.startSync(remote);
    lastEngine().connect();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lastEngine().prefetched).toEqual([]);
  });
});

describe('the open orders known before their rows (openKnown)', () => {
  it('downloads them at once, and records them as on the device only once their rows are in (openLoaded)', async () => {
    await client.signIn(remote, users.worker.id, 'pw');
    const engine = lastEngine();
    engine.openIds = ['o-1', 'o-2'];
    engine.state.set({ connection: 'connected', docsInFlight: 1, indexLoaded: false, liveLoaded: false, openLoaded: false, openKnown: true, listStored: false });
    await waitForValue(() => engine.prefetched, (asked) => asked.length > 0, 'the download asked for');
    expect(engine.prefetched).toEqual([['o-1', 'o-2']]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await getSessionValue(db, 'prefetched')).toBeUndefined();
    engine.state.set({ connection: 'connected', docsInFlight: 1, indexLoaded: false, liveLoaded: false, openLoaded: true, openKnown: true, listStored: false });
    expect(await waitForValue(() => getSessionValue(db, 'prefetched'), (ids) => ids !== undefined, 'recorded')).toEqual(['o-1', 'o-2']);
  });

  it('asks for the download while a read-write transaction holds the database (the rows being written): the downloaded list was read when sync started', async () => {
    await setSessionValue(db, 'prefetched', ['o-1']);
    await client.signIn(remote, users.worker.id, 'pw');
    const engine = lastEngine();
    engine.openIds = ['o-1', 'o-2'];
    // Chromium runs one transaction of a database at a time, whatever the stores (bench/README.md, "First sync,
    // part 9"); fake-indexeddb runs disjoint ones side by side, so this one holds `session` too.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writing = db.transaction('rw', db.orders, db.session, () => Dexie.waitFor(held));
    try {
      engine.state.set({ connection: 'connected', docsInFlight: 1, indexLoaded: false, liveLoaded: false, openLoaded: false, openKnown: true, listStored: false });
      expect(await waitForValue(() => engine.prefetched, (asked) => asked.length > 0, 'the download asked for while the transaction runs')).toEqual([['o-2']]);
    } finally {
      release();
      await writing;
    }
    engine.state.set({ connection: 'connected', docsInFlight: 1, indexLoaded: false, liveLoaded: false, openLoaded: true, openKnown: true, listStored: false });
    expect(await waitForValue(() => getSessionValue(db, 'prefetched'), (ids) => ids?.length === 2, 'recorded')).toEqual(['o-1', 'o-2']);
  });
});

describe('archive months', () => {
  it('opens the months a view asked for before sync ran once it runs, and shows the engine’s archive status', async () => {
    client.openArchives(['2026-10']);
    await client.signIn(remote, users.worker.id, 'pw');
    await waitForValue(() => engines.length, (n) => n > 0, 'the engine');
    expect(lastEngine().archivesOpened).toEqual([['2026-10']]);
    client.openArchives(['2026-09']);
    expect(lastEngine().archivesOpened.at(-1)).toEqual(['2026-09']);
    lastEngine().archives.set({ months: { '2026-10': T0, '2026-09': null }, loading: ['2026-09'] });
    expect(client.archives.value).toEqual({ months: { '2026-10': T0, '2026-09': null }, loading: ['2026-09'] });
    await client.stopSync();
    expect(client.archives.value).toBeNull();
  });
});
