/**
 * What an incoming update would do to an order doc, read from the decoded
 * update and looked up in the doc's struct store — never by applying it to a
 * copy of the doc. Its cost grows with the update (each referenced item is a
 * binary search in the doc), not with the doc.
 *
 * It follows what `Y.applyUpdate` would do closely enough to say, for every
 * update: which new entries would land in the events array and after which
 * entry each was written, whether the intake is written or changed, which
 * live events would be deleted, what is written anywhere else, and whether
 * any part would wait for content the doc does not have. Where Yjs would
 * silently drop content (an item whose neighbour was garbage-collected) or
 * keep something no honest client writes (two blocks for one client, an
 * empty block), it reports the update as foreign or throws, so the guard
 * refuses it. The copy path (`inspectUpdateByCopy` in order-doc.ts) is kept
 * as the oracle a seeded differential test compares against.
 */
import * as Y from 'yjs';

/** Where an order keeps what, as named by `order-doc.ts`. */
export interface OrderLayout {
  readonly intake: string;
  readonly intakeKey: string;
  readonly events: string;
}

/** An entry of the events array that a new entry was written next to. */
export interface EntryRef {
  /** The entry's raw value. */
  readonly value: unknown;
  /** True when the update itself adds it; false when the doc has it. */
  readonly added: boolean;
}

export interface AddedEntry {
  /** The raw value appended to the events array (unvalidated). */
  readonly value: unknown;
  /** The entry it was written after (its left origin: the end of the writer's list); null at the start, or when that is not a live entry. */
  readonly after: EntryRef | null;
  /** The entry it was written before (its right origin); null for an append, as honest clients write. */
  readonly before: EntryRef | null;
}

/** What an incoming update would do to an order doc, for the server's guard. */
export interface UpdateInspection {
  /** The intake as it would be after the update (raw, unvalidated); undefined if none. */
  readonly intakeAfter: unknown;
  /** True when the update writes the intake (created, or an identical copy of the one the doc has). */
  readonly intakeWritten: boolean;
  /** True when the update would change or remove the intake the doc has, or writes it more than once. */
  readonly intakeChanged: boolean;
  /** Events present before that the update deletes (at most a few are named). */
  readonly removedEventIds: readonly string[];
  /** Entries the update adds to the events array. */
  readonly added: readonly AddedEntry[];
  /** What the update writes outside the intake's one key and the events array, by name. */
  readonly foreignTypes: readonly string[];
  /**
   * True when part of the update waits for content the doc does not have.
   * Such content cannot be inspected now and would be integrated, unchecked,
   * by whatever later update fills the gap, so the server refuses it.
   */
  readonly pending: boolean;
}

/** Removed events named in a report; the guard refuses at the first. */
const MAX_NAMED_REMOVALS = 10;
const MAX_NAME = 40;

const short = (name: string) => (name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name);

type Struct = Y.Item | Y.GC | Y.Skip;
/** Where a new item lands: a root type's list (`sub` null) or key, somewhere nested, or nowhere (Yjs collects it). */
type Place = { readonly kind: 'root'; readonly root: string; readonly sub: string | null } | { readonly kind: 'nested' } | { readonly kind: 'collected' };

/** The part of an update struct that is new to the doc: clocks [clock, end). */
interface Part {
  readonly struct: Y.Item | Y.GC;
  readonly clock: number;
  readonly end: number;
  /** Values of the struct before `clock` that the doc already had. */
  readonly offset: number;
  place: Place | null;
}

function isJsonContent(content: Y.Item['content']): content is Y.ContentAny | Y.ContentJSON {
  return content instanceof Y.ContentAny || content instanceof Y.ContentJSON;
}

/** The number of client blocks an update announces (its first varint). */
function blockCount(update: Uint8Array): number {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < update.length && i < 8; i++) {
    const byte = update[i]!;
    value += (byte & 0x7f) * multiplier;
    if (byte < 0x80) return value;
    multiplier *= 128;
  }
  throw new Error('unreadable update header');
}

function rootName(doc: Y.Doc, type: Y.AbstractType<unknown>): string | null {
  if (type._item !== null) return null;
  for (const [name, root] of doc.share) if (root === type) return name;
  return null;
}

/** Inspect `update` against `doc` without applying it. Throws on bytes that are not a Yjs update, or that list a client in two blocks. */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array, layout: OrderLayout): UpdateInspection {
  const { structs, ds } = Y.decodeUpdate(update);
  const store = doc.store;
  const docState = (client: number) => Y.getState(store, client);

  // Per client, its structs in clock order. Yjs keeps only the last block of a
  // client listed twice; no encoder writes that, so it is refused outright.
  const queues = new Map<number, Struct[]>();
  let runs = 0;
  let previous: Struct | null = null;
  for (const struct of structs) {
    const client = struct.id.client;
    const continues = previous !== null && previous.id.client === client && previous.id.clock + previous.length === struct.id.clock;
    if (!continues) {
      runs += 1;
      if (queues.has(client)) throw new Error(`the update lists client ${client} twice`);
      queues.set(client, []);
    }
    queues.get(client)!.push(struct);
    previous = struct;
  }
  if (runs !== blockCount(update)) throw new Error('the update has an empty block or lists a client twice');

  // Integrate in dependency order, as Yjs's integrateStructs would: a struct
  // goes in once its own client has reached its clock and the items it names
  // (origin, right origin, parent) are there.
  const have = new Map<number, number>();
  const state = (client: number) => have.get(client) ?? docState(client);
  const parts = new Map<number, Part[]>();
  const order: Part[] = [];
  const cursor = new Map<number, number>();
  const waiting = new Map<number, Set<number>>();
  const ready = [...queues.keys()];
  const missingOf = (item: Y.Item): number | null => {
    for (const ref of [item.origin, item.rightOrigin, item.parent instanceof Y.ID ? item.parent : null]) {
      if (ref === null) continue;
      if (ref.client === item.id.client) {
        if (ref.clock >= item.id.clock) throw new Error('an item names a later item of its own client');
        continue;
      }
      if (ref.clock >= state(ref.client)) return ref.client;
    }
    return null;
  };
  while (ready.length > 0) {
    const client = ready.pop()!;
    const queue = queues.get(client)!;
    let i = cursor.get(client) ?? 0;
    let advanced = false;
    for (; i < queue.length; i++) {
      const struct = queue[i]!;
      if (struct instanceof Y.Skip) continue;
      const known = state(client);
      if (struct.id.clock > known) break; // a gap in its own client: pending
      if (struct instanceof Y.Item) {
        const missing = missingOf(struct);
        if (missing !== null) {
          let set = waiting.get(missing);
          if (!set) waiting.set(missing, (set = new Set()));
          set.add(client);
          break;
        }
      }
      if (struct.id.clock + struct.length > known) {
        const part: Part = { struct, clock: known, end: struct.id.clock + struct.length, offset: known - struct.id.clock, place: null };
        let list = parts.get(client);
        if (!list) parts.set(client, (list = []));
        list.push(part);
        order.push(part);
        have.set(client, part.end);
        advanced = true;
      }
    }
    cursor.set(client, i);
    if (advanced) {
      const woken = waiting.get(client);
      if (woken) {
        waiting.delete(client);
        for (const other of woken) if (other !== client) ready.push(other);
      }
    }
  }
  let pending = store.pendingStructs !== null || store.pendingDs !== null;
  for (const [client, queue] of queues) {
    const rest = queue.slice(cursor.get(client) ?? 0);
    if (rest.some((struct) => !(struct instanceof Y.Skip))) pending = true;
  }

  // Struct lookups: the update's new parts first, then the doc.
  const partAt = (client: number, clock: number): Part | null => {
    const list = parts.get(client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const part = list[mid]!;
      if (clock < part.clock) hi = mid - 1;
      else if (clock >= part.end) lo = mid + 1;
      else return part;
    }
    return null;
  };
  const docStructAt = (id: Y.ID): Y.Item | Y.GC | null => {
    if (id.clock >= docState(id.client)) return null;
    const list = store.clients.get(id.client);
    if (!list) return null;
    const struct = list[Y.findIndexSS(list, id.clock)];
    return struct instanceof Y.Item || struct instanceof Y.GC ? struct : null;
  };
  const docPlace = (item: Y.Item): Place => {
    const parent = item.parent;
    if (!(parent instanceof Y.AbstractType)) return { kind: 'collected' };
    const name = rootName(doc, parent);
    return name === null ? { kind: 'nested' } : { kind: 'root', root: name, sub: item.parentSub };
  };
  /** Where the struct holding `id` sits (in the update or the doc); null if it is not there. */
  const placeOf = (id: Y.ID): Place | null => {
    const part = partAt(id.client, id.clock);
    if (part) return part.struct instanceof Y.GC ? { kind: 'collected' } : part.place;
    const struct = docStructAt(id);
    if (struct === null) return null;
    return struct instanceof Y.GC ? { kind: 'collected' } : docPlace(struct);
  };

  // Where each new item lands, in integration order (its neighbours are placed before it).
  for (const part of order) {
    const item = part.struct;
    if (!(item instanceof Y.Item)) continue;
    if (typeof item.parent === 'string') {
      part.place = { kind: 'root', root: item.parent, sub: item.parentSub };
    } else if (item.parent instanceof Y.ID) {
      const parent = placeOf(item.parent);
      part.place = parent?.kind === 'collected' ? parent : { kind: 'nested' };
    } else {
      const left = item.origin === null ? null : placeOf(item.origin);
      const right = item.rightOrigin === null ? null : placeOf(item.rightOrigin);
      // As Item.getMissing: a collected neighbour collects the item; else it takes its neighbour's parent.
      if (left?.kind === 'collected' || right?.kind === 'collected') part.place = { kind: 'collected' };
      else part.place = left ?? right ?? { kind: 'collected' };
    }
  }

  // Deletes: of the doc's items, of the update's own new items, or of clocks nobody has (pending).
  const ownDeleted = new Map<number, [number, number][]>();
  const removedEventIds: string[] = [];
  const foreign = new Set<string>();
  let intakeDeleted = false;
  const intakeType = doc.share.get(layout.intake);
  const liveIntakeItem = intakeType?._map.get(layout.intakeKey);
  const classifyPlace = (place: Place, what: 'write' | 'delete'): string | null => {
    if (place.kind === 'nested') return '(nested)';
    if (place.kind === 'collected') return what === 'write' ? '(collected)' : null;
    if (place.root === layout.events) return place.sub === null ? null : `${layout.events}.${short(place.sub)}`;
    if (place.root === layout.intake) {
      if (place.sub === layout.intakeKey) return null;
      return place.sub === null ? `${layout.intake}[list]` : `${layout.intake}.${short(place.sub)}`;
    }
    return short(place.root);
  };
  for (const [client, ranges] of ds.clients) {
    const known = docState(client);
    const after = state(client);
    for (const range of ranges) {
      const start = range.clock;
      const end = range.clock + range.len;
      if (end > after) pending = true;
      // The update's own new items, deleted as they come.
      if (end > known && start < after) {
        let list = ownDeleted.get(client);
        if (!list) ownDeleted.set(client, (list = []));
        list.push([Math.max(start, known), Math.min(end, after)]);
      }
      if (start >= known) continue;
      const structsOfClient = store.clients.get(client);
      if (!structsOfClient) continue;
      for (let index = Y.findIndexSS(structsOfClient, start); index < structsOfClient.length; index++) {
        const struct = structsOfClient[index]!;
        if (struct.id.clock >= Math.min(end, known)) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const place = docPlace(struct);
        const name = classifyPlace(place, 'delete');
        if (name !== null) {
          foreign.add(name);
          continue;
        }
        if (place.kind !== 'root') continue;
        if (place.root === layout.intake) {
          intakeDeleted = true;
          continue;
        }
        if (!struct.countable) continue;
        const from = Math.max(start, struct.id.clock) - struct.id.clock;
        const to = Math.min(end, struct.id.clock + struct.length) - struct.id.clock;
        const values = struct.content.getContent();
        for (let v = from; v < to && removedEventIds.length < MAX_NAMED_REMOVALS; v++) {
          const value: unknown = values[v];
          const id = typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' ? value.id : '?';
          removedEventIds.push(id);
        }
        if (removedEventIds.length === 0) removedEventIds.push('?');
      }
    }
  }
  // Sorted and merged, so that one binary search answers.
  for (const [client, ranges] of ownDeleted) {
    ranges.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [from, to] of ranges) {
      const last = merged.at(-1);
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    ownDeleted.set(client, merged);
  }
  /** Whether the update deletes its own new item at this clock. */
  const deletedByUpdate = (client: number, clock: number): boolean => {
    const ranges = ownDeleted.get(client);
    if (!ranges) return false;
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [from, to] = ranges[mid]!;
      if (clock < from) hi = mid - 1;
      else if (clock >= to) lo = mid + 1;
      else return true;
    }
    return false;
  };

  // What lands where.
  const added: AddedEntry[] = [];
  const addedAt = new Map<Part, unknown[]>();
  const intakeWrites: unknown[] = [];
  let intakeOdd = false;
  for (const part of order) {
    const item = part.struct;
    if (!(item instanceof Y.Item) || part.place === null) continue;
    const name = classifyPlace(part.place, 'write');
    if (name !== null) {
      foreign.add(name);
      continue;
    }
    if (part.place.kind !== 'root' || item.content instanceof Y.ContentDeleted) continue;
    const isEvents = part.place.root === layout.events;
    if (!isJsonContent(item.content)) {
      foreign.add(`${isEvents ? layout.events : `${layout.intake}.${layout.intakeKey}`} (not JSON)`);
      continue;
    }
    const values = item.content.getContent().slice(part.offset);
    if (!isEvents) {
      if (values.length !== 1 || deletedByUpdate(item.id.client, part.clock)) intakeOdd = true;
      else intakeWrites.push(values[0]);
      continue;
    }
    const kept: unknown[] = [];
    values.forEach((value, i) => {
      if (!deletedByUpdate(item.id.client, part.clock + i)) kept.push(value);
      else kept.push(DELETED);
    });
    addedAt.set(part, kept);
  }

  const refAt = (id: Y.ID | null): EntryRef | null => {
    if (id === null) return null;
    const part = partAt(id.client, id.clock);
    if (part) {
      const value = addedAt.get(part)?.[id.clock - part.clock];
      return value === undefined || value === DELETED ? null : { value, added: true };
    }
    const struct = docStructAt(id);
    if (!(struct instanceof Y.Item) || struct.deleted || !struct.countable || !isJsonContent(struct.content)) return null;
    const place = docPlace(struct);
    if (place.kind !== 'root' || place.root !== layout.events || place.sub !== null) return null;
    return { value: struct.content.getContent()[id.clock - struct.id.clock], added: false };
  };
  for (const [part, values] of addedAt) {
    const item = part.struct as Y.Item;
    const before = refAt(item.rightOrigin);
    values.forEach((value, i) => {
      if (value === DELETED) return;
      // The first value follows the item's origin (or, for a part the doc partly had, the item's own previous value).
      const origin = i > 0 ? Y.createID(item.id.client, part.clock + i - 1) : part.offset > 0 ? Y.createID(item.id.client, part.clock - 1) : item.origin;
      added.push({ value, after: refAt(origin), before });
    });
  }

  const intakeBefore = liveIntakeItem === undefined || liveIntakeItem.deleted ? undefined : liveIntakeItem.content.getContent()[liveIntakeItem.length - 1];
  let intakeChanged = intakeOdd || intakeDeleted || intakeWrites.length > 1;
  let intakeAfter: unknown = intakeBefore;
  if (intakeWrites.length === 1) {
    const written = intakeWrites[0];
    if (intakeBefore === undefined) intakeAfter = written;
    else if (JSON.stringify(written) !== JSON.stringify(intakeBefore)) intakeChanged = true;
  }
  return {
    intakeAfter,
    intakeWritten: intakeWrites.length > 0,
    intakeChanged,
    removedEventIds,
    added,
    foreignTypes: [...foreign],
    pending,
  };
}

/** Marks a value the update deletes as it adds it. */
const DELETED = Symbol('deleted');
