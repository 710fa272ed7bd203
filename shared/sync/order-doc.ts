/**
 * The Yjs binding of an order: the only module that knows how an order is laid
 * out inside its Y.Doc. An `intake` map holds the intake, written once; an
 * append-only `events` array holds plain immutable JSON events. Append-only
 * arrays of immutable values keep Yjs documents compact: no overwritten keys,
 * no tombstones of edits.
 */
import * as Y from 'yjs';
import { OrderIntakeSchema, type OrderIntake } from '../order/intake.ts';
import { OrderEventSchema, type OrderEvent } from '../order/events.ts';
import { validate, type FieldError, type Validated } from '../validation/result.ts';
import { inspectUpdateFast, type OrderLayout, type UpdateInspection } from './inspect-update.ts';

const INTAKE = 'intake';
const INTAKE_KEY = 'data';
const EVENTS = 'events';

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

/** The intake, validated; null while the doc has not received it yet. */
export function readIntake(doc: Y.Doc): Validated<OrderIntake> | null {
  const raw = intakeMap(doc).get(INTAKE_KEY);
  return raw === undefined ? null : validate(OrderIntakeSchema, raw);
}

export interface MalformedEvent {
  readonly index: number;
  readonly errors: FieldError[];
}

/** Every event in the doc, validated. Malformed entries are reported, not thrown. */
export function readEvents(doc: Y.Doc): { events: OrderEvent[]; malformed: MalformedEvent[] } {
  const events: OrderEvent[] = [];
  const malformed: MalformedEvent[] = [];
  eventsArray(doc)
    .toArray()
    .forEach((raw, index) => {
      const result = validate(OrderEventSchema, raw);
      if (result.ok) events.push(result.value);
      else malformed.push({ index, errors: result.errors });
    });
  return { events, malformed };
}

/** HLC stamps of the events in the doc, for stamping the next one after them. */
export function eventStamps(doc: Y.Doc): string[] {
  return eventsArray(doc)
    .toArray()
    .map((raw) => (typeof raw.hlc === 'string' ? raw.hlc : ''))
    .filter((s) => s !== '');
}

/** Whether the order has been created in this doc (its intake written). */
export function hasIntake(doc: Y.Doc): boolean {
  return intakeMap(doc).has(INTAKE_KEY);
}

/**
 * The stored JSON text of the events with these ids, for telling an identical
 * replay from a different event reusing an id. Only matching events are
 * serialised: this runs for every update the server receives.
 */
export function storedEventJson(doc: Y.Doc, ids: ReadonlySet<string>): Map<string, string> {
  const found = new Map<string, string>();
  if (ids.size === 0) return found;
  for (const raw of eventsArray(doc).toArray()) {
    if (typeof raw.id === 'string' && ids.has(raw.id)) found.set(raw.id, JSON.stringify(raw));
  }
  return found;
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

/** Call `listener` after every change to the order; returns the unsubscribe. */
export function observeOrder(doc: Y.Doc, listener: (origin: unknown) => void): () => void {
  const onIntake = (event: Y.YMapEvent<Json>) => listener(event.transaction.origin);
  const onEvents = (event: Y.YArrayEvent<Json>) => listener(event.transaction.origin);
  intakeMap(doc).observe(onIntake);
  eventsArray(doc).observe(onEvents);
  return () => {
    intakeMap(doc).unobserve(onIntake);
    eventsArray(doc).unobserve(onEvents);
  };
}

export type { UpdateInspection } from './inspect-update.ts';

/** The layout, for code that reads updates rather than docs. */
export const ORDER_LAYOUT: OrderLayout = { intake: INTAKE, intakeKey: INTAKE_KEY, events: EVENTS };

/**
 * What `update` would do to `doc`, for the server's guard. Reads the decoded
 * update when it is a plain append (the common case, O(update)); anything
 * else is applied to a copy of the doc (O(doc)). Throws on bytes that are
 * not a Yjs update.
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateInspection {
  return inspectUpdateFast(doc, update, ORDER_LAYOUT) ?? inspectUpdateByCopy(doc, update);
}

/**
 * Apply `update` to a copy of `doc` and report what it changes. The original
 * doc is not touched, so a refused update leaves nothing behind. The slow
 * path of `inspectUpdate`, and the oracle its fast path is tested against.
 */
export function inspectUpdateByCopy(doc: Y.Doc, update: Uint8Array): UpdateInspection {
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
