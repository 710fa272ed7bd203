/**
 * The Yjs binding of an order: the only module that knows how an order is laid
 * out inside its Y.Doc. An `intake` map holds the intake, written once; an
 * append-only `events` array holds plain immutable JSON events. Append-only
 * arrays of immutable values keep Yjs documents compact: no overwritten keys,
 * no tombstones of edits. A `received` map, written by the server, holds the
 * server's receive time of each event it accepted: event id → `<ms>.<signature>`
 * (see `receiptValue`). A client sends receipts back only as the server wrote
 * them — after a server restore — and the guard checks their signatures.
 */
import * as Y from 'yjs';
import { decodeHlc } from '../clock/hlc.ts';
import { cryptoRandomBytes } from '../clock/ids.ts';
import { OrderIntakeSchema, type OrderIntake } from '../order/intake.ts';
import { validateOrderEvent, type OrderEvent } from '../order/events.ts';
import { foldEvent, orderEvents, sortsAfterFold, startFold, viewOfFold, type OrderFold, type OrderView } from '../order/reducer.ts';
import { validate, type FieldError, type Validated } from '../validation/result.ts';
import { newMapKeysUpdate } from './map-keys-update.ts';
import { inspectUpdate as inspectWith, type DecodedUpdate, type OrderLayout, type UpdateInspection } from './inspect-update.ts';

const INTAKE = 'intake';
const INTAKE_KEY = 'data';
const EVENTS = 'events';
const RECEIVED = 'received';

type Json = Record<string, unknown>;

const intakeMap = (doc: Y.Doc) => doc.getMap<Json>(INTAKE);
const eventsArray = (doc: Y.Doc) => doc.getArray<Json>(EVENTS);

/** Write the intake of a new order. Refuses to overwrite a different one. */
export function initOrderDoc(doc: Y.Doc, intake: OrderIntake, origin?: unknown): void {
  const map = intakeMap(doc);
  const existing = map.get(INTAKE_KEY);
  if (existing !== undefined) {
    if (JSON.stringify(existing) !== JSON.stringify(intake)) throw new Error(`order ${intake.id} already has a different intake`);
    return;
  }
  doc.transact(() => map.set(INTAKE_KEY, toJson(intake)), origin);
}

/** `raw` validated by `check`, once per stored object (`cache` holds the results). */
function validateOnce<T>(cache: WeakMap<object, Validated<T>>, check: (raw: unknown) => Validated<T>, raw: unknown): Validated<T> {
  if (typeof raw !== 'object' || raw === null) return check(raw);
  let result = cache.get(raw);
  if (!result) {
    result = check(raw);
    cache.set(raw, result);
  }
  return result;
}

const validateIntake = (raw: unknown): Validated<OrderIntake> => validate(OrderIntakeSchema, raw);

/** Validation results by stored intake value (written once: an order read again validates it once). */
const validatedIntakes = new WeakMap<object, Validated<OrderIntake>>();

/** The intake, validated; null while the doc has not received it yet. */
export function readIntake(doc: Y.Doc): Validated<OrderIntake> | null {
  const raw = intakeMap(doc).get(INTAKE_KEY);
  if (raw === undefined) return null;
  return validateOnce(validatedIntakes, validateIntake, raw);
}

export interface MalformedEvent {
  readonly index: number;
  readonly errors: FieldError[];
}

/**
 * Validation results by stored value. A doc's values never change (events are
 * immutable and Yjs hands out the same objects each time), so an order read
 * again — the server's indexer after every change, a screen after every
 * update — validates only the events it has not seen.
 */
const validated = new WeakMap<object, Validated<OrderEvent>>();

function validateEvent(raw: unknown): Validated<OrderEvent> {
  return validateOnce(validated, validateOrderEvent, raw);
}

/**
 * Every event in the doc, validated. Malformed entries are reported, not
 * thrown. Reading is lenient: fields the schema no longer names (written
 * before it retired them) are left out of the value, never a reason to drop
 * the event; it is writing that must not carry them (the guard).
 */
export function readEvents(doc: Y.Doc): { events: OrderEvent[]; malformed: MalformedEvent[] } {
  const events: OrderEvent[] = [];
  const malformed: MalformedEvent[] = [];
  eventsArray(doc)
    .toArray()
    .forEach((raw, index) => {
      const result = validateEvent(raw);
      if (result.ok) events.push(result.value);
      else malformed.push({ index, errors: result.errors });
    });
  return { events, malformed };
}

/** How many entries the events array holds (O(1)). */
export function eventCount(doc: Y.Doc): number {
  return eventsArray(doc).length;
}

/** HLC stamps of the events in the doc, for stamping the next one after them. */
export function eventStamps(doc: Y.Doc): string[] {
  return eventsArray(doc)
    .toArray()
    .map((raw) => (typeof raw.hlc === 'string' ? raw.hlc : ''))
    .filter((s) => s !== '');
}

/** Who reported the order, as its stored intake says (unvalidated: for the guard, which only compares it). */
export function intakeReporter(doc: Y.Doc): string | undefined {
  const raw: unknown = intakeMap(doc).get(INTAKE_KEY);
  return typeof raw === 'object' && raw !== null && 'reportedBy' in raw && typeof raw.reportedBy === 'string' ? raw.reportedBy : undefined;
}

/** Whether the order has been created in this doc (its intake written). */
export function hasIntake(doc: Y.Doc): boolean {
  return intakeMap(doc).has(INTAKE_KEY);
}

/**
 * What the server's guard looks up for every update, kept up to date as the
 * doc changes (an observer adds what each transaction appends), so that a
 * check costs lookups, not a pass over the doc: the stored value of each
 * event id, and the stored HLC stamps in order.
 */
interface EventIndex {
  readonly byId: Map<string, unknown>;
  /** Sorted; duplicates kept. */
  readonly stamps: string[];
}

const indexes = new WeakMap<Y.Doc, EventIndex>();

function insertSorted(list: string[], value: string): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

function eventIndex(doc: Y.Doc): EventIndex {
  const existing = indexes.get(doc);
  if (existing) return existing;
  const index: EventIndex = { byId: new Map(), stamps: [] };
  const add = (raw: unknown, sorted: boolean) => {
    if (typeof raw !== 'object' || raw === null) return;
    const { id, hlc } = raw as { id?: unknown; hlc?: unknown };
    if (typeof id === 'string' && !index.byId.has(id)) index.byId.set(id, raw);
    if (typeof hlc === 'string' && decodeHlc(hlc) !== null) {
      if (sorted) insertSorted(index.stamps, hlc);
      else index.stamps.push(hlc);
    }
  };
  const array = eventsArray(doc);
  for (const raw of array.toArray()) add(raw, false);
  index.stamps.sort();
  array.observe((event) => {
    for (const item of event.changes.added) if (!item.deleted) for (const raw of item.content.getContent()) add(raw, true);
  });
  indexes.set(doc, index);
  return index;
}

/** The stored raw value of the event with this id (the first, if forged copies exist); undefined if none. */
export function storedEvent(doc: Y.Doc, id: string): unknown {
  return eventIndex(doc).byId.get(id);
}

/** The highest HLC stamp stored in the order whose time is at most `latest`; null if none. */
export function latestStampUpTo(doc: Y.Doc, latest: number): string | null {
  const { stamps } = eventIndex(doc);
  for (let i = stamps.length - 1; i >= 0; i--) {
    const stamp = stamps[i]!;
    if (decodeHlc(stamp)!.wall <= latest) return stamp;
  }
  return null;
}

export function hasEvent(doc: Y.Doc, eventId: string): boolean {
  return eventsArray(doc)
    .toArray()
    .some((raw) => raw.id === eventId);
}

/**
 * Append events that are not in the doc yet (by id), in one transaction.
 * Replaying a journal of local events is therefore safe to repeat.
 * Returns how many were appended.
 */
export function appendEvents(doc: Y.Doc, events: readonly OrderEvent[], origin?: unknown): number {
  const array = eventsArray(doc);
  const present = new Set(array.toArray().map((raw) => raw.id));
  const fresh = events.filter((event) => !present.has(event.id));
  if (fresh.length > 0) doc.transact(() => array.push(fresh.map(toJson)), origin);
  return fresh.length;
}

const receivedMap = (doc: Y.Doc) => doc.getMap<unknown>(RECEIVED);

/** A receipt as the server stores it: the receive time and the server's signature (server/sync/receipt-signer.ts). */
export function receiptValue(at: number, signature: string): string {
  return `${at}.${signature}`;
}

/** The time and signature of a stored receipt; a bare number is a receipt written before receipts were signed (no signature). Null for anything else. */
export function parseReceipt(value: unknown): { readonly at: number; readonly signature: string | null } | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? { at: value, signature: null } : null;
  if (typeof value !== 'string') return null;
  const match = /^([1-9]\d{0,15})\.([A-Za-z0-9_-]{1,64})$/.exec(value);
  if (!match) return null;
  const at = Number(match[1]);
  return Number.isSafeInteger(at) ? { at, signature: match[2]! } : null;
}

/**
 * The server's receive time of each event, as the server recorded it in the
 * doc; undefined for an event it has not received (yet), or received before
 * it recorded receipts. For `deriveOrder`'s `receivedAt`.
 */
export function receivedAtOf(doc: Y.Doc): (eventId: string) => number | undefined {
  const map = receivedMap(doc);
  return (eventId) => parseReceipt(map.get(eventId))?.at;
}

/** Whether the doc holds a receipt for `eventId`, readable or not. */
export function hasReceipt(doc: Y.Doc, eventId: string): boolean {
  return receivedMap(doc).has(eventId);
}

/**
 * The server's writer of receipts for one loaded doc. `record` returns the
 * update that adds the receive times, under a client id of its own that the
 * live doc has never seen — the live doc is not touched, so the server can
 * store the receipts with the client's update before either is applied. A new
 * key in a map names no other item, so the update applies to the live doc
 * whatever it holds. After a failed store write, `reset` starts again under a
 * new client id, so that the next update does not build on one that was never
 * stored. The update is encoded directly (`newMapKeysUpdate`), as a doc of
 * that client would encode it: a shadow Y.Doc and its transaction per update
 * cost ≈ 120 µs of server CPU (bench/README.md, "Fan-out, part 8").
 */
export class ReceiptWriter {
  private client = 0;
  /** The client's next clock: the receipts written under it so far. */
  private clock = 0;
  /** Event ids given a receipt under this client (each is set once). */
  private readonly written = new Set<string>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly drawClient: () => number = randomClientId,
  ) {
    this.reset();
  }

  record(entries: Iterable<readonly [eventId: string, receipt: string]>): Uint8Array | null {
    const live = receivedMap(this.doc);
    const sets: (readonly [string, string])[] = [];
    for (const [eventId, receipt] of entries) {
      if (live.has(eventId) || this.written.has(eventId)) continue;
      this.written.add(eventId);
      sets.push([eventId, receipt]);
    }
    if (sets.length === 0) return null;
    const update = newMapKeysUpdate(RECEIVED, this.client, this.clock, sets);
    this.clock += sets.length;
    return update;
  }

  reset(): void {
    this.written.clear();
    this.clock = 0;
    do {
      this.client = this.drawClient();
    } while (Y.getState(this.doc.store, this.client) !== 0);
  }
}

/** A Yjs client id as Y.Doc draws one: a random unsigned 32-bit integer. */
export function randomClientId(): number {
  const [a = 0, b = 0, c = 0, d = 0] = cryptoRandomBytes(4);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/**
 * The order's view, kept per doc between calls and brought up to date by
 * folding only the events added since (`OrderFold`, shared/order/reducer.ts):
 * what `deriveOrder(intake, readEvents(doc).events, now, { receivedAt:
 * receivedAtOf(doc) })` gives, without reading the whole order each time.
 * It folds from the start instead — and says so in `full` — on the first
 * call for a doc, and whenever folding on could differ from that: an added
 * event that sorts before one already folded (a CRDT delivers concurrent
 * writes in any order), an id seen before, an entry removed, another intake,
 * or a receipt that came for an event folded without one (its effective time
 * changes).
 */
export interface DerivedOrder {
  readonly intake: OrderIntake;
  readonly view: OrderView;
  readonly full: boolean;
}

interface KeptFold {
  readonly intakeRaw: unknown;
  readonly intake: OrderIntake;
  readonly fold: OrderFold;
  readonly ids: Set<string>;
  /** Events folded while the doc held no receipt for them. */
  readonly unreceived: Set<string>;
}

interface DocFolds {
  kept: KeptFold | null;
  /** Raw entries added to the events array since the last call, in the order the doc reported them. */
  added: unknown[];
  /** Something other than an append happened to the array: fold from the start. */
  removed: boolean;
}

const docFolds = new WeakMap<Y.Doc, DocFolds>();

function foldsOf(doc: Y.Doc): DocFolds {
  let folds = docFolds.get(doc);
  if (!folds) {
    const state: DocFolds = { kept: null, added: [], removed: false };
    eventsArray(doc).observe((event) => {
      if (state.kept === null) return;
      if (event.changes.deleted.size > 0) state.removed = true;
      for (const item of event.changes.added) if (!item.deleted) state.added.push(...(item.content.getContent() as unknown[]));
    });
    docFolds.set(doc, state);
    folds = state;
  }
  return folds;
}

export function deriveOrderDoc(doc: Y.Doc, now: number): DerivedOrder | null {
  const read = readIntake(doc);
  if (!read?.ok) return null;
  const intakeRaw = intakeMap(doc).get(INTAKE_KEY);
  const folds = foldsOf(doc);
  const received = receivedAtOf(doc);
  const kept = folds.kept;
  if (kept !== null && !folds.removed && kept.intakeRaw === intakeRaw && !receiptCame(kept, received)) {
    const fresh: OrderEvent[] = [];
    for (const raw of folds.added) {
      const result = validateEvent(raw);
      if (result.ok) fresh.push(result.value);
    }
    const ordered = orderEvents(fresh);
    if (ordered.length === fresh.length && ordered.every((event) => !kept.ids.has(event.id)) && (ordered.length === 0 || sortsAfterFold(kept.fold, ordered[0]!))) {
      folds.added = [];
      for (const event of ordered) foldKept(kept, event, received(event.id));
      return { intake: kept.intake, view: viewOfFold(kept.fold, now), full: false };
    }
  }
  const intake = read.value;
  const events = orderEvents(readEvents(doc).events);
  const next: KeptFold = { intakeRaw, intake, fold: startFold(intake), ids: new Set(), unreceived: new Set() };
  for (const event of events) foldKept(next, event, received(event.id));
  folds.kept = next;
  folds.added = [];
  folds.removed = false;
  return { intake, view: viewOfFold(next.fold, now), full: true };
}

function receiptCame(kept: KeptFold, received: (eventId: string) => number | undefined): boolean {
  for (const id of kept.unreceived) if (received(id) !== undefined) return true;
  return false;
}

function foldKept(kept: KeptFold, event: OrderEvent, received: number | undefined): void {
  foldEvent(kept.fold, event, received);
  kept.ids.add(event.id);
  if (received === undefined) kept.unreceived.add(event.id);
}

/** Call `listener` after every change to the order (and to its receipts); returns the unsubscribe. */
export function observeOrder(doc: Y.Doc, listener: (origin: unknown) => void): () => void {
  const onIntake = (event: Y.YMapEvent<Json>) => listener(event.transaction.origin);
  const onEvents = (event: Y.YArrayEvent<Json>) => listener(event.transaction.origin);
  const onReceipts = (event: Y.YMapEvent<unknown>) => listener(event.transaction.origin);
  intakeMap(doc).observe(onIntake);
  eventsArray(doc).observe(onEvents);
  receivedMap(doc).observe(onReceipts);
  return () => {
    intakeMap(doc).unobserve(onIntake);
    eventsArray(doc).unobserve(onEvents);
    receivedMap(doc).unobserve(onReceipts);
  };
}

export type { AddedEntry, DecodedUpdate, EntryRef, UpdateInspection } from './inspect-update.ts';

/** The layout, for code that reads updates rather than docs. */
export const ORDER_LAYOUT: OrderLayout = { intake: INTAKE, intakeKey: INTAKE_KEY, events: EVENTS, receipts: RECEIVED };

/**
 * What `update` would do to `doc`, for the server's guard, read from the
 * decoded update and the doc's struct store (O(update · log doc); the doc is
 * not touched). Throws on bytes that are not a Yjs update.
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array | DecodedUpdate): UpdateInspection {
  return inspectWith(doc, update, ORDER_LAYOUT);
}

/** What the copy path reports (see `inspectUpdateByCopy`). */
export interface CopyInspection {
  readonly intakeAfter: unknown;
  readonly intakeChanged: boolean;
  readonly removedEventIds: readonly string[];
  readonly added: readonly unknown[];
  readonly foreignTypes: readonly string[];
  readonly pending: boolean;
}

/**
 * Apply `update` to a copy of `doc` and report what it changes, matching
 * entries by their JSON. O(doc), so the server no longer runs it: it is the
 * oracle `inspectUpdate` is tested against (tests/shared/sync/inspect-update
 * .property.test.ts) and the baseline of `bench/update-cost.ts`.
 */
export function inspectUpdateByCopy(doc: Y.Doc, update: Uint8Array): CopyInspection {
  // A fixed guid: the copy never syncs, and a random one costs a crypto call per update.
  const copy = new Y.Doc({ gc: false, guid: 'inspect' });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const intakeBefore = intakeMap(copy).get(INTAKE_KEY);
  const before = eventsArray(copy).toArray().map((raw) => JSON.stringify(raw));

  const touched = new Set<string>();
  copy.on('afterTransaction', (tr: Y.Transaction) => {
    for (const type of tr.changed.keys()) touched.add(rootName(copy, type) ?? '(nested)');
  });
  Y.applyUpdate(copy, update);

  const intakeAfter = intakeMap(copy).get(INTAKE_KEY);
  const intakeChanged = intakeBefore !== undefined && JSON.stringify(intakeBefore) !== JSON.stringify(intakeAfter);

  // The array only grows in a valid update: match every entry that was there
  // before; what is left over was added, what is missing was removed.
  const unmatched = new Map<string, number>();
  for (const json of before) unmatched.set(json, (unmatched.get(json) ?? 0) + 1);
  const added: unknown[] = [];
  for (const raw of eventsArray(copy).toArray()) {
    const json = JSON.stringify(raw);
    const count = unmatched.get(json) ?? 0;
    if (count > 0) unmatched.set(json, count - 1);
    else added.push(raw);
  }
  const removedEventIds: string[] = [];
  for (const [json, count] of unmatched) {
    for (let i = 0; i < count; i++) removedEventIds.push(String((JSON.parse(json) as Json).id));
  }

  const foreignTypes = [...touched].filter((name) => name !== INTAKE && name !== EVENTS);
  if ([...intakeMap(copy).keys()].some((key) => key !== INTAKE_KEY)) foreignTypes.push(`${INTAKE}.*`);
  const pending = copy.store.pendingStructs !== null || copy.store.pendingDs !== null;
  copy.destroy();
  return { intakeAfter, intakeChanged, removedEventIds, added, foreignTypes, pending };
}

function rootName(doc: Y.Doc, type: unknown): string | null {
  for (const [name, root] of doc.share) if (root === type) return name;
  return null;
}

/** Yjs stores values by structure; strip undefined and class instances. */
function toJson<T>(value: T): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}
