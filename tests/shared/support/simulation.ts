/**
 * Seeded multi-peer histories: several users on their own devices act on one
 * order from what they have seen, go offline and sync in random pairs. Drives
 * both the reducer's property tests (peers as plain event sets) and the Yjs
 * convergence tests (peers as Y.Docs).
 */
import fc from 'fast-check';
import type { User } from '#shared/org/roles.ts';
import type { EventDraft, EventType, OrderEvent } from '#shared/order/events.ts';
import { EVENT_TYPES } from '#shared/order/events.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import { deriveOrder, type OrderView } from '#shared/order/reducer.ts';
import { EVENT_RULES } from '#shared/order/rules.ts';
import { DAY, HOUR, T0, Writer, payloads, sha, users } from './builders.ts';

export interface Peer {
  readonly user: User;
  events(): OrderEvent[];
  append(event: OrderEvent): void;
  /** Receive everything `other` has (one direction). */
  pullFrom(other: Peer): void;
}

export const CAST: readonly User[] = [users.clerk, users.worker, users.worker2, users.community, users.supervisor, users.otherGridWorker];

export type Step =
  /** mode 0–5: move the order on if this user can; 6–7: anything the local view allows; 8–9: anything at all. */
  | { kind: 'act'; peer: number; pick: number; mode: number; choice: number }
  | { kind: 'sync'; from: number; to: number };

export const stepArb = (peers: number): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('act' as const), peer: fc.nat(peers - 1), pick: fc.nat(1000), mode: fc.nat(9), choice: fc.nat(1000) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), from: fc.nat(peers - 1), to: fc.nat(peers - 1) }) },
  );

/** Per-peer clock skew, so that HLC ordering differs from wall-clock ordering. */
export const skewArb = (peers: number) => fc.array(fc.integer({ min: -3 * HOUR, max: 3 * HOUR }), { minLength: peers, maxLength: peers });

export function runSimulation(intake: OrderIntake, peers: readonly Peer[], steps: readonly Step[], skews: readonly number[]): void {
  const writers = peers.map((peer, i) => new Writer(peer.user, 1000 + i));
  steps.forEach((step, index) => {
    if (step.kind === 'sync') {
      peers[step.to]!.pullFrom(peers[step.from]!);
      return;
    }
    const peer = peers[step.peer]!;
    const now = T0 + index * 10 * 60_000 + (skews[step.peer] ?? 0);
    const seen = peer.events();
    const view = deriveOrder(intake, seen, now);
    const draft = chooseDraft(peer.user, view, step);
    peer.append(writers[step.peer]!.write(draft, Math.max(now, T0 - DAY), seen));
  });
}

/** Mostly what the local view allows (so histories progress), sometimes anything the role may try. */
function chooseDraft(user: User, view: OrderView, step: Extract<Step, { kind: 'act' }>): EventDraft {
  const allowed = EVENT_TYPES.filter((type) => {
    const rule = EVENT_RULES[type];
    const rare = type === 'merge' && step.choice % 8 !== 0; // merging ends a history early
    return !rare && rule.roles.includes(user.role) && (rule.from === 'any' || rule.from.includes(view.status));
  });
  const forward = FORWARD[view.status](view);
  if (step.mode <= 5 && forward && allowed.includes(forward)) return draftFor(forward, view, step.choice);
  const pool = step.mode <= 7 && allowed.length > 0 ? allowed : EVENT_TYPES;
  const type = pool[step.pick % pool.length]!;
  return draftFor(type, view, step.choice);
}

/** The step that moves each status on, so that histories reach the later states. */
const FORWARD: Record<OrderView['status'], (view: OrderView) => EventType | null> = {
  pending_dispatch: () => 'dispatch',
  dispatched: () => 'accept',
  returned: () => 'dispatch',
  in_progress: (view) => (view.photos.length === 0 ? 'photo_added' : 'close'),
  closed: () => 'review_pass',
  reviewed: () => 'portal_reply',
  replied: () => 'callback',
  called_back: (view) => (view.callback?.satisfaction === 'unsatisfied' ? 'reopen' : 'archive'),
  archived: () => null,
  merged: () => null,
};

export function draftFor(type: EventType, view: OrderView, choice: number): EventDraft {
  const grids = ['d1-s1-c1-g1', 'd1-s1-c1-g2'];
  switch (type) {
    case 'dispatch':
      return { type, payload: { unitId: grids[choice % 2]!, unitKind: 'grid', ...(choice % 3 === 0 ? { assignee: 'grid2' } : {}) } };
    case 'accept':
    case 'archive':
      return { type, payload: {} };
    case 'return':
      return { type, payload: { code: 'wrong_jurisdiction', reason: '不属于本网格' } };
    case 'extension_request':
      return { type, payload: { reason: '需协调', until: view.deadline + (1 + (choice % 5)) * DAY } };
    case 'extension_approve':
      return { type, payload: { requestId: view.pendingExtension?.eventId ?? 'no-such-request' } };
    case 'extension_refuse':
      return { type, payload: { requestId: view.pendingExtension?.eventId ?? 'no-such-request', reason: '不同意' } };
    case 'check_in':
      return {
        type,
        payload: { location: choice % 2 ? { kind: 'none', reason: 'indoors' } : { kind: 'fix', position: { lat: 34, lng: 112, accuracy: 20 } } },
      };
    case 'progress':
      return { type, payload: { text: `进展 ${choice}` } };
    case 'photo_added':
      return { type, payload: payloads.photo(choice % 7, choice % 3 === 0 ? 'contact' : 'handling') };
    case 'close': {
      const known = view.photos.map((p) => p.sha256);
      const photos = choice % 4 === 0 || known.length === 0 ? [sha(choice % 7)] : known.slice(0, 2);
      return { type, payload: payloads.close(photos) };
    }
    case 'review_pass':
    case 'portal_reply':
      return { type, payload: {} };
    case 'review_reject':
    case 'reopen':
      // Half with a redo deadline (a year on: never before the decision), half as written before it existed.
      return { type, payload: { reason: '重新办理', ...(choice % 2 ? { until: T0 + 365 * DAY } : {}) } };
    case 'callback':
      return { type, payload: { satisfaction: (['satisfied', 'basic', 'unsatisfied'] as const)[choice % 3]!, ...(choice % 2 ? { reached: 'phone' as const } : {}) } };
    case 'supervise':
      return { type, payload: { level: (['reminder', 'warning', 'listed'] as const)[choice % 3]!, note: '督办', ...(choice % 2 ? { respondWithinHours: 24 } : {}) } };
    case 'phone_reveal':
      return { type, payload: {} };
    case 'conflict_resolve': {
      const open = view.conflicts.filter((c) => c.resolvedBy === null);
      return { type, payload: { eventId: open[choice % Math.max(open.length, 1)]?.eventId ?? 'no-such-event', note: '已核实' } };
    }
    case 'merge':
      return { type, payload: { intoOrderNo: '250912101108115400' } };
  }
}

/** Peers as plain event sets. */
export class ArrayPeer implements Peer {
  private readonly log = new Map<string, OrderEvent>();
  constructor(readonly user: User) {}
  events(): OrderEvent[] {
    return [...this.log.values()];
  }
  append(event: OrderEvent): void {
    this.log.set(event.id, event);
  }
  pullFrom(other: Peer): void {
    for (const event of other.events()) this.log.set(event.id, event);
  }
}

/** Every event written by every peer (the whole cast) in one random history of up to `maxSteps` steps. */
export const historyArb = (order: OrderIntake, maxSteps: number): fc.Arbitrary<OrderEvent[]> =>
  fc
    .tuple(fc.array(stepArb(CAST.length), { minLength: 1, maxLength: maxSteps, size: 'max' }), skewArb(CAST.length))
    .map(([steps, skews]) => {
      const peers = CAST.map((user) => new ArrayPeer(user));
      runSimulation(order, peers, steps, skews);
      const all = new Map<string, OrderEvent>();
      for (const peer of peers) for (const event of peer.events()) all.set(event.id, event);
      return [...all.values()];
    });
