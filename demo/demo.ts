/**
 * A whole demo set: organisation, users and orders with histories. Orders are
 * built one at a time and on demand, each from its own seeded streams, so a
 * set of 10,000 can be streamed and any single order rebuilt by its index.
 */
import { newId, seededRandomBytes } from '#shared/clock/ids.ts';
import type { User } from '#shared/org/roles.ts';
import type { Unit } from '#shared/org/units.ts';
import { DEFAULT_POLICY, type DeadlinePolicy } from '#shared/order/deadline.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import { isOpenStatus as isOpen, type OpenStatus, type Status } from '#shared/order/status.ts';
import { buildHistory } from './histories.ts';
import { draftIntake, realCaseIntake, type DraftedIntake } from './intakes.ts';
import { generateOrg, type DemoOrg, type GridPlace, type OrgSize } from './org.ts';
import { STREAM, itemAt, mixSeed, orderBytes, orderRng, unitInterval, weighted, type Rng, type Weighted } from './random.ts';
import { REAL_CASES, REAL_CASE_GRID, type RealCase } from './real-cases.ts';
import { DAY, HOUR, MINUTE, SECOND, orderNumber, receiptTime } from './time.ts';
import { generateUsers, staffDirectory } from './users.ts';

/**
 * A whole city transfers about 820 orders a day to handling units (2,117 calls
 * × 38.7% in one city's published figures) across, say, 2,000 grids.
 */
export const ORDERS_PER_GRID_PER_DAY = 0.4;
/** Calendar days an order is open on average (another city's published figures). */
export const AVERAGE_HANDLING_DAYS = 5.05;

export interface DemoOptions {
  /** The present: every order is received and every event written before it. */
  readonly now: number;
  readonly seed?: number;
  readonly org?: Partial<OrgSize>;
  readonly gridWorkersPerGrid?: number;
  /** Orders to generate; default ORDERS_PER_GRID_PER_DAY × grids × periodDays. */
  readonly count?: number;
  /** Orders are received over this many days before `now` (default 30). */
  readonly periodDays?: number;
  /** Exactly this many orders are open (awaiting dispatch, dispatched, returned or in progress). */
  readonly openCount?: number;
  /**
   * Share of open orders when `openCount` is not given. Default: by Little's
   * law, AVERAGE_HANDLING_DAYS / periodDays of a steady intake is still open.
   */
  readonly openShare?: number;
  /** Every open order (other than a real case) has this status, whatever its age; default: by age. */
  readonly openStatus?: OpenStatus;
  /** Start with the seven real cases (default true). */
  readonly realCases?: boolean;
  readonly policy?: DeadlinePolicy;
}

export interface DemoOrder {
  readonly intake: OrderIntake;
  readonly events: readonly OrderEvent[];
  /** The status the events derive to at `now`. */
  readonly status: Status;
}

export interface Demo {
  readonly now: number;
  readonly seed: number;
  readonly org: DemoOrg;
  readonly units: readonly Unit[];
  readonly users: readonly User[];
  readonly count: number;
  readonly openCount: number;
  /** Order `index` (0 ≤ index < count), built on each call. */
  order(index: number): DemoOrder;
  /** The order with this id (see demoOrderId), if the set has it: lets a device rebuild one order's doc on demand. */
  orderById(id: string): DemoOrder | undefined;
  /** Every order, in index order, built as they are consumed. */
  orders(): Generator<DemoOrder, void, undefined>;
}

/** Where an order stands before its texts and history are written. */
interface Header {
  readonly status: Status;
  readonly receivedAt: number;
  readonly real: RealCase | undefined;
}

const OPEN_BY_AGE = [
  { below: 30 * MINUTE, table: weighted<Status>([['pending_dispatch', 70], ['dispatched', 30]]) },
  { below: 4 * HOUR, table: weighted<Status>([['pending_dispatch', 15], ['dispatched', 45], ['in_progress', 40]]) },
  { below: Infinity, table: weighted<Status>([['pending_dispatch', 4], ['dispatched', 12], ['returned', 8], ['in_progress', 76]]) },
] as const;

/** Recent orders are still between close and archive; old ones are mostly archived. */
const DONE_BY_AGE = [
  { below: 2 * DAY, table: weighted<Status>([['closed', 40], ['reviewed', 25], ['replied', 25], ['called_back', 3], ['archived', 2], ['merged', 5]]) },
  { below: 7 * DAY, table: weighted<Status>([['closed', 6], ['reviewed', 5], ['replied', 18], ['called_back', 20], ['archived', 48], ['merged', 3]]) },
  { below: Infinity, table: weighted<Status>([['closed', 1], ['reviewed', 1], ['replied', 4], ['called_back', 6], ['archived', 87], ['merged', 1]]) },
] as const;

/** Open orders are mostly a day or two old; a few have been open for long. */
const OPEN_MEAN_AGE = 2 * DAY;
/** Finished orders were received at least this long ago. */
const DONE_MIN_AGE = 6 * HOUR;
/** A real case that cannot stay open (too few open orders asked for) is shown archived, this old. */
const ARCHIVED_REAL_CASE_AGE = 6 * DAY;

const SERIAL_STEP = 7919;
/** 7919 × 17,679 ≡ 1 (mod 10⁶). */
const SERIAL_STEP_INVERSE = 17_679;

export function createDemo(options: DemoOptions): Demo {
  const { now } = options;
  if (!Number.isFinite(now)) throw new Error('demo: `now` must be a time in ms');
  const seed = options.seed ?? 1;
  const period = (options.periodDays ?? 30) * DAY;
  if (!(period > 0)) throw new Error('demo: periodDays must be positive');
  const org = generateOrg(options.org);
  const users = generateUsers(org, options.gridWorkersPerGrid === undefined ? {} : { gridWorkersPerGrid: options.gridWorkersPerGrid });
  const staff = staffDirectory(users);
  const policy = options.policy ?? DEFAULT_POLICY;

  const count = options.count ?? Math.round(ORDERS_PER_GRID_PER_DAY * org.grids.length * (period / DAY));
  // Order numbers end in a six-digit serial unique per index.
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) throw new Error(`demo: count must be 0 to 1,000,000, got ${count}`);
  const openShare = options.openShare ?? Math.min(0.9, (AVERAGE_HANDLING_DAYS * DAY) / period);
  const openCount = options.openCount ?? Math.round(count * openShare);
  if (!Number.isInteger(openCount) || openCount < 0 || openCount > count) throw new Error(`demo: openCount must be 0 to ${count}, got ${openCount}`);

  const realStatuses = realCaseStatuses(options.realCases === false ? [] : REAL_CASES.slice(0, count), count, openCount);
  const real = realStatuses.length;
  const restOpen = openCount - realStatuses.filter(isOpen).length;
  const isOpenAt = openSelection(count - real, restOpen, seed);

  const gridTable = weighted(org.grids.map((g) => [g, 0.4 + 1.2 * unitInterval(g.grid.id)] as const));
  const realGrid = org.grids.find((g) => g.grid.id === REAL_CASE_GRID) ?? itemAt(org.grids, 0);
  const serialSalt = mixSeed(seed, 0x5e71a1) % 1_000_000;
  // A bijection of 0 … 999,999 (7919 is prime to 10⁶), so the serial gives the index back.
  const serial = (index: number) => (index * SERIAL_STEP + serialSalt) % 1_000_000;
  const indexOfSerial = (value: number) => (((value - serialSalt + 1_000_000) % 1_000_000) * SERIAL_STEP_INVERSE) % 1_000_000;

  const header = (index: number): Header => {
    const realCase = REAL_CASES[index];
    const realStatus = realStatuses[index];
    if (index < real && realCase && realStatus) {
      const age = realStatus === realCase.status ? realCase.ageHours * HOUR : Math.max(realCase.ageHours * HOUR, ARCHIVED_REAL_CASE_AGE);
      return { status: realStatus, receivedAt: Math.floor((now - Math.min(age, period * 0.95)) / SECOND) * SECOND, real: realCase };
    }
    const rng = orderRng(seed, index, STREAM.header);
    if (isOpenAt(index - real)) {
      const receivedAt = receiptTime(rng, now, 0, period, OPEN_MEAN_AGE);
      return { status: options.openStatus ?? byAge(OPEN_BY_AGE, now - receivedAt, rng), receivedAt, real: undefined };
    }
    const receivedAt = receiptTime(rng, now, Math.min(DONE_MIN_AGE, period / 2), period);
    let status = byAge(DONE_BY_AGE, now - receivedAt, rng);
    if (status === 'merged' && count < 2) status = 'archived';
    return { status, receivedAt, real: undefined };
  };

  const order = (index: number): DemoOrder => {
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`demo: no order ${index} in a set of ${count}`);
    const head = header(index);
    const rng = orderRng(seed, index, STREAM.intake);
    const random = orderBytes(seed, index);
    const place = head.real ? realGrid : gridTable.pick(rng);
    const ctx = { id: demoOrderId(seed, index, serial(index)), place, receivedAt: head.receivedAt, serial: serial(index), policy, rng, random };
    const drafted: DraftedIntake = head.real ? realCaseIntake(ctx, head.real) : draftIntake(ctx);
    const historyRng = orderRng(seed, index, STREAM.history);
    let mergeInto: string | undefined;
    if (head.status === 'merged') {
      const other = (index + 1 + historyRng.int(0, count - 2)) % count;
      mergeInto = orderNumber(header(other).receivedAt, serial(other));
    }
    const events = buildHistory({
      intake: drafted.intake,
      status: head.status,
      text: drafted.text,
      spot: drafted.spot,
      place,
      neighbour: neighbourOf(org, place),
      staff,
      now,
      rng: historyRng,
      random,
      ...(mergeInto === undefined ? {} : { mergeInto }),
      ...(head.real ? { plain: true, ...(head.real.satisfaction ? { satisfaction: head.real.satisfaction } : {}) } : {}),
    });
    return { intake: drafted.intake, events, status: head.status };
  };

  const orderById = (id: string): DemoOrder | undefined => {
    const match = DEMO_ORDER_ID.exec(id);
    if (!match) return undefined;
    const index = indexOfSerial(Number(match[2]));
    return index < count && demoOrderId(seed, index, serial(index)) === id ? order(index) : undefined;
  };

  return {
    now,
    seed,
    org,
    units: org.units,
    users,
    count,
    openCount,
    order,
    orderById,
    *orders() {
      for (let i = 0; i < count; i++) yield order(i);
    },
  };
}

const DEMO_ORDER_ID = /^o-([0-9a-z]{10})(\d{6})$/;

/**
 * A demo order's id: `o-`, ten base-36 characters drawn from (seed, index)
 * and the six-digit serial that ends its order number. The serial lets
 * `orderById` find the order without building the set; the drawn part means
 * the id cannot be made from the order number alone, as real ids, drawn by
 * the server at intake, cannot be made from it at all.
 */
function demoOrderId(seed: number, index: number, serial: number): string {
  return `o-${newId(seededRandomBytes(mixSeed(seed, index, STREAM.id)), 10)}${String(serial).padStart(6, '0')}`;
}

function byAge(buckets: readonly { below: number; table: Weighted<Status> }[], age: number, rng: Rng): Status {
  const bucket = buckets.find((b) => age < b.below) ?? itemAt(buckets, buckets.length - 1);
  return bucket.table.pick(rng);
}

/**
 * The real cases' statuses, adjusted so that exactly `openCount` orders of the
 * set are open: open cases fall back to archived when too few are open, and
 * closed ones to in progress when nearly all must be open.
 */
function realCaseStatuses(cases: readonly RealCase[], count: number, openCount: number): Status[] {
  const rest = count - cases.length;
  const wanted = cases.filter((c) => isOpen(c.status)).length;
  const open = Math.min(Math.max(wanted, openCount - rest), openCount, cases.length);
  let toClose = wanted - open;
  let toOpen = open - wanted;
  const statuses = cases.map((c) => c.status);
  for (let i = statuses.length - 1; i >= 0 && (toClose > 0 || toOpen > 0); i--) {
    const status = itemAt(statuses, i);
    if (toClose > 0 && isOpen(status)) {
      statuses[i] = 'archived';
      toClose--;
    } else if (toOpen > 0 && !isOpen(status)) {
      statuses[i] = 'in_progress';
      toOpen--;
    }
  }
  return statuses;
}

/**
 * Whether order `k` of `n` is one of the `open` open ones: a seeded affine
 * permutation of 0 … n-1 picks exactly that many, spread over the set, and
 * answers for any one order without looking at the others.
 */
function openSelection(n: number, open: number, seed: number): (k: number) => boolean {
  if (n <= 0) return () => false;
  let a = 1 + (mixSeed(seed, 0x0be2) % n);
  while (gcd(a, n) !== 1) a = (a % n) + 1;
  const b = mixSeed(seed, 0x0be3) % n;
  return (k) => (a * k + b) % n < open;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Another grid of the same community, if it has more than one. */
function neighbourOf(org: DemoOrg, place: GridPlace): GridPlace | undefined {
  const index = org.grids.indexOf(place);
  const next = org.grids[index + 1];
  if (next && next.community.id === place.community.id) return next;
  const previous = org.grids[index - 1];
  return previous && previous.community.id === place.community.id ? previous : undefined;
}

