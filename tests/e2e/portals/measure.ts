/**
 * Figures for the portal engine (not a test: nothing here asserts a time):
 * the engine's size as the content script would carry it, the time to fill
 * each demo portal's reply form (uploads confirmed by the portal included),
 * and the time to fill a 30-field form of plain widgets.
 *
 *   npm run bench:portals
 */
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import type { ReplyField } from '../../../shared/portal/adapter.ts';
import { builtinAdapter } from '../../../shared/portal/builtin.ts';
import { planReply, type PlannedField } from '../../../shared/portal/reply-plan.ts';
import type { PortalName } from '../../portals/server.ts';
import { fill, inject, makePhoto, newPage, startWorld, type World } from './fixtures.ts';
import { closeInput } from './reply-input.ts';

const RUNS = 3;

async function bundleSize(entry: string): Promise<{ raw: number; gzip: number }> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { raw: code.length, gzip: gzipSync(code).length };
}

const PORTAL_PAGES: Record<PortalName, { adapterId: string; path: (no: string) => string; ready: (page: Page) => Promise<unknown> }> = {
  'element-plus': { adapterId: 'demo-element-plus', path: (no) => `#/orders/${no}/handle`, ready: (page) => page.waitForSelector('.reply-form') },
  'element-ui': { adapterId: 'demo-element-ui', path: (no) => `#/order/${no}/reply`, ready: (page) => page.waitForSelector('.handle-page .w-e-text') },
  layui: {
    adapterId: 'demo-layui',
    path: (no) => `#handle/${no}`,
    ready: async (page) => {
      for (;;) {
        const form = page.frames().find((f) => /handle-form/.test(f.url()));
        if (form && (await form.$('.ke-container iframe')) && (await form.$('.layui-form-select'))) return;
        await page.waitForTimeout(50);
      }
    },
  },
};

async function portalFill(world: World, portal: PortalName, run: number): Promise<{ ms: number; fields: number; ok: boolean }> {
  const spec = PORTAL_PAGES[portal];
  const adapter = builtinAdapter(spec.adapterId)!;
  const page = await newPage(world);
  const order = world.portals.orders(portal)[run % world.portals.orders(portal).length]!;
  await page.goto(world.portals.urls[portal] + spec.path(order.orderNo));
  await spec.ready(page);
  await inject(page);
  const photos = { handling: [await makePhoto(page, '1'), await makePhoto(page, '2')], contact: [await makePhoto(page, '3')], document: [await makePhoto(page, '4')] };
  const plan = planReply(adapter, closeInput(order.orderNo, photos));
  const started = performance.now();
  const report = await fill(page, plan, [...photos.handling, ...photos.contact, ...photos.document]);
  const ms = performance.now() - started;
  await page.context().close();
  return { ms, fields: plan.length, ok: report.ok };
}

/** A 30-field form of plain widgets with labels in table cells, and the plan that fills it. */
function thirtyFields(): { html: string; plan: PlannedField[] } {
  const rows: string[] = [];
  const plan: PlannedField[] = [];
  for (let i = 1; i <= 30; i++) {
    const name = `f${i}`;
    const label = `字段${i}`;
    const locators: ReplyField['locators'] = [{ by: 'label', text: label }, { by: 'name', value: name }];
    const base = { key: name, label, source: 'actions' as const, locators };
    if (i % 5 === 0) {
      rows.push(`<tr><td>${label}</td><td><select name="${name}"><option></option><option>是</option><option>否</option></select></td></tr>`);
      plan.push({ field: { ...base, widget: { kind: 'select' } }, value: { type: 'choice', value: 'yes', accept: ['是'] } });
    } else if (i % 5 === 1) {
      rows.push(`<tr><td>${label}</td><td><label><input type="radio" name="${name}" value="1">已解决</label><label><input type="radio" name="${name}" value="0">未解决</label></td></tr>`);
      plan.push({ field: { ...base, widget: { kind: 'radio' } }, value: { type: 'choice', value: 'resolved', accept: ['已解决'] } });
    } else if (i % 5 === 2) {
      rows.push(`<tr><td>${label}</td><td><textarea name="${name}"></textarea></td></tr>`);
      plan.push({ field: { ...base, widget: { kind: 'textarea' } }, value: { type: 'text', text: `第${i}项办理情况：已到场核实并处理完毕。` } });
    } else {
      rows.push(`<tr><td>${label}</td><td><input name="${name}"></td></tr>`);
      plan.push({ field: { ...base, widget: { kind: 'text' } }, value: { type: 'text', text: `内容${i}` } });
    }
  }
  return { html: `<!doctype html><meta charset="utf-8"><form><table>${rows.join('')}</table></form>`, plan };
}

async function thirtyFieldFill(world: World): Promise<{ ms: number; ok: boolean }> {
  const page = await newPage(world);
  const { html, plan } = thirtyFields();
  await page.goto(world.portals.origin);
  await page.setContent(html);
  await inject(page);
  const started = performance.now();
  const report = await fill(page, plan, []);
  const ms = performance.now() - started;
  await page.context().close();
  return { ms, ok: report.ok };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const engine = await bundleSize('../../../extension/lib/portal/index.ts');
const pageWorld = await bundleSize('../../../extension/lib/portal/page-world.ts');
console.log(`engine (extension/lib/portal + shared/portal + valibot), minified: ${(engine.raw / 1024).toFixed(1)} KB, gzip ${(engine.gzip / 1024).toFixed(1)} KB`);
console.log(`page-world script, minified: ${(pageWorld.raw / 1024).toFixed(1)} KB, gzip ${(pageWorld.gzip / 1024).toFixed(1)} KB`);

const world = await startWorld();
try {
  for (const portal of Object.keys(PORTAL_PAGES) as PortalName[]) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await portalFill(world, portal, run));
    console.log(
      `${portal}: ${runs[0]?.fields} fields (4 photos) filled and read back in ${median(runs.map((r) => r.ms)).toFixed(0)} ms (median of ${RUNS}; all ✓: ${runs.every((r) => r.ok)})`,
    );
  }
  const plain = [];
  for (let run = 0; run < RUNS; run++) plain.push(await thirtyFieldFill(world));
  console.log(`30 plain fields filled and read back in ${median(plain.map((r) => r.ms)).toFixed(0)} ms (median of ${RUNS}; all ✓: ${plain.every((r) => r.ok)})`);
} finally {
  await world.close();
}
