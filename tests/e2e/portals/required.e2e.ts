/**
 * Required means required. The Element Plus demo requires 联系时间 (its form
 * item is `is-required`); a worker who could not reach the citizen closes
 * without one. That field must read ✗ saying what is missing — the portal
 * refuses the submit — never "✓ nothing to write". The adapter's own
 * `required` overrides the page either way, and a value the clerk typed into
 * the portal counts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PortalAdapter, ReplyFieldInput } from '#shared/portal/adapter.ts';
import { builtinAdapter } from '#shared/portal/builtin.ts';
import { parseAdapter } from '#shared/portal/parse.ts';
import { planReply, type ReplyInput } from '#shared/portal/reply-plan.ts';
import { check, fill, inject, newPage, startWorld, type World, zh } from './fixtures.ts';
import { closeInput } from './reply-input.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const NO_PHOTOS = { handling: [], contact: [], document: [] };

/** A close by a worker who could not reach the citizen: no contact method, number or time. */
function notContacted(orderNo: string, resolution: 'resolved' | 'partly' = 'partly'): ReplyInput {
  const input = closeInput(orderNo, NO_PHOTOS, resolution);
  return { ...input, result: { ...input.result, contact: { contacted: false, note: '电话无人接听，上门未遇' } } };
}

function elementPlus(change: (field: ReplyFieldInput) => ReplyFieldInput = (f) => f): PortalAdapter {
  const base = builtinAdapter('demo-element-plus')!;
  const parsed = parseAdapter({ ...base, reply: { ...base.reply!, fields: base.reply!.fields.map((f) => change(f)) } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

async function openReply(index: number): Promise<{ page: Page; orderNo: string }> {
  const page = await newPage(world);
  const order = world.portals.orders('element-plus')[index]!;
  await page.goto(`${world.portals.urls['element-plus']}#/orders/${order.orderNo}/handle`);
  await page.waitForSelector('.reply-form');
  await inject(page);
  return { page, orderNo: order.orderNo };
}

const status = (report: { fields: readonly { key: string; status: string }[] }, key: string) => report.fields.find((f) => f.key === key)?.status;

it('fails a field the portal requires when the result has nothing for it, saying what is missing — and the portal does refuse the submit', async () => {
  const { page, orderNo } = await openReply(0);
  try {
    const report = await fill(page, planReply(elementPlus(), notContacted(orderNo)), []);
    const contactTime = report.fields.find((f) => f.key === 'lxsj')!;
    expect(contactTime).toMatchObject({ status: 'failed', required: true });
    expect(zh(contactTime.reason)).toContain('联系时间');
    expect(report.ok).toBe(false);
    // Not required, nothing to write: left alone.
    expect(status(report, 'lxfs')).toBe('skipped');
    expect(status(report, 'lxhm')).toBe('skipped');

    // The portal agrees: its submit is refused for that field.
    await page.click('.submit-reply');
    await expect.poll(() => page.locator('.el-form-item.is-error').allTextContents()).toEqual([expect.stringContaining('联系时间')]);
    expect(world.portals.received('element-plus')).toEqual([]);

    // The clerk enters the time in the portal: the field now holds a value of the clerk's, and reads ✓.
    const picker = page.locator('.el-form-item', { hasText: '联系时间' }).locator('input');
    await picker.fill('2026-11-30 09:15');
    await picker.press('Enter');
    await expect.poll(() => picker.inputValue()).toBe('2026-11-30 09:15');
    const again = await check(page, planReply(elementPlus(), notContacted(orderNo)));
    expect(again.fields.find((f) => f.key === 'lxsj')).toMatchObject({ status: 'ok', actual: '2026-11-30 09:15' });
  } finally {
    await page.context().close();
  }
});

it('lets the adapter decide over the page: required: true on an unmarked field, required: false on a marked one', async () => {
  const { page, orderNo } = await openReply(1);
  try {
    const adapter = elementPlus((f) => (f.key === 'wjjyy' ? { ...f, required: true } : f.key === 'lxsj' ? { ...f, required: false } : f));
    const report = await fill(page, planReply(adapter, notContacted(orderNo, 'resolved')), []);
    expect(report.fields.find((f) => f.key === 'wjjyy')).toMatchObject({ status: 'failed', required: true });
    expect(zh(report.fields.find((f) => f.key === 'wjjyy')?.reason)).toContain('未解决原因');
    expect(report.fields.find((f) => f.key === 'lxsj')).toMatchObject({ status: 'skipped', required: false });
  } finally {
    await page.context().close();
  }
});

it('fails a required field the portal added that the rules do not know, by its label, until the clerk fills it in the portal', async () => {
  const { page, orderNo } = await openReply(2);
  try {
    // The portal adds fields to its form: one required and empty, one required and already filled, one optional.
    await page.evaluate(() => {
      const form = document.querySelector('form.reply-form')!;
      const item = (label: string, name: string, required: boolean, value: string) => {
        const added = document.createElement('div');
        added.className = required ? 'el-form-item is-required' : 'el-form-item';
        added.innerHTML = `<label class="el-form-item__label"></label><div class="el-form-item__content"><input class="el-input__inner"></div>`;
        added.querySelector('label')!.textContent = label;
        const input = added.querySelector('input')!;
        input.name = name;
        input.value = value;
        return added;
      };
      form.prepend(item('回访意见', 'hfyj', true, ''), item('经办人', 'jbr', true, '张三'), item('备注', 'bz', false, ''));
    });
    const plan = planReply(elementPlus(), closeInput(orderNo, NO_PHOTOS));
    const report = await fill(page, plan, []);
    // Every field the rules know is written and read back…
    expect(report.fields.filter((f) => plan.fields.some((p) => p.field.key === f.key) && f.status === 'failed')).toEqual([]);
    // …but the form is not complete: the one required empty field is named, and the report is not ✓.
    const unknown = report.fields.filter((f) => !plan.fields.some((p) => p.field.key === f.key));
    expect(unknown).toEqual([expect.objectContaining({ label: '回访意见', status: 'failed', required: true })]);
    expect(zh(unknown[0]?.reason)).toContain('手工填写');
    expect(report.ok).toBe(false);

    // The clerk fills it in the portal: 重新核对 reads the form complete.
    await page.locator('input[name=hfyj]').fill('群众表示满意');
    const again = await check(page, plan);
    expect(again.fields.filter((f) => f.status === 'failed')).toEqual([]);
    expect(again.ok).toBe(true);
  } finally {
    await page.context().close();
  }
});
