/**
 * Case 6 — portal fill. The extension's engine (extension/lib/portal, bundled
 * and injected as the portal e2e tests do) fills a reply form and reads every
 * field back; the timer runs from the fill call until its report (uploads
 * confirmed by the portal included) plus a second read-back (`checkReply`).
 *
 * - Each demo portal's own reply form (tests/portals: Element Plus, Element UI
 *   + wangEditor, a server-rendered page with UEditor, layui in iframes +
 *   KindEditor; 10–12 fields and 4 photos).
 * - A 30-field reply form (text, textareas, radios, native selects, a date, a
 *   contenteditable editor and two photo inputs the page lists as uploaded).
 * Baseline, on the Element Plus form and the 30-field form: Playwright's own
 * actions (fill, click, selectOption, check, setInputFiles) on selectors
 * written for that form, then reading each value back — a scripted robot with
 * no adapter lookup. (Quick mode: Element Plus only.)
 * Plus the engine's size as the content script carries it (esbuild, minified).
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import type { ReplyField } from '../../shared/portal/adapter.ts';
import { builtinAdapter } from '../../shared/portal/builtin.ts';
import { planReply, type PlannedField } from '../../shared/portal/reply-plan.ts';
import type { PortalName } from '../../tests/portals/server.ts';
import { check, fill, inject, makePhoto, newPage, startWorld, type TestPhoto, type World } from '../../tests/e2e/portals/fixtures.ts';
import { closeInput } from '../../tests/e2e/portals/reply-input.ts';
import { FigureSamples, type BenchCase, type Figure } from '../lib/case.ts';

interface PortalPage {
  readonly adapterId: string;
  readonly path: (no: string) => string;
  readonly ready: (page: Page) => Promise<unknown>;
}

/** The demo portals this case knows how to open (a portal added to tests/portals is measured once listed here). */
const PORTAL_PAGES: { readonly [P in PortalName]?: PortalPage } = {
  'element-plus': { adapterId: 'demo-element-plus', path: (no) => `#/orders/${no}/handle`, ready: (page) => page.waitForSelector('.reply-form') },
  'element-ui': { adapterId: 'demo-element-ui', path: (no) => `#/order/${no}/reply`, ready: (page) => page.waitForSelector('.handle-page .w-e-text') },
  ueditor: {
    adapterId: 'demo-ueditor',
    path: (no) => `workorder/reply.do?gdbh=${encodeURIComponent(no)}`,
    ready: async (page) => {
      await page.waitForSelector('form#replyForm');
      await page.waitForFunction(() => {
        const w = window as unknown as { editor?: { isReady?: number }; actionsEditor?: { isReady?: number } };
        return w.editor?.isReady === 1 && w.actionsEditor?.isReady === 1;
      });
    },
  },
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
  return { raw: code.length / 1024, gzip: gzipSync(code).length / 1024 };
}

function assertOk(report: { ok: boolean; fields: readonly { label: string; status: string; reason?: string }[] }, what: string): void {
  if (report.ok) return;
  const failed = report.fields.filter((f) => f.status === 'failed').map((f) => `${f.label}: ${f.reason ?? ''}`);
  throw new Error(`${what}: the engine reported failures: ${failed.join('; ')}`);
}

async function portalRun(world: World, portal: PortalName, spec: PortalPage, run: number, who: 'engine' | 'robot' = 'engine'): Promise<{ ms: number; fields: number; photos: number }> {
  const adapter = builtinAdapter(spec.adapterId);
  if (!adapter) throw new Error(`no built-in adapter ${spec.adapterId}`);
  const page = await newPage(world);
  try {
    const orders = world.portals.orders(portal);
    const order = orders[run % orders.length]!;
    await page.goto(world.portals.urls[portal] + spec.path(order.orderNo));
    await spec.ready(page);
    await inject(page);
    const photos = { handling: [await makePhoto(page, '1'), await makePhoto(page, '2')], contact: [await makePhoto(page, '3')], document: [await makePhoto(page, '4')] };
    const plan = planReply(adapter, closeInput(order.orderNo, photos));
    const all = [...photos.handling, ...photos.contact, ...photos.document];
    const fields = plan.filter((p) => p.field.widget.kind !== 'file').length;
    const started = performance.now();
    if (who === 'robot') {
      await elementPlusRobot(page, plan, all);
      return { ms: performance.now() - started, fields, photos: all.length };
    }
    const report = await fill(page, plan, all);
    const verified = await check(page, plan);
    const ms = performance.now() - started;
    assertOk(report, `${portal} fill`);
    assertOk(verified, `${portal} check`);
    return { ms, fields, photos: all.length };
  } finally {
    await page.context().close();
  }
}

/**
 * The per-portal baseline on Element Plus: Playwright's own actions on
 * selectors written for this form (no adapter lookup), the values taken from
 * the same plan, then every field read back.
 */
async function elementPlusRobot(page: Page, plan: readonly PlannedField[], photos: readonly TestPhoto[]): Promise<void> {
  const bytes = new Map(photos.map((p) => [p.sha256, Buffer.from(p.base64, 'base64')]));
  const item = (label: string) => page.locator('.reply-form .el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) });
  const exact = (text: string) => new RegExp(`^\\s*${text}\\s*$`);
  const checks: (() => Promise<boolean>)[] = [];
  for (const { field, value } of plan) {
    const at = item(field.label);
    if (value.type === 'skip') continue;
    if (value.type === 'text' || value.type === 'date') {
      const input = at.locator(field.widget.kind === 'textarea' ? 'textarea' : 'input').first();
      await input.fill(value.text);
      if (value.type === 'date') await input.press('Enter');
      checks.push(async () => (await input.inputValue()) === value.text);
    } else if (value.type === 'choice' && field.widget.kind === 'radio') {
      const options = at.locator('.el-radio');
      const texts = (await options.allTextContents()).map((t) => t.trim());
      const text = value.accept.find((a) => texts.includes(a)) ?? value.accept[0]!;
      await options.filter({ hasText: exact(text) }).click();
      checks.push(async () => ((await at.locator('.el-radio.is-checked').textContent()) ?? '').trim() === text);
    } else if (value.type === 'choice') {
      await at.locator('.el-select__wrapper').click();
      const options = page.locator('.el-select-dropdown__item:visible');
      const texts = (await options.allTextContents()).map((t) => t.trim());
      const text = value.accept.find((a) => texts.includes(a)) ?? value.accept[0]!;
      await options.filter({ hasText: exact(text) }).click();
      checks.push(async () => ((await at.locator('.el-select__selected-item:not(.is-hidden)').first().textContent()) ?? '').trim() === text);
    } else if (value.type === 'files') {
      await at.locator('input[type=file]').setInputFiles(value.photos.map((p) => ({ name: p.name, mimeType: p.mime, buffer: bytes.get(p.sha256)! })));
      checks.push(async () => {
        await at.locator('.el-upload-list__item.is-success').nth(value.photos.length - 1).waitFor();
        return true;
      });
    }
  }
  for (const [i, check] of checks.entries()) if (!(await check())) throw new Error(`robot: field ${i + 1} did not read back`);
}

/** What the 30-field form holds, field by field: the engine's plan and the robot's script come from this one list. */
type FormField =
  | { kind: 'text' | 'textarea' | 'date'; name: string; label: string; text: string }
  | { kind: 'select' | 'radio'; name: string; label: string; option: string }
  | { kind: 'richtext'; name: string; label: string; text: string }
  | { kind: 'file'; name: string; label: string };

const DATE = Date.UTC(2026, 11, 1, 2, 30, 0);

function formFields(): FormField[] {
  const fields: FormField[] = [];
  for (let i = 1; i <= 26; i++) {
    const name = `f${i}`;
    const label = `字段${i}`;
    if (i % 4 === 0) fields.push({ kind: 'select', name, label, option: '是' });
    else if (i % 4 === 1) fields.push({ kind: 'radio', name, label, option: '已解决' });
    else if (i % 4 === 2) fields.push({ kind: 'textarea', name, label, text: `第${i}项办理情况：已到场核实并处理完毕。` });
    else fields.push({ kind: 'text', name, label, text: `内容${i}` });
  }
  fields.push({ kind: 'date', name: 'doneAt', label: '办结时间', text: '2026-12-01' });
  fields.push({ kind: 'richtext', name: 'reply', label: '答复内容', text: '您反映的污水管道堵塞问题已清掏疏通，现已恢复正常。' });
  fields.push({ kind: 'file', name: 'photoA', label: '办理照片' });
  fields.push({ kind: 'file', name: 'photoB', label: '现场照片' });
  return fields;
}

function formHtml(fields: readonly FormField[]): string {
  const cell = (f: FormField): string => {
    switch (f.kind) {
      case 'text':
      case 'date':
        return `<input name="${f.name}">`;
      case 'textarea':
        return `<textarea name="${f.name}"></textarea>`;
      case 'select':
        return `<select name="${f.name}"><option></option><option>是</option><option>否</option></select>`;
      case 'radio':
        return `<label><input type="radio" name="${f.name}" value="1">已解决</label><label><input type="radio" name="${f.name}" value="0">未解决</label>`;
      case 'richtext':
        return `<div class="editor" data-name="${f.name}" contenteditable="true"></div>`;
      case 'file':
        return `<div class="upload"><input type="file" name="${f.name}" accept="image/*"><ul class="uploaded"></ul></div>`;
    }
  };
  // The page "uploads" at once and lists each file by name, as the portals do.
  const script = `document.addEventListener('change', (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file') return;
    const list = input.closest('.upload').querySelector('.uploaded');
    for (const file of input.files) { const li = document.createElement('li'); li.textContent = file.name; list.append(li); }
  });`;
  return `<!doctype html><meta charset="utf-8"><form><table>${fields.map((f) => `<tr><td>${f.label}</td><td>${cell(f)}</td></tr>`).join('')}</table></form><script>${script}</script>`;
}

function formPlan(fields: readonly FormField[], photos: readonly TestPhoto[]): PlannedField[] {
  let photoIndex = 0;
  return fields.map((f): PlannedField => {
    const locators: ReplyField['locators'] = [{ by: 'label', text: f.label }];
    const base = { key: f.name, label: f.label, source: 'actions' as const, locators };
    switch (f.kind) {
      case 'text':
      case 'textarea':
        return { field: { ...base, widget: { kind: f.kind } }, value: { type: 'text', text: f.text } };
      case 'date':
        return { field: { ...base, widget: { kind: 'date', format: 'yyyy-MM-dd' } }, value: { type: 'date', time: DATE, text: f.text } };
      case 'select':
        return { field: { ...base, widget: { kind: 'select' } }, value: { type: 'choice', value: 'yes', accept: [f.option] } };
      case 'radio':
        return { field: { ...base, widget: { kind: 'radio' } }, value: { type: 'choice', value: 'resolved', accept: [f.option] } };
      case 'richtext':
        return { field: { ...base, widget: { kind: 'richtext', editor: 'contenteditable' } }, value: { type: 'text', text: f.text } };
      case 'file': {
        const photo = photos[photoIndex++]!;
        return {
          field: { ...base, source: 'photos.handling', widget: { kind: 'file', uploaded: { within: '.upload', item: 'li' } } },
          value: { type: 'files', kind: 'handling', photos: [{ sha256: photo.sha256, mime: photo.mime, name: `bench-${photoIndex}.jpg` }] },
        };
      }
    }
  });
}

/** The baseline: Playwright fills the same fields by hard-coded selectors, then reads each back. */
async function robotFill(page: Page, fields: readonly FormField[], photos: readonly TestPhoto[]): Promise<void> {
  let photoIndex = 0;
  for (const f of fields) {
    switch (f.kind) {
      case 'text':
      case 'textarea':
      case 'date':
        await page.fill(`[name="${f.name}"]`, f.text);
        break;
      case 'select':
        await page.selectOption(`select[name="${f.name}"]`, { label: f.option });
        break;
      case 'radio':
        await page.check(`input[name="${f.name}"][value="1"]`);
        break;
      case 'richtext':
        await page.fill(`[data-name="${f.name}"]`, f.text);
        break;
      case 'file': {
        const photo = photos[photoIndex++]!;
        await page.setInputFiles(`input[name="${f.name}"]`, { name: `robot-${photoIndex}.jpg`, mimeType: photo.mime, buffer: Buffer.from(photo.base64, 'base64') });
        break;
      }
    }
  }
  for (const f of fields) {
    const ok = await (async () => {
      switch (f.kind) {
        case 'text':
        case 'textarea':
        case 'date':
          return (await page.inputValue(`[name="${f.name}"]`)) === f.text;
        case 'select':
          return (await page.$eval(`select[name="${f.name}"]`, (s) => (s as HTMLSelectElement).selectedOptions[0]?.text ?? '')) === f.option;
        case 'radio':
          return page.isChecked(`input[name="${f.name}"][value="1"]`);
        case 'richtext':
          return (await page.textContent(`[data-name="${f.name}"]`)) === f.text;
        case 'file':
          await page.waitForSelector(`.upload:has(input[name="${f.name}"]) li`);
          return true;
      }
    })();
    if (!ok) throw new Error(`robot: ${f.label} did not read back`);
  }
}

async function thirtyFieldRun(world: World, who: 'engine' | 'robot'): Promise<number> {
  const page = await newPage(world);
  try {
    const fields = formFields();
    await page.goto(world.portals.origin);
    await page.setContent(formHtml(fields));
    await inject(page);
    const photos = [await makePhoto(page, 'A'), await makePhoto(page, 'B')];
    const plan = formPlan(fields, photos);
    const started = performance.now();
    if (who === 'engine') {
      const report = await fill(page, plan, photos);
      const verified = await check(page, plan);
      const ms = performance.now() - started;
      assertOk(report, '30-field fill');
      assertOk(verified, '30-field check');
      return ms;
    }
    await robotFill(page, fields, photos);
    return performance.now() - started;
  } finally {
    await page.context().close();
  }
}

export const portalFill: BenchCase = {
  id: 'portal-fill',
  title: '6 portal fill',
  async run(context) {
    const engine = await bundleSize('../../extension/lib/portal/index.ts');
    const pageWorld = await bundleSize('../../extension/lib/portal/page-world.ts');
    const world = await startWorld();
    const figures: Figure[] = [];
    const fieldCounts: string[] = [];
    try {
      // Quick mode: one portal is enough to keep the harness from rotting.
      const all = Object.entries(PORTAL_PAGES) as [PortalName, PortalPage][];
      const portals = context.quick ? all.filter(([portal]) => portal === 'element-plus') : all;
      for (const [portal, spec] of portals) {
        const robot = portal === 'element-plus';
        const samples = new FigureSamples(`${portal} reply form: fill + verify`, 'ms', 'lower', robot ? { baselineLabel: 'Playwright actions, hard-coded selectors' } : {});
        let shape = '';
        for (let run = 0; run < context.runs; run++) {
          const result = await portalRun(world, portal, spec, run);
          samples.add(result.ms, robot ? (await portalRun(world, portal, spec, run, 'robot')).ms : undefined);
          shape = `${result.fields} fields + ${result.photos} photos`;
        }
        context.log(`${portal}: ${shape}`);
        fieldCounts.push(`${portal} ${shape}`);
        figures.push({ ...samples.figure(), note: `${shape}, uploads confirmed by the portal, then read back again (checkReply)` });
      }
      const thirty = new FigureSamples('30-field form: fill + verify', 'ms', 'lower', {
        baselineLabel: 'Playwright fill/setInputFiles, hard-coded selectors',
        note: '26 text/textarea/radio/select, a date, a contenteditable editor, 2 photos; the engine finds each by its label',
      });
      for (let run = 0; run < context.runs; run++) thirty.add(await thirtyFieldRun(world, 'engine'), await thirtyFieldRun(world, 'robot'));
      figures.push(thirty.figure());
    } finally {
      await world.close();
    }
    const size = (name: string, kb: number, note: string) => {
      const f = new FigureSamples(name, 'KB', 'lower', { note });
      f.add(kb);
      return f.figure();
    };
    figures.push(size('engine (gzip)', engine.gzip, `extension/lib/portal + shared/portal + valibot, minified ${engine.raw.toFixed(1)} KB; page-world script ${pageWorld.gzip.toFixed(1)} KB gzip`));
    return { setup: `demo portals (${fieldCounts.join('; ')}), 800×600 photos drawn by the page, one Chromium, new context per run`, figures };
  },
};
