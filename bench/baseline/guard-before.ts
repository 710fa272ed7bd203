/**
 * The baseline of bench/update-cost.ts: the server's per-update work on an
 * order doc as it was before the guard read updates without copying the doc
 * (commit 2fe0086) — the fast path for a plain append of one client, the copy
 * of the whole doc for anything else, the scan of every stored event for ids
 * the update reuses, and the indexer validating every event again. Kept only
 * to be measured against, in the same run.
 */
import * as Y from 'yjs';
import { OrderEventSchema, type OrderEvent } from '#shared/order/events.ts';
import { inspectUpdateByCopy, ORDER_LAYOUT, type CopyInspection } from '#shared/sync/order-doc.ts';
import { validate } from '#shared/validation/result.ts';

type UpdateInspection = CopyInspection;
interface OrderLayout {
  readonly intake: string;
  readonly intakeKey: string;
  readonly events: string;
}

type RootType = NonNullable<ReturnType<Y.Doc['share']['get']>>;

/** An existing, live item of the root type `parent` holding the position `id`; null if there is none. */
function liveItemAt(doc: Y.Doc, id: Y.ID, parent: RootType | undefined): Y.Item | null {
  if (parent === undefined || id.clock >= Y.getState(doc.store, id.client)) return null;
  const structs = doc.store.clients.get(id.client);
  if (structs === undefined) return null;
  const struct = structs[Y.findIndexSS(structs, id.clock)];
  if (!(struct instanceof Y.Item) || struct.deleted || struct.parent !== parent || struct.parentSub !== null) return null;
  return struct;
}

const sameId = (a: Y.ID | null, b: Y.ID | null): boolean => (a === null || b === null ? a === b : Y.compareIDs(a, b));

/** The value under `key` of a root map, as `YMap.get` reads it. */
function mapValue(type: RootType | undefined, key: string): unknown {
  const item = type?._map.get(key);
  return item === undefined || item.deleted ? undefined : item.content.getContent()[item.length - 1];
}

function stringifyAll(values: readonly unknown[]): Set<string> | null {
  try {
    return new Set(values.map((value) => JSON.stringify(value)));
  } catch {
    return null; // e.g. a bigint: the copy path throws the same way
  }
}

/**
 * True when an existing live entry from `start` on (the entries the new
 * events may land before) has the JSON of a new one. The copy path matches
 * such a pair the other way round and so lists `added` in another order.
 */
function duplicatesAfter(start: Y.Item | null, fresh: Set<string>): boolean {
  for (let item: Y.Item | null = start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    for (const value of item.content.getContent()) {
      let json: string;
      try {
        json = JSON.stringify(value);
      } catch {
        return true;
      }
      if (fresh.has(json)) return true;
    }
  }
  return false;
}

/** Inspect `update` against `doc` without applying it; null when only the copy path can tell. */
export function inspectUpdateFast(doc: Y.Doc, update: Uint8Array, layout: OrderLayout): UpdateInspection | null {
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return null;
  // The first varint counts client blocks. Two blocks of one client make the
  // copy path drop the first, which a flat list of structs cannot show.
  const blocks = update[0];
  if (blocks === undefined || blocks > 1) return null;
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return null;
  }
  if (decoded.ds.clients.size > 0) return null;

  const eventsType = doc.share.get(layout.events);
  const intakeType = doc.share.get(layout.intake);
  let intakeWritten = false;
  let intakeValue: unknown = undefined;
  const added: unknown[] = [];
  let previous: Y.Item | null = null; // the last new events item
  let firstRightOrigin: Y.ID | null = null;
  let scanFrom: Y.Item | null = null;
  const client = decoded.structs[0]?.id.client;
  let nextClock = client === undefined ? 0 : Y.getState(doc.store, client);

  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny) || struct.length === 0) return null;
    if (struct.id.client !== client || struct.id.clock !== nextClock) return null; // overlaps what the doc has, or leaves a gap
    nextClock += struct.length;
    const values = struct.content.getContent();

    if (typeof struct.parent === 'string') {
      // No origins: the first entry of a map key, or an insert at the start of a list.
      if (struct.parent === layout.intake && struct.parentSub === layout.intakeKey) {
        if (intakeWritten || struct.length !== 1 || (intakeType !== undefined && intakeType._map.size > 0)) return null;
        intakeWritten = true;
        intakeValue = values[0];
        continue;
      }
      if (struct.parent !== layout.events || struct.parentSub !== null || previous !== null) return null;
      scanFrom = eventsType?._start ?? null;
    } else if (struct.parent !== null) {
      return null; // inside a nested type
    } else if (previous === null) {
      // The first new event: its neighbours must be live events the doc has.
      let origin: Y.Item | null = null;
      if (struct.origin !== null) {
        origin = liveItemAt(doc, struct.origin, eventsType);
        if (origin === null) return null;
      }
      if (struct.rightOrigin !== null && liveItemAt(doc, struct.rightOrigin, eventsType) === null) return null;
      firstRightOrigin = struct.rightOrigin;
      const endsOrigin = origin !== null && struct.origin !== null && struct.origin.clock === origin.id.clock + origin.length - 1;
      scanFrom = origin === null ? (eventsType?._start ?? null) : endsOrigin ? origin.right : origin;
    } else {
      // Later new events must follow the previous one directly, so they land right after it.
      const previousEnd = Y.createID(previous.id.client, previous.id.clock + previous.length - 1);
      if (!sameId(struct.origin, previousEnd) || !sameId(struct.rightOrigin, firstRightOrigin)) return null;
    }
    previous = struct;
    added.push(...values);
  }

  if (added.length > 0) {
    const fresh = stringifyAll(added);
    if (fresh === null || duplicatesAfter(scanFrom, fresh)) return null;
  }
  const otherIntakeKeys = [...(intakeType?._map ?? new Map<string, Y.Item>())].some(([key, item]) => key !== layout.intakeKey && !item.deleted);
  return {
    intakeAfter: intakeWritten ? intakeValue : mapValue(intakeType, layout.intakeKey),
    intakeChanged: false,
    removedEventIds: [],
    added,
    foreignTypes: otherIntakeKeys ? [`${layout.intake}.*`] : [],
    pending: false,
  };
}

/** The guard's work before: inspect (fast path, else a copy of the doc), scan the doc for the ids, validate what was added. */
export function guardBefore(doc: Y.Doc, update: Uint8Array): number {
  const report = inspectUpdateFast(doc, update, ORDER_LAYOUT) ?? inspectUpdateByCopy(doc, update);
  const ids = new Set<string>();
  for (const raw of report.added) if (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string') ids.add(raw.id);
  const found = new Map<string, string>();
  if (ids.size > 0) {
    for (const raw of doc.getArray<Record<string, unknown>>('events').toArray()) {
      if (typeof raw.id === 'string' && ids.has(raw.id)) found.set(raw.id, JSON.stringify(raw));
    }
  }
  let valid = 0;
  for (const raw of report.added) {
    if (validate(OrderEventSchema, raw).ok) valid += 1;
    JSON.stringify(raw);
  }
  return valid + found.size;
}

/** The indexer's read before: every event validated on every run. */
export function readEventsBefore(doc: Y.Doc): OrderEvent[] {
  const events: OrderEvent[] = [];
  for (const raw of doc.getArray('events').toArray()) {
    const result = validate(OrderEventSchema, raw);
    if (result.ok) events.push(result.value);
  }
  return events;
}
