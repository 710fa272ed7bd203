/**
 * Teach mode, as an admin would use it on a portal the extension does not
 * know: click each field of the layui handling form (two iframes deep),
 * take the locators the engine proposes, save them as an adapter, and that
 * adapter then recognises the page and fills it ✓, and the portal receives
 * the values after the clerk submits.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Frame, FrameLocator, Locator as PwLocator, Page } from 'playwright-core';
import type { Locator, ReplyFieldInput, ReplySource, Widget } from '#shared/portal/adapter.ts';
import { parseAdapter } from '#shared/portal/parse.ts';
import { planReply } from '#shared/portal/reply-plan.ts';
import { urlPatternFor } from '#shared/portal/url.ts';
import { failures, fill, inject, knownFields, makePhoto, newPage, startWorld, unplannedLabels, type World, zh } from './fixtures.ts';
import { closeInput } from './reply-input.ts';
import { WAIT_MS } from '../../support/wait.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

/** The page, or the frame the form is in. */
type Clickable = Pick<FrameLocator, 'locator' | 'frameLocator'>;

interface Lesson {
  readonly key: string;
  readonly label: string;
  readonly source: ReplySource;
  readonly widget: Widget;
  /** Where the admin clicks, inside the form's frame. */
  readonly click: (form: Clickable) => PwLocator;
}

const LESSONS: readonly Lesson[] = [
  { key: 'founded', label: '诉求属实', source: 'founded', widget: { kind: 'radio' }, click: (f) => f.locator('input[name=note1] + .layui-form-radio').first() },
  { key: 'apply', label: '申请类型', source: 'fixed', widget: { kind: 'layui-select' }, click: (f) => f.locator('select[name=note3] + .layui-form-select .layui-select-title') },
  { key: 'method', label: '联系方式', source: 'contactMethod', widget: { kind: 'select' }, click: (f) => f.locator('select[name=note10]') },
  { key: 'number', label: '联系号码', source: 'contactNumber', widget: { kind: 'text' }, click: (f) => f.locator('input[name=note5]') },
  { key: 'time', label: '联系时间', source: 'contactTime', widget: { kind: 'date', format: 'yyyy年MM月dd日 HH时mm分' }, click: (f) => f.locator('#note6') },
  { key: 'resolved', label: '是否解决', source: 'resolution', widget: { kind: 'radio' }, click: (f) => f.locator('input[name=note7] + .layui-form-radio >> nth=1') },
  { key: 'actions', label: '办理情况', source: 'actions', widget: { kind: 'textarea' }, click: (f) => f.locator('textarea[name=note9]') },
  { key: 'reply', label: '公开答复内容', source: 'publicReply', widget: { kind: 'richtext', editor: 'kindeditor' }, click: (f) => f.frameLocator('.ke-edit-iframe').locator('body') },
  {
    key: 'photos',
    label: '办理附件',
    source: 'photos.handling',
    widget: { kind: 'file', uploaded: { within: 'td', item: 'li.att-item.done' } },
    click: (f) => f.locator('input[name=file_blfj]'),
  },
];

/** Clicks each lesson's element with teach mode on and keeps the locators it suggests. */
async function teach(page: Page, root: Clickable, lessons: readonly Lesson[]): Promise<{ fields: ReplyFieldInput[]; check: unknown }> {
  await page.evaluate(() => {
    const picked: Element[] = [];
    (window as unknown as { picked: Element[] }).picked = picked;
    (window as unknown as { stopTeaching: () => void }).stopTeaching = window.lianxin.engine.captureClicks(document, (el) => picked.push(el));
  });
  const fields: ReplyFieldInput[] = [];
  let check: unknown = null;
  for (const lesson of lessons) {
    await lesson.click(root).click();
    const taught = await page.evaluate(
      ({ kind }) => {
        const picked = (window as unknown as { picked: Element[] }).picked;
        const el = picked[picked.length - 1]!;
        const result = window.lianxin.engine.teachLocators(document, el, kind);
        if (!result.ok) return { ok: false as const, reason: result.reason };
        return {
          ok: true as const,
          candidates: result.candidates.map((c) => ({ by: c.locator.by, matches: c.matches, unique: c.unique })),
          suggested: result.suggested,
          check: window.lianxin.engine.proposePageCheck(result.target),
        };
      },
      { kind: lesson.widget.kind },
    );
    expect(taught, lesson.label).toMatchObject({ ok: true });
    if (!taught.ok) continue;
    // Every proposal says how many elements it finds; the label is among the unique ones.
    expect(taught.candidates.every((c) => c.matches >= 0)).toBe(true);
    expect(taught.suggested.some((l) => l.by === 'label' && l.text === lesson.label), lesson.label).toBe(true);
    check ??= taught.check;
    fields.push({ key: lesson.key, label: lesson.label, source: lesson.source, ...(lesson.source === 'fixed' ? { fixed: '办结申请' } : {}), widget: lesson.widget, locators: taught.suggested as Locator[] });
  }
  await page.evaluate(() => (window as unknown as { stopTeaching: () => void }).stopTeaching());
  return { fields, check };
}

async function handleForm(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => /handle-form/.test(f.url())), { timeout: WAIT_MS }).toBe(true);
  const form = page.frames().find((f) => /handle-form/.test(f.url()))!;
  await form.waitForSelector('.ke-container iframe');
  await form.waitForSelector('.layui-form-select');
  return form;
}

it('builds a working adapter from clicks on a portal it did not know', async () => {
  const page = await newPage(world);
  const order = world.portals.orders('layui')[5]!;
  await page.goto(`${world.portals.urls.layui}#handle/${order.orderNo}`);
  const form = await handleForm(page);
  await inject(page);
  const formLocator = page.frameLocator('#mainFrame').frameLocator('iframe[name="handleFrame"]');

  const { fields, check } = await teach(page, formLocator, LESSONS);
  // Teaching clicked the page's widgets without working them.
  expect(await form.evaluate(() => document.querySelectorAll('input:checked').length)).toBe(0);
  expect(await form.evaluate(() => document.querySelector('.layui-form-selected'))).toBeNull();

  const url = await page.evaluate(() => location.href);
  const parsed = parseAdapter(JSON.stringify({ version: 1, id: 'taught-layui', name: '教学生成：街道工单管理系统', reply: { page: { urls: [urlPatternFor(url)], check }, fields } }));
  expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  if (!parsed.ok) return;
  const adapter = parsed.value;

  const recognised = await page.evaluate((a) => window.lianxin.engine.recognisePage(document, location.href, [a])?.kind ?? null, adapter);
  expect(recognised).toBe('reply');

  const photos = { handling: [await makePhoto(page, '教学 1')], contact: [], document: [] };
  const input = closeInput(order.orderNo, photos);
  // Nothing taught says where this page shows its order number: without the clerk's confirmation nothing is written.
  expect(zh((await fill(page, planReply(adapter, input), photos.handling)).refused)).toContain(order.orderNo);
  const report = await fill(page, planReply(adapter, input), photos.handling, { confirmedOrder: { orderNo: order.orderNo, url } });
  expect(failures(report)).toEqual([]);
  expect(report.fields.every((f) => f.status === 'ok')).toBe(true);

  // The rest of the form is the clerk's; the taught fields reach the portal.
  await form.click('input[name=note2] + .layui-form-radio');
  await form.click('input[name=note4] + .layui-form-radio');
  await form.click('#btnSubmit');
  await expect.poll(() => world.portals.received('layui').length).toBe(1);
  const [submission] = world.portals.received('layui');
  expect(submission?.fields).toMatchObject({
    note1: '1',
    note3: '10',
    note10: '01',
    note5: '13812345678',
    note6: '2026年11月30日 09时15分',
    note7: '2',
    note9: input.result.actions,
    note11: `<p>\n\t${input.result.publicReply}\n</p>`,
  });
  expect(submission?.files.map((f) => f.sha256)).toEqual(photos.handling.map((p) => p.sha256));
});

it('teaches the Element Plus form too: labels tied by generated ids, el-select, date picker, el-upload', async () => {
  const page = await newPage(world);
  const order = world.portals.orders('element-plus')[5]!;
  await page.goto(`${world.portals.urls['element-plus']}#/orders/${order.orderNo}/handle`);
  await page.waitForSelector('.reply-form');
  await inject(page);
  const item = (label: string) => `.el-form-item:has(> .el-form-item__label-wrap .el-form-item__label:text-is("${label}")), .el-form-item:has(> .el-form-item__label:text-is("${label}"))`;
  const lessons: Lesson[] = [
    { key: 'founded', label: '诉求属实', source: 'founded', widget: { kind: 'radio' }, click: (p) => p.locator(`${item('诉求属实')} .el-radio`).first() },
    { key: 'apply', label: '申请类型', source: 'fixed', widget: { kind: 'element-plus-select' }, click: (p) => p.locator(`${item('申请类型')} .el-select__wrapper`) },
    { key: 'time', label: '联系时间', source: 'contactTime', widget: { kind: 'date', format: 'yyyy-MM-dd HH:mm' }, click: (p) => p.locator(`${item('联系时间')} input`) },
    { key: 'actions', label: '办理情况', source: 'actions', widget: { kind: 'textarea' }, click: (p) => p.locator(`${item('办理情况')} textarea`) },
    {
      key: 'photos',
      label: '办理附件',
      source: 'photos.handling',
      widget: { kind: 'file', uploaded: { within: '.el-form-item', item: '.el-upload-list__item.is-success' } },
      click: (p) => p.locator(`${item('办理附件')} button`),
    },
  ];
  const { fields, check } = await teach(page, page, lessons);
  // Teaching clicked the page's widgets without working them.
  expect(await page.evaluate(() => document.querySelectorAll('.reply-form input:checked').length)).toBe(0);
  // Where the page shows which order it is for: taught by clicking the number.
  await page.evaluate(() => {
    const picked: Element[] = [];
    (window as unknown as { picked: Element[] }).picked = picked;
    (window as unknown as { stopTeaching: () => void }).stopTeaching = window.lianxin.engine.captureClicks(document, (el) => picked.push(el));
  });
  await page.locator('.reply-form .order-no').click();
  const orderNoAt = await page.evaluate(() => {
    (window as unknown as { stopTeaching: () => void }).stopTeaching();
    const picked = (window as unknown as { picked: Element[] }).picked;
    const result = window.lianxin.engine.teachLocators(document, picked[picked.length - 1]!, 'read');
    return result.ok ? result.suggested : [];
  });
  expect(orderNoAt.length).toBeGreaterThan(0);
  const url = await page.evaluate(() => location.href);
  const parsed = parseAdapter({ version: 1, id: 'taught-element-plus', name: '教学生成', reply: { page: { urls: [urlPatternFor(url)], check }, orderNo: { locators: orderNoAt }, fields } });
  expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  if (!parsed.ok) return;
  expect(await page.evaluate((a) => window.lianxin.engine.recognisePage(document, location.href, [a])?.kind ?? null, parsed.value)).toBe('reply');
  const photos = { handling: [await makePhoto(page, '教学')], contact: [], document: [] };
  const report = await fill(page, planReply(parsed.value, closeInput(order.orderNo, photos)), photos.handling);
  expect(failures(knownFields(report))).toEqual([]);
  expect(knownFields(report).fields.map((f) => f.status)).toEqual(lessons.map(() => 'ok'));
  // The form's required fields nobody taught are named for the clerk to fill by hand: the reply is not complete.
  expect(unplannedLabels(report)).toEqual(['是否解决', '公开答复内容']);
  expect(report.ok).toBe(false);
  await page.context().close();
});
