/**
 * Differential test of the update inspection: `inspectUpdate` (reading the
 * decoded update against the doc's struct store) against the copy path
 * (applying it to a copy of the doc), which stays as the oracle. Docs with
 * random histories of several peers get honest, concurrent, duplicated,
 * forged, incomplete and garbage updates. The inspection may be stricter than
 * the oracle, in named ways only (what the copy path cannot see: a key under
 * the events array, the intake map's list part, content Yjs would collect,
 * an event deleted and put back, an intake overwritten with itself); it is
 * never more lenient, and on what it accepts it reports the same entries.
 */
import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectUpdate, inspectUpdateByCopy, type CopyInspection, type UpdateInspection } from '#shared/sync/order-doc.ts';

const PEERS = 4; // peer 3 stands for the server's own writes
const SERVER_CLIENT = 100;

type HistoryStep =
  | { readonly t: 'append'; readonly peer: number; readonly n: number }
  | { readonly t: 'appendCopy'; readonly peer: number; readonly pick: number }
  | { readonly t: 'intake'; readonly peer: number }
  | { readonly t: 'intakeExtraKey'; readonly peer: number }
  | { readonly t: 'delete'; readonly peer: number; readonly pick: number }
  | { readonly t: 'toServer'; readonly peer: number }
  | { readonly t: 'lastToServer'; readonly peer: number }
  | { readonly t: 'betweenPeers'; readonly peer: number; readonly other: number }
  | { readonly t: 'fromServer'; readonly peer: number };

type Change =
  | { readonly c: 'none' }
  | { readonly c: 'append'; readonly n: number; readonly transactions: number }
  | { readonly c: 'appendCopy'; readonly pick: number }
  | { readonly c: 'insert'; readonly pick: number }
  | { readonly c: 'insertCopy'; readonly pick: number; readonly from: number }
  | { readonly c: 'appendThenInsert'; readonly pick: number }
  | { readonly c: 'delete'; readonly pick: number }
  | { readonly c: 'appendThenDelete' }
  | { readonly c: 'deleteThenCopy'; readonly pick: number }
  | { readonly c: 'intake'; readonly same: boolean }
  | { readonly c: 'intakeOtherKey' }
  | { readonly c: 'intakeNested' }
  | { readonly c: 'foreignMap' }
  | { readonly c: 'foreignText' }
  | { readonly c: 'nestedEvent' }
  | { readonly c: 'bigint' };

type Mode = 'sinceServer' | 'sinceOwn' | 'transactions' | 'fullState' | 'withOtherPeer' | 'twoBlocks';
type Damage = { readonly d: 'none' } | { readonly d: 'truncate'; readonly at: number } | { readonly d: 'flip'; readonly at: number; readonly bits: number } | { readonly d: 'garbage'; readonly bytes: Uint8Array };

const peer = fc.integer({ min: 0, max: PEERS - 1 });
const pick = fc.nat({ max: 50 });

const historyStep: fc.Arbitrary<HistoryStep> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('append' as const), peer, n: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('appendCopy' as const), peer, pick }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('intake' as const), peer }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('intakeExtraKey' as const), peer }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), peer, pick }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('toServer' as const), peer }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('fromServer' as const), peer }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('lastToServer' as const), peer }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('betweenPeers' as const), peer, other: peer }) },
);

const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ c: 'none' as const }) },
  { weight: 12, arbitrary: fc.record({ c: fc.constant('append' as const), n: fc.integer({ min: 1, max: 3 }), transactions: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('appendCopy' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('insert' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('insertCopy' as const), pick, from: pick }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('appendThenInsert' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('delete' as const), pick }) },
  { weight: 1, arbitrary: fc.constant({ c: 'appendThenDelete' as const }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('deleteThenCopy' as const), pick }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('intake' as const), same: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ c: 'intakeOtherKey' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'intakeNested' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'foreignMap' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'foreignText' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'nestedEvent' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'bigint' as const }) },
);

const mode: fc.Arbitrary<Mode> = fc.constantFrom('sinceServer', 'sinceServer', 'sinceOwn', 'transactions', 'transactions', 'fullState', 'withOtherPeer', 'twoBlocks');

const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ d: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ d: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ d: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ d: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 40 }) }) },
);

const scenario = fc.record({
  gc: fc.boolean(),
  history: fc.array(historyStep, { maxLength: 40 }),
  writer: peer,
  other: peer,
  change,
  mode,
  damage,
});

type Json = Record<string, unknown>;

class World {
  readonly server: Y.Doc;
  readonly peers: Y.Doc[];
  /** Each peer's last transaction, as its update event gave it. */
  private readonly lastUpdate = new Map<number, Uint8Array>();
  private next = 0;

  constructor(gc: boolean) {
    this.server = new Y.Doc({ gc });
    this.server.clientID = SERVER_CLIENT;
    this.peers = Array.from({ length: PEERS }, (_, index) => {
      const doc = new Y.Doc({ gc });
      doc.clientID = index + 1;
      doc.on('update', (update: Uint8Array) => this.lastUpdate.set(index, update));
      return doc;
    });
  }

  event(): Json {
    this.next += 1;
    return { id: `e${this.next}`, type: 'note', hlc: String(this.next).padStart(4, '0'), payload: { text: `note ${this.next}` } };
  }

  intake(variant = 'a'): Json {
    return { id: 'o-1', source: 'field_report', title: `order ${variant}` };
  }

  run(step: HistoryStep): void {
    const doc = this.peers[step.peer] as Y.Doc;
    const events = doc.getArray<Json>('events');
    switch (step.t) {
      case 'append':
        events.push(Array.from({ length: step.n }, () => this.event()));
        break;
      case 'appendCopy':
        if (events.length > 0) events.push([events.get(step.pick % events.length)]);
        break;
      case 'intake':
        if (!doc.getMap('intake').has('data')) doc.getMap('intake').set('data', this.intake());
        break;
      case 'intakeExtraKey':
        doc.getMap('intake').set('extra', true);
        break;
      case 'delete':
        if (events.length > 0) events.delete(step.pick % events.length, 1);
        break;
      case 'toServer':
        Y.applyUpdate(this.server, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(this.server)));
        break;
      case 'fromServer':
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.server, Y.encodeStateVector(doc)));
        break;
      case 'betweenPeers': {
        // Peers that met without the server: later updates build on what it lacks.
        const other = this.peers[step.other] as Y.Doc;
        Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
        break;
      }
      case 'lastToServer': {
        // Leaves the server with pending structs when it misses what came before.
        const last = this.lastUpdate.get(step.peer);
        if (last !== undefined) Y.applyUpdate(this.server, last);
        break;
      }
    }
  }

  /** Make the change on `doc`, one transaction per entry of the returned list. */
  change(doc: Y.Doc, what: Change): void {
    const events = doc.getArray<unknown>('events');
    const intake = doc.getMap<unknown>('intake');
    switch (what.c) {
      case 'none':
        break;
      case 'append':
        for (let t = 0; t < what.transactions; t++) events.push(Array.from({ length: what.n }, () => this.event()));
        break;
      case 'appendCopy':
        events.push([events.length > 0 ? events.get(what.pick % events.length) : this.event(), this.event()]);
        break;
      case 'insert':
        events.insert(events.length === 0 ? 0 : what.pick % (events.length + 1), [this.event()]);
        break;
      case 'insertCopy': {
        const copy: unknown = events.length > 0 ? events.get(what.from % events.length) : this.event();
        events.insert(events.length === 0 ? 0 : what.pick % (events.length + 1), [copy, this.event()]);
        break;
      }
      case 'appendThenInsert':
        events.push([this.event()]);
        events.insert(what.pick % events.length, [this.event()]);
        break;
      case 'delete':
        if (events.length > 0) events.delete(what.pick % events.length, 1);
        break;
      case 'appendThenDelete':
        doc.transact(() => {
          events.push([this.event(), this.event()]);
          events.delete(events.length - 1, 1);
        });
        break;
      case 'deleteThenCopy':
        if (events.length > 0) {
          doc.transact(() => {
            const index = what.pick % events.length;
            const copy: unknown = JSON.parse(JSON.stringify(events.get(index)));
            events.delete(index, 1);
            events.push([copy]);
          });
        }
        break;
      case 'intake':
        intake.set('data', this.intake(what.same ? 'a' : 'b'));
        break;
      case 'intakeOtherKey':
        intake.set('extra', 1);
        break;
      case 'intakeNested': {
        const nested = new Y.Map<unknown>();
        intake.set('data', nested);
        nested.set('id', 'o-1');
        break;
      }
      case 'foreignMap':
        doc.getMap('secrets').set('k', 'v');
        break;
      case 'foreignText':
        doc.getText('notes').insert(0, 'hello');
        break;
      case 'nestedEvent': {
        const nested = new Y.Map<unknown>();
        events.push([nested]);
        nested.set('id', 'nested');
        break;
      }
      case 'bigint':
        events.push([{ id: 'big', n: 10n }]);
        break;
    }
  }

  /** The bytes a client would send for the change, as the mode says. */
  candidate(writer: number, other: number, what: Change, how: Mode): Uint8Array {
    const doc = this.peers[writer] as Y.Doc;
    const ownBefore = Y.encodeStateVector(doc);
    const captured: Uint8Array[] = [];
    const capture = (update: Uint8Array) => captured.push(update);
    doc.on('update', capture);
    this.change(doc, what);
    doc.off('update', capture);
    switch (how) {
      case 'sinceServer':
        return Y.encodeStateAsUpdate(doc, Y.encodeStateVector(this.server));
      case 'sinceOwn':
        return Y.encodeStateAsUpdate(doc, ownBefore);
      case 'transactions':
        return captured.length === 0 ? Y.encodeStateAsUpdate(doc, ownBefore) : Y.mergeUpdates(captured);
      case 'fullState':
        return Y.encodeStateAsUpdate(doc);
      case 'twoBlocks':
        return twoBlocksOfOneClient(captured) ?? Y.encodeStateAsUpdate(doc, ownBefore);
      case 'withOtherPeer':
        return Y.mergeUpdates([Y.encodeStateAsUpdate(doc, Y.encodeStateVector(this.server)), Y.encodeStateAsUpdate(this.peers[other] as Y.Doc, Y.encodeStateVector(this.server))]);
    }
  }
}

/**
 * A forged update listing one client twice, from two single-block updates
 * without deletes: [count][block][delete set] each.
 */
function twoBlocksOfOneClient(updates: readonly Uint8Array[]): Uint8Array | null {
  const [first, second] = updates;
  if (first === undefined || second === undefined) return null;
  const plain = (update: Uint8Array) => update[0] === 1 && update[update.length - 1] === 0;
  if (!plain(first) || !plain(second)) return null;
  return Uint8Array.from([2, ...first.slice(1, -1), ...second.slice(1, -1), 0]);
}

function damaged(update: Uint8Array, how: Damage): Uint8Array {
  switch (how.d) {
    case 'none':
      return update;
    case 'truncate':
      return update.slice(0, update.length === 0 ? 0 : how.at % update.length);
    case 'flip': {
      const copy = update.slice();
      const at = how.at % Math.max(1, copy.length);
      if (at < copy.length) copy[at] = (copy[at] ?? 0) ^ how.bits;
      return copy;
    }
    case 'garbage':
      return how.bytes;
  }
}

type Outcome<T> = { readonly threw: true } | { readonly threw: false; readonly value: T };
function outcome<T>(run: () => T): Outcome<T> {
  try {
    return { threw: false, value: run() };
  } catch {
    return { threw: true };
  }
}

const json = (value: unknown): string | null => {
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
};

/** Refused by the guard on the copy path's report: by the report, or as it validates a value that is a Yjs type or not JSON. */
function oracleRefuses(report: CopyInspection): boolean {
  const notJson = (value: unknown) => value instanceof Y.AbstractType || json(value) === null;
  return report.pending || report.foreignTypes.length > 0 || report.removedEventIds.length > 0 || report.intakeChanged || report.added.some(notJson) || (report.intakeAfter !== undefined && notJson(report.intakeAfter));
}

/** Refused by the guard on the inspection alone (a value that is not JSON is refused as it is validated). */
function refuses(report: UpdateInspection): boolean {
  return report.pending || report.foreignTypes.length > 0 || report.removedEventIds.length > 0 || report.intakeChanged || report.added.some((entry) => json(entry.value) === null);
}

/** The ways the inspection is stricter than the copy path, by design. */
function stricterOnlyBecause(report: UpdateInspection, oracle: CopyInspection, docHadPending: boolean): string | null {
  // A doc holding content that waits for something is never guarded on: the copy path would let an
  // update integrate that content unchecked. (The server's docs never hold any: it refuses such updates.)
  if (report.pending && !oracle.pending) return docHadPending ? 'the doc had pending content' : null;
  const names = report.foreignTypes.filter((name) => !oracle.foreignTypes.includes(name));
  if (names.some((name) => !/^events\.|^intake\[list\]$|^intake\.|^\(nested\)$|\(collected\)|\(not JSON\)/.test(name))) return null;
  if (names.length > 0) return 'foreign';
  if (report.removedEventIds.length > 0 && oracle.removedEventIds.length === 0) return 'deleted and put back';
  if (report.intakeChanged && !oracle.intakeChanged) return 'intake overwritten';
  return null;
}

const sortedJson = (values: readonly unknown[]) => values.map((v) => json(v) ?? '?').sort();

describe('inspectUpdate against the copy path', () => {
  it('is never more lenient, is stricter only in named ways, and reports the same entries for what it accepts', () => {
    let agreedClean = 0;
    let agreedRefused = 0;
    const stricter = new Map<string, number>();
    fc.assert(
      fc.property(scenario, (s) => {
        const world = new World(s.gc);
        for (const step of s.history) world.run(step);
        // Yjs appends after the last item of the list, deleted or not: the last live value is the origin only when none is deleted.
        const writerEvents = (world.peers[s.writer] as Y.Doc).getArray('events');
        let writerDeleted = false;
        for (let item = writerEvents._start; item !== null; item = item.right) if (item.deleted) writerDeleted = true;
        const writerLast: unknown = writerDeleted ? undefined : writerEvents.toArray().at(-1);
        const update = damaged(world.candidate(s.writer, s.other, s.change, s.mode), s.damage);
        const stateBefore = Y.encodeStateAsUpdate(world.server);
        const docHadPending = world.server.store.pendingStructs !== null || world.server.store.pendingDs !== null;
        const rootsBefore = [...world.server.share.keys()];

        const oracle = outcome(() => inspectUpdateByCopy(world.server, update));
        const report = outcome(() => inspectUpdate(world.server, update));
        // Inspecting leaves the doc as it was.
        expect(Y.encodeStateAsUpdate(world.server)).toEqual(stateBefore);
        expect([...world.server.share.keys()]).toEqual(rootsBefore);

        if (report.threw) {
          expect(oracle.threw || oracleRefuses(oracle.value), 'threw on an update the copy path accepts').toBe(true);
          agreedRefused++;
          return;
        }
        if (oracle.threw) {
          expect(refuses(report.value), 'accepted an update the copy path cannot apply').toBe(true);
          agreedRefused++;
          return;
        }
        const mine = report.value;
        // The copy path reports a foreign intake key the doc already had (only a doc stored before the
        // guard existed can); the inspection judges what the update writes, so old content does not
        // make an order unwritable.
        const hadForeignKey = [...(world.server.share.get('intake')?._map ?? new Map<string, Y.Item>())].some(([key, item]) => key !== 'data' && !item.deleted);
        const theirs = hadForeignKey ? { ...oracle.value, foreignTypes: oracle.value.foreignTypes.filter((name) => name !== 'intake.*') } : oracle.value;
        if (oracleRefuses(theirs)) {
          expect(refuses(mine), `accepted what the copy path refuses: ${JSON.stringify(theirs)}`).toBe(true);
          agreedRefused++;
          return;
        }
        if (refuses(mine)) {
          const why = stricterOnlyBecause(mine, theirs, docHadPending);
          expect(why, `refused what the copy path accepts: ${JSON.stringify(mine)}`).not.toBeNull();
          stricter.set(why!, (stricter.get(why!) ?? 0) + 1);
          return;
        }
        agreedClean++;
        expect(sortedJson(mine.added.map((entry) => entry.value))).toEqual(sortedJson(theirs.added));
        expect(json(mine.intakeAfter)).toEqual(json(theirs.intakeAfter));
        // An append of the writer's own is written after the last entry the writer had.
        if (s.change.c === 'append' && (s.mode === 'transactions' || s.mode === 'sinceOwn') && s.damage.d === 'none' && writerLast !== undefined) {
          expect(json(mine.added[0]?.after?.value)).toBe(json(writerLast));
          expect(mine.added.every((entry) => entry.before === null)).toBe(true);
        }
      }),
      { seed: 20261201, numRuns: 1500 },
    );
    // Neither side of the comparison may be empty, or the test proves nothing.
    expect(agreedClean).toBeGreaterThan(300);
    expect(agreedRefused).toBeGreaterThan(300);
    expect([...stricter.keys()]).toEqual(expect.arrayContaining(['deleted and put back', 'foreign', 'intake overwritten']));
  });

  it('sees an insert before an event the server does not have as pending', () => {
    const world = new World(true);
    const steps: HistoryStep[] = [
      { t: 'append', peer: 0, n: 1 },
      { t: 'toServer', peer: 0 },
      { t: 'fromServer', peer: 1 },
      { t: 'append', peer: 0, n: 1 },
      { t: 'betweenPeers', peer: 0, other: 1 },
    ];
    for (const step of steps) world.run(step);
    // Peer 1 holds [A, B]; the server lacks B. Inserting between them names B as right origin.
    const update = world.candidate(1, 0, { c: 'insert', pick: 1 }, 'transactions');
    expect(inspectUpdate(world.server, update).pending).toBe(true);
    expect(inspectUpdateByCopy(world.server, update).pending).toBe(true);
  });

  it('reads an honest append, and what it was written after, as the copy path does', () => {
    const world = new World(true);
    for (const step of [{ t: 'intake', peer: 0 }, { t: 'append', peer: 0, n: 2 }, { t: 'toServer', peer: 0 }, { t: 'fromServer', peer: 1 }] as const) world.run(step);
    const update = world.candidate(1, 0, { c: 'append', n: 2, transactions: 1 }, 'transactions');
    const report = inspectUpdate(world.server, update);
    expect(report.added.map((entry) => entry.value)).toEqual(inspectUpdateByCopy(world.server, update).added);
    const last = world.server.getArray('events').get(1);
    expect(report.added.map((entry) => entry.after)).toEqual([
      { value: last, added: false },
      { value: report.added[0]!.value, added: true },
    ]);
  });

  it('reads offline work of two sessions of one device (two client ids) without refusing it', () => {
    const world = new World(true);
    for (const step of [{ t: 'intake', peer: 0 }, { t: 'append', peer: 0, n: 1 }, { t: 'toServer', peer: 0 }, { t: 'fromServer', peer: 1 }] as const) world.run(step);
    const device = world.peers[1] as Y.Doc;
    const sv = Y.encodeStateVector(world.server);
    device.getArray('events').push([world.event()]);
    // The app restarted: the same doc, loaded again, writes under a new client id.
    const restarted = new Y.Doc();
    restarted.clientID = 77;
    Y.applyUpdate(restarted, Y.encodeStateAsUpdate(device));
    restarted.getArray('events').push([world.event()]);
    const update = Y.encodeStateAsUpdate(restarted, sv);
    const report = inspectUpdate(world.server, update);
    expect(refuses(report)).toBe(false);
    expect(report.added).toHaveLength(2);
    expect(report.added[1]!.after).toEqual({ value: report.added[0]!.value, added: true });
  });
});
