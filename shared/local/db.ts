/**
 * The device's one IndexedDB database (Dexie), shared by the PWA and the
 * extension. It holds what lists, search and durability need; the orders
 * themselves live in their Y.Docs (y-indexeddb, one database per order),
 * except those downloaded in bulk and not opened yet: their states wait
 * here as the server sent them (`docSeedPacks`, doc-seeds.ts).
 *
 * Schema changes: add `version(n + 1)` with the whole new schema; when rows
 * must change, give it an `upgrade` and keep it declared for good. A version
 * without an upgrade is dropped when the next one is added (Dexie diffs the
 * schema a device has); a version with one is never edited.
 */
import Dexie, { type Table } from 'dexie';
import type { HlcState } from '../clock/hlc.ts';
import type { OrderEvent } from '../order/events.ts';
import type { OrderIntake } from '../order/intake.ts';
import type { OrderSummary } from '../order/summary.ts';
import type { OrgDirectory } from '../org/names.ts';
import type { AppNotification } from '../notify/notifications.ts';
import type { User } from '../org/roles.ts';
import { DB_NAME, INBOX_INDEX, ORDERS_STORE, SESSION_STORE } from './first-read.ts';
import type { FirstFrame } from './first-frame.ts';
import type { KnowledgeRow, KnowledgeGoneRow, KnowledgeMetaRow, KnowledgePackRow, KnowledgeTermsRow } from './knowledge.ts';

/** Tables whose schema has not changed since the version that added them: 1 (the rest of 1's), 2 (notifications), 3 and 4 (the knowledge base). */
const STORES_SINCE_1 = {
  photos: 'sha256, orderId',
  uploads: 'sha256, orderId, state, nextAttemptAt',
  journal: 'id, orderId, durableAt, unsynced',
  intakes: 'orderId, durableAt, unsynced',
  [SESSION_STORE]: 'key',
  notifications: 'id, orderId, at, unread',
} as const;
const STORES_SINCE_4 = { knowledge: 'id, seq, pack', knowledgeGone: 'id, seq', knowledgeMeta: 'key', knowledgePacks: 'key', knowledgeTerms: 'key, seq' } as const;

/** One row per order: its summary plus what search needs. No Y.Doc is opened to draw a list. */
export interface OrderRow extends OrderSummary {
  /**
   * Character bigrams of number, title, address and category (and the
   * citizen's words while the order doc is on the device), multiEntry-indexed.
   * See projection.ts for why bigrams and what they cost.
   */
  readonly terms: readonly string[];
  /** Normalised runs of the same texts: a bigram hit is confirmed as a substring here. */
  readonly searchText: string;
  /**
   * Normalised runs of the citizen's words (phones masked), known only once
   * the order doc has been on the device; kept when a later summary from an
   * index doc, which never carries them, updates the row.
   */
  readonly contentText: string | null;
  /** Device time the row last changed. */
  readonly updatedAt: number;
}

/** A photo taken on this device, stored before the UI says it is taken. */
export interface PhotoRow {
  readonly sha256: string;
  readonly orderId: string;
  readonly blob: Blob;
  readonly thumb: Blob;
  readonly mime: 'image/jpeg' | 'image/png' | 'image/webp';
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly takenAt: number;
  readonly createdAt: number;
}

export type UploadState = 'queued' | 'uploading' | 'failed' | 'done';

/** The photo upload queue: one photo at a time, done only when the server confirmed its hash. */
export interface UploadRow {
  readonly sha256: string;
  readonly orderId: string;
  readonly state: UploadState;
  readonly attempts: number;
  /** Device time before which it is not retried. */
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  /**
   * The server refused the photo for good (too large, not an image, hash
   * mismatch): it is not retried, stays 'failed' (so unsynced and exportable)
   * and the user is told why. Absent on rows written before this field existed.
   */
  readonly rejection?: UploadRejection | null;
}

export interface UploadRejection {
  /** HTTP status of the refusal. */
  readonly status: number;
  /** The server's error code (`too_large`, `not_an_image`, `hash_mismatch`, …). */
  readonly code: string;
  /** The server's own words. */
  readonly reason: string;
  readonly at: number;
}

/**
 * The write-ahead journal of events written on this device. An action counts
 * as saved once its row is committed here; y-indexeddb never says when its
 * copy reached disk (its issue #28), so the journal is replayed into the
 * order's Y.Doc on open.
 */
export interface JournalRow {
  /** The event id. */
  readonly id: string;
  readonly orderId: string;
  readonly event: OrderEvent;
  readonly createdAt: number;
  /** When the server confirmed it stored the event durably; null until then. */
  readonly durableAt: number | null;
  /**
   * 1 while durableAt is null, absent after. IndexedDB does not index null,
   * so "unsynced" needs a key of its own; it is a sparse index that holds
   * exactly the unsynced rows.
   */
  readonly unsynced?: 1;
  /**
   * The server's guard refused the update that carried this event: sending it
   * again will not help. It stays unsynced (sign-out refused, in the export)
   * until the user discards it. Not indexed (the unsynced rows are few), so
   * rows written before this field existed need no upgrade.
   */
  readonly refusal?: EventRefusal | null;
}

/** Why the server refused an order's update (its stateless `refused` message, docs/SERVER.md "The guard"). */
export interface EventRefusal {
  /** The guard's code (`wrong_actor`, `forbidden_type`, …). */
  readonly code: string;
  /** The server's own words: data, shown as text. */
  readonly reason: string;
  readonly field: string | null;
  /** Device time the refusal arrived. */
  readonly at: number;
}

/** The intake of an order created on this device (a field report), journalled like an event. */
export interface IntakeRow {
  readonly orderId: string;
  readonly intake: OrderIntake;
  readonly createdAt: number;
  readonly durableAt: number | null;
  /** As in JournalRow. */
  readonly unsynced?: 1;
  /** As in JournalRow. */
  readonly refusal?: EventRefusal | null;
}

/**
 * A notification recorded on this device (shared/notify/notifications.ts),
 * keyed by its event's id, with its read state, which stays on the device.
 */
export interface NotificationRow extends AppNotification {
  /** Device time it was recorded. */
  readonly receivedAt: number;
  /** Device time it was read (opened, or all marked read); null while unread. */
  readonly readAt: number | null;
  /** 1 while unread, absent after: a sparse index of exactly the unread rows (as JournalRow's `unsynced`). */
  readonly unread?: 1;
}

/**
 * An order doc's state as the bulk read sent it (`POST /api/docs`), stored as
 * it arrived, not decoded: the first sync of a device is a download
 * (doc-seeds.ts). Absorbed into the doc's own store when the order is opened.
 */
export interface DocSeedRow {
  /** The doc's name (`order:<id>`). */
  readonly name: string;
  /** Yjs update (v1), opaque until the doc is opened. */
  readonly update: Uint8Array;
  /** Device time it was stored. */
  readonly at: number;
}

/**
 * The order docs' states one bulk download stored, as sent (doc-seeds.ts): one record for all of them, not one per
 * doc (500 records cost ≈ 10× one of the same bytes to commit: bench/README.md, "First sync, part 20"). Which of
 * them are still waiting is in the pack's `DocSeedNamesRow`, under the same id.
 */
export interface DocSeedPackRow {
  readonly id?: number;
  /** Yjs updates (v1), in the order of the names row's `names`; opaque until their doc is opened. */
  readonly updates: readonly Uint8Array[];
  /** Device time it was stored. */
  readonly at: number;
}

/** The doc names of a `DocSeedPackRow`, by position; null where that seed was absorbed or dropped. */
export interface DocSeedNamesRow {
  readonly id: number;
  readonly names: readonly (string | null)[];
}

/** What the session table holds, by key. */
export interface SessionValues {
  readonly user: User;
  readonly token: string;
  readonly tokenExpiresAt: number;
  readonly hlc: HlcState;
  /** server clock − device clock, as last measured. */
  readonly serverOffsetMs: number;
  /** The user's place in the organisation as the server reported it (field reports name it); ids above the unit's level are null. */
  readonly place: {
    readonly districtId: string | null;
    readonly streetId: string | null;
    readonly communityId: string | null;
    readonly gridId: string | null;
  };
  /** The user's branch of the organisation and its people, as last fetched (`GET /api/org`): names offline. */
  readonly org: OrgDirectory;
  /** Orders whose docs were fetched in bulk once, so they are not fetched again (the user's own: cleared with the session). */
  readonly prefetched: readonly string[];
  /** Events written before this are not notified: set when the user's data first arrives on this device. */
  readonly notifySince: number;
  /**
   * The months of archive index docs (`…:archive:YYYY-MM`) this device keeps, opened on demand
   * (history, 数据分析) and at every start after, with the device time each was last received in full (null: not yet).
   */
  readonly archives: Readonly<Record<string, number | null>>;
  /**
   * Live index docs this device followed to a later generation (docs/SERVER.md, "Index docs in generations"): base
   * name (`street:<id>`) → the generation it opens (`street:<id>:gen:<n>`). A base not listed is opened as it is.
   */
  readonly indexGenerations: Readonly<Record<string, string>>;
  /** The inbox's last frame, drawn again at the next start before the app's code has run (first-frame.ts). */
  readonly firstFrame: FirstFrame;
}
export type SessionKey = keyof SessionValues;
export type SessionRow = { [K in SessionKey]: { readonly key: K; readonly value: SessionValues[K] } }[SessionKey];

export interface LianxinDbOptions {
  /**
   * Chromium's default durability is 'relaxed' (since Chrome 121): a commit is
   * reported before the data is flushed to disk. The journal's whole point is
   * that "saved" means on disk, so the default here is 'strict'. Writes are
   * few and batched (a user action, a sync batch), so the flush is cheap.
   */
  readonly durability?: 'strict' | 'relaxed' | 'default';
  /**
   * Whether order rows carry their search terms (`OrderRow.terms`, the `*terms` index; default true).
   * The extension searches through that index (`searchOrders`); the PWA filters a tab's rows in memory by
   * `searchText` and reads no term, so it writes none: a third of a first sync's commit of the rows
   * (bench/README.md, "First sync, part 6"). `searchOrders` scans where the rows carry none.
   */
  readonly searchIndex?: boolean;
}

export class LianxinDb extends Dexie {
  orders!: Table<OrderRow, string>;
  photos!: Table<PhotoRow, string>;
  uploads!: Table<UploadRow, string>;
  journal!: Table<JournalRow, string>;
  intakes!: Table<IntakeRow, string>;
  session!: Table<SessionRow, SessionKey>;
  notifications!: Table<NotificationRow, string>;
  knowledge!: Table<KnowledgeRow, string>;
  knowledgePacks!: Table<KnowledgePackRow, string>;
  knowledgeTerms!: Table<KnowledgeTermsRow, string>;
  knowledgeGone!: Table<KnowledgeGoneRow, string>;
  knowledgeMeta!: Table<KnowledgeMetaRow, KnowledgeMetaRow['key']>;
  /** Seeds stored one per record (versions 5–6 of the app); read and dropped as the packs' are. */
  docSeeds!: Table<DocSeedRow, string>;
  docSeedPacks!: Table<DocSeedPackRow, number>;
  docSeedNames!: Table<DocSeedNamesRow, number>;
  /** `LianxinDbOptions.searchIndex`. */
  readonly searchIndex: boolean;

  constructor(name = DB_NAME, options: LianxinDbOptions = {}) {
    super(name, { chromeTransactionDurability: options.durability ?? 'strict' });
    this.searchIndex = options.searchIndex ?? true;
    // Only the versions with an `upgrade` are declared, each with the whole schema of its time, and the latest:
    // Dexie (3 and later) compares the schema a device has with the declared ones and runs the upgrades it has not
    // seen. Six declarations cost ≈ 12 ms of a cold start's data-layer task in Chromium, two ≈ 6 ms
    // (bench/README.md, "Cold start, part 9"); tests/shared/local/db.test.ts opens a database of every shipped version.
    //
    // 4: the knowledge base's entries stored compactly (their text gzipped in packs, the server's search terms until
    // the saved index holds them). Version 3's rows held whole entries: dropped, and pulled again from 0.
    this.version(4)
      .stores({
        [ORDERS_STORE]: `id, &orderNo, status, ${INBOX_INDEX}, [tab+closedAt], deadline, receivedAt, updatedAt, *terms`,
        ...STORES_SINCE_1,
        ...STORES_SINCE_4,
      })
      .upgrade((tx) => Promise.all([tx.table('knowledge').clear(), tx.table('knowledgeGone').clear(), tx.table('knowledgeMeta').clear()]));
    // 5: order docs downloaded in bulk, stored as sent until opened (doc-seeds.ts; issue 18, first sync).
    // 6: the orders' `deadline` and `updatedAt` indexes dropped: no query reads them, and each is an entry per row
    // written (bench/README.md, "First sync, part 6"). The rows are untouched; every field stays.
    // 7: a bulk download's doc states stored as one pack (`docSeedPacks`, `docSeedNames`), not a record per doc.
    this.version(7).stores({
      // [tab+deadline] draws the open tabs; [tab+closedAt] pages the done tab,
      // newest first (rows with no closedAt are simply absent from it).
      // (The first read's names, first-read.ts: the strings as shipped.)
      [ORDERS_STORE]: `id, &orderNo, status, ${INBOX_INDEX}, [tab+closedAt], receivedAt, *terms`,
      ...STORES_SINCE_1,
      ...STORES_SINCE_4,
      docSeeds: 'name',
      docSeedPacks: '++id',
      docSeedNames: 'id',
    });
  }
}

export async function getSessionValue<K extends SessionKey>(db: LianxinDb, key: K): Promise<SessionValues[K] | undefined> {
  const row = await db.session.get(key);
  // The key is the primary key, so the row's value is the one stored under K.
  return row?.value as SessionValues[K] | undefined;
}

export async function setSessionValue<K extends SessionKey>(db: LianxinDb, key: K, value: SessionValues[K]): Promise<void> {
  await db.session.put({ key, value } as SessionRow);
}
