/**
 * Fixtures for the portal e2e tests: the demo portals on a free port, a
 * desktop Chromium, the engine bundled with esbuild and injected into the
 * page (as the content script would run it), photos drawn by the page's
 * canvas, and helpers that run the engine in the page.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PortalAdapter } from '#shared/portal/adapter.ts';
import type { Reason } from '#shared/portal/reasons.ts';
import type { ReplyPlan } from '#shared/portal/reply-plan.ts';
import type { FillReport, OrderPageRead, RecognisedPage } from '#extension/lib/portal/index.ts';
import { reasonText } from '#extension/entrypoints/portal.content/reason-text.ts';
import { translate } from '#extension/lib/i18n/translate.ts';
import { startPortals, type PortalOptions, type Portals } from '../../portals/server.ts';
import { makeJpeg } from '../pwa/fixtures.ts';
import { pageBundle } from '../support/page-bundle.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let bundled: string | undefined;

/** The engine as one classic script that sets window.lianxin. */
export async function engineBundle(): Promise<string> {
  if (bundled) return bundled;
  bundled = await pageBundle(fileURLToPath(new URL('./engine-entry.ts', import.meta.url)));
  return bundled;
}

export interface World {
  readonly portals: Portals;
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function startWorld(options: Omit<PortalOptions, 'port'> = {}): Promise<World> {
  const portals = await startPortals({ ...options, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return {
    portals,
    browser,
    close: async () => {
      await browser.close();
      await portals.close();
    },
  };
}

export async function newPage(world: World): Promise<Page> {
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  return page;
}

/** Injects the engine (idempotent) and, with a secret, the page-world script. */
export async function inject(page: Page, secret = 'test-secret-0001'): Promise<void> {
  const present = await page.evaluate(() => typeof window.lianxin !== 'undefined');
  if (present) return;
  await page.addScriptTag({ content: await engineBundle() });
  await page.evaluate((s) => window.lianxin.installPageWorld(s), secret);
}

export function recognise(page: Page): Promise<Pick<RecognisedPage, 'kind'> & { adapterId: string } | null> {
  return page.evaluate(() => {
    const found = window.lianxin.engine.recognisePage(document, location.href, window.lianxin.portal.BUILTIN_ADAPTERS);
    return found ? { kind: found.kind, adapterId: found.adapter.id } : null;
  });
}

export function readOrder(page: Page, adapterId: string): Promise<OrderPageRead> {
  return page.evaluate((id) => {
    const adapter = window.lianxin.portal.builtinAdapter(id);
    if (!adapter) throw new Error(`no adapter ${id}`);
    return window.lianxin.engine.readOrderPage(document, adapter);
  }, adapterId);
}

export interface TestPhoto {
  readonly sha256: string;
  readonly base64: string;
  readonly mime: 'image/jpeg';
}

/** A JPEG drawn by the page's canvas (the PWA suite's helper), with its hash. */
export async function makePhoto(page: Page, label: string, width = 800, height = 600): Promise<TestPhoto> {
  const bytes = await makeJpeg(page, label, width, height);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), base64: bytes.toString('base64'), mime: 'image/jpeg' };
}

export interface FillCall {
  /** The page-world secret (default the one inject() installed). */
  readonly secret?: string;
  /** The clerk's confirmation of the order on a reply page that shows no number. */
  readonly confirmedOrder?: { readonly orderNo: string; readonly url: string };
}

/** Runs the engine's fill in the page with the photos' bytes, as the content script would. */
export function fill(page: Page, plan: ReplyPlan, photos: readonly TestPhoto[], call: FillCall = {}): Promise<FillReport> {
  return page.evaluate(
    async ({ plan, photos, secret, confirmedOrder }) => {
      // No named helpers in here: tsx (npm run bench) would wrap them in a __name the page lacks.
      const map = new Map(photos.map((p) => [p.sha256, new Blob([Uint8Array.from(atob(p.base64), (c) => c.charCodeAt(0))], { type: p.mime })]));
      const bridge = window.lianxin.engine.createPageBridge(window, secret);
      return window.lianxin.engine.fillReply(document, plan, { photos: map, bridge, uploadTimeoutMs: 15_000, ...(confirmedOrder ? { confirmedOrder } : {}) });
    },
    { plan, photos: photos as TestPhoto[], secret: call.secret ?? 'test-secret-0001', confirmedOrder: call.confirmedOrder ?? null },
  );
}

/** Reads the form back against the plan without writing (what the panel does when the clerk comes back). */
export function check(page: Page, plan: ReplyPlan, call: Pick<FillCall, 'confirmedOrder'> = {}): Promise<FillReport> {
  return page.evaluate(
    ({ plan, confirmedOrder }) => window.lianxin.engine.checkReply(document, plan, confirmedOrder ? { confirmedOrder } : {}),
    { plan, confirmedOrder: call.confirmedOrder ?? null },
  );
}

/** Failed fields of a report, as `label: reason` lines, and a refusal of the whole fill (empty when all passed). */
/** The report on the plan's own fields: without the form's required fields the rules do not know (fill.ts UNPLANNED_KEY). */
export function knownFields(report: FillReport): FillReport {
  return { ...report, fields: report.fields.filter((f) => !f.key.startsWith('unplanned:')) };
}

/** The labels of the form's required, empty fields the rules do not know, each reported ✗. */
export function unplannedLabels(report: FillReport): string[] {
  return report.fields.filter((f) => f.key.startsWith('unplanned:') && f.status === 'failed').map((f) => f.label);
}

export function failures(report: FillReport): string[] {
  return [...(report.refused ? [`refused: ${zh(report.refused)}`] : []), ...report.fields.filter((f) => f.status === 'failed').map((f) => `${f.label}: ${zh(f.reason)}`)];
}

/** An engine's reason as the Chinese panel says it (the engine returns codes; reason-text.ts words them). */
export function zh(reason: Reason | undefined | null): string {
  return reason ? reasonText(reason, (key, vars) => translate('zh-CN', key, vars), 'zh-CN') : '';
}

export type { PortalAdapter };
