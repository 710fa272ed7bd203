/**
 * The layui/jQuery demo portal: the form two iframes deep, opaque names
 * (note1 …), labels in table cells, layui radios and select, laydate formats
 * (2026年11月30日 09时15分, 2026/12/01), KindEditor through the page-world
 * script, plain file inputs that upload with jQuery.
 */
import { expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { builtinAdapter } from '#shared/portal/builtin.ts';
import { planReply, planWith } from '#shared/portal/reply-plan.ts';
import { fill, inject, makePhoto, newPage, zh } from './fixtures.ts';
import { closeInput } from './reply-input.ts';
import { describePortal } from './scenario.ts';
import { WAIT_MS } from '../../support/wait.ts';

async function frame(page: Page, url: RegExp): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => url.test(f.url())), { timeout: WAIT_MS }).toBe(true);
  return page.frames().find((f) => url.test(f.url()))!;
}

const formReady = async (page: Page) => {
  const form = await frame(page, /handle-form/);
  // layui has rendered its widgets and KindEditor its iframe.
  await form.waitForSelector('.layui-form-select');
  await form.waitForSelector('.ke-container iframe');
};

const world = describePortal({
  portal: 'layui',
  adapterId: 'demo-layui',
  orderPath: (no) => `#view/${no}`,
  replyPath: (no) => `#handle/${no}`,
  orderReady: async (page) => (await frame(page, /order\/view/)).waitForSelector('table.order-view'),
  replyReady: formReady,
  submit: async (page) => {
    const form = await frame(page, /handle-form/);
    await form.click('#btnSubmit');
    await form.waitForSelector('#submitTip:has-text("提交成功")');
  },
  kinds: { handling: 'blfj', contact: 'lxzj', document: 'zjfj' },
  required: ['note1', 'note7', 'note9'],
  expectedFields: (input) => ({
    note1: '1',
    note2: '0',
    note3: '10',
    note4: '1',
    note10: '01',
    note5: '13812345678',
    note6: '2026年11月30日 09时15分',
    note7: '2',
    note12: '2026/12/01',
    note8: input.result.unresolvedReason ?? '',
    note9: input.result.actions,
    note11: `<p>\n\t${input.result.publicReply}\n</p>`,
  }),
  renameLabel: {
    key: 'note5',
    label: '联系号码',
    rename: async (page) => {
      const form = await frame(page, /handle-form/);
      await form.evaluate(() => {
        const cell = [...document.querySelectorAll('td.td-label')].find((td) => td.textContent?.trim() === '联系号码');
        cell!.textContent = '联系人电话';
      });
    },
    untouched: async (page) => (await frame(page, /handle-form/)).evaluate(() => (document.querySelector('input[name=note5]') as HTMLInputElement).value === ''),
  },
});

it('refuses both fields when two labels swap places, rather than filling the wrong ones', async () => {
  const page = await newPage(world());
  try {
    const order = world().portals.orders('layui')[3]!;
    await page.goto(`${world().portals.urls.layui}#handle/${order.orderNo}`);
    await formReady(page);
    const form = await frame(page, /handle-form/);
    await form.evaluate(() => {
      const cells = [...document.querySelectorAll('td.td-label')];
      const founded = cells.find((td) => td.textContent?.includes('诉求属实'))!;
      const remit = cells.find((td) => td.textContent?.includes('超职责诉求'))!;
      founded.textContent = '超职责诉求';
      remit.textContent = '诉求属实';
    });
    await inject(page);
    const adapter = builtinAdapter('demo-layui')!;
    const photos = { handling: [await makePhoto(page, '办理')], contact: [], document: [] };
    const report = await fill(page, planReply(adapter, closeInput(order.orderNo, photos)), photos.handling);
    for (const key of ['note1', 'note2']) {
      const field = report.fields.find((f) => f.key === key)!;
      expect(field.status).toBe('failed');
      expect(zh(field.reason)).toContain('指向了不同的地方');
    }
    expect(await form.evaluate(() => document.querySelectorAll('input[name=note1]:checked, input[name=note2]:checked').length)).toBe(0);
  } finally {
    await page.context().close();
  }
});

it('writes nothing through the page-world script for a sender without its secret', async () => {
  const page = await newPage(world());
  try {
    const order = world().portals.orders('layui')[4]!;
    await page.goto(`${world().portals.urls.layui}#handle/${order.orderNo}`);
    await formReady(page);
    await inject(page, 'the-real-secret-1234');
    const adapter = builtinAdapter('demo-layui')!;
    const reply = planWith(planReply(adapter, closeInput(order.orderNo, { handling: [], contact: [], document: [] })), (p) => p.field.key === 'note11');
    // A page that does not know the secret, answering every request "ok" as fast as it can.
    await page.evaluate(() => {
      window.addEventListener('lianxin:portal-request', (event) => {
        const detail = JSON.parse(String((event as CustomEvent).detail)) as { id: string };
        window.dispatchEvent(new CustomEvent('lianxin:portal-response', { detail: JSON.stringify({ secret: 'guess', id: detail.id, ok: true }) }));
      });
    });
    const report = await fill(page, reply, [], { secret: 'a-forged-secret-999' });
    expect(report.fields[0]).toMatchObject({ key: 'note11', status: 'failed', reason: { code: 'editor_refused', cause: 'no_response' } });
    expect(zh(report.fields[0]?.reason)).toContain('页面助手没有响应');
    const form = await frame(page, /handle-form/);
    expect(await form.evaluate(() => (document.querySelector('.ke-container iframe') as HTMLIFrameElement).contentDocument!.body.textContent)).toBe('');
  } finally {
    await page.context().close();
  }
});

it('puts markup in a reply into KindEditor as text, through the page-world script', async () => {
  const page = await newPage(world());
  try {
    const order = world().portals.orders('layui')[5]!;
    await page.goto(`${world().portals.urls.layui}#handle/${order.orderNo}`);
    await formReady(page);
    await inject(page);
    const input = closeInput(order.orderNo, { handling: [], contact: [], document: [] });
    const hostile = { ...input, result: { ...input.result, publicReply: '已处理<img src=x onerror="parent.parent.pwned=1">完毕' } };
    const plan = planWith(planReply(builtinAdapter('demo-layui')!, hostile), (p) => p.field.key === 'note11');
    const report = await fill(page, plan, []);
    expect(report.fields[0]).toMatchObject({ status: 'ok', actual: hostile.result.publicReply });
    const form = await frame(page, /handle-form/);
    expect(await form.evaluate(() => (document.querySelector('.ke-container iframe') as HTMLIFrameElement).contentDocument!.querySelectorAll('img').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  } finally {
    await page.context().close();
  }
});
