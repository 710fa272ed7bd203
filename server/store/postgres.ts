/**
 * PostgreSQL store, for several server instances behind one database. Same
 * tables as SQLite. An insert is durable when its autocommit returns
 * (`synchronous_commit` is on by default; do not turn it off for this
 * database). Compaction takes a per-document advisory lock so two instances
 * never fold the same log at once.
 */
import pg from 'pg';
import { LogSizes } from './log-sizes.ts';
import { UsageSums } from './usage-sums.ts';
import type { Unit } from '#shared/org/units.ts';
import {
  ClientClaimedError,
  type ClientClaim,
  OrderIdTakenError,
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
  seq BIGSERIAL PRIMARY KEY,
  doc TEXT NOT NULL,
  data BYTEA NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_updates_by_doc ON doc_updates (doc, seq);
CREATE TABLE IF NOT EXISTS doc_snapshots (
  doc TEXT PRIMARY KEY,
  data BYTEA NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_clients (
  doc TEXT NOT NULL,
  client BIGINT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (doc, client)
);
CREATE TABLE IF NOT EXISTS write_usage (
  user_id TEXT NOT NULL,
  hour BIGINT NOT NULL,
  events BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
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
  disabled BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS orders (
  id TEXT PRIMARY KEY,
  order_no TEXT NOT NULL UNIQUE,
  place JSONB NOT NULL,
  target_unit_id TEXT,
  past_targets JSONB NOT NULL,
  assignee TEXT,
  participants JSONB NOT NULL,
  status TEXT NOT NULL,
  index_docs JSONB NOT NULL,
  event_count INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
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
  bytes BIGINT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (sha256, user_id)
);
CREATE INDEX IF NOT EXISTS photo_uploads_by_user ON photo_uploads (user_id, at);
CREATE TABLE IF NOT EXISTS health_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS index_generations (
  base TEXT PRIMARY KEY,
  generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS server_keys (
  name TEXT PRIMARY KEY,
  value BYTEA NOT NULL
);
CREATE TABLE IF NOT EXISTS knowledge_entries (
  id TEXT PRIMARY KEY,
  seq BIGINT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  data JSONB NOT NULL
);
CREATE TABLE IF NOT EXISTS knowledge_versions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  seq BIGINT NOT NULL,
  data JSONB NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE TABLE IF NOT EXISTS knowledge_synonyms (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  data JSONB NOT NULL
);
CREATE TABLE IF NOT EXISTS photos (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  mime TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  stored_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS unit_phrases (
  unit_id TEXT PRIMARY KEY,
  phrases TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
`;

/** Any constant: serialises schema creation when several instances start together. */
const MIGRATION_LOCK = 7_345_120;
/**
 * Serialises knowledge writes across instances: a seq is taken and committed
 * under the lock, so no reader ever sees seq n + 1 committed before n (a
 * device that had read n + 1 would never ask for n again).
 */
const KNOWLEDGE_LOCK = 7_345_121;


/** Connections in each instance's pool. */
const POOL_SIZE = 10;
/** Folds running at once: the rest of the pool stays free for the appends acknowledgements wait for. */
const COMPACTIONS_AT_ONCE = 2;

/** At most `max` tasks at once; the others wait their turn, first come first served. */
class Limit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  /** Folds of a document's log into its snapshot running at once (`compactDoc`). */
  private readonly folds = new Limit(COMPACTIONS_AT_ONCE);
  /** Per user, the hour whose append last pruned their hours older than a day (`append`). */
  private readonly prunedHours = new Map<string, number>();

  /** Each doc's log size as this instance knows it between reads (`compactDoc`). */
  private readonly logSizes: LogSizes;
  /** Each user's daily quota sums as this instance knows them between reads (`usageSince`). */
  private readonly usageSums: UsageSums;

  private constructor(pool: pg.Pool, now: () => number) {
    this.pool = pool;
    this.logSizes = new LogSizes(now);
    this.usageSums = new UsageSums(now);
  }

  /** `now`: the clock `compactDoc`'s size reads are timed by (tests pin it). */
  static async open(connectionString: string, { now = () => performance.now() }: { readonly now?: () => number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString, max: POOL_SIZE });
    pool.on('error', (error) => console.error('[store] idle PostgreSQL client failed:', error.message));
    const store = new PostgresStore(pool, now);
    await store.tx(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(SCHEMA);
      // Stores from before the office's 预警 window.
      await client.query('ALTER TABLE units ADD COLUMN IF NOT EXISTS warning_hours INTEGER');
      await client.query('ALTER TABLE knowledge_entries ADD COLUMN IF NOT EXISTS terms TEXT');
      // Stores from before the row's event count: 0, so the next indexer run writes it.
      await client.query('ALTER TABLE orders ADD COLUMN IF NOT EXISTS event_count INTEGER NOT NULL DEFAULT 0');
      // Stores from before photo_uploads: each photo's recorded uploader uploaded it.
      await client.query(
        'INSERT INTO photo_uploads (sha256, user_id, bytes, at) SELECT sha256, uploaded_by, size, stored_at FROM photos WHERE NOT EXISTS (SELECT 1 FROM photo_uploads) ON CONFLICT DO NOTHING',
      );
    });
    return store;
  }

  private async tx<T>(run: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await run(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** One statement, so one snapshot of the database (no transaction of its own); its log's sizes are then known (`LogSizes`). */
  async loadDoc(name: string): Promise<DocState> {
    const { rows } = await this.pool.query<{ part: number; data: Buffer }>(
      'SELECT 0 AS part, 0::bigint AS seq, data FROM doc_snapshots WHERE doc = $1 UNION ALL SELECT 1, seq, data FROM doc_updates WHERE doc = $1 ORDER BY part, seq',
      [name],
    );
    const snapshot = rows[0]?.part === 0 ? new Uint8Array(rows[0].data) : null;
    const updates = rows.filter((r) => r.part === 1).map((r) => new Uint8Array(r.data));
    this.logSizes.read(name, { snapshotBytes: snapshot?.length ?? 0, logEntries: updates.length, logBytes: updates.reduce((sum, u) => sum + u.length, 0) });
    return { snapshot, updates };
  }

  /** One statement for every doc, so one snapshot of the database (as `loadDoc`). */
  async loadDocs(names: readonly string[]): Promise<Map<string, DocState>> {
    const { rows } = await this.pool.query<{ doc: string; part: number; data: Buffer }>(
      `SELECT doc, 0 AS part, 0::bigint AS seq, data FROM doc_snapshots WHERE doc = ANY($1::text[])
       UNION ALL SELECT doc, 1, seq, data FROM doc_updates WHERE doc = ANY($1::text[]) ORDER BY doc, part, seq`,
      [names],
    );
    return collectDocStates(
      names,
      rows.filter((r) => r.part === 0),
      rows.filter((r) => r.part === 1),
      (name, stats) => this.logSizes.read(name, stats),
    );
  }

  /**
   * One statement when there is no claim: the entries and the usage count in one autocommit
   * (`appendStatement`), where a transaction of its own took six (BEGIN, an INSERT per entry, the
   * usage upsert and prune, COMMIT): with PostgreSQL an event costs what its statements cost
   * (docs/SCALING.md, "Where the next bottleneck is").
   */
  async appendUpdate(name: string, update: LogUpdate, usage?: UsageRecord, claim?: ClientClaim): Promise<number> {
    const seq = claim
      ? await this.tx(async (client) => {
          for (const [id, owner] of await claimIn(client, name, claim.clients, claim.userId)) if (owner !== claim.userId) throw new ClientClaimedError(id, owner);
          return this.append(client, name, update, usage);
        })
      : await this.append(this.pool, name, update, usage);
    if (usage) this.usageSums.counted(usage);
    return seq;
  }

  async appendUpdates(entries: readonly LogAppend[]): Promise<void> {
    if (entries.length === 0) return;
    const at = Date.now();
    await this.pool.query('INSERT INTO doc_updates (doc, data, at) SELECT doc, data, $3 FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS t(doc, data, i) ORDER BY i', [
      entries.map((e) => e.name),
      entries.map((e) => Buffer.from(e.update)),
      at,
    ]);
    for (const { name, update } of entries) this.logSizes.appended(name, 1, update.length);
  }

  /** `appendStatement` run; the user's hours older than a day are pruned with it, once per user and hour. */
  private async append(client: pg.Pool | pg.PoolClient, name: string, update: LogUpdate, usage: UsageRecord | undefined): Promise<number> {
    const prune = usage !== undefined && this.prunedHours.get(usage.userId) !== usage.hour;
    const entries = logEntries(update);
    const result = await client.query<{ seq: string }>(appendStatement(usage !== undefined, prune), [
      name,
      entries.map((entry) => Buffer.from(entry)),
      Date.now(),
      ...(usage ? [usage.userId, usage.hour, usage.events, usage.bytes] : []),
    ]);
    if (prune) {
      this.prunedHours.set(usage.userId, usage.hour);
      this.usageSums.forget(usage.userId);
    }
    this.logSizes.appended(name, entries.length, entries.reduce((sum, entry) => sum + entry.length, 0));
    return Number(result.rows[0]!.seq);
  }

  /** Read at most every `USAGE_FRESH_MS` per user, this instance's own appends counted between (`UsageSums`). */
  async usageSince(userId: string, sinceHour: number): Promise<Usage> {
    const known = this.usageSums.known(userId, sinceHour);
    if (known) return known;
    const token = this.usageSums.reading(userId);
    const result = await this.pool.query<{ events: string; bytes: string }>(
      'SELECT COALESCE(SUM(events), 0) AS events, COALESCE(SUM(bytes), 0) AS bytes FROM write_usage WHERE user_id = $1 AND hour >= $2',
      [userId, sinceHour],
    );
    const usage = { events: Number(result.rows[0]?.events ?? 0), bytes: Number(result.rows[0]?.bytes ?? 0) };
    this.usageSums.read(userId, sinceHour, usage, token);
    return usage;
  }

  async createOrder(row: OrderRow, docName: string, update: LogUpdate, { claims = new Map(), usage }: CreateOrderExtra = {}): Promise<CreateOrderResult> {
    try {
      const result = await this.tx(async (client) => {
        const existing = await client.query<{ id: string }>('SELECT id FROM orders WHERE order_no = $1', [row.orderNo]);
        if (existing.rows[0]) return { created: false, existingId: existing.rows[0].id } as const;
        const taken = await client.query('SELECT 1 FROM orders WHERE id = $1', [row.id]);
        if (taken.rowCount) throw new OrderIdTakenError(row.id);
        await insertOrder(client, row);
        if (claims.size > 0) {
          await client.query('INSERT INTO doc_clients (doc, client, user_id) SELECT $1, unnest($2::bigint[]), unnest($3::text[]) ON CONFLICT DO NOTHING', [
            docName,
            [...claims.keys()],
            [...claims.values()],
          ]);
        }
        return { created: true, seq: await this.append(client, docName, update, usage) } as const;
      });
      if (result.created && usage) this.usageSums.counted(usage);
      return result;
    } catch (error) {
      // Another instance created the same order number between our check and insert.
      if (isUniqueViolation(error)) {
        const existing = await this.getOrderByNo(row.orderNo);
        if (existing) return { created: false, existingId: existing.id };
        throw new OrderIdTakenError(row.id);
      }
      throw error;
    }
  }

  /**
   * Most calls end with no statement at all: the sizes this instance knows
   * (`LogSizes`: the last read plus its own appends since, read again at least
   * every minute) say the log is too small to fold. The others end at the size
   * check, one autocommit read that holds no connection across any work of
   * ours. A fold holds one for the read, the
   * merge (CPU, in this process) and the write: at most
   * `COMPACTIONS_AT_ONCE` folds run at once, so the durable appends that
   * acknowledgements wait for always find free connections in the pool; and a
   * fold another instance is running on the same document is not waited for
   * (`pg_try_advisory_xact_lock`): it folds what this one would, and the next
   * change brings the rest.
   */
  async compactDoc(name: string, merge: Fold, worthIt?: (stats: LogStats) => boolean): Promise<number> {
    if (worthIt) {
      const known = this.logSizes.known(name);
      if (known && (known.logEntries === 0 || !worthIt(known))) return 0;
      const sizes = await this.pool.query<{ n: string; bytes: string; snapshot: string | null }>(
        `SELECT (SELECT COUNT(*) FROM doc_updates WHERE doc = $1) AS n,
                (SELECT COALESCE(SUM(octet_length(data)), 0) FROM doc_updates WHERE doc = $1) AS bytes,
                (SELECT octet_length(data) FROM doc_snapshots WHERE doc = $1) AS snapshot`,
        [name],
      );
      const row = sizes.rows[0]!;
      const stats = { snapshotBytes: Number(row.snapshot ?? 0), logBytes: Number(row.bytes), logEntries: Number(row.n) };
      this.logSizes.read(name, stats);
      if (stats.logEntries === 0 || !worthIt(stats)) return 0;
    }
    this.logSizes.forget(name);
    return this.folds.run(() =>
      this.tx(async (client) => {
        const locked = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok', [name]);
        if (!locked.rows[0]!.ok) return 0;
        let merged: Uint8Array;
        let rows: { rows: { seq: string }[] };
        if (typeof merge === 'function') {
          const snap = await client.query<{ data: Buffer }>('SELECT data FROM doc_snapshots WHERE doc = $1', [name]);
          const read = await client.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE doc = $1 ORDER BY seq', [name]);
          rows = read;
          if (read.rows.length === 0) return 0;
          merged = await merge({ snapshot: snap.rows[0] ? new Uint8Array(snap.rows[0].data) : null, updates: read.rows.map((r) => new Uint8Array(r.data)) });
        } else {
          rows = await client.query<{ seq: string }>('SELECT seq FROM doc_updates WHERE doc = $1 ORDER BY seq', [name]);
          if (rows.rows.length === 0) return 0;
          merged = await merge.live();
        }
        await client.query(
          'INSERT INTO doc_snapshots (doc, data, updated_at) VALUES ($1, $2, $3) ON CONFLICT (doc) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
          [name, Buffer.from(merged), Date.now()],
        );
        await client.query('DELETE FROM doc_updates WHERE seq = ANY($1::bigint[])', [rows.rows.map((r) => r.seq)]);
        return rows.rows.length;
      }),
    );
  }

  async claimClients(doc: string, clientIds: readonly number[], userId: string): Promise<Map<number, string>> {
    return claimIn(this.pool, doc, clientIds, userId);
  }

  async listDocs(prefix: string): Promise<string[]> {
    const like = `${prefix.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const result = await this.pool.query<{ doc: string }>(
      'SELECT doc FROM doc_snapshots WHERE doc LIKE $1 UNION SELECT DISTINCT doc FROM doc_updates WHERE doc LIKE $1',
      [like],
    );
    return result.rows.map((r) => r.doc).sort();
  }

  async upsertUnits(units: readonly Unit[]): Promise<void> {
    await this.tx(async (client) => {
      for (const u of units) {
        await client.query(
          'INSERT INTO units (id, kind, name, parent_id, warning_hours) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, parent_id = excluded.parent_id, warning_hours = excluded.warning_hours',
          [u.id, u.kind, u.name, u.parentId, u.warningHours ?? null],
        );
      }
    });
  }

  async listUnits(): Promise<Unit[]> {
    const result = await this.pool.query<Row>('SELECT id, kind, name, parent_id, warning_hours FROM units ORDER BY id');
    return result.rows.map(unitFromRow);
  }

  async setUnitPhrases(row: UnitPhrasesRow): Promise<void> {
    await this.pool.query(
      'INSERT INTO unit_phrases (unit_id, phrases, updated_by, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id) DO UPDATE SET phrases = excluded.phrases, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
      [row.unitId, JSON.stringify(row.phrases), row.updatedBy, row.updatedAt],
    );
  }

  async listUnitPhrases(): Promise<UnitPhrasesRow[]> {
    const result = await this.pool.query<Row>('SELECT unit_id, phrases, updated_by, updated_at FROM unit_phrases ORDER BY unit_id');
    return result.rows.map(unitPhrasesFromRow);
  }

  async upsertUsers(users: readonly StoredUser[]): Promise<void> {
    await this.tx(async (client) => {
      for (const u of users) {
        const before = (await client.query<Row>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [u.id])).rows[0];
        if (before && credentialsChanged(userFromRow(before), u)) await client.query('DELETE FROM sessions WHERE user_id = $1', [u.id]);
        await client.query(
          `INSERT INTO users (id, name, role, unit_id, password_hash, disabled) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, unit_id = excluded.unit_id,
             password_hash = COALESCE(excluded.password_hash, users.password_hash), disabled = excluded.disabled`,
          [u.id, u.name, u.role, u.unitId, u.passwordHash, u.disabled],
        );
      }
    });
  }

  async setUserPassword(userId: string, passwordHash: string, keepTokenHash: string | null): Promise<boolean> {
    return this.tx(async (client) => {
      if ((await client.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, userId])).rowCount === 0) return false;
      await client.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2', [userId, keepTokenHash]);
      return true;
    });
  }

  async setUserDisabled(userId: string, disabled: boolean): Promise<boolean> {
    return this.tx(async (client) => {
      if ((await client.query('UPDATE users SET disabled = $1 WHERE id = $2', [disabled, userId])).rowCount === 0) return false;
      if (disabled) await client.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
      return true;
    });
  }

  async getUser(id: string): Promise<StoredUser | null> {
    const result = await this.pool.query<Row>('SELECT * FROM users WHERE id = $1', [id]);
    const r = result.rows[0];
    return r ? userFromRow(r) : null;
  }

  async listUsers(): Promise<StoredUser[]> {
    return (await this.pool.query<Row>('SELECT * FROM users ORDER BY id')).rows.map(userFromRow);
  }

  async serverKey(name: string, fresh: Uint8Array): Promise<Uint8Array> {
    await this.pool.query('INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, Buffer.from(fresh)]);
    const result = await this.pool.query<{ value: Buffer }>('SELECT value FROM server_keys WHERE name = $1', [name]);
    return new Uint8Array(result.rows[0]!.value);
  }

  async indexGenerations(bases: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>(bases.map((base) => [base, 0]));
    if (bases.length === 0) return found;
    const result = await this.pool.query<{ base: string; generation: number }>('SELECT base, generation FROM index_generations WHERE base = ANY($1::text[])', [bases]);
    for (const row of result.rows) found.set(row.base, row.generation);
    return found;
  }

  async advanceIndexGeneration(base: string, from: number): Promise<boolean> {
    // One statement: the insert of generation 1 conflicts with a row already there, the update applies only over `from`.
    const result =
      from === 0
        ? await this.pool.query('INSERT INTO index_generations (base, generation) VALUES ($1, 1) ON CONFLICT (base) DO UPDATE SET generation = 1 WHERE index_generations.generation = 0', [base])
        : await this.pool.query('UPDATE index_generations SET generation = $2 WHERE base = $1 AND generation = $3', [base, from + 1, from]);
    return result.rowCount === 1;
  }

  async listIndexGenerations(): Promise<Map<string, number>> {
    const result = await this.pool.query<{ base: string; generation: number }>('SELECT base, generation FROM index_generations ORDER BY base');
    return new Map(result.rows.map((row) => [row.base, row.generation]));
  }

  async deleteDocs(names: readonly string[]): Promise<DeletedDocs> {
    if (names.length === 0) return { docs: 0, bytes: 0 };
    const deleted = await this.tx(async (client) => {
      // A fold of one of them running now holds its lock (`compactDoc`): waited for, so its snapshot is deleted too;
      // one starting later finds the lock held, or nothing to fold. Taken in one order, so two prunes never deadlock.
      await client.query('SELECT pg_advisory_xact_lock(hashtext(name)) FROM (SELECT unnest($1::text[]) AS name ORDER BY 1) AS names', [names]);
      const sizes = await client.query<{ doc: string; bytes: string }>(
        `SELECT doc, SUM(bytes)::bigint AS bytes FROM (
           SELECT doc, length(data) AS bytes FROM doc_snapshots WHERE doc = ANY($1::text[])
           UNION ALL SELECT doc, length(data) FROM doc_updates WHERE doc = ANY($1::text[])
         ) AS stored GROUP BY doc`,
        [names],
      );
      await client.query('DELETE FROM doc_updates WHERE doc = ANY($1::text[])', [names]);
      await client.query('DELETE FROM doc_snapshots WHERE doc = ANY($1::text[])', [names]);
      await client.query('DELETE FROM doc_clients WHERE doc = ANY($1::text[])', [names]);
      return { docs: sizes.rows.length, bytes: sizes.rows.reduce((sum, row) => sum + Number(row.bytes), 0) };
    });
    for (const name of names) this.logSizes.forget(name);
    return deleted;
  }

  async countUsers(): Promise<number> {
    return count(this.pool, 'users');
  }

  async createSession(row: SessionRow): Promise<void> {
    await this.pool.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
      row.tokenHash,
      row.userId,
      row.createdAt,
      row.expiresAt,
    ]);
  }

  async getSession(tokenHash: string): Promise<SessionRow | null> {
    const result = await this.pool.query<Row>('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash]);
    const r = result.rows[0];
    return r ? { tokenHash: String(r.token_hash), userId: String(r.user_id), createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) } : null;
  }

  async extendSession(tokenHash: string, expiresAt: number): Promise<void> {
    await this.pool.query('UPDATE sessions SET expires_at = $1 WHERE token_hash = $2', [expiresAt, tokenHash]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  async checkSessions(tokenHashes: readonly string[]): Promise<SessionCheck[]> {
    const found: SessionCheck[] = [];
    for (let i = 0; i < tokenHashes.length; i += 500) {
      const result = await this.pool.query<Row>(
        `SELECT s.token_hash, s.user_id, s.expires_at, COALESCE(u.disabled, TRUE) AS disabled
         FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.token_hash = ANY($1::text[])`,
        [tokenHashes.slice(i, i + 500)],
      );
      for (const r of result.rows) found.push({ tokenHash: String(r.token_hash), userId: String(r.user_id), expiresAt: Number(r.expires_at), disabled: Boolean(r.disabled) });
    }
    return found;
  }

  async getOrder(id: string): Promise<OrderRow | null> {
    const result = await this.pool.query<Row>('SELECT * FROM orders WHERE id = $1', [id]);
    return result.rows[0] ? toOrder(result.rows[0]) : null;
  }

  async getOrders(ids: readonly string[]): Promise<Map<string, OrderRow>> {
    const result = await this.pool.query<Row>('SELECT * FROM orders WHERE id = ANY($1::text[])', [ids]);
    return new Map(result.rows.map((r) => [String(r.id), toOrder(r)]));
  }

  async getOrderByNo(orderNo: string): Promise<OrderRow | null> {
    const result = await this.pool.query<Row>('SELECT * FROM orders WHERE order_no = $1', [orderNo]);
    return result.rows[0] ? toOrder(result.rows[0]) : null;
  }

  async saveOrder(row: OrderRow): Promise<boolean> {
    // One statement: the row is read and replaced under its lock, whichever instance writes at the same time.
    const result = await this.pool.query(
      `INSERT INTO orders (id, order_no, place, target_unit_id, past_targets, assignee, participants, status, index_docs, event_count, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET place = excluded.place, target_unit_id = excluded.target_unit_id, past_targets = excluded.past_targets,
         assignee = excluded.assignee, participants = excluded.participants, status = excluded.status, index_docs = excluded.index_docs,
         event_count = excluded.event_count, updated_at = excluded.updated_at
       WHERE orders.event_count <= excluded.event_count`,
      orderParams(row),
    );
    return result.rowCount === 1;
  }

  async countOrders(): Promise<number> {
    return count(this.pool, 'orders');
  }

  async addPhotoRefs(orderId: string, refs: readonly PhotoRef[]): Promise<void> {
    if (refs.length === 0) return;
    await this.pool.query(
      'INSERT INTO photo_attachments (sha256, order_id, attached_by) SELECT s, $2, a FROM unnest($1::text[], $3::text[]) AS t(s, a) ON CONFLICT DO NOTHING',
      [refs.map((r) => r.sha256), orderId, refs.map((r) => r.attachedBy)],
    );
  }

  async ordersForPhoto(sha256: string): Promise<string[]> {
    const result = await this.pool.query<{ order_id: string }>(
      `SELECT DISTINCT a.order_id FROM photo_attachments a JOIN photo_uploads u ON u.sha256 = a.sha256 AND u.user_id = a.attached_by
       WHERE a.sha256 = $1 ORDER BY a.order_id`,
      [sha256],
    );
    return result.rows.map((r) => r.order_id);
  }

  async recordUpload(upload: PhotoUpload): Promise<void> {
    await this.pool.query('INSERT INTO photo_uploads (sha256, user_id, bytes, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
      upload.sha256,
      upload.userId,
      upload.bytes,
      upload.at,
    ]);
  }

  async isPhotoUploader(sha256: string, userId: string): Promise<boolean> {
    const result = await this.pool.query('SELECT 1 FROM photo_uploads WHERE sha256 = $1 AND user_id = $2', [sha256, userId]);
    return result.rowCount === 1;
  }

  async photoBytesSince(userId: string, since: number, excluding: readonly string[] = []): Promise<{ bytes: number; oldestAt: number | null }> {
    const result = await this.pool.query<{ bytes: string; oldest: string | null }>(
      'SELECT COALESCE(SUM(bytes), 0) AS bytes, MIN(at) AS oldest FROM photo_uploads WHERE user_id = $1 AND at > $2 AND bytes > 0 AND NOT (sha256 = ANY($3::text[]))',
      [userId, since, [...excluding]],
    );
    const r = result.rows[0]!;
    return { bytes: Number(r.bytes), oldestAt: r.oldest === null ? null : Number(r.oldest) };
  }

  async putPhoto(row: PhotoRow, upload: PhotoUpload): Promise<boolean> {
    return this.tx(async (client) => {
      const result = await client.query(
        'INSERT INTO photos (sha256, size, mime, uploaded_by, stored_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [row.sha256, row.size, row.mime, row.uploadedBy, row.storedAt],
      );
      await client.query('INSERT INTO photo_uploads (sha256, user_id, bytes, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
        upload.sha256,
        upload.userId,
        upload.bytes,
        upload.at,
      ]);
      return result.rowCount === 1;
    });
  }

  async getPhoto(sha256: string): Promise<PhotoRow | null> {
    const result = await this.pool.query<Row>('SELECT * FROM photos WHERE sha256 = $1', [sha256]);
    const r = result.rows[0];
    return r ? { sha256: String(r.sha256), size: Number(r.size), mime: String(r.mime), uploadedBy: String(r.uploaded_by), storedAt: Number(r.stored_at) } : null;
  }

  async countPhotos(): Promise<number> {
    return count(this.pool, 'photos');
  }

  async putKnowledge(entries: readonly KnowledgeEntry[], termsOf?: (entry: KnowledgeEntry) => string | null): Promise<KnowledgePut> {
    return this.tx(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [KNOWLEDGE_LOCK]);
      const head = await client.query<{ seq: string }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM knowledge_entries');
      let seq = Number(head.rows[0]?.seq ?? 0);
      const ids = entries.map((e) => e.id);
      const before = await client.query<{ id: string; data: KnowledgeEntry }>('SELECT id, data FROM knowledge_entries WHERE id = ANY($1::text[])', [ids]);
      const storedById = new Map(before.rows.map((r) => [r.id, r.data]));
      const stored: KnowledgeEntry[] = [];
      let unchanged = 0;
      for (const entry of entries) {
        const next = nextKnowledgeVersion(storedById.get(entry.id) ?? null, entry);
        if (!next) {
          unchanged += 1;
          continue;
        }
        seq += 1;
        const data = JSON.stringify(next);
        await client.query(
          'INSERT INTO knowledge_entries (id, seq, version, data, terms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, version = excluded.version, data = excluded.data, terms = excluded.terms',
          [next.id, seq, next.version, data, termsOf ? termsOf(next) : null],
        );
        await client.query('INSERT INTO knowledge_versions (id, version, seq, data) VALUES ($1, $2, $3, $4)', [next.id, next.version, seq, data]);
        storedById.set(next.id, next);
        stored.push(next);
      }
      return { stored, unchanged };
    });
  }

  async getKnowledge(id: string): Promise<KnowledgeEntry | null> {
    const result = await this.pool.query<{ data: KnowledgeEntry }>('SELECT data FROM knowledge_entries WHERE id = $1', [id]);
    return result.rows[0]?.data ?? null;
  }

  async knowledgeChanges(since: number, limit: number): Promise<KnowledgeChanges> {
    return this.tx(async (client) => {
      const rows = await client.query<{ seq: string; data: KnowledgeEntry; terms: string | null }>('SELECT seq, data, terms FROM knowledge_entries WHERE seq > $1 ORDER BY seq LIMIT $2', [since, limit]);
      const head = await client.query<{ seq: string }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM knowledge_entries');
      return { changes: rows.rows.map((r) => ({ seq: Number(r.seq), entry: r.data, terms: r.terms ?? null })), head: Number(head.rows[0]?.seq ?? 0) };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async knowledgeSynonyms(): Promise<string[][]> {
    const result = await this.pool.query<{ data: string[][] }>('SELECT data FROM knowledge_synonyms WHERE id = 1');
    return result.rows[0]?.data ?? [];
  }

  async setKnowledgeSynonyms(groups: readonly (readonly string[])[]): Promise<void> {
    await this.pool.query('INSERT INTO knowledge_synonyms (id, data) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET data = excluded.data', [JSON.stringify(groups)]);
  }

  async countKnowledge(): Promise<number> {
    const result = await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM knowledge_entries');
    return Number(result.rows[0]?.n ?? 0);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async probeWrite(): Promise<void> {
    await this.pool.query('INSERT INTO health_probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at', [Date.now()]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function count(pool: pg.Pool, table: 'users' | 'orders' | 'photos'): Promise<number> {
  const result = await pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(result.rows[0]!.n);
}

function orderParams(row: OrderRow): unknown[] {
  return [row.id, row.orderNo, ...mutableOrderColumns(row), row.createdAt, row.updatedAt];
}

async function insertOrder(client: pg.PoolClient, row: OrderRow): Promise<void> {
  await client.query(
    `INSERT INTO orders (id, order_no, place, target_unit_id, past_targets, assignee, participants, status, index_docs, event_count, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    orderParams(row),
  );
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === '23505';
}

function toOrder(r: Row): OrderRow {
  return {
    id: String(r.id),
    orderNo: String(r.order_no),
    place: r.place as OrderRow['place'],
    targetUnitId: r.target_unit_id === null ? null : String(r.target_unit_id),
    pastTargetUnitIds: r.past_targets as string[],
    assignee: r.assignee === null ? null : String(r.assignee),
    participants: r.participants as string[],
    status: String(r.status),
    indexDocs: r.index_docs as string[],
    eventCount: Number(r.event_count),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** One row per entry (with several, call it inside a transaction); the last one's sequence number. */
/** Claims the ids for the user where nobody has; returns each id's owner. */
async function claimIn(client: pg.Pool | pg.PoolClient, doc: string, clientIds: readonly number[], userId: string): Promise<Map<number, string>> {
  await client.query('INSERT INTO doc_clients (doc, client, user_id) SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING', [doc, [...clientIds], userId]);
  const result = await client.query<{ client: string; user_id: string }>('SELECT client, user_id FROM doc_clients WHERE doc = $1 AND client = ANY($2::bigint[])', [doc, [...clientIds]]);
  return new Map(result.rows.map((r) => [Number(r.client), r.user_id] as const));
}

/**
 * Appends a doc's log entries ($1 the doc, $2 the entries in order, $3 the time) and returns the last
 * one's `seq`; with `usage`, counts them to the user's hour ($4 user, $5 hour, $6 events, $7 bytes) in
 * the same statement, and with `prune` forgets that user's hours older than a day. The data-modifying
 * parts of one statement commit together.
 */
function appendStatement(usage: boolean, prune: boolean): string {
  const counted = usage
    ? `, counted AS (
         INSERT INTO write_usage (user_id, hour, events, bytes) VALUES ($4, $5, $6, $7)
         ON CONFLICT (user_id, hour) DO UPDATE SET events = write_usage.events + excluded.events, bytes = write_usage.bytes + excluded.bytes
       )`
    : '';
  const pruned = prune ? ', pruned AS (DELETE FROM write_usage WHERE user_id = $4 AND hour < $5 - 24)' : '';
  return `WITH appended AS (
      INSERT INTO doc_updates (doc, data, at) SELECT $1, data, $3 FROM unnest($2::bytea[]) WITH ORDINALITY AS t(data, i) ORDER BY i RETURNING seq
    )${counted}${pruned}
    SELECT MAX(seq) AS seq FROM appended`;
}
