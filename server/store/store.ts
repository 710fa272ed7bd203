/**
 * Everything the server keeps, behind one async interface with a SQLite and a
 * PostgreSQL implementation. Documents are an append-only log of Yjs updates
 * plus compacted snapshots; the log is written before a client is told an
 * update is synced, so an acknowledged update survives `kill -9`.
 */
import type { Role } from '#shared/org/roles.ts';
import type { Unit } from '#shared/org/units.ts';
import type { Place } from '#shared/org/scope.ts';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import type { PhraseBook } from '#shared/order/quick-phrases.ts';

export interface StoredUser {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly unitId: string;
  /** `scrypt$…`; null for an account that cannot log in. */
  readonly passwordHash: string | null;
  readonly disabled: boolean;
}

/** A session as the periodic re-check reads it: is it still there, until when, and is its user still allowed in. */
export interface SessionCheck {
  readonly tokenHash: string;
  readonly userId: string;
  readonly expiresAt: number;
  readonly disabled: boolean;
}

/** A unit's 常用语 (shared/order/quick-phrases.ts), who set them and when. */
export interface UnitPhrasesRow {
  readonly unitId: string;
  readonly phrases: PhraseBook;
  readonly updatedBy: string;
  readonly updatedAt: number;
}

export interface SessionRow {
  /** SHA-256 of the bearer token, hex; the token itself is never stored. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** What the server knows about an order without opening its doc: enough to authorise and to list. */
export interface OrderRow {
  readonly id: string;
  readonly orderNo: string;
  readonly place: Place;
  readonly targetUnitId: string | null;
  readonly pastTargetUnitIds: readonly string[];
  readonly assignee: string | null;
  readonly participants: readonly string[];
  readonly status: string;
  /** Index docs that list the order now, so a move can remove it from the old ones. */
  readonly indexDocs: readonly string[];
  /**
   * Events folded into the view the row was last written from (the summary's `eventCount`; 0 for a
   * new order). Events are only appended, so of two derivations the one of more events is the newer:
   * `saveOrder` never replaces a row by one of fewer. The indexer writes the row only when a column
   * other than this and `updatedAt` changes, so it is the count at the row's last change.
   */
  readonly eventCount: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface PhotoRow {
  readonly sha256: string;
  readonly size: number;
  readonly mime: string;
  /** The first uploader; every uploader is in the uploads (`recordUpload`). */
  readonly uploadedBy: string;
  readonly storedAt: number;
}

/** A photo named in an order, and by whom: what makes the photo readable, if that user uploaded it. */
export interface PhotoRef {
  readonly sha256: string;
  /** The actor of the `photo_added` event, the reporter of a field report, the caller of the intake API. */
  readonly attachedBy: string;
}

/** One user's upload of one photo (sent its bytes, hash-checked), once per user and photo. */
export interface PhotoUpload {
  readonly sha256: string;
  readonly userId: string;
  /** Bytes this upload added to the store: the size when it wrote the file, 0 when the photo was there already. */
  readonly bytes: number;
  readonly at: number;
}

export interface DocState {
  readonly snapshot: Uint8Array | null;
  /** Log entries after the snapshot, oldest first. */
  readonly updates: readonly Uint8Array[];
}

/**
 * How a fold makes the new snapshot: from the snapshot and the log entries read (a merge), or, with
 * `live`, from a document that already holds every entry read (its live copy, `DurableLog`'s
 * `soleWriter`) — then neither the snapshot nor the entries' bytes are read, only which entries there are.
 */
export type Fold = ((state: DocState) => Uint8Array | Promise<Uint8Array>) | { readonly live: () => Uint8Array | Promise<Uint8Array> };

/** What `deleteDocs` removed. */
export interface DeletedDocs {
  /** Documents that had a snapshot or log entries. */
  readonly docs: number;
  /** Their snapshots' and log entries' bytes. */
  readonly bytes: number;
}

/** What a user wrote through sync in one hour (hour = ms since the epoch ÷ 3,600,000, floored). */
export interface UsageRecord {
  readonly userId: string;
  readonly hour: number;
  readonly events: number;
  readonly bytes: number;
}

/** The sizes of a document's snapshot and log, read without reading them. */
export interface LogStats {
  readonly snapshotBytes: number;
  readonly logBytes: number;
  readonly logEntries: number;
}

export interface Usage {
  readonly events: number;
  readonly bytes: number;
}

export interface CreateOrderExtra {
  /** Yjs client ids the order's first update writes under, and whose they are (see server/sync/client-claims.ts). */
  readonly claims?: ReadonlyMap<number, string>;
  /** The writer's sync usage to count with the write (field reports). */
  readonly usage?: UsageRecord;
}

/** What `putKnowledge` did: the entries stored (with the versions given to them) and those left alone because nothing in them changed. */
export interface KnowledgePut {
  readonly stored: readonly KnowledgeEntry[];
  readonly unchanged: number;
}

/** The knowledge base's changes after a device's seq, oldest first (see docs/KNOWLEDGE.md "Sync"). */
export interface KnowledgeChanges {
  /** The current version of each entry changed after `since`, with the seq of its last change. */
  readonly changes: ReadonlyArray<{ readonly seq: number; readonly entry: KnowledgeEntry; readonly terms: string | null }>;
  /** The newest seq in the store (0 before the first change). */
  readonly head: number;
}

export type CreateOrderResult = { readonly created: true; readonly seq: number } | { readonly created: false; readonly existingId: string };

/**
 * The database file is damaged (SQLite's quick_check failed, or the file is
 * not a database). The server refuses to start on it: serving it would
 * acknowledge nothing wrong while losing what it cannot read.
 */
export class StoreCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `the database ${file} is damaged (${problems.length === 1 ? 'one problem' : `${problems.length} problems`}: ${problems.slice(0, 3).join('; ')}).\n` +
        'Nothing was changed. Stop every process that uses it, keep the damaged file (and any -wal, -shm beside it) for analysis, and restore the last good backup:\n' +
        '  npm run verify -- --data-dir BACKUP_DIR      (check the backup first)\n' +
        '  then move the damaged data folder aside and copy the backup in its place, as docs/SERVER.md "Backup and restore" describes.',
    );
    this.name = 'StoreCorruptError';
  }
}

export class OrderIdTakenError extends Error {
  constructor(readonly orderId: string) {
    super(`order id ${orderId} is already used by another order number`);
  }
}

/** An append's client-id claim was lost: one of the ids belongs to another user in the doc (`appendUpdate` with a `claim`). */
export class ClientClaimedError extends Error {
  constructor(
    readonly client: number,
    readonly owner: string,
  ) {
    super(`Yjs client ${client} belongs to another user in this document`);
  }
}

/** Yjs client ids an append writes under for the first time, to be claimed for `userId` in its transaction. */
export interface ClientClaim {
  readonly userId: string;
  readonly clients: readonly number[];
}

/** What one log append writes: an update, or several kept apart in one transaction. */
export type LogUpdate = Uint8Array | readonly Uint8Array[];

/** One entry for a doc's log (`appendUpdates`). */
export interface LogAppend {
  readonly name: string;
  readonly update: Uint8Array;
}

/** The entries of a `LogUpdate`, in order. */
export function logEntries(update: LogUpdate): readonly Uint8Array[] {
  return update instanceof Uint8Array ? [update] : update;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';

  /** Read the snapshot and the log after it in one consistent read. */
  loadDoc(name: string): Promise<DocState>;
  /**
   * `loadDoc` for many documents in one consistent read of a few statements (the bulk read's 500 order docs:
   * one read each was a thousand statements, bench/README.md "First sync, part 17"). Every name is in the
   * answer; one with nothing stored has no snapshot and no log.
   */
  loadDocs(names: readonly string[]): Promise<Map<string, DocState>>;
  /**
   * Append an update to a document's log — or several, one entry each, in
   * one transaction (a client's update and the server's receipts for it, so
   * that neither is merged into the other) — and resolve once it is durable.
   * Returns the sequence number of the last entry. With `usage`, counts it to
   * that user's hour in the same transaction (and forgets their hours older
   * than a day). With `claim`, claims those client ids for the user (as
   * `claimClients`) in the same transaction, and throws ClientClaimedError,
   * appending nothing, if one of them already belongs to someone else — so
   * the claim costs no commit of its own, and instances racing to claim the
   * same id cannot both win.
   */
  appendUpdate(name: string, update: LogUpdate, usage?: UsageRecord, claim?: ClientClaim): Promise<number>;
  /**
   * Append one entry to each of several docs' logs (the index docs' server
   * writes of one interval), in one transaction, and resolve once durable.
   */
  appendUpdates(entries: readonly LogAppend[]): Promise<void>;
  /**
   * Create an order: its row and the first update(s) of its doc (as
   * `appendUpdate`), in one transaction, with `claims` (Yjs client id → owner,
   * as `claimClients` records them) when the server wrote the update itself.
   * Idempotent by order number.
   */
  createOrder(row: OrderRow, docName: string, update: LogUpdate, extra?: CreateOrderExtra): Promise<CreateOrderResult>;
  /** What a user wrote through sync from the hour `sinceHour` on. */
  usageSince(userId: string, sinceHour: number): Promise<Usage>;
  /**
   * Fold the log into the snapshot. `merge` gets the snapshot and the entries
   * read; exactly those entries are deleted, in the same transaction, so a
   * concurrent append (by this or another instance) is never lost. With
   * `worthIt`, nothing is read or written unless it says yes to the sizes
   * (with PostgreSQL, sizes this instance may only know to within a minute of
   * other instances' appends: `LogSizes`). Returns how many entries were folded. `merge` may be asynchronous (a
   * worker thread): the SQLite store reads, awaits it, and writes only if every
   * entry it read is still there (a fold that raced it already folded them).
   * A `live` fold reads only the entries' sequence numbers (`Fold`).
   */
  compactDoc(name: string, merge: Fold, worthIt?: (stats: LogStats) => boolean): Promise<number>;
  /**
   * Claim Yjs client ids in a document for a user: the first user to write
   * structs under a client id owns it there. Returns the owner of each id
   * asked about (the user, or whoever claimed it first).
   */
  claimClients(doc: string, clientIds: readonly number[], userId: string): Promise<Map<number, string>>;
  /** Names of documents with a snapshot or log entries. */
  listDocs(prefix: string): Promise<string[]>;
  /**
   * The server's key `name`, shared by every instance on this store and kept
   * in its backups: `fresh` is stored the first time, and whoever stored first
   * wins a race.
   */
  serverKey(name: string, fresh: Uint8Array): Promise<Uint8Array>;
  /**
   * The current generation of each live index doc named by its base name (`street:<id>`; docs/SERVER.md, "Index
   * docs in generations"): 0 for one never rolled over. Every name asked is in the answer.
   */
  indexGenerations(bases: readonly string[]): Promise<Map<string, number>>;
  /**
   * Compare-and-set of a live index doc's generation: records `from + 1` if `from` is its generation now and
   * answers true; false (nothing written) if another instance moved it first. Of two instances rolling the same
   * doc over, exactly one wins.
   */
  advanceIndexGeneration(base: string, from: number): Promise<boolean>;
  /** Every live index doc that has been rolled over, by base name, with its current generation (1 or more). */
  listIndexGenerations(): Promise<Map<string, number>>;
  /**
   * Delete these documents — each one's log, snapshot and client claims — in one transaction; a name with nothing
   * stored is passed over. For superseded index generations (`pruneSupersededGenerations`), which take no writes:
   * a doc still written to would come back with the entries written after this.
   */
  deleteDocs(names: readonly string[]): Promise<DeletedDocs>;

  upsertUnits(units: readonly Unit[]): Promise<void>;
  listUnits(): Promise<Unit[]>;
  /** Set (replace) a unit's 常用语. */
  setUnitPhrases(row: UnitPhrasesRow): Promise<void>;
  /** Every unit's 常用语 that were set, by unit id. */
  listUnitPhrases(): Promise<UnitPhrasesRow[]>;
  /**
   * Insert or update users. A user who is disabled, or whose password, role
   * or unit changes, loses every session in the same transaction: what a
   * session carries (and may do) was decided under the old account.
   */
  upsertUsers(users: readonly StoredUser[]): Promise<void>;
  /** Set a user's password hash and delete their sessions but `keepTokenHash`, in one transaction. False when there is no such user. */
  setUserPassword(userId: string, passwordHash: string, keepTokenHash: string | null): Promise<boolean>;
  /** Disable or enable a user; disabling deletes their sessions in the same transaction. False when there is no such user. */
  setUserDisabled(userId: string, disabled: boolean): Promise<boolean>;
  getUser(id: string): Promise<StoredUser | null>;
  /** Every user, by id. */
  listUsers(): Promise<StoredUser[]>;
  countUsers(): Promise<number>;

  createSession(row: SessionRow): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRow | null>;
  extendSession(tokenHash: string, expiresAt: number): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;
  /** The sessions among `tokenHashes` that still exist, with their user's `disabled` flag; one round trip per 500. */
  checkSessions(tokenHashes: readonly string[]): Promise<SessionCheck[]>;

  getOrder(id: string): Promise<OrderRow | null>;
  /** The rows of those of `ids` that exist, by id, in one statement (authorising a bulk read's 500 order docs). */
  getOrders(ids: readonly string[]): Promise<Map<string, OrderRow>>;
  getOrderByNo(orderNo: string): Promise<OrderRow | null>;
  /**
   * Update the derived columns of an order (status, target, assignee, participants, index docs), in one
   * conditional write: unless the stored row was derived from more events (`eventCount`), as another
   * instance's indexer run may have written meanwhile. False when it was not written for that reason.
   */
  saveOrder(row: OrderRow): Promise<boolean>;
  countOrders(): Promise<number>;

  addPhotoRefs(orderId: string, refs: readonly PhotoRef[]): Promise<void>;
  /** Orders the photo was attached to by someone who uploaded it: naming a hash one did not upload shows nothing. */
  ordersForPhoto(sha256: string): Promise<string[]>;
  /**
   * Record a stored photo and this upload of it in one transaction (one commit on the upload's path);
   * false when the photo was already recorded.
   */
  putPhoto(row: PhotoRow, upload: PhotoUpload): Promise<boolean>;
  /** Record that a user uploaded a photo (the first upload per user and photo counts). */
  recordUpload(upload: PhotoUpload): Promise<void>;
  isPhotoUploader(sha256: string, userId: string): Promise<boolean>;
  /**
   * Bytes a user added to the photo store since `since`, and when the oldest of those uploads was; photos named
   * in `excluding` are left out (the photo route counts those itself while they are being stored).
   */
  photoBytesSince(userId: string, since: number, excluding?: readonly string[]): Promise<{ readonly bytes: number; readonly oldestAt: number | null }>;
  getPhoto(sha256: string): Promise<PhotoRow | null>;
  countPhotos(): Promise<number>;

  /**
   * Store entries as new versions, in one transaction: each changed entry gets
   * version = its stored version + 1 (1 when new) and the next global seq; an
   * entry equal to the stored one but for its version is left alone. Every
   * version is kept (knowledge_versions); knowledge_entries holds the current one,
   * with its search terms (`termsOf(stored version)`, computed once here: shared/knowledge/terms.ts
   * `stampedTerms`) when given; `knowledgeChanges` answers them as stored (null without).
   */
  putKnowledge(entries: readonly KnowledgeEntry[], termsOf?: (entry: KnowledgeEntry) => string | null): Promise<KnowledgePut>;
  getKnowledge(id: string): Promise<KnowledgeEntry | null>;
  /** Entries whose last change has a seq above `since`, by seq, at most `limit`; read consistently with `head`. */
  knowledgeChanges(since: number, limit: number): Promise<KnowledgeChanges>;
  knowledgeSynonyms(): Promise<string[][]>;
  setKnowledgeSynonyms(groups: readonly (readonly string[])[]): Promise<void>;
  countKnowledge(): Promise<number>;

  /** Cheap round trip for /healthz. */
  ping(): Promise<void>;
  /** A real (one-row) durable write, for /healthz: does the store take writes now? */
  probeWrite(): Promise<void>;
  close(): Promise<void>;
}
