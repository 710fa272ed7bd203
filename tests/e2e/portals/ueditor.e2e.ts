/**
 * The classic server-rendered demo portal: plain tables with labels in <td>,
 * opaque names (fld01 …), native radios and select, text dates
 * (2026-11-30 09:15, 20261201), two UEditors written through the page-world
 * script (办理情况 over a <script> holder, 公开答复内容 over a textarea) and
 * read by the portal from their textareas on submit,
 * plain file inputs that upload at once.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Locator, ReplyFieldInput } from '#shared/portal/adapter.ts';
import { builtinAdapter } from '#shared/portal/builtin.ts';
import { parseAdapter } from '#shared/portal/parse.ts';
import { planReply, planWith } from '#shared/portal/reply-plan.ts';
import { failures, fill, inject, knownFields, newPage, unplannedLabels, zh } from './fixtures.ts';
import { closeInput } from './reply-input.ts';
import { describePortal } from './scenario.ts';

interface UEditorInstance {
  isReady?: number;
  getContent(): string;
}
interface UEditorWindow {
  editor?: UEditorInstance;
  actionsEditor?: UEditorInstance;
}

/** The reply form is there and UEditor has built its editing iframe. */
const replyReady = async (page: Page) => {
  await page.waitForSelector('form#replyForm');
  await page.waitForFunction(() => {
    const w = window as unknown as UEditorWindow;
    return w.editor?.isReady === 1 && w.actionsEditor?.isReady === 1;
  });
};

const editorBody = (page: Page) => page.frameLocator('#fld10 iframe[id^=ueditor_]').locator('body');

const world = describePortal({
  portal: 'ueditor',
  adapterId: 'demo-ueditor',
  orderPath: (no) => `workorder/view.do?gdbh=${encodeURIComponent(no)}`,
  replyPath: (no) => `workorder/reply.do?gdbh=${encodeURIComponent(no)}`,
  orderReady: 'table.gdxx',
  replyReady,
  submit: async (page) => {
    await page.click('#btnSubmit');
    await page.waitForSelector('#submitTip:has-text("提交成功")');
  },
  kinds: { handling: 'xczp', contact: 'lxpz', document: 'zjcl' },
  required: ['fld01', 'fld03', 'fld09'],
  expectedFields: (input) => ({
    fld01: '1',
    fld02: '0',
    fld03: 'B',
    fld04: '1',
    fld05: '01',
    fld06: '13812345678',
    fld07: '2026-11-30 09:15',
    fld11: '20261201',
    fld08: input.result.unresolvedReason ?? '',
    fld09: input.result.actions.split('\n').map((line) => `<p>${line}</p>`).join(''),
    fld10: `<p>${input.result.publicReply}</p>`,
  }),
  renameLabel: {
    key: 'fld06',
    label: '联系电话',
    rename: async (page) => {
      await page.evaluate(() => {
        const cell = [...document.querySelectorAll('td.label')].find((td) => td.textContent?.trim() === '联系电话：');
        cell!.textContent = '联系人手机：';
      });
    },
    untouched: (page) => page.evaluate(() => (document.querySelector('input[name=fld06]') as HTMLInputElement).value === ''),
  },
});

it('puts markup in a reply into UEditor as text, through the page-world script, and the portal reads it escaped', async () => {
  const page = await newPage(world());
  try {
    const order = world().portals.orders('ueditor')[5]!;
    await page.goto(`${world().portals.urls.ueditor}workorder/reply.do?gdbh=${order.orderNo}`);
    await replyReady(page);
    await inject(page);
    const input = closeInput(order.orderNo, { handling: [], contact: [], document: [] });
    const hostile = { ...input, result: { ...input.result, publicReply: '已处理<img src=x onerror="parent.pwned=1">完毕\n第二段 <b>不加粗</b>' } };
    const plan = planWith(planReply(builtinAdapter('demo-ueditor')!, hostile), (p) => p.field.key === 'fld10');
    const report = await fill(page, plan, []);
    expect(report.fields[0]).toMatchObject({ status: 'ok', actual: hostile.result.publicReply });
    expect(await editorBody(page).locator('img, b').count()).toBe(0);
    expect(await editorBody(page).locator('p').allTextContents()).toEqual(['已处理<img src=x onerror="parent.pwned=1">完毕', '第二段 <b>不加粗</b>']);
    // What the portal would submit: the editor's own HTML, the markup escaped.
    const content = await page.evaluate(() => (window as unknown as UEditorWindow).editor!.getContent());
    expect(content).toContain('&lt;img');
    expect(content).not.toContain('<img');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  } finally {
    await page.context().close();
  }
});

it('fails the UEditor field with a reason when the page-world script is not there', async () => {
  const page = await newPage(world());
  try {
    const order = world().portals.orders('ueditor')[4]!;
    await page.goto(`${world().portals.urls.ueditor}workorder/reply.do?gdbh=${order.orderNo}`);
    await replyReady(page);
    await inject(page, 'the-real-secret-5678');
    const plan = planWith(planReply(builtinAdapter('demo-ueditor')!, closeInput(order.orderNo, { handling: [], contact: [], document: [] })), (p) => p.field.key === 'fld10');
    const report = await fill(page, plan, [], { secret: 'a-forged-secret-999' });
    expect(report.fields[0]).toMatchObject({ key: 'fld10', status: 'failed', reason: { code: 'editor_refused', cause: 'no_response' } });
    expect(zh(report.fields[0]?.reason)).toContain('页面助手没有响应');
    expect(await editorBody(page).textContent()).toBe('');
  } finally {
    await page.context().close();
  }
});

it('teaches both UEditors from a click in their editing area, and the taught adapter fills them', async () => {
  const page = await newPage(world());
  try {
    const order = world().portals.orders('ueditor')[3]!;
    await page.goto(`${world().portals.urls.ueditor}workorder/reply.do?gdbh=${order.orderNo}`);
    await replyReady(page);
    await inject(page);
    await page.evaluate(() => {
      const picked: Element[] = [];
      (window as unknown as { picked: Element[] }).picked = picked;
      (window as unknown as { stop: () => void }).stop = window.lianxin.engine.captureClicks(document, (el) => picked.push(el));
    });
    const fields: ReplyFieldInput[] = [];
    for (const [holder, label, source] of [['#fld09', '办理情况', 'actions'], ['#fld10', '公开答复内容', 'publicReply']] as const) {
      await page.frameLocator(`${holder} iframe[id^=ueditor_]`).locator('body').click();
      const taught = await page.evaluate(() => {
        const picked = (window as unknown as { picked: Element[] }).picked;
        const result = window.lianxin.engine.teachLocators(document, picked[picked.length - 1]!, 'richtext');
        return result.ok ? { ok: true as const, suggested: result.suggested } : { ok: false as const, reason: result.reason };
      });
      expect(taught, label).toMatchObject({ ok: true });
      if (!taught.ok) continue;
      expect(taught.suggested, label).toContainEqual(expect.objectContaining({ by: 'label', text: label }));
      fields.push({ key: source, label, source, widget: { kind: 'richtext', editor: 'ueditor' }, locators: taught.suggested as Locator[] });
    }
    await page.evaluate(() => (window as unknown as { stop: () => void }).stop());
    const parsed = parseAdapter({ version: 1, id: 'taught-ueditor', name: '教学', reply: { page: { urls: ['*/ueditor/workorder/reply.do?gdbh=*'], check: { selector: 'form#replyForm' } }, fields } });
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    if (!parsed.ok) return;
    const input = closeInput(order.orderNo, { handling: [], contact: [], document: [] });
    // The taught adapter does not say where the page shows its order number: the clerk confirms it.
    const report = await fill(page, planReply(parsed.value, input), [], { confirmedOrder: { orderNo: order.orderNo, url: page.url() } });
    expect(failures(knownFields(report))).toEqual([]);
    expect(knownFields(report).fields.map((f) => f.status)).toEqual(['ok', 'ok']);
    // The required fields not taught are named for the clerk to fill by hand.
    expect(unplannedLabels(report)).toEqual(['诉求是否属实', '处理结果']);
    expect(await page.evaluate(() => (window as unknown as UEditorWindow).actionsEditor!.getContent())).toBe(input.result.actions.split('\n').map((line) => `<p>${line}</p>`).join(''));
  } finally {
    await page.context().close();
  }
});
