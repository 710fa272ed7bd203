/**
 * A brute-force reference for every indicator, computed from raw events:
 * each order's applied events (the reducer's verdict on conflicts) walked in
 * clock order, with the server's receipts, and each definition of
 * docs/INDICATORS.md written out again as a plain loop. Shares no code with
 * shared/indicators or the summary.
 */
import { isWorkingDay, DEFAULT_POLICY } from '#shared/order/deadline.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import type { OrderIntake } from '#shared/order/intake.ts';

export interface RawOrder {
  readonly intake: OrderIntake;
  /** Applied events in clock order. */
  readonly applied: readonly OrderEvent[];
  readonly receipts: ReadonlyMap<string, number>;
}

interface Facts {
  id: string;
  intake: OrderIntake;
  merged: boolean;
  closedAt: number | null;
  deadline: number;
  dispatchedAt: number | null;
  acceptedAt: number | null;
  callback: { satisfaction: string; at: number } | null;
  calledBack: boolean;
  reopens: number;
  dispatches: number;
  returns: number;
  checkIns: number;
  closePhotos: number;
  supervisedAt: number | null;
  answeredAt: number | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function facts(order: RawOrder): Facts {
  const eff = (e: OrderEvent): number => Math.max(e.at, order.receipts.get(e.id) ?? -Infinity);
  const f: Facts = {
    id: order.intake.id,
    intake: order.intake,
    merged: false,
    closedAt: null,
    deadline: order.intake.deadline,
    dispatchedAt: null,
    acceptedAt: null,
    callback: null,
    calledBack: false,
    reopens: 0,
    dispatches: 0,
    returns: 0,
    checkIns: 0,
    closePhotos: 0,
    supervisedAt: order.intake.supervision !== 'none' ? order.intake.receivedAt : null,
    answeredAt: null,
  };
  const requests = new Map<string, number>();
  for (const e of order.applied) {
    if (f.supervisedAt !== null && f.answeredAt === null && e.type !== 'supervise') {
      if (['accept', 'return', 'extension_request', 'check_in', 'progress', 'photo_added', 'close'].includes(e.type)) f.answeredAt = Math.max(eff(e), f.supervisedAt);
    }
    if (e.type === 'supervise' && f.supervisedAt === null) f.supervisedAt = eff(e);
    if (e.type === 'merge') f.merged = true;
    if (e.type === 'dispatch') {
      f.dispatches++;
      f.dispatchedAt = eff(e);
      f.acceptedAt = null;
    }
    if (e.type === 'accept') f.acceptedAt = eff(e);
    if (e.type === 'return') f.returns++;
    if (e.type === 'check_in') f.checkIns++;
    if (e.type === 'extension_request') requests.set(e.id, e.payload.until);
    if (e.type === 'extension_approve') f.deadline = e.payload.until ?? requests.get(e.payload.requestId)!;
    if (e.type === 'close') {
      f.closedAt = eff(e);
      f.closePhotos = e.payload.photos.handling.length + e.payload.photos.contact.length + e.payload.photos.document.length;
    }
    if (e.type === 'reopen' || e.type === 'review_reject') {
      if (e.payload.until !== undefined) f.deadline = e.payload.until;
      f.closedAt = null;
      f.calledBack = false;
      f.closePhotos = 0;
    }
    if (e.type === 'reopen') f.reopens++;
    if (e.type === 'callback') {
      f.callback = { satisfaction: e.payload.satisfaction, at: eff(e) };
      f.calledBack = true;
    }
  }
  return f;
}

/** Hour by hour: the ms of [from, to) that fall on working days. */
function workingDays(from: number, to: number): number {
  let ms = 0;
  for (let t = from; t < to; ) {
    const next = Math.min(to, Math.floor(t / HOUR) * HOUR + HOUR);
    if (isWorkingDay(t, DEFAULT_POLICY)) ms += next - t;
    t = next;
  }
  return ms / DAY;
}

export interface RefRate {
  readonly num: string[];
  readonly den: string[];
}

export function referenceIndicators(orders: readonly RawOrder[], from: number, to: number, now: number) {
  const all = orders.map(facts).filter((f) => !f.merged);
  const inP = (t: number | null): boolean => t !== null && t >= from && t < to;
  const ids = (list: Facts[]): string[] => list.map((f) => f.id).sort();
  const rate = (den: Facts[], hit: (f: Facts) => boolean): RefRate => ({ den: ids(den), num: ids(den.filter(hit)) });
  const mean = (list: Facts[], value: (f: Facts) => number): number | null =>
    list.length === 0 ? null : list.reduce((s, f) => s + value(f), 0) / list.length;

  const received = all.filter((f) => inP(f.intake.receivedAt));
  const closed = all.filter((f) => inP(f.closedAt));
  const supervised = all.filter((f) => inP(f.supervisedAt));
  const answered = supervised.filter((f) => f.answeredAt !== null);
  const end = Math.min(to, now);
  return {
    received: ids(received),
    closed: ids(closed),
    closeRate: rate(received, (f) => f.closedAt !== null && f.closedAt < to),
    onTimeRate: rate(closed, (f) => f.closedAt! <= f.deadline),
    acceptOnTimeRate: rate(
      all.filter((f) => inP(f.dispatchedAt) && (f.acceptedAt !== null || f.dispatchedAt! + 2 * HOUR < now)),
      (f) => f.acceptedAt !== null && f.acceptedAt <= f.dispatchedAt! + 2 * HOUR,
    ),
    overdue: ids(all.filter((f) => f.deadline >= from && f.deadline < end && (f.closedAt === null || f.closedAt > f.deadline))),
    overdueOpen: ids(all.filter((f) => f.closedAt === null && f.deadline < now)),
    durationDays: mean(closed, (f) => (f.closedAt! - f.intake.receivedAt) / DAY),
    durationWorkingDays: mean(closed, (f) => workingDays(f.intake.receivedAt, f.closedAt!)),
    callbackRate: rate(closed, (f) => f.calledBack),
    satisfactionRate: rate(
      all.filter((f) => f.callback !== null && inP(f.callback.at)),
      (f) => f.callback!.satisfaction !== 'unsatisfied',
    ),
    reopenRate: rate(closed, (f) => f.reopens > 0),
    returnRate: rate(
      received.filter((f) => f.dispatches > 0),
      (f) => f.returns > 0,
    ),
    redispatches: received.reduce((s, f) => s + Math.max(0, f.dispatches - 1), 0),
    supervised: ids(supervised),
    supervisionResponseHours: mean(answered, (f) => (f.answeredAt! - f.supervisedAt!) / HOUR),
    checkInRate: rate(closed, (f) => f.checkIns > 0),
    photoRate: rate(closed, (f) => f.closePhotos > 0),
    fieldReports: ids(received.filter((f) => f.intake.source === 'field_report')),
    selfHandled: ids(received.filter((f) => f.intake.source === 'field_report' && f.intake.selfHandled === true)),
  };
}
