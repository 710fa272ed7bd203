/**
 * The fast path of the server's update inspection: read the decoded update
 * itself instead of applying it to a copy of the whole order doc.
 *
 * It answers only the plain case — one client appending JSON events (and, on
 * creation, writing the intake), building on items the doc has — and returns
 * null for anything else, so the caller inspects by copy. It must never give
 * an answer the copy would not: when unsure, it returns null.
 *
 * Assumes what the server guarantees of every doc it guards: each value in it
 * is plain JSON (it passed the guard or was written through `toJson`).
 */
import * as Y from 'yjs';

/** What an incoming update would do to an order doc, for the server's guard. */
export interface UpdateInspection {
  /** The intake as it would be after the update (raw, unvalidated); undefined if none. */
  readonly intakeAfter: unknown;
  /** True when the update writes an intake where one existed already. */
  readonly intakeChanged: boolean;
  /** Events present before that the update removes or alters. */
  readonly removedEventIds: readonly string[];
  /** Raw entries the update adds to the events array. */
  readonly added: readonly unknown[];
  /** Root types other than intake and events that the update touches. */
  readonly foreignTypes: readonly string[];
  /**
   * True when part of the update waits for content the doc does not have.
   * Such content cannot be inspected now and would be integrated, unchecked,
   * by whatever later update fills the gap, so the server refuses it.
   */
  readonly pending: boolean;
}

/** Where an order keeps what, as named by `order-doc.ts`. */
export interface OrderLayout {
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
