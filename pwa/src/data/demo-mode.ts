/**
 * Demo mode: the app without a server, on the seeded demo city of
 * `demo/` cut down to one grid, signed in as its grid worker (王伟,
 * grid1). Offered on the login screen in development builds and, in a
 * production build, when the URL has `?demo` (`?demo=2000` stores 2,000
 * orders, to try the inbox at scale; `&demoOpen=200` makes exactly 200 of
 * them open instead of about 30 %).
 *
 * Only the inbox rows are written at sign-in; an order's doc is built from the
 * same seeded set when it is first opened (`orderById`), so 2,000 orders do not
 * mean 2,000 IndexedDB databases. The set is fixed by the moment demo mode was
 * started, remembered in localStorage, so a reload rebuilds exactly the same
 * orders.
 *
 * The generator (`demo/`) is a lazy chunk, loaded by `loadDemo` only
 * when demo mode is used or offered: the rest of this file is light and sits
 * in the entry. Until it is loaded, the functions that need it return null.
 */
import type { Demo, OrgSize } from '#demo/index.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { projectMany, type ProjectionSource } from '#shared/local/projection.ts';
import { summarizeOrder } from '#shared/order/summary.ts';
import type { OrgDirectory } from '#shared/org/names.ts';
import type { User } from '#shared/org/roles.ts';
import type { SeedOrder } from '#shared/client/repository.ts';
import { STORED_KEYS } from './storage-keys.ts';

const STORAGE_KEY = STORED_KEYS.demo.key;
const DEFAULT_COUNT = 200;
const ONE_GRID: OrgSize = { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 1, gridsPerCommunity: 1 };

const query = new URLSearchParams(location.search);

/** Whether the login screen offers demo mode. */
export const demoAvailable = import.meta.env.DEV || query.has('demo');

interface DemoSettings {
  readonly now: number;
  readonly count: number;
  readonly openCount: number;
}

function requestedCount(): number {
  const n = Number(query.get('demo'));
  return Number.isInteger(n) && n > 0 && n <= 20_000 ? n : DEFAULT_COUNT;
}

/** By default about a third open, so the worker has orders to accept and to work on. */
function openCountFor(count: number, requested: unknown): number {
  const n = typeof requested === 'string' && requested.trim() !== '' ? Number(requested) : requested;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= count ? n : Math.round(count * 0.3);
}

function storedSettings(): DemoSettings | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<DemoSettings> | null;
    if (!parsed || typeof parsed.now !== 'number' || typeof parsed.count !== 'number') return null;
    // Settings stored before `?demoOpen` existed have no openCount: the default share, as then.
    return { now: parsed.now, count: parsed.count, openCount: openCountFor(parsed.count, parsed.openCount) };
  } catch {
    return null;
  }
}

type DemoModule = typeof import('#demo/index.ts');
let generator: DemoModule | null = null;
let loading: Promise<DemoModule> | null = null;

/** The demo generator, loaded once. */
export function loadDemo(): Promise<DemoModule> {
  loading ??= import('#demo/index.ts').then((module) => (generator = module));
  loading.catch(() => (loading = null));
  return loading;
}

function build(settings: DemoSettings): Demo {
  if (!generator) throw new Error('the demo generator is not loaded (loadDemo)');
  return generator.createDemo({ now: settings.now, seed: 1, org: ONE_GRID, count: settings.count, openCount: settings.openCount });
}

let current: Demo | null = null;

function demo(): Demo | null {
  if (current || !generator) return current;
  const settings = storedSettings();
  current = settings ? build(settings) : null;
  return current;
}

/** True when the stored session is a demo session. */
export function isDemoActive(): boolean {
  return storedSettings() !== null;
}

/** The demo's worker, whose session `signInDemo` stores. */
export async function demoUser(): Promise<User> {
  const { DEMO_ACCOUNTS } = await loadDemo();
  const { password: _password, ...user } = DEMO_ACCOUNTS.find((a) => a.role === 'grid_worker')!;
  return user;
}

/** The demo's place of the worker (the one grid); after `loadDemo`. */
export function demoPlace(): { districtId: string; streetId: string; communityId: string; gridId: string } {
  const place = demo()?.org.grids[0] ?? build({ now: Date.now(), count: 1, openCount: 0 }).org.grids[0]!;
  return { districtId: place.district.id, streetId: place.street.id, communityId: place.community.id, gridId: place.grid.id };
}

/** Start demo mode: remember the set and write its inbox rows. */
export async function startDemo(db: LianxinDb, now: number): Promise<void> {
  const count = requestedCount();
  const settings: DemoSettings = { now, count, openCount: openCountFor(count, query.get('demoOpen')) };
  // The reducer (and the event schemas it needs) is not part of the first screen: loaded with the demo set.
  const [{ deriveOrder }] = await Promise.all([import('#shared/order/reducer.ts'), loadDemo()]);
  localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
  current = build(settings);
  let batch: ProjectionSource[] = [];
  for (const order of current.orders()) {
    batch.push({ summary: summarizeOrder(order.intake, deriveOrder(order.intake, order.events, now)), content: order.intake.content });
    if (batch.length === 500) {
      await projectMany(db, batch, now);
      batch = [];
    }
  }
  if (batch.length > 0) await projectMany(db, batch, now);
}

export function stopDemo(): void {
  localStorage.removeItem(STORAGE_KEY);
  current = null;
}

/** The demo's organisation and staff: names for the timeline. */
export function demoDirectory(): OrgDirectory | null {
  const built = demo();
  return built ? { units: built.units, people: built.users } : null;
}

/** The seeded content of a demo order, for an order doc opened empty. */
export function demoOrder(orderId: string): SeedOrder | null {
  const order = demo()?.orderById(orderId);
  return order ? { intake: order.intake, events: order.events } : null;
}
