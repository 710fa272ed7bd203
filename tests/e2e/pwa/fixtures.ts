/**
 * Fixtures for the PWA's e2e tests: serve the built app, start a real sync
 * server, launch a phone-sized Chromium, and page objects for the screens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import type { User } from '#shared/org/roles.ts';
import type { SeedOptions } from '#server/seed.ts';
import { waitFor, WAIT_MS } from '../../support/wait.ts';
import { keepConsole } from '../support/console-tail.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers 200; gives up with `output()` (the process's stderr) when it does not in WAIT_MS. */
async function waitForHttp(url: string, what: string, output: () => string): Promise<void> {
  try {
    await waitFor(async () => {
      try {
        return (await fetch(url)).ok;
      } catch {
        return false; // not up yet
      }
    }, `${what} to answer at ${url}`);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${what} printed:\n${output()}`, { cause: error });
  }
}

export interface Preview {
  readonly url: string;
  stop(): Promise<void>;
}

/** Serve dist/pwa (or `outDir`, a copy of it) with `vite preview`; /api and /sync go to `serverUrl` when given. */
export async function startPreview(serverUrl?: string, outDir?: string): Promise<Preview> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'preview', '--config', 'pwa/vite.config.ts', '--port', String(port), '--strictPort', '--host', '127.0.0.1', ...(outDir ? ['--outDir', outDir] : [])],
    // Without a server, /api goes to a closed port (not to whatever runs on the default 8787).
    { cwd: ROOT, env: { ...process.env, LIANXIN_SERVER: serverUrl ?? 'http://127.0.0.1:9' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, 'vite preview', () => output);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A copy of the built PWA that one file may change. */
export interface PrivateBuild {
  readonly dir: string;
  remove(): Promise<void>;
}

/**
 * A copy of dist/pwa for a file that deploys a new version by editing the
 * service worker: the PWA's e2e files run side by side, and the build they
 * share must not change under them.
 */
export async function privateBuild(): Promise<PrivateBuild> {
  const dir = join(await mkdtemp(join(tmpdir(), 'lianxin-e2e-pwa-')), 'pwa');
  await cp(join(ROOT, 'dist', 'pwa'), dir, { recursive: true });
  return { dir, remove: () => rm(dirname(dir), { recursive: true, force: true }) };
}

export interface SyncServer {
  readonly url: string;
  readonly wsUrl: string;
  /** The seeded demo accounts' password. */
  readonly password: string;
  /** The first seeded account of a role (the seed decides the ids). */
  account(role: User['role']): string;
  /** That account as a user (for a scripted client writing as them). */
  user(role: User['role']): User;
  stop(): Promise<void>;
}

export interface SyncServerOptions {
  /**
   * What the demo seed generates: its size (`count`, `openCount`) and the
   * organisation's (`org: { districts: 1, streetsPerDistrict: 1,
   * communitiesPerStreet: 1, gridsPerCommunity: 1 }` puts every order in the
   * demo grid worker's inbox). Default: the demo's own month of a small city.
   */
  readonly seed?: SeedOptions;
  /** Finished orders leave the live index docs this long after closing (`--index-live`); default: the server's. */
  readonly indexLiveMs?: number | null;
}

/** A real sync server (server/app.ts) on a free port with a throwaway data folder and the demo accounts. */
export async function startSyncServer(options: SyncServerOptions = {}): Promise<SyncServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lianxin-e2e-server-'));
  const { startServer } = (await import('#server/app.ts')) as typeof import('#server/app.ts');
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, seedDemo: 'always', quiet: true, ...(options.seed ? { seedOptions: options.seed } : {}), ...(options.indexLiveMs === undefined ? {} : { indexLiveMs: options.indexLiveMs }) });
  const seeded = server.seeded;
  if (!seeded) throw new Error('the server seeded no demo accounts');
  const user = (role: User['role']): User => {
    const found = seeded.accounts.find((a) => a.role === role);
    if (!found) throw new Error(`no seeded ${role}`);
    return { id: found.id, name: found.name, role: found.role, unitId: found.unitId };
  };
  return {
    url: server.url,
    wsUrl: server.url.replace(/^http/, 'ws'),
    password: seeded.password,
    account: (role) => user(role).id,
    user,
    stop: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Phone {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly userDataDir: string;
  /**
   * Content-Security-Policy violations Chromium reported in this phone's pages
   * (the app runs under the policy the server sends). `close()` fails the test
   * if any were seen; a test that provokes one on purpose empties this first.
   */
  readonly cspViolations: string[];
  close(): Promise<void>;
}

/**
 * Record CSP violations: the page's own `securitypolicyviolation` events
 * (re-logged to the console by an init script) and Chromium's console errors
 * ("Refused to … because it violates the following Content Security Policy …").
 */
async function watchCsp(context: BrowserContext, into: string[]): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`[csp-violation] ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  context.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && /\[csp-violation\]|Content Security Policy/.test(text)) into.push(text);
  });
}

/**
 * The pages' wall clock moved by `offsetMs` (their `Date` and `Date.now` only): a test pins the moment it runs at, so
 * what depends on the time of day (the demo's orders are made relative to it, their deadlines in working hours) is the
 * same on every run. Timers, `performance.now` and the page's performance marks stay the browser's own (Playwright's
 * clock fakes `performance` too, and its marks then read as none). The same offset across launches keeps the clock
 * running on from one to the next.
 */
export async function shiftPageClock(context: BrowserContext, offsetMs: number): Promise<void> {
  await context.addInitScript((offset: number) => {
    const RealDate = Date;
    function ShiftedDate(this: unknown, ...args: unknown[]): Date | string {
      if (!new.target) return new RealDate(RealDate.now() + offset).toString();
      return Reflect.construct(RealDate, args.length > 0 ? args : [RealDate.now() + offset], new.target) as Date;
    }
    ShiftedDate.prototype = RealDate.prototype;
    Object.setPrototypeOf(ShiftedDate, RealDate);
    Object.defineProperty(ShiftedDate, 'now', { value: () => RealDate.now() + offset });
    globalThis.Date = ShiftedDate as unknown as DateConstructor;
  }, offsetMs);
}

function failOnCsp(violations: readonly string[]): void {
  if (violations.length > 0) throw new Error(`the app broke its Content-Security-Policy ${violations.length} time(s):\n  ${[...new Set(violations)].join('\n  ')}`);
}

const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
} as const;
/** An office desk: a laptop's window, mouse and keyboard. */
const DESK = {
  viewport: { width: 1280, height: 800 },
  deviceScaleFactor: 1,
  isMobile: false,
  hasTouch: false,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
} as const;
const GEOLOCATION = { latitude: 34.6712, longitude: 112.4021, accuracy: 18 };

/**
 * A phone-sized Chromium (`desk`: a 1280×800 laptop window) with its own profile (IndexedDB survives close and relaunch with the same dir).
 * `bypassCsp` lets a benchmark inject its own measuring code into the app's page; the app's policy
 * is then not enforced in that phone, so no test of the app uses it.
 */
export async function launchPhone(options: { userDataDir?: string; geolocation?: boolean; bypassCsp?: boolean; desk?: boolean; blockServiceWorkers?: boolean } = {}): Promise<Phone> {
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'lianxin-e2e-phone-')));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    ...(options.desk ? DESK : PHONE),
    ...(options.geolocation !== false ? { permissions: ['geolocation'], geolocation: GEOLOCATION } : {}),
    ...(options.bypassCsp ? { bypassCSP: true } : {}),
    // Requests then reach the network, where `context.route` sees them (a controlled page's go to its worker).
    ...(options.blockServiceWorkers ? { serviceWorkers: 'block' as const } : {}),
    args: FLAGS,
  });
  const cspViolations: string[] = [];
  await watchCsp(context, cspViolations);
  const watched = keepConsole(context, `${options.desk ? 'a desk' : 'a phone'} on ${userDataDir}`);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    userDataDir,
    cspViolations,
    close: async () => {
      await watched.closing();
      await context.close();
      failOnCsp(cspViolations);
    },
  };
}

/**
 * Several phones in ONE Chromium (one browser context each: its own storage,
 * service worker and network switch), for tests where devices act at once
 * without running two browsers side by side. `devices` says what each is: a
 * number gives that many phones; a list, a phone or a desk (1280×800) each.
 */
export async function launchPhones(devices: number | readonly ('phone' | 'desk')[]): Promise<{ phones: { context: BrowserContext; page: Page }[]; close(): Promise<void> }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const phones = [];
  const violations: string[] = [];
  const watched: { closing(): Promise<void> }[] = [];
  const kinds = typeof devices === 'number' ? Array.from({ length: devices }, () => 'phone' as const) : devices;
  for (const kind of kinds) {
    const context = await browser.newContext({ ...(kind === 'desk' ? DESK : PHONE), permissions: ['geolocation'], geolocation: GEOLOCATION });
    await watchCsp(context, violations);
    watched.push(keepConsole(context, `${kind === 'desk' ? 'a desk' : 'a phone'} ${phones.length + 1} of ${kinds.length}, one browser`));
    phones.push({ context, page: await context.newPage() });
  }
  return {
    phones,
    close: async () => {
      for (const one of watched) await one.closing();
      await browser.close();
      failOnCsp(violations);
    },
  };
}

/**
 * A device's network switch that also cuts its WebSockets. Chromium's offline
 * emulation (`setOffline`) fails new requests but leaves open WebSockets
 * sending and receiving (playwright issue #4910), which a real lost network
 * does not; so every sync socket of the context goes through a route that is
 * closed when the device goes offline and refused while it is. Call before
 * the context's pages open the app.
 */
export async function networkSwitch(context: BrowserContext): Promise<{ offline(): Promise<void>; online(): Promise<void> }> {
  let cut = false;
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  await context.routeWebSocket(/\/sync/, (ws) => {
    if (cut) return void ws.close({ code: 1001, reason: 'offline' });
    const link = { page: ws, server: ws.connectToServer() };
    open.add(link);
    ws.onClose(() => open.delete(link));
  });
  return {
    offline: async () => {
      cut = true;
      await context.setOffline(true);
      for (const link of [...open]) {
        open.delete(link);
        await link.server.close().catch(() => undefined);
        await link.page.close({ code: 1001, reason: 'offline' }).catch(() => undefined);
      }
    },
    online: async () => {
      cut = false;
      await context.setOffline(false);
    },
  };
}

/** A JPEG of the given size with a label, drawn by the page's own canvas. */
export async function makeJpeg(page: Page, label: string, width = 2400, height = 1800): Promise<Buffer> {
  const base64 = await page.evaluate(
    ({ label, width, height }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#2f6f4f';
      g.fillRect(0, 0, width, height);
      g.fillStyle = '#fff';
      g.font = `${Math.round(height / 10)}px sans-serif`;
      g.fillText(label, width / 10, height / 2);
      return canvas.toDataURL('image/jpeg', 0.9).split(',')[1]!;
    },
    { label, width, height },
  );
  return Buffer.from(base64, 'base64');
}

/** Every row of one of the app's IndexedDB stores (raw IndexedDB: the test reads what the app wrote), and the page's clock when read. */
export function storedRows<T>(page: Page, store: string): Promise<{ rows: T[]; now: number }> {
  return page.evaluate(
    (name) =>
      new Promise<{ rows: T[]; now: number }>((resolve, reject) => {
        const open = indexedDB.open('lianxin');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(name).objectStore(name).getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            resolve({ rows: request.result as T[], now: Date.now() });
            open.result.close();
          };
        };
      }),
    store,
  );
}

/** The photo rows stored on the device. */
export async function storedPhotos(page: Page): Promise<{ sha256: string; width: number; height: number }[]> {
  const { rows } = await storedRows<{ sha256: string; width: number; height: number }>(page, 'photos');
  return rows.map(({ sha256, width, height }) => ({ sha256, width, height }));
}

// ---- page objects ----

export class LoginScreen {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}${query}`);
    await this.page.waitForSelector('.login');
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.page.fill('input[name=username]', username);
    await this.page.fill('input[name=password]', password);
    await this.page.click('button[type=submit]');
  }

  error(): Promise<string | null> {
    return this.page.waitForSelector('[data-test=login-error]').then((el) => el.textContent());
  }

  async demo(): Promise<void> {
    await this.page.click('text=演示模式');
    await this.page.waitForSelector('.order-card');
  }

  /** Opens the app and waits until its service worker controls the page (so it can start offline). */
  async openReadyOffline(baseUrl: string, query = ''): Promise<void> {
    await this.open(baseUrl, query);
    await this.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
  }

  /** `openReadyOffline`, then demo mode. */
  async demoReadyOffline(baseUrl: string, query = '?demo'): Promise<void> {
    await this.openReadyOffline(baseUrl, query);
    await this.demo();
  }
}

export class InboxScreen {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string, tab: '待签收' | '处理中' | '已办结' | '全部'): Promise<void> {
    await this.page.goto(`${baseUrl}#/inbox`);
    await this.page.click(`.van-tab:has-text("${tab}")`);
    await this.page.waitForSelector('.order-card');
  }

  /** Ids of the cards drawn now (the list is windowed: the first screenfuls). */
  cardIds(): Promise<string[]> {
    return this.page.locator('.order-card').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.orderId ?? ''));
  }

  /**
   * The first order of a tab on which this user is offered `action`, skipping
   * `exclude`. Demo and seed data decide which orders a worker may act on, so
   * tests look for one instead of naming it.
   */
  async findOrder(baseUrl: string, tab: '待签收' | '处理中', action: string, exclude: readonly string[] = []): Promise<string> {
    await this.open(baseUrl, tab);
    const ids = (await this.cardIds()).filter((id) => !exclude.includes(id));
    const order = new OrderScreen(this.page);
    for (const id of ids) {
      await order.open(baseUrl, id);
      if ((await order.actions()).includes(action)) return id;
    }
    throw new Error(`no order in ${tab} offers ${action} (looked at ${ids.length})`);
  }
}

export class OrderScreen {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string, orderId: string): Promise<void> {
    await this.page.goto(`${baseUrl}#/orders/${orderId}`);
    await this.page.waitForSelector('[data-test=order-timeline]');
    // The actions follow the view; wait until the page has drawn them (or has none to offer).
    await this.page.waitForFunction(() => document.querySelector('[data-test=order-actions]') !== null || document.querySelector('[data-test=order-timeline] li') !== null);
  }

  actions(): Promise<string[]> {
    return this.page.locator('[data-test=order-actions] [data-action]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.action ?? ''));
  }

  timeline(): Promise<string[]> {
    return this.page.locator('[data-test=order-timeline] li[data-event-type]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.eventType ?? ''));
  }

  async accept(): Promise<void> {
    await this.page.click('[data-action=accept]');
    await this.page.click('.van-dialog__confirm');
    await this.page.waitForSelector('[data-action=close]');
  }

  async returnOrder(reason: string): Promise<void> {
    await this.page.click('[data-action=return]');
    await this.page.click('[data-test=return-form] .van-radio:has-text("其他")');
    await this.page.fill('[data-test=return-form] textarea[name=reason]', reason);
    await this.page.click('[data-test=return-form] button[type=submit]');
    await this.page.waitForSelector('[data-test=return-form]', { state: 'detached' });
  }

  async checkIn(): Promise<void> {
    await this.page.click('[data-action=check_in]');
    await this.page.waitForSelector('[data-test=check-in-form] >> text=已定位');
    await this.page.click('[data-test=check-in-form] button[type=submit]');
    await this.page.waitForSelector('[data-test=check-in-form]', { state: 'detached' });
  }

  async progress(text: string): Promise<void> {
    await this.page.click('[data-action=progress]');
    await this.page.fill('[data-test=progress-form] textarea', text);
    await this.page.click('[data-test=progress-form] button[type=submit]');
    await this.page.waitForSelector('[data-test=progress-form]', { state: 'detached' });
  }

  /**
   * Adds photos through the gallery input. The sheet closes by itself when all
   * were stored; otherwise it stays with a message per problem, which is returned.
   */
  async addPhotos(files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<string[]> {
    await this.page.click('[data-action=photo_added]');
    await this.page.setInputFiles('[data-test=photo-gallery]', files);
    await this.page.waitForFunction(
      () => !document.querySelector('[data-test=photo-capture]') || document.querySelector('[data-test=photo-capture] p.sheet-form__error') !== null,
      null,
      { timeout: WAIT_MS },
    );
    if (!(await this.page.locator('[data-test=photo-capture]').isVisible())) return [];
    const messages = await this.page.locator('[data-test=photo-capture] p[role=status]').allTextContents();
    await this.page.click('.van-popup__close-icon');
    await this.page.waitForSelector('[data-test=photo-capture]', { state: 'detached' });
    return messages;
  }

  async close(fields: { actions: string; publicReply: string; method: string }): Promise<void> {
    await this.page.click('[data-action=close]');
    await this.page.waitForSelector('[data-test=close-form]');
    // Nothing consequential is pre-selected: 诉求属实 and 是否解决 are chosen.
    await this.page.click('[data-test=close-founded] .van-radio:has-text("是")');
    await this.page.click('[data-test=close-resolution] .van-radio:has-text("已解决")');
    await this.page.click(`[data-test=close-method] >> text=${fields.method}`);
    await this.page.fill('[data-test=close-form] textarea[name=actions]', fields.actions);
    await this.page.fill('[data-test=close-form] textarea[name=publicReply]', fields.publicReply);
    await this.page.click('[data-test=close-submit]');
    await this.page.waitForSelector('[data-test=close-form]', { state: 'detached' });
  }

  syncPhase(): Promise<string | null> {
    return this.page.getAttribute('[data-test=sync-bar]', 'data-phase');
  }
}
