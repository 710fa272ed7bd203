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
  /** The server's map of receipts: a key set in it is reported in `receipts`, for the guard to check; anything else written there is foreign. */
  readonly receipts: string;
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
  /** Keys the update sets in the receipts map, each with its one value (unvalidated). */
  readonly receipts: readonly { readonly key: string; readonly value: unknown }[];
  /** What the update writes outside the intake's one key, the events array and new keys of the receipts map, by name. */
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

/** An update's bytes with what `Y.decodeUpdate` reads from them: the server reads a client's update for several checks and decodes it once. */
export interface DecodedUpdate {
  readonly bytes: Uint8Array;
  readonly structs: readonly Struct[];
  readonly ds: ReturnType<typeof Y.decodeUpdate>['ds'];
}

/** Throws on bytes that are not a Yjs update. */
export function decodeUpdate(bytes: Uint8Array): DecodedUpdate {
  const { structs, ds } = Y.decodeUpdate(bytes);
  return { bytes, structs, ds };
}

/** Inspect `update` against `doc` without applying it. Throws on bytes that are not a Yjs update, or that list a client in two blocks. */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array | DecodedUpdate, layout: OrderLayout): UpdateInspection {
  return new Scan(doc, update instanceof Uint8Array ? decodeUpdate(update) : update, layout).run();
}

/**
 * One inspection. A class rather than closures: the server runs it for every
 * update, and under tsx every closure created costs a name definition.
 */
class Scan {
  private readonly store: Y.Doc['store'];
  private readonly update: Uint8Array;
  private readonly structs: readonly Struct[];
  private readonly ds: DecodedUpdate['ds'];
  /** Per client, its structs in clock order. */
  private readonly queues = new Map<number, Struct[]>();
  /** Per client, the clock reached by the doc and the update's structs integrated so far. */
  private readonly have = new Map<number, number>();
  /** Per client, the update's new parts, in clock order. */
  private readonly parts = new Map<number, Part[]>();
  /** Every new part, in integration order (what an item names is placed before it). */
  private readonly order: Part[] = [];
  /** Per client, ranges [from, to) of the update's own new items its delete set deletes (sorted, merged). */
  private readonly ownDeleted = new Map<number, [number, number][]>();
  /** Events values the update adds, per part (DELETED where the update deletes them again). */
  private readonly addedAt = new Map<Part, unknown[]>();
  private pending: boolean;

  constructor(
    private readonly doc: Y.Doc,
    decoded: DecodedUpdate,
    private readonly layout: OrderLayout,
  ) {
    this.update = decoded.bytes;
    this.structs = decoded.structs;
    this.ds = decoded.ds;
    this.store = doc.store;
    this.pending = this.store.pendingStructs !== null || this.store.pendingDs !== null;
  }

  run(): UpdateInspection {
    this.group();
    this.integrate();
    this.place();
    const foreign = new Set<string>();
    const removedEventIds: string[] = [];
    const intakeDeleted = this.deletes(foreign, removedEventIds);
    const intakeWrites: unknown[] = [];
    const receipts: { key: string; value: unknown }[] = [];
    const intakeOdd = this.writes(foreign, intakeWrites, receipts);
    const added = this.entries();

    const live = this.doc.share.get(this.layout.intake)?._map.get(this.layout.intakeKey);
    const intakeBefore: unknown = live === undefined || live.deleted ? undefined : live.content.getContent()[live.length - 1];
    let intakeChanged = intakeOdd || intakeDeleted || intakeWrites.length > 1;
    let intakeAfter: unknown = intakeBefore;
    if (intakeWrites.length === 1) {
      const written = intakeWrites[0];
      if (intakeBefore === undefined) intakeAfter = written;
      else if (JSON.stringify(written) !== JSON.stringify(intakeBefore)) intakeChanged = true;
    }
    return { intakeAfter, intakeWritten: intakeWrites.length > 0, intakeChanged, removedEventIds, added, receipts, foreignTypes: [...foreign], pending: this.pending };
  }

  private docState(client: number): number {
    return Y.getState(this.store, client);
  }

  private state(client: number): number {
    return this.have.get(client) ?? this.docState(client);
  }

  /** Yjs keeps only the last block of a client listed twice; no encoder writes that, so it is refused outright. */
  private group(): void {
    let runs = 0;
    let previous: Struct | null = null;
    for (const struct of this.structs) {
      const client = struct.id.client;
      const continues = previous !== null && previous.id.client === client && previous.id.clock + previous.length === struct.id.clock;
      if (!continues) {
        runs += 1;
        if (this.queues.has(client)) throw new Error(`the update lists client ${client} twice`);
        this.queues.set(client, []);
      }
      this.queues.get(client)!.push(struct);
      previous = struct;
    }
    if (runs !== blockCount(this.update)) throw new Error('the update has an empty block or lists a client twice');
  }

  /** A client whose structs the item names but the doc and the update so far do not have; null when it has all it needs. */
  private missingOf(item: Y.Item): number | null {
    for (const ref of [item.origin, item.rightOrigin, item.parent instanceof Y.ID ? item.parent : null]) {
      if (ref === null) continue;
      if (ref.client === item.id.client) {
        if (ref.clock >= item.id.clock) throw new Error('an item names a later item of its own client');
        continue;
      }
      if (ref.clock >= this.state(ref.client)) return ref.client;
    }
    return null;
  }

  /**
   * Integrate in dependency order, as Yjs's integrateStructs would: a struct
   * goes in once its own client has reached its clock and the items it names
   * (origin, right origin, parent) are there. What cannot go in is pending.
   */
  private integrate(): void {
    const cursor = new Map<number, number>();
    const waiting = new Map<number, Set<number>>();
    const ready = [...this.queues.keys()];
    while (ready.length > 0) {
      const client = ready.pop()!;
      const queue = this.queues.get(client)!;
      let i = cursor.get(client) ?? 0;
      let advanced = false;
      for (; i < queue.length; i++) {
        const struct = queue[i]!;
        if (struct instanceof Y.Skip) continue;
        const known = this.state(client);
        if (struct.id.clock > known) break; // a gap in its own client
        if (struct instanceof Y.Item) {
          const missing = this.missingOf(struct);
          if (missing !== null) {
            let set = waiting.get(missing);
            if (!set) waiting.set(missing, (set = new Set()));
            set.add(client);
            break;
          }
        }
        if (struct.id.clock + struct.length > known) {
          const part: Part = { struct, clock: known, end: struct.id.clock + struct.length, offset: known - struct.id.clock, place: null };
          let list = this.parts.get(client);
          if (!list) this.parts.set(client, (list = []));
          list.push(part);
          this.order.push(part);
          this.have.set(client, part.end);
          advanced = true;
        }
      }
      cursor.set(client, i);
      const woken = advanced ? waiting.get(client) : undefined;
      if (woken) {
        waiting.delete(client);
        for (const other of woken) if (other !== client) ready.push(other);
      }
    }
    for (const [client, queue] of this.queues) {
      for (let i = cursor.get(client) ?? 0; i < queue.length; i++) if (!(queue[i] instanceof Y.Skip)) this.pending = true;
    }
  }

  private partAt(client: number, clock: number): Part | null {
    const list = this.parts.get(client);
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
  }

  private docStructAt(id: Y.ID): Y.Item | Y.GC | null {
    if (id.clock >= this.docState(id.client)) return null;
    const list = this.store.clients.get(id.client);
    if (!list) return null;
    const struct = list[Y.findIndexSS(list, id.clock)];
    return struct instanceof Y.Item || struct instanceof Y.GC ? struct : null;
  }

  private docPlace(item: Y.Item): Place {
    const parent = item.parent;
    if (!(parent instanceof Y.AbstractType)) return COLLECTED;
    const name = rootName(this.doc, parent);
    return name === null ? NESTED : { kind: 'root', root: name, sub: item.parentSub };
  }

  /** Where the struct holding `id` sits (in the update or the doc); null if it is not there. */
  private placeOf(id: Y.ID): Place | null {
    const part = this.partAt(id.client, id.clock);
    if (part) return part.struct instanceof Y.GC ? COLLECTED : part.place;
    const struct = this.docStructAt(id);
    if (struct === null) return null;
    return struct instanceof Y.GC ? COLLECTED : this.docPlace(struct);
  }

  /** Where each new item lands, in integration order (its neighbours are placed before it), as Item.getMissing decides. */
  private place(): void {
    for (const part of this.order) {
      const item = part.struct;
      if (!(item instanceof Y.Item)) continue;
      if (typeof item.parent === 'string') {
        part.place = { kind: 'root', root: item.parent, sub: item.parentSub };
      } else if (item.parent instanceof Y.ID) {
        part.place = this.placeOf(item.parent)?.kind === 'collected' ? COLLECTED : NESTED;
      } else {
        const left = item.origin === null ? null : this.placeOf(item.origin);
        const right = item.rightOrigin === null ? null : this.placeOf(item.rightOrigin);
        // A collected neighbour collects the item; else it takes its neighbour's parent.
        if (left?.kind === 'collected' || right?.kind === 'collected') part.place = COLLECTED;
        else part.place = left ?? right ?? COLLECTED;
      }
    }
  }

  /** The name of what a write or a delete at `place` touches outside the intake's key and the events array; null when it is one of those. */
  private foreignName(place: Place, what: 'write' | 'delete'): string | null {
    const { layout } = this;
    if (place.kind === 'nested') return '(nested)';
    if (place.kind === 'collected') return what === 'write' ? '(collected)' : null;
    if (place.root === layout.events) return place.sub === null ? null : `${layout.events}.${short(place.sub)}`;
    if (place.root === layout.receipts && place.sub !== null && what === 'write') return null;
    if (place.root === layout.intake) {
      if (place.sub === layout.intakeKey) return null;
      return place.sub === null ? `${layout.intake}[list]` : `${layout.intake}.${short(place.sub)}`;
    }
    return short(place.root);
  }

  /**
   * The delete set: of the doc's items (events removed, the intake deleted,
   * anything else foreign), of the update's own new items, or of clocks
   * nobody has (pending). Returns whether it deletes the intake.
   */
  private deletes(foreign: Set<string>, removedEventIds: string[]): boolean {
    let intakeDeleted = false;
    for (const [client, ranges] of this.ds.clients) {
      const known = this.docState(client);
      const after = this.state(client);
      for (const range of ranges) {
        const start = range.clock;
        const end = range.clock + range.len;
        if (end > after) this.pending = true;
        if (end > known && start < after) {
          let list = this.ownDeleted.get(client);
          if (!list) this.ownDeleted.set(client, (list = []));
          list.push([Math.max(start, known), Math.min(end, after)]);
        }
        if (start >= known) continue;
        const structs = this.store.clients.get(client);
        if (!structs) continue;
        for (let index = Y.findIndexSS(structs, start); index < structs.length; index++) {
          const struct = structs[index]!;
          if (struct.id.clock >= Math.min(end, known)) break;
          if (!(struct instanceof Y.Item) || struct.deleted) continue;
          const place = this.docPlace(struct);
          const name = this.foreignName(place, 'delete');
          if (name !== null) {
            foreign.add(name);
            continue;
          }
          if (place.kind !== 'root') continue;
          if (place.root === this.layout.intake) {
            intakeDeleted = true;
            continue;
          }
          if (!struct.countable) continue;
          const from = Math.max(start, struct.id.clock) - struct.id.clock;
          const to = Math.min(end, struct.id.clock + struct.length) - struct.id.clock;
          const values = struct.content.getContent();
          for (let v = from; v < to && removedEventIds.length < MAX_NAMED_REMOVALS; v++) removedEventIds.push(idOf(values[v]));
          if (removedEventIds.length === 0) removedEventIds.push('?');
        }
      }
    }
    // Sorted and merged, so that one binary search answers.
    for (const [client, ranges] of this.ownDeleted) {
      ranges.sort(byStart);
      const merged: [number, number][] = [];
      for (const [from, to] of ranges) {
        const last = merged.at(-1);
        if (last && from <= last[1]) last[1] = Math.max(last[1], to);
        else merged.push([from, to]);
      }
      this.ownDeleted.set(client, merged);
    }
    return intakeDeleted;
  }

  /** Whether the update deletes its own new item at this clock. */
  private deletedByUpdate(client: number, clock: number): boolean {
    const ranges = this.ownDeleted.get(client);
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
  }

  /** What lands where: events values kept for `entries`, intake writes and receipts collected. Returns whether the intake is written oddly. */
  private writes(foreign: Set<string>, intakeWrites: unknown[], receipts: { key: string; value: unknown }[]): boolean {
    let intakeOdd = false;
    for (const part of this.order) {
      const item = part.struct;
      if (!(item instanceof Y.Item) || part.place === null) continue;
      const name = this.foreignName(part.place, 'write');
      if (name !== null) {
        foreign.add(name);
        continue;
      }
      if (part.place.kind !== 'root' || item.content instanceof Y.ContentDeleted) continue;
      if (part.place.root === this.layout.receipts) {
        const values = isJsonContent(item.content) ? item.content.getContent().slice(part.offset) : [];
        if (values.length !== 1 || part.place.sub === null || this.deletedByUpdate(item.id.client, part.clock)) foreign.add(short(this.layout.receipts));
        else receipts.push({ key: part.place.sub, value: values[0] });
        continue;
      }
      const isEvents = part.place.root === this.layout.events;
      if (!isJsonContent(item.content)) {
        foreign.add(`${isEvents ? this.layout.events : `${this.layout.intake}.${this.layout.intakeKey}`} (not JSON)`);
        continue;
      }
      const values = item.content.getContent().slice(part.offset);
      if (!isEvents) {
        if (values.length !== 1 || this.deletedByUpdate(item.id.client, part.clock)) intakeOdd = true;
        else intakeWrites.push(values[0]);
        continue;
      }
      for (let i = 0; i < values.length; i++) if (this.deletedByUpdate(item.id.client, part.clock + i)) values[i] = DELETED;
      this.addedAt.set(part, values);
    }
    return intakeOdd;
  }

  /** The entry of the events array at `id`, in the update or the doc, if it is a live JSON entry. */
  private refAt(id: Y.ID | null): EntryRef | null {
    if (id === null) return null;
    const part = this.partAt(id.client, id.clock);
    if (part) {
      const value = this.addedAt.get(part)?.[id.clock - part.clock];
      return value === undefined || value === DELETED ? null : { value, added: true };
    }
    const struct = this.docStructAt(id);
    if (!(struct instanceof Y.Item) || struct.deleted || !struct.countable || !isJsonContent(struct.content)) return null;
    const place = this.docPlace(struct);
    if (place.kind !== 'root' || place.root !== this.layout.events || place.sub !== null) return null;
    return { value: struct.content.getContent()[id.clock - struct.id.clock], added: false };
  }

  /** The entries added, each with what it was written after and before. */
  private entries(): AddedEntry[] {
    const added: AddedEntry[] = [];
    for (const [part, values] of this.addedAt) {
      const item = part.struct as Y.Item;
      const before = this.refAt(item.rightOrigin);
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (value === DELETED) continue;
        // The first value follows the item's origin (or, for a part the doc partly had, the item's own previous value).
        const origin = i > 0 ? Y.createID(item.id.client, part.clock + i - 1) : part.offset > 0 ? Y.createID(item.id.client, part.clock - 1) : item.origin;
        added.push({ value, after: this.refAt(origin), before });
      }
    }
    return added;
  }
}

const COLLECTED: Place = { kind: 'collected' };
const NESTED: Place = { kind: 'nested' };
const byStart = (a: [number, number], b: [number, number]) => a[0] - b[0];

function idOf(value: unknown): string {
  return typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' ? value.id : '?';
}

/** Marks a value the update deletes as it adds it. */
const DELETED = Symbol('deleted');
