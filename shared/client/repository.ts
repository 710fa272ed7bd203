/**
 * Orders on this device: open one (its Y.Doc, with the journal replayed),
 * derive its view, and act on it — the one path by which a user's action
 * becomes an event.
 *
 * An action: `stampEvent` → **await the journal write** (Dexie, one
 * transaction with the new clock state) → append to the Y.Doc → re-derive and
 * re-project the inbox row. Only after the journal write may a UI say the
 * action is saved; y-indexeddb never says when its copy reached disk.
 * Actions are serialised, so two quick taps never stamp from the same clock.
 */
import type * as Y from 'yjs';
import type { RandomBytes } from '../clock/ids.ts';
import { getSessionValue, type PhotoRow } from '../local/db.ts';
import { recordEvent, recordIntake } from '../local/journal.ts';
import { storePhoto } from '../local/photos.ts';
import { projectOrder } from '../local/projection.ts';
import type { EventDraft, OrderEvent, PhotoKind, PhotoStage } from '../order/events.ts';
import type { OrderIntake } from '../order/intake.ts';
import { fieldReportPrefix, nextFieldReportNo } from '../order/field-report-no.ts';
import { deriveOrder, type OrderView } from '../order/reducer.ts';
import { stampEvent } from '../order/stamp.ts';
import type { Location } from '../order/values.ts';
import type { User } from '../org/roles.ts';
import { appendEvents, eventStamps, initOrderDoc, observeOrder, readEvents, readIntake, receivedAtOf } from '../sync/order-doc.ts';
import { formatErrors, type FieldError } from '../validation/result.ts';
import { LOCAL_ORIGIN, SEED_ORIGIN, type OrderDocs } from './order-docs.ts';
import { OrderRows, type OrderRowsOptions } from './rows.ts';

export type { InboxCounts, InboxRow } from './rows.ts';

/** What a screen shows of an order: its intake and the view derived from its events. */
export interface OrderSnapshot {
  readonly intake: OrderIntake;
  readonly view: OrderView;
  /** Entries of the doc's event array that are not valid events (shown as a warning, never dropped). */
  readonly malformed: number;
}

export interface OpenOrder {
  readonly orderId: string;
  readonly doc: Y.Doc;
  /** The latest snapshot; null while the doc has no intake (not on the device yet). */
  current(): OrderSnapshot | null;
  /** Called after every change to the order, local or synced. */
  subscribe(listener: (snapshot: OrderSnapshot | null) => void): () => void;
  release(): void;
}

/** A photo processed on the device (oriented, watermarked, hashed), before it is stored. */
export interface NewPhoto {
  readonly sha256: string;
  readonly blob: Blob;
  readonly thumb: Blob;
  readonly mime: PhotoRow['mime'];
  readonly size: number;
  readonly width: number;
  readonly height: number;
}

/** An order's content from elsewhere than sync (the demo set), written into an empty doc on open. */
export interface SeedOrder {
  readonly intake: OrderIntake;
  readonly events: readonly OrderEvent[];
}

/**
 * The action was not recorded: nobody is signed in (`signed_out`), the device has no clock yet (`no_clock`: sign in
 * again), or the event it would make is invalid (`invalid`: the errors say which field). The pages word the code.
 */
export class ActionRefused extends Error {
  constructor(
    readonly errors: readonly FieldError[],
    readonly code: 'invalid' | 'signed_out' | 'no_clock' = 'invalid',
  ) {
    super(formatErrors(errors));
    this.name = 'ActionRefused';
  }
}

const signedOut = () => new ActionRefused([{ field: '', message: 'not signed in' }], 'signed_out');
const noClock = () => new ActionRefused([{ field: '', message: 'this device has no clock yet: sign in again' }], 'no_clock');

export interface RepositoryOptions extends OrderRowsOptions {
  readonly docs: OrderDocs;
  /** The signed-in user, or null: actions need one. */
  readonly user: () => User | null;
  readonly random: RandomBytes;
  /** Demo mode: an order's content when its doc is empty on open. */
  readonly seed?: (orderId: string) => SeedOrder | null;
}

/** The rows' reads (`OrderRows`), and what needs an order's Y.Doc: opening, acting, field reports, photos. */
export class OrderRepository extends OrderRows {
  /** Actions run one after another: each stamps after the previous one's clock. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(protected override readonly options: RepositoryOptions) {
    super(options);
  }

  async openOrder(orderId: string): Promise<OpenOrder> {
    const handle = await this.options.docs.acquire(orderId);
    const { doc } = handle;
    const seeded = readIntake(doc) === null ? this.options.seed?.(orderId) : null;
    if (seeded) {
      doc.transact(() => {
        initOrderDoc(doc, seeded.intake);
        appendEvents(doc, seeded.events);
      }, SEED_ORIGIN);
    }
    let snapshot = this.snapshotOf(doc);
    const listeners = new Set<(snapshot: OrderSnapshot | null) => void>();
    const stopObserving = observeOrder(doc, (origin) => {
      snapshot = this.snapshotOf(doc);
      // Synced changes reach the inbox row too; local actions project themselves (awaited in `act`).
      if (snapshot && origin !== LOCAL_ORIGIN) void projectOrder(this.options.db, snapshot.intake, snapshot.view, this.now());
      for (const listener of [...listeners]) listener(snapshot);
    });
    // The row is brought in line with the doc (a summary synced from an index doc lacks what only the doc holds),
    // but the screen does not wait for that write: an order opens as soon as its doc is read (bench case 8).
    // IndexedDB runs the write before any transaction on the rows begun after it; a failure leaves the row as the
    // index gave it until the next change projects it again.
    if (snapshot) projectOrder(this.options.db, snapshot.intake, snapshot.view, this.now()).catch(() => undefined);
    let released = false;
    return {
      orderId,
      doc,
      current: () => snapshot,
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      release: () => {
        if (released) return;
        released = true;
        stopObserving();
        listeners.clear();
        handle.release();
      },
    };
  }

  /**
   * Record an action. Resolves once the event is durably in the journal and in
   * the doc; rejects with `ActionRefused` when the event would be invalid, and
   * with the storage error (e.g. QuotaExceededError) when it could not be saved.
   */
  act(order: OpenOrder, draft: EventDraft): Promise<OrderEvent> {
    const run = this.queue.then(() => this.actNow(order, draft));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Store a photo (queued for upload in the same transaction), then record it on the order. */
  async addPhoto(
    order: OpenOrder,
    photo: NewPhoto,
    meta: { readonly kind: PhotoKind; readonly stage?: PhotoStage; readonly takenAt: number; readonly location: Location },
  ): Promise<OrderEvent> {
    await this.storePhoto(order.orderId, photo, meta.takenAt);
    return this.act(order, {
      type: 'photo_added',
      payload: { sha256: photo.sha256, kind: meta.kind, mime: photo.mime, size: photo.size, width: photo.width, height: photo.height, takenAt: meta.takenAt, location: meta.location, ...(meta.stage ? { stage: meta.stage } : {}) },
    });
  }

  /** Store a photo for an order that may not exist yet (a field report being written). */
  async storePhoto(orderId: string, photo: NewPhoto, takenAt = this.now()): Promise<void> {
    const now = this.now();
    await storePhoto(this.options.db, { ...photo, orderId, takenAt, createdAt: now }, now);
  }

  /**
   * A new order made on this device (事件上报): journalled, then written to its
   * own doc and projected. `first`: events the reporter writes with it (the
   * close of a 自行处置 report), journalled before the doc opens so that the
   * doc's first sync carries them with the intake — an event written into a
   * doc whose creation is still on its way would reach the server before it.
   */
  async createFieldReport(intake: OrderIntake, first: readonly EventDraft[] = []): Promise<void> {
    const now = this.now();
    await recordIntake(this.options.db, intake, now);
    if (first.length > 0) {
      const run = this.queue.then(() => this.journalFirst(intake.id, first, now));
      this.queue = run.catch(() => undefined);
      await run;
    }
    // Opening replays the journal, which writes the intake into the doc.
    const order = await this.openOrder(intake.id);
    try {
      const snapshot = order.current();
      if (snapshot) await projectOrder(this.options.db, snapshot.intake, snapshot.view, now);
    } finally {
      order.release();
    }
  }

  /**
   * The readable number for a new field report placed in `unitId`
   * (`shared/order/field-report-no.ts`): tagged with this device's clock node,
   * counted after the reports this device already made.
   */
  async nextFieldReportNo(unitId: string): Promise<string> {
    const { db } = this.options;
    const clock = await getSessionValue(db, 'hlc');
    if (!clock) throw noClock();
    const now = this.now();
    const prefix = fieldReportPrefix(unitId, now, clock.node);
    const [intakes, orders] = await Promise.all([db.intakes.toArray(), db.orders.where('orderNo').startsWith(prefix).toArray()]);
    return nextFieldReportNo(unitId, now, clock.node, [...intakes.map((row) => row.intake.orderNo), ...orders.map((row) => row.orderNo)]);
  }




  private async journalFirst(orderId: string, drafts: readonly EventDraft[], now: number): Promise<void> {
    const user = this.options.user();
    if (!user) throw signedOut();
    const { db } = this.options;
    const seen: string[] = [];
    for (const draft of drafts) {
      const clock = await getSessionValue(db, 'hlc');
      if (!clock) throw noClock();
      const stamped = stampEvent(draft, { user, now, hlc: clock, seen, random: this.options.random });
      if (!stamped.ok) throw new ActionRefused(stamped.errors);
      await recordEvent(db, orderId, stamped.value, { now, clock: stamped.hlc });
      seen.push(stamped.value.hlc);
    }
  }

  private async actNow(order: OpenOrder, draft: EventDraft): Promise<OrderEvent> {
    const user = this.options.user();
    if (!user) throw signedOut();
    const { db } = this.options;
    // Read every time (one small get): the stored clock also carries the latest server offset.
    const clock = await getSessionValue(db, 'hlc');
    if (!clock) throw noClock();
    const now = this.now();
    const stamped = stampEvent(draft, { user, now, hlc: clock, seen: eventStamps(order.doc), random: this.options.random });
    if (!stamped.ok) throw new ActionRefused(stamped.errors);
    await recordEvent(db, order.orderId, stamped.value, { now, clock: stamped.hlc });
    appendEvents(order.doc, [stamped.value], LOCAL_ORIGIN);
    const snapshot = order.current();
    if (snapshot) await projectOrder(db, snapshot.intake, snapshot.view, now);
    return stamped.value;
  }

  private snapshotOf(doc: Y.Doc): OrderSnapshot | null {
    const intake = readIntake(doc);
    if (!intake?.ok) return null;
    const { events, malformed } = readEvents(doc);
    // With the server's receipts, as the server's index derives it: deadlines count from when the server had each event.
    return { intake: intake.value, view: deriveOrder(intake.value, events, this.now(), { receivedAt: receivedAtOf(doc) }), malformed: malformed.length };
  }
}
