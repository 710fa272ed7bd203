/** The Element UI (Vue 2) demo portal: radio buttons, el-select, date pickers with their own format, wangEditor. */
import { expect, it } from 'vitest';
import { builtinAdapter } from '#shared/portal/builtin.ts';
import { planReply, planWith } from '#shared/portal/reply-plan.ts';
import { fill, inject, newPage } from './fixtures.ts';
import { closeInput } from './reply-input.ts';
import { describePortal } from './scenario.ts';

const world = describePortal({
  portal: 'element-ui',
  adapterId: 'demo-element-ui',
  orderPath: (no) => `#/order/${no}`,
  replyPath: (no) => `#/order/${no}/reply`,
  orderReady: '.order-info',
  replyReady: '.handle-page .w-e-text',
  submit: async (page) => {
    await page.click('.btn-submit');
    await page.waitForSelector('.done-tip');
  },
  kinds: { handling: 'xczp', contact: 'lxpz', document: 'sfzm' },
  notShown: ['handlingUnit'],
  required: ['sfss', 'cljg', 'blgc', 'dfnr'],
  expectedFields: (input) => ({
    sfss: 'Y',
    cljg: '02',
    wjjyy: input.result.unresolvedReason ?? '',
    lxqz: 'true',
    hffs: '1',
    lxdh: '13812345678',
    hfsj: '2026-11-30 09:15',
    bjrq: '2026-12-01',
    blgc: input.result.actions,
    // wangEditor's own HTML of the paragraphs the engine wrote as text nodes.
    dfnr: `<p>${input.result.publicReply}</p>`,
  }),
  renameLabel: {
    key: 'cljg',
    label: '处理结果',
    rename: (page) =>
      page.evaluate(() => {
        const label = [...document.querySelectorAll('.el-form-item__label')].find((l) => l.textContent?.trim() === '处理结果');
        label!.textContent = '办理结果';
      }),
    untouched: (page) => page.evaluate(() => (document.querySelector('input[placeholder="请选择处理结果"]') as HTMLInputElement).value === ''),
  },
});

it('reads back what the date picker holds, not what was typed: a format it rejects fails', async () => {
  const page = await newPage(world());
  try {
    const order = world().portals.orders('element-ui')[3]!;
    await page.goto(`${world().portals.urls['element-ui']}#/order/${order.orderNo}/reply`);
    await page.waitForSelector('.handle-page .w-e-text');
    await inject(page);
    const adapter = builtinAdapter('demo-element-ui')!;
    const plan = planWith(planReply(adapter, closeInput(order.orderNo, { handling: [], contact: [], document: [] })), (p) => p.field.key === 'bjrq');
    const wrongFormat = { ...plan, fields: plan.fields.map((p) => ({ ...p, value: { type: 'date' as const, time: 0, text: '2026.12.01' } })) };
    const report = await fill(page, wrongFormat, []);
    expect(report.fields[0]).toMatchObject({ key: 'bjrq', status: 'failed', actual: '' });
  } finally {
    await page.context().close();
  }
});

it('puts markup in a reply into wangEditor as text, node by node', async () => {
  const page = await newPage(world());
  try {
    const order = world().portals.orders('element-ui')[4]!;
    await page.goto(`${world().portals.urls['element-ui']}#/order/${order.orderNo}/reply`);
    await page.waitForSelector('.handle-page .w-e-text');
    await inject(page);
    const input = closeInput(order.orderNo, { handling: [], contact: [], document: [] });
    const hostile = { ...input, result: { ...input.result, publicReply: '已处理<img src=x onerror="window.pwned=1">完毕' } };
    const plan = planWith(planReply(builtinAdapter('demo-element-ui')!, hostile), (p) => p.field.key === 'dfnr');
    const report = await fill(page, plan, []);
    expect(report.fields[0]).toMatchObject({ status: 'ok', actual: hostile.result.publicReply });
    expect(await page.evaluate(() => document.querySelectorAll('.w-e-text img').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  } finally {
    await page.context().close();
  }
});
