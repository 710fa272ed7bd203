/**
 * Differential test of the update inspection: the fast path (reading the
 * decoded update) against the copy path (applying it to a copy of the doc),
 * which stays as the oracle. Docs with random histories of several peers get
 * honest, concurrent, duplicated, forged, incomplete and garbage updates.
 */
import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectUpdateFast } from '#shared/sync/inspect-update.ts';
import { ORDER_LAYOUT, inspectUpdate, inspectUpdateByCopy } from '#shared/sync/order-doc.ts';

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

/** Yjs types (nested values) compared by kind and content: each belongs to its own throwaway doc. */
function comparable(value: unknown): unknown {
  if (value instanceof Y.AbstractType) return { yType: value.constructor.name, content: value.toJSON() as unknown };
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, comparable(inner)]));
  }
  return value;
}

type Outcome = { readonly threw: true } | { readonly threw: false; readonly value: unknown };
function outcome(run: () => unknown): Outcome {
  try {
    return { threw: false, value: comparable(run()) };
  } catch {
    return { threw: true };
  }
}

describe('inspectUpdate: fast path against the copy path', () => {
  it('gives the same inspection for every candidate update, and takes the fast path for plain appends', () => {
    let fast = 0;
    let fellBack = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const world = new World(s.gc);
        for (const step of s.history) world.run(step);
        const update = damaged(world.candidate(s.writer, s.other, s.change, s.mode), s.damage);
        const stateBefore = Y.encodeStateAsUpdate(world.server);
        const rootsBefore = [...world.server.share.keys()];

        const oracle = outcome(() => inspectUpdateByCopy(world.server, update));
        const quick = outcome(() => inspectUpdateFast(world.server, update, ORDER_LAYOUT));
        if (quick.threw) throw new Error('the fast path threw instead of falling back');
        if (quick.value === null) fellBack++;
        else {
          fast++;
          expect(oracle).toEqual(quick);
        }
        expect(outcome(() => inspectUpdate(world.server, update))).toEqual(oracle);
        // Inspecting leaves the doc as it was.
        expect(Y.encodeStateAsUpdate(world.server)).toEqual(stateBefore);
        expect([...world.server.share.keys()]).toEqual(rootsBefore);
      }),
      { seed: 20261201, numRuns: 1500 },
    );
    // Neither side of the comparison may be empty, or the test proves nothing.
    expect(fast).toBeGreaterThan(300);
    expect(fellBack).toBeGreaterThan(300);
  });

  it('leaves to the copy path an insert before an event the server does not have', () => {
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
    expect(inspectUpdateFast(world.server, update, ORDER_LAYOUT)).toBeNull();
    expect(inspectUpdate(world.server, update).pending).toBe(true);
  });

  it('takes the fast path for an honest append to a doc the writer is in sync with', () => {
    const world = new World(true);
    for (const step of [{ t: 'intake', peer: 0 }, { t: 'append', peer: 0, n: 2 }, { t: 'toServer', peer: 0 }, { t: 'fromServer', peer: 1 }] as const) world.run(step);
    const update = world.candidate(1, 0, { c: 'append', n: 1, transactions: 1 }, 'transactions');
    const report = inspectUpdateFast(world.server, update, ORDER_LAYOUT);
    expect(report).not.toBeNull();
    expect(report).toEqual(inspectUpdateByCopy(world.server, update));
    expect(report?.added).toHaveLength(1);
  });
});
