/**
 * SQLite store: one file in the data folder, in WAL mode; a write resolves
 * only once its transaction is on disk.
 *
 * better-sqlite3 is synchronous. Writes are queued and committed together at
 * the end of the event-loop turn (group commit), and each write resolves only
 * after its commit is durable. Each queued write runs in its own savepoint, so
 * one failing write (a duplicate order number) does not take the others down
 * with it.
 *
 * The fsync is not SQLite's: with `synchronous=FULL` SQLite fsyncs the WAL
 * inside the commit, and better-sqlite3 blocks the event loop for it (tens
 * of milliseconds on a busy disk, every socket's messages waiting behind it:
 * bench/README.md, case 4). So the connection runs `synchronous=NORMAL`
 * (commits write the WAL without syncing it) and the store fsyncs the WAL file
 * itself on libuv's thread pool after each group commit, resolving the
 * group's writes when that fsync returns: the same guarantee (every commit
 * frame before it is on disk), with the event loop free meanwhile. Checkpoints
 * under NORMAL still sync the WAL before copying it and the database after.
 *
 * One fsync is out at a time: writes queued while it runs wait for it and are
 * committed together when it returns (classic group commit). Committing
 * them at once instead cost a commit, an fsync and the WAL frames of every
 * page both groups touch, per update under load (bench/README.md, "Fan-out,
 * part 4"); the ack of a write waits at most one fsync more.
 */
import { closeSync, fsync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CheckpointThread } from './checkpoint-thread.ts';
import { LogSizes } from './log-sizes.ts';
import type { Unit } from '#shared/org/units.ts';
import {
  ClientClaimedError,
  type ClientClaim,
  OrderIdTakenError,
  StoreCorruptError,
  type CreateOrderExtra,
  type CreateOrderResult,
  type DocState,
  type Fold,
  logEntries,
  type LogAppend,
  type LogUpdate,
  type KnowledgeChanges,
  type KnowledgePut,
  type LogStats,
  type OrderRow,
  type PhotoRef,
  type PhotoRow,
  type PhotoUpload,
  type SessionCheck,
  type SessionRow,
  type Store,
  type StoredUser,
  type UnitPhrasesRow,
  type DeletedDocs,
  type Usage,
  type UsageRecord,
} from './store.ts';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { collectDocStates, credentialsChanged, mutableOrderColumns, nextKnowledgeVersion, unitFromRow, unitPhrasesFromRow, userFromRow, type Row } from './rows.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS doc_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  doc TEXT NOT NULL,
  data BLOB NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_updates_by_doc ON doc_updates (doc, seq);
CREATE TABLE IF NOT EXISTS doc_snapshots (
  doc TEXT PRIMARY KEY,
  data BLOB NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_clients (
  doc TEXT NOT NULL,
  client INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (doc, client)
);
CREATE TABLE IF NOT EXISTS write_usage (
  user_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  events INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (user_id, hour)
);
CREATE TABLE IF NOT EXISTS units (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  parent_id TEXT
);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  password_hash TEXT,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS orders (
  id TEXT PRIMARY KEY,
  order_no TEXT NOT NULL UNIQUE,
  place TEXT NOT NULL,
  target_unit_id TEXT,
  past_targets TEXT NOT NULL,
  assignee TEXT,
  participants TEXT NOT NULL,
  status TEXT NOT NULL,
  index_docs TEXT NOT NULL,
  event_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS photo_attachments (
  sha256 TEXT NOT NULL,
  order_id TEXT NOT NULL,
  attached_by TEXT NOT NULL,
  PRIMARY KEY (sha256, order_id, attached_by)
);
CREATE TABLE IF NOT EXISTS photo_uploads (
  sha256 TEXT NOT NULL,
  user_id TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (sha256, user_id)
);
CREATE INDEX IF NOT EXISTS photo_uploads_by_user ON photo_uploads (user_id, at);
CREATE TABLE IF NOT EXISTS health_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS index_generations (
  base TEXT PRIMARY KEY,
  generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS server_keys (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS knowledge_entries (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS knowledge_versions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE TABLE IF NOT EXISTS knowledge_synonyms (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS photos (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mime TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  stored_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS unit_phrases (
  unit_id TEXT PRIMARY KEY,
  phrases TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

interface QueuedWrite {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A user's sync writes per hour, as in `write_usage` (the store's own copy: SQLite has one writer, this process). */
interface UserUsage {
  readonly hours: Map<number, { events: number; bytes: number }>;
  /** The hour whose older rows were last deleted. */
  prunedHour: number | null;
}


export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private queue: QueuedWrite[] = [];
  private scheduled = false;
  private closed = false;
  /** The WAL file, fsynced after each group commit. */
  private readonly walFd: number;
  /** The group commit whose fsync has not returned yet (one at a time). */
  private syncing: Promise<void> | null = null;
  /** Runs a group of queued writes in one transaction (`flush`). */
  private readonly commitGroup: (batch: readonly QueuedWrite[]) => Outcome[];
  /**
   * The daily quota's sums per user (`usageSince`), read from `write_usage` once and then kept by
   * this store's own writes to it, so that the check is not a query per update. Dropped whenever
   * a write fails (read again from the table).
   */
  private readonly usage = new Map<string, UserUsage>();
  /** Runs the WAL's checkpoints off the event loop (server/store/checkpoint-thread.ts). */
  private readonly checkpoints: CheckpointThread;
  /**
   * Each doc's log sizes from its last load or size read plus this store's appends since (`compactDoc`):
   * with one writer, this process, they never go stale, so a store of a doc whose log is short runs no
   * statement (it was a size query per order doc stored, about one per update under load:
   * bench/README.md, "Fan-out, part 7"). An append counted twice only brings a size read forward.
   */
  private readonly logSizes = new LogSizes(() => 0, Number.POSITIVE_INFINITY);

  /**
   * Opens the file and checks it (`PRAGMA quick_check`, about 20 ms for the
   * demo's 12 MB and 0.2–0.3 s for 140 MB, a year of a city's orders); a
   * damaged file throws StoreCorruptError and nothing is written to it.
   */
  constructor(file: string) {
    this.db = openChecked(file);
    const mode = this.db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`SQLite refused WAL mode (got ${String(mode)}) for ${file}`);
    // NORMAL alone would lose the last commits on power loss, which is exactly what an
    // acknowledgement must not: every group commit is followed by an fsync of the WAL (`flush`).
    this.db.pragma('synchronous = NORMAL');
    // Not in a commit on the event loop: a second connection in a worker thread checkpoints the WAL.
    this.db.pragma('wal_autocheckpoint = 0');
    this.checkpoints = new CheckpointThread(file, () => this.db.pragma('wal_autocheckpoint = 1000'));
    this.db.exec(SCHEMA);
    // The WAL exists while a connection is open in WAL mode; SQLite removes it only when the last one closes.
    this.walFd = openSync(`${file}-wal`, 'a');
    // Stores from before the office's 预警 window (units.warning_hours).
    const unitColumns = this.db.prepare('PRAGMA table_info(units)').all() as { name: string }[];
    if (!unitColumns.some((c) => c.name === 'warning_hours')) this.db.exec('ALTER TABLE units ADD COLUMN warning_hours INTEGER');
    // The entry's search terms as computed at import (shared/knowledge/terms.ts); null for rows from before.
    const knowledgeColumns = this.db.prepare('PRAGMA table_info(knowledge_entries)').all() as { name: string }[];
    if (!knowledgeColumns.some((c) => c.name === 'terms')) this.db.exec('ALTER TABLE knowledge_entries ADD COLUMN terms TEXT');
    // Stores from before the row's event count: 0, so the next indexer run writes it.
    const orderColumns = this.db.prepare('PRAGMA table_info(orders)').all() as { name: string }[];
    if (!orderColumns.some((c) => c.name === 'event_count')) this.db.exec('ALTER TABLE orders ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0');
    // Stores from before photo_uploads: each photo's recorded uploader uploaded it.
    this.db.exec('INSERT OR IGNORE INTO photo_uploads (sha256, user_id, bytes, at) SELECT sha256, uploaded_by, size, stored_at FROM photos WHERE NOT EXISTS (SELECT 1 FROM photo_uploads LIMIT 1)');
    // Each write in its own savepoint (prepared once), so that one failing fails alone; a group of one needs none.
    const savepoint = this.db.prepare('SAVEPOINT queued_write');
    const release = this.db.prepare('RELEASE queued_write');
    const rollbackTo = this.db.prepare('ROLLBACK TO queued_write');
    this.commitGroup = this.db.transaction((batch: readonly QueuedWrite[]): Outcome[] => {
      if (batch.length === 1) return [{ ok: true, value: batch[0]!.run() }];
      return batch.map((op): Outcome => {
        savepoint.run();
        try {
          const value = op.run();
          release.run();
          return { ok: true, value };
        } catch (error) {
          rollbackTo.run();
          release.run();
          return { ok: false, error };
        }
      });
    });
  }

  /** WAL checkpoints run by the checkpoint thread so far (tests). */
  get walCheckpoints(): number {
    return this.checkpoints.completed;
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared once per SQL text. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private write<T>(run: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleFlush();
    });
  }

  /** At the end of this turn, unless an fsync is out: then when it returns. */
  private scheduleFlush(): void {
    if (this.scheduled || this.syncing !== null || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.syncing !== null) return; // the fsync's return flushes
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.commitGroup(batch);
    } catch (error) {
      this.usage.clear();
      for (const op of batch) op.reject(error);
      this.scheduleFlush();
      return;
    }
    if (outcomes.some((outcome) => !outcome.ok)) this.usage.clear();
    // Resolved once the commit is on disk: the WAL up to its commit frame, synced off the event loop.
    this.syncing = new Promise<void>((done) => {
      fsync(this.walFd, (error) => {
        if (error) this.usage.clear();
        batch.forEach((op, i) => {
          const outcome = outcomes[i]!;
          if (error) op.reject(error);
          else if (outcome.ok) op.resolve(outcome.value);
          else op.reject(outcome.error);
        });
        const next = () => {
          this.syncing = null;
          done();
          // What was queued meanwhile is the next group.
          if (!this.closed) this.scheduleFlush();
        };
        // A checkpoint when one is due, before the next group: what was queued meanwhile waits for it as for an fsync.
        const checkpoint = error ? null : this.checkpoints.committed();
        if (checkpoint === null) next();
        else void checkpoint.then(next);
      });
    });
  }

  async loadDoc(name: string): Promise<DocState> {
    return this.db.transaction(() => {
      const snap = this.stmt('SELECT data FROM doc_snapshots WHERE doc = ?').get(name) as { data: Buffer } | undefined;
      const rows = this.stmt('SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq').all(name) as { data: Buffer }[];
      this.logSizes.read(name, { snapshotBytes: snap?.data.length ?? 0, logEntries: rows.length, logBytes: rows.reduce((sum, r) => sum + r.data.length, 0) });
      return { snapshot: snap ? new Uint8Array(snap.data) : null, updates: rows.map((r) => new Uint8Array(r.data)) };
    })();
  }

  async loadDocs(names: readonly string[]): Promise<Map<string, DocState>> {
    const wanted = JSON.stringify(names);
    return this.db.transaction(() => {
      const snaps = this.stmt('SELECT doc, data FROM doc_snapshots WHERE doc IN (SELECT value FROM json_each(?))').all(wanted) as { doc: string; data: Buffer }[];
      const rows = this.stmt('SELECT doc, data FROM doc_updates WHERE doc IN (SELECT value FROM json_each(?)) ORDER BY doc, seq').all(wanted) as { doc: string; data: Buffer }[];
      return collectDocStates(names, snaps, rows, (name, state) => this.logSizes.read(name, state));
    })();
  }

  appendUpdate(name: string, update: LogUpdate, usage?: UsageRecord, claim?: ClientClaim): Promise<number> {
    const data = copied(update);
    return this.write(() => {
      if (claim) {
        for (const [client, owner] of this.claim(name, claim.clients, claim.userId)) if (owner !== claim.userId) throw new ClientClaimedError(client, owner);
      }
      const seq = this.insertUpdates(name, data);
      if (usage) this.countUsage(usage);
      return seq;
    }).then((seq) => {
      this.countAppended(name, data);
      return seq;
    });
  }

  appendUpdates(entries: readonly LogAppend[]): Promise<void> {
    const data = entries.map((e) => [e.name, copied(e.update)] as const);
    return this.write(() => {
      for (const [name, update] of data) this.insertUpdates(name, update);
    }).then(() => {
      for (const [name, update] of data) this.countAppended(name, update);
    });
  }

  private countAppended(name: string, data: readonly Buffer[]): void {
    this.logSizes.appended(name, data.length, data.reduce((sum, entry) => sum + entry.length, 0));
  }

  /** One row per entry; the last one's sequence number. */
  private insertUpdates(name: string, data: readonly Buffer[]): number {
    const insert = this.stmt('INSERT INTO doc_updates (doc, data, at) VALUES (?, ?, ?)');
    const at = Date.now();
    let seq = 0;
    for (const entry of data) seq = Number(insert.run(name, entry, at).lastInsertRowid);
    return seq;
  }

  private countUsage(usage: UsageRecord): void {
    this.stmt(
      `INSERT INTO write_usage (user_id, hour, events, bytes) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id, hour) DO UPDATE SET events = events + excluded.events, bytes = bytes + excluded.bytes`,
    ).run(usage.userId, usage.hour, usage.events, usage.bytes);
    const kept = this.usage.get(usage.userId);
    // The hours older than a day, once per user and hour (not on every write).
    if (kept?.prunedHour !== usage.hour) this.stmt('DELETE FROM write_usage WHERE user_id = ? AND hour < ?').run(usage.userId, usage.hour - 24);
    if (!kept) return;
    kept.prunedHour = usage.hour;
    for (const hour of kept.hours.keys()) if (hour < usage.hour - 24) kept.hours.delete(hour);
    const sums = kept.hours.get(usage.hour);
    if (sums) {
      sums.events += usage.events;
      sums.bytes += usage.bytes;
    } else kept.hours.set(usage.hour, { events: usage.events, bytes: usage.bytes });
  }

  createOrder(row: OrderRow, docName: string, update: LogUpdate, { claims = new Map(), usage }: CreateOrderExtra = {}): Promise<CreateOrderResult> {
    const data = copied(update);
    return this.write((): CreateOrderResult => {
      const existing = this.stmt('SELECT id FROM orders WHERE order_no = ?').get(row.orderNo) as { id: string } | undefined;
      if (existing) return { created: false, existingId: existing.id };
      if (this.stmt('SELECT 1 FROM orders WHERE id = ?').get(row.id)) throw new OrderIdTakenError(row.id);
      this.insertOrder(row);
      const claim = this.stmt('INSERT OR IGNORE INTO doc_clients (doc, client, user_id) VALUES (?, ?, ?)');
      for (const [client, owner] of claims) claim.run(docName, client, owner);
      const seq = this.insertUpdates(docName, data);
      if (usage) this.countUsage(usage);
      return { created: true, seq };
    });
  }

  async usageSince(userId: string, sinceHour: number): Promise<Usage> {
    let kept = this.usage.get(userId);
    if (!kept) {
      const rows = this.stmt('SELECT hour, events, bytes FROM write_usage WHERE user_id = ?').all(userId) as { hour: number; events: number; bytes: number }[];
      kept = { hours: new Map(rows.map((r) => [Number(r.hour), { events: Number(r.events), bytes: Number(r.bytes) }])), prunedHour: null };
      this.usage.set(userId, kept);
    }
    let events = 0;
    let bytes = 0;
    for (const [hour, sums] of kept.hours) {
      if (hour < sinceHour) continue;
      events += sums.events;
      bytes += sums.bytes;
    }
    return { events, bytes };
  }

  async compactDoc(name: string, merge: Fold, worthIt?: (stats: LogStats) => boolean): Promise<number> {
    if (this.closed) throw new Error('store is closed');
    if (worthIt) {
      const known = this.logSizes.known(name);
      if (known && (known.logEntries === 0 || !worthIt(known))) return 0;
      // length() of a BLOB reads its size, not its bytes.
      const log = this.stmt('SELECT COUNT(*) AS n, COALESCE(SUM(length(data)), 0) AS bytes FROM doc_updates WHERE doc = ?').get(name) as { n: number; bytes: number };
      const snapshot = this.stmt('SELECT length(data) AS bytes FROM doc_snapshots WHERE doc = ?').get(name) as { bytes: number } | undefined;
      const stats = { snapshotBytes: snapshot?.bytes ?? 0, logBytes: log.bytes, logEntries: log.n };
      this.logSizes.read(name, stats);
      if (log.n === 0 || !worthIt(stats)) return 0;
    }
    // Folded (or read for a fold): its sizes are read again next time.
    this.logSizes.forget(name);
    // Read in one read transaction (as loadDoc), merged (maybe in a worker thread: FoldThread), written in a group commit.
    let merged: Uint8Array;
    let rows: { seq: number }[];
    if (typeof merge === 'function') {
      const read = this.db.transaction(() => ({
        snap: this.stmt('SELECT data FROM doc_snapshots WHERE doc = ?').get(name) as { data: Buffer } | undefined,
        rows: this.stmt('SELECT seq, data FROM doc_updates WHERE doc = ? ORDER BY seq').all(name) as { seq: number; data: Buffer }[],
      }))();
      rows = read.rows;
      if (rows.length === 0) return 0;
      merged = await merge({ snapshot: read.snap ? new Uint8Array(read.snap.data) : null, updates: read.rows.map((r) => new Uint8Array(r.data)) });
    } else {
      // The live doc holds every entry read: only which entries there are is read, not a byte of them or of the snapshot.
      rows = this.stmt('SELECT seq FROM doc_updates WHERE doc = ? ORDER BY seq').all(name) as { seq: number }[];
      if (rows.length === 0) return 0;
      merged = await merge.live();
    }
    const first = rows[0]!.seq;
    const last = rows[rows.length - 1]!.seq;
    return this.write(() => {
      // Entries are only ever deleted by a fold, and appends come after `last`: if any entry read is gone,
      // another fold of this doc wrote since the read, with a snapshot that holds them; this one is stale.
      const still = this.stmt('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ? AND seq BETWEEN ? AND ?').get(name, first, last) as { n: number };
      if (still.n !== rows.length) return 0;
      this.stmt('INSERT INTO doc_snapshots (doc, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at').run(
        name,
        Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength),
        Date.now(),
      );
      // Exactly the rows read (counted just above): one statement, where one per row was ≈ 17 per fold of an index doc.
      this.stmt('DELETE FROM doc_updates WHERE doc = ? AND seq BETWEEN ? AND ?').run(name, first, last);
      return rows.length;
    });
  }

  claimClients(doc: string, clientIds: readonly number[], userId: string): Promise<Map<number, string>> {
    return this.write(() => this.claim(doc, clientIds, userId));
  }

  /** Inside a write: claims the ids for the user where nobody has; returns each id's owner. */
  private claim(doc: string, clientIds: readonly number[], userId: string): Map<number, string> {
    const owners = new Map<number, string>();
    for (const client of clientIds) {
      this.stmt('INSERT OR IGNORE INTO doc_clients (doc, client, user_id) VALUES (?, ?, ?)').run(doc, client, userId);
      const row = this.stmt('SELECT user_id FROM doc_clients WHERE doc = ? AND client = ?').get(doc, client) as { user_id: string };
      owners.set(client, row.user_id);
    }
    return owners;
  }

  async listDocs(prefix: string): Promise<string[]> {
    const like = `${prefix.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const rows = this.db
      .prepare("SELECT doc FROM doc_snapshots WHERE doc LIKE ? ESCAPE '\\' UNION SELECT DISTINCT doc FROM doc_updates WHERE doc LIKE ? ESCAPE '\\'")
      .all(like, like) as { doc: string }[];
    return rows.map((r) => r.doc).sort();
  }

  upsertUnits(units: readonly Unit[]): Promise<void> {
    return this.write(() => {
      const stmt = this.stmt(
        'INSERT INTO units (id, kind, name, parent_id, warning_hours) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, parent_id = excluded.parent_id, warning_hours = excluded.warning_hours',
      );
      for (const u of units) stmt.run(u.id, u.kind, u.name, u.parentId, u.warningHours ?? null);
    });
  }

  async listUnits(): Promise<Unit[]> {
    const rows = this.stmt('SELECT id, kind, name, parent_id, warning_hours FROM units ORDER BY id').all() as Row[];
    return rows.map(unitFromRow);
  }

  setUnitPhrases(row: UnitPhrasesRow): Promise<void> {
    return this.write(() => {
      this.stmt(
        'INSERT INTO unit_phrases (unit_id, phrases, updated_by, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET phrases = excluded.phrases, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
      ).run(row.unitId, JSON.stringify(row.phrases), row.updatedBy, row.updatedAt);
    });
  }

  async listUnitPhrases(): Promise<UnitPhrasesRow[]> {
    const rows = this.stmt('SELECT unit_id, phrases, updated_by, updated_at FROM unit_phrases ORDER BY unit_id').all() as Row[];
    return rows.map(unitPhrasesFromRow);
  }

  upsertUsers(users: readonly StoredUser[]): Promise<void> {
    return this.write(() => {
      const stmt = this.stmt(
        `INSERT INTO users (id, name, role, unit_id, password_hash, disabled) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, unit_id = excluded.unit_id,
           password_hash = COALESCE(excluded.password_hash, users.password_hash), disabled = excluded.disabled`,
      );
      for (const u of users) {
        const before = this.stmt('SELECT * FROM users WHERE id = ?').get(u.id) as Row | undefined;
        stmt.run(u.id, u.name, u.role, u.unitId, u.passwordHash, u.disabled ? 1 : 0);
        if (before && credentialsChanged(userFromRow(before), u)) this.stmt('DELETE FROM sessions WHERE user_id = ?').run(u.id);
      }
    });
  }

  setUserPassword(userId: string, passwordHash: string, keepTokenHash: string | null): Promise<boolean> {
    return this.write(() => {
      if (this.stmt('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId).changes === 0) return false;
      this.stmt('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').run(userId, keepTokenHash);
      return true;
    });
  }

  setUserDisabled(userId: string, disabled: boolean): Promise<boolean> {
    return this.write(() => {
      if (this.stmt('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, userId).changes === 0) return false;
      if (disabled) this.stmt('DELETE FROM sessions WHERE user_id = ?').run(userId);
      return true;
    });
  }

  async getUser(id: string): Promise<StoredUser | null> {
    const r = this.stmt('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return r ? userFromRow(r) : null;
  }

  async listUsers(): Promise<StoredUser[]> {
    return (this.stmt('SELECT * FROM users ORDER BY id').all() as Row[]).map(userFromRow);
  }

  async serverKey(name: string, fresh: Uint8Array): Promise<Uint8Array> {
    await this.write(() => this.stmt('INSERT INTO server_keys (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, Buffer.from(fresh)));
    const row = this.stmt('SELECT value FROM server_keys WHERE name = ?').get(name) as { value: Buffer };
    return new Uint8Array(row.value);
  }

  async indexGenerations(bases: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>(bases.map((base) => [base, 0]));
    if (bases.length === 0) return found;
    const rows = this.stmt('SELECT base, generation FROM index_generations WHERE base IN (SELECT value FROM json_each(?))').all(JSON.stringify(bases)) as { base: string; generation: number }[];
    for (const row of rows) found.set(row.base, row.generation);
    return found;
  }

  advanceIndexGeneration(base: string, from: number): Promise<boolean> {
    // One statement each way: the insert of generation 1 meets a row already there, the update applies only over `from`.
    return this.write(
      () =>
        (from === 0
          ? this.stmt('INSERT INTO index_generations (base, generation) VALUES (?, 1) ON CONFLICT (base) DO UPDATE SET generation = 1 WHERE index_generations.generation = 0').run(base)
          : this.stmt('UPDATE index_generations SET generation = ? WHERE base = ? AND generation = ?').run(from + 1, base, from)
        ).changes === 1,
    );
  }

  async listIndexGenerations(): Promise<Map<string, number>> {
    const rows = this.stmt('SELECT base, generation FROM index_generations ORDER BY base').all() as { base: string; generation: number }[];
    return new Map(rows.map((row) => [row.base, row.generation]));
  }

  deleteDocs(names: readonly string[]): Promise<DeletedDocs> {
    return this.write(() => {
      let docs = 0;
      let bytes = 0;
      for (const name of names) {
        const log = this.stmt('SELECT COUNT(*) AS n, COALESCE(SUM(length(data)), 0) AS bytes FROM doc_updates WHERE doc = ?').get(name) as { n: number; bytes: number };
        const snapshot = this.stmt('SELECT length(data) AS bytes FROM doc_snapshots WHERE doc = ?').get(name) as { bytes: number } | undefined;
        if (log.n > 0 || snapshot) docs += 1;
        bytes += log.bytes + (snapshot?.bytes ?? 0);
        this.stmt('DELETE FROM doc_updates WHERE doc = ?').run(name);
        this.stmt('DELETE FROM doc_snapshots WHERE doc = ?').run(name);
        this.stmt('DELETE FROM doc_clients WHERE doc = ?').run(name);
        this.logSizes.forget(name);
      }
      return { docs, bytes };
    });
  }

  async countUsers(): Promise<number> {
    return (this.stmt('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  createSession(row: SessionRow): Promise<void> {
    return this.write(() => {
      this.stmt('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(row.tokenHash, row.userId, row.createdAt, row.expiresAt);
    });
  }

  async getSession(tokenHash: string): Promise<SessionRow | null> {
    const r = this.stmt('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return r ? { tokenHash: String(r.token_hash), userId: String(r.user_id), createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) } : null;
  }

  extendSession(tokenHash: string, expiresAt: number): Promise<void> {
    return this.write(() => {
      this.stmt('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(expiresAt, tokenHash);
    });
  }

  deleteSession(tokenHash: string): Promise<void> {
    return this.write(() => {
      this.stmt('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
    });
  }

  deleteExpiredSessions(now: number): Promise<number> {
    return this.write(() => this.stmt('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes);
  }

  async checkSessions(tokenHashes: readonly string[]): Promise<SessionCheck[]> {
    const found: SessionCheck[] = [];
    for (let i = 0; i < tokenHashes.length; i += 500) {
      const chunk = tokenHashes.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT s.token_hash, s.user_id, s.expires_at, COALESCE(u.disabled, 1) AS disabled
           FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.token_hash IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(...chunk) as Row[];
      for (const r of rows) found.push({ tokenHash: String(r.token_hash), userId: String(r.user_id), expiresAt: Number(r.expires_at), disabled: Boolean(r.disabled) });
    }
    return found;
  }

  async getOrder(id: string): Promise<OrderRow | null> {
    const r = this.stmt('SELECT * FROM orders WHERE id = ?').get(id) as Row | undefined;
    return r ? toOrder(r) : null;
  }

  async getOrders(ids: readonly string[]): Promise<Map<string, OrderRow>> {
    const rows = this.stmt('SELECT * FROM orders WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Row[];
    return new Map(rows.map((r) => [String(r.id), toOrder(r)]));
  }

  async getOrderByNo(orderNo: string): Promise<OrderRow | null> {
    const r = this.stmt('SELECT * FROM orders WHERE order_no = ?').get(orderNo) as Row | undefined;
    return r ? toOrder(r) : null;
  }

  saveOrder(row: OrderRow): Promise<boolean> {
    return this.write(() => {
      const existing = this.stmt('SELECT id FROM orders WHERE id = ?').get(row.id);
      if (!existing) {
        this.insertOrder(row);
        return true;
      }
      const result = this.stmt(
        `UPDATE orders SET place = ?, target_unit_id = ?, past_targets = ?, assignee = ?, participants = ?, status = ?, index_docs = ?, event_count = ?, updated_at = ?
         WHERE id = ? AND event_count <= ?`,
      ).run(...mutableOrderColumns(row), row.updatedAt, row.id, row.eventCount);
      return result.changes === 1;
    });
  }

  private insertOrder(row: OrderRow): void {
    this.db
      .prepare(
        `INSERT INTO orders (id, order_no, place, target_unit_id, past_targets, assignee, participants, status, index_docs, event_count, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.id, row.orderNo, ...mutableOrderColumns(row), row.createdAt, row.updatedAt);
  }

  async countOrders(): Promise<number> {
    return (this.stmt('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
  }

  addPhotoRefs(orderId: string, refs: readonly PhotoRef[]): Promise<void> {
    return this.write(() => {
      const stmt = this.stmt('INSERT OR IGNORE INTO photo_attachments (sha256, order_id, attached_by) VALUES (?, ?, ?)');
      for (const ref of refs) stmt.run(ref.sha256, orderId, ref.attachedBy);
    });
  }

  async ordersForPhoto(sha256: string): Promise<string[]> {
    const rows = this.stmt(
      `SELECT DISTINCT a.order_id FROM photo_attachments a JOIN photo_uploads u ON u.sha256 = a.sha256 AND u.user_id = a.attached_by
       WHERE a.sha256 = ? ORDER BY a.order_id`,
    ).all(sha256) as { order_id: string }[];
    return rows.map((r) => r.order_id);
  }

  recordUpload(upload: PhotoUpload): Promise<void> {
    return this.write(() => {
      this.stmt('INSERT OR IGNORE INTO photo_uploads (sha256, user_id, bytes, at) VALUES (?, ?, ?, ?)').run(upload.sha256, upload.userId, upload.bytes, upload.at);
    });
  }

  async isPhotoUploader(sha256: string, userId: string): Promise<boolean> {
    return this.stmt('SELECT 1 FROM photo_uploads WHERE sha256 = ? AND user_id = ?').get(sha256, userId) !== undefined;
  }

  async photoBytesSince(userId: string, since: number, excluding: readonly string[] = []): Promise<{ bytes: number; oldestAt: number | null }> {
    const r = this.stmt(
      'SELECT COALESCE(SUM(bytes), 0) AS bytes, MIN(at) AS oldest FROM photo_uploads WHERE user_id = ? AND at > ? AND bytes > 0 AND sha256 NOT IN (SELECT value FROM json_each(?))',
    ).get(userId, since, JSON.stringify(excluding)) as {
      bytes: number;
      oldest: number | null;
    };
    return { bytes: Number(r.bytes), oldestAt: r.oldest === null ? null : Number(r.oldest) };
  }

  putPhoto(row: PhotoRow, upload: PhotoUpload): Promise<boolean> {
    return this.write(() => {
      const created =
        this.stmt('INSERT OR IGNORE INTO photos (sha256, size, mime, uploaded_by, stored_at) VALUES (?, ?, ?, ?, ?)').run(
          row.sha256,
          row.size,
          row.mime,
          row.uploadedBy,
          row.storedAt,
        ).changes === 1;
      this.stmt('INSERT OR IGNORE INTO photo_uploads (sha256, user_id, bytes, at) VALUES (?, ?, ?, ?)').run(upload.sha256, upload.userId, upload.bytes, upload.at);
      return created;
    });
  }

  async getPhoto(sha256: string): Promise<PhotoRow | null> {
    const r = this.stmt('SELECT * FROM photos WHERE sha256 = ?').get(sha256) as Row | undefined;
    return r ? { sha256: String(r.sha256), size: Number(r.size), mime: String(r.mime), uploadedBy: String(r.uploaded_by), storedAt: Number(r.stored_at) } : null;
  }

  async countPhotos(): Promise<number> {
    return (this.stmt('SELECT COUNT(*) AS n FROM photos').get() as { n: number }).n;
  }

  putKnowledge(entries: readonly KnowledgeEntry[], termsOf?: (entry: KnowledgeEntry) => string | null): Promise<KnowledgePut> {
    return this.write((): KnowledgePut => {
      const stored: KnowledgeEntry[] = [];
      let unchanged = 0;
      // Writes are serialised (one connection, one transaction per batch), so MAX + 1 is the next seq.
      let seq = (this.stmt('SELECT COALESCE(MAX(seq), 0) AS seq FROM knowledge_entries').get() as { seq: number }).seq;
      for (const entry of entries) {
        const before = this.stmt('SELECT data FROM knowledge_entries WHERE id = ?').get(entry.id) as { data: string } | undefined;
        const next = nextKnowledgeVersion(before ? (JSON.parse(before.data) as KnowledgeEntry) : null, entry);
        if (!next) {
          unchanged += 1;
          continue;
        }
        seq += 1;
        const data = JSON.stringify(next);
        this.stmt(
          'INSERT INTO knowledge_entries (id, seq, version, data, terms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, version = excluded.version, data = excluded.data, terms = excluded.terms',
        ).run(next.id, seq, next.version, data, termsOf ? termsOf(next) : null);
        this.stmt('INSERT INTO knowledge_versions (id, version, seq, data) VALUES (?, ?, ?, ?)').run(next.id, next.version, seq, data);
        stored.push(next);
      }
      return { stored, unchanged };
    });
  }

  async getKnowledge(id: string): Promise<KnowledgeEntry | null> {
    const row = this.stmt('SELECT data FROM knowledge_entries WHERE id = ?').get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as KnowledgeEntry) : null;
  }

  async knowledgeChanges(since: number, limit: number): Promise<KnowledgeChanges> {
    return this.db.transaction(() => {
      const rows = this.stmt('SELECT seq, data, terms FROM knowledge_entries WHERE seq > ? ORDER BY seq LIMIT ?').all(since, limit) as { seq: number; data: string; terms: string | null }[];
      const head = (this.stmt('SELECT COALESCE(MAX(seq), 0) AS seq FROM knowledge_entries').get() as { seq: number }).seq;
      return { changes: rows.map((r) => ({ seq: Number(r.seq), entry: JSON.parse(r.data) as KnowledgeEntry, terms: r.terms ?? null })), head: Number(head) };
    })();
  }

  async knowledgeSynonyms(): Promise<string[][]> {
    const row = this.stmt('SELECT data FROM knowledge_synonyms WHERE id = 1').get() as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as string[][]) : [];
  }

  setKnowledgeSynonyms(groups: readonly (readonly string[])[]): Promise<void> {
    return this.write(() => {
      this.stmt('INSERT INTO knowledge_synonyms (id, data) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data').run(JSON.stringify(groups));
    });
  }

  async countKnowledge(): Promise<number> {
    return (this.stmt('SELECT COUNT(*) AS n FROM knowledge_entries').get() as { n: number }).n;
  }

  async ping(): Promise<void> {
    this.stmt('SELECT 1').get();
  }

  probeWrite(): Promise<void> {
    return this.write(() => {
      this.stmt('INSERT INTO health_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(Date.now());
    });
  }

  /** Copy the database, consistently, while it is in use (SQLite's online backup). */
  async backup(destination: string): Promise<void> {
    await this.db.backup(destination);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Every write already queued is committed and synced before the file closes.
    while (this.syncing !== null || this.queue.length > 0) {
      if (this.syncing !== null) await this.syncing;
      else this.flush();
    }
    await this.checkpoints.close();
    closeSync(this.walFd);
    this.db.close();
  }
}

/** Open the file and run `PRAGMA quick_check`; a damaged file (or not a database) is StoreCorruptError. */
function openChecked(file: string): Database.Database {
  let db: Database.Database | null = null;
  try {
    db = new Database(file);
    db.pragma('busy_timeout = 5000');
    const problems = (db.pragma('quick_check(20)') as Record<string, unknown>[]).map((row) => String(Object.values(row)[0]));
    if (problems.length !== 1 || problems[0] !== 'ok') throw new StoreCorruptError(file, problems);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StoreCorruptError) throw error;
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw new StoreCorruptError(file, [error instanceof Error ? error.message : String(error)]);
    throw error;
  }
}

function toOrder(r: Row): OrderRow {
  return {
    id: String(r.id),
    orderNo: String(r.order_no),
    place: JSON.parse(String(r.place)) as OrderRow['place'],
    targetUnitId: r.target_unit_id === null ? null : String(r.target_unit_id),
    pastTargetUnitIds: JSON.parse(String(r.past_targets)) as string[],
    assignee: r.assignee === null ? null : String(r.assignee),
    participants: JSON.parse(String(r.participants)) as string[],
    status: String(r.status),
    indexDocs: JSON.parse(String(r.index_docs)) as string[],
    eventCount: Number(r.event_count),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** The entries' bytes, copied when the write is queued (the caller's buffers may be reused before the commit). */
function copied(update: LogUpdate): Buffer[] {
  return logEntries(update).map((entry) => Buffer.from(entry));
}
