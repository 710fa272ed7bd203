/**
 * Dates the portal rewrites. The Element Plus variant (tests/portals,
 * UNPADDED_CONTACT_TIME_FORMAT) has a 联系时间 picker that shows month and day
 * unpadded: typed `2026年12月03日 09时05分`, it shows `2026年12月3日 09时05分`.
 * The read-back compares the moment in the field's format, not the spelling:
 * the same moment in the page's spelling is ✓, another moment ✗; and an
 * adapter can write the unpadded spelling itself.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PortalAdapter } from '#shared/portal/adapter.ts';
import { builtinAdapter } from '#shared/portal/builtin.ts';
import { parseAdapter } from '#shared/portal/parse.ts';
import { planReply, planWith, type ReplyInput } from '#shared/portal/reply-plan.ts';
import { UNPADDED_CONTACT_TIME_FORMAT } from '../../portals/server.ts';
import { check, fill, inject, knownFields, newPage, startWorld, type World, zh } from './fixtures.ts';
import { closeInput } from './reply-input.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld({ contactTimeFormat: UNPADDED_CONTACT_TIME_FORMAT });
});
afterAll(async () => {
  await world?.close();
});

/** The built-in Element Plus adapter with 联系时间 written in `format`, checked by the adapter parser. */
function adapterWithContactFormat(format: string): PortalAdapter {
  const base = builtinAdapter('demo-element-plus')!;
  const fields = base.reply!.fields.map((f) => (f.key === 'lxsj' ? { ...f, widget: { kind: 'date' as const, format } } : f));
  const parsed = parseAdapter({ ...base, reply: { ...base.reply!, fields } });
  expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  return parsed.ok ? parsed.value : base;
}

/** A close whose contact time is 2026-12-03 09:05 China time. */
function contactedAt(orderNo: string): ReplyInput {
  const input = closeInput(orderNo, { handling: [], contact: [], document: [] });
  return { ...input, result: { ...input.result, contact: { ...input.result.contact, at: Date.UTC(2026, 11, 3, 1, 5) } } };
}

const picker = (page: Page) => page.locator('.el-form-item', { hasText: '联系时间' }).locator('input');

async function openReply(index: number): Promise<{ page: Page; orderNo: string }> {
  const page = await newPage(world);
  const order = world.portals.orders('element-plus')[index]!;
  await page.goto(`${world.portals.urls['element-plus']}#/orders/${order.orderNo}/handle`);
  await page.waitForSelector('.reply-form');
  await inject(page);
  return { page, orderNo: order.orderNo };
}

it('reads back ✓ a date the picker rewrote into its own spelling of the same moment, and ✗ another moment', async () => {
  const { page, orderNo } = await openReply(0);
  try {
    const plan = planWith(planReply(adapterWithContactFormat('yyyy年MM月dd日 HH时mm分'), contactedAt(orderNo)), (p) => p.field.key === 'lxsj');
    expect(plan.fields.map((p) => p.value)).toMatchObject([{ type: 'date', text: '2026年12月03日 09时05分' }]);
    const report = await fill(page, plan, []);
    // The portal shows the moment its own way…
    expect(await picker(page).inputValue()).toBe('2026年12月3日 09时05分');
    // …and it is the moment that was written.
    // (The plan is this one field: the form's other required fields are the rest of the reply's, not this test's.)
    expect(knownFields(report).fields).toMatchObject([{ key: 'lxsj', status: 'ok', actual: '2026年12月3日 09时05分' }]);

    // The clerk picks another time: the same read-back now fails, naming both.
    await picker(page).fill('2026年12月3日 09时06分');
    await picker(page).press('Enter');
    await expect.poll(() => picker(page).inputValue()).toBe('2026年12月3日 09时06分');
    const after = await check(page, plan);
    expect(knownFields(after).fields).toMatchObject([{ key: 'lxsj', status: 'failed', reason: { code: 'date_other', actual: '2026年12月3日 09时06分' } }]);
    expect(zh(knownFields(after).fields[0]?.reason)).toContain('2026年12月3日 09时06分');
  } finally {
    await page.context().close();
  }
});

it('writes a date in an unpadded format (yyyy年M月d日) and reads it back ✓', async () => {
  const { page, orderNo } = await openReply(1);
  try {
    const plan = planWith(planReply(adapterWithContactFormat(UNPADDED_CONTACT_TIME_FORMAT), contactedAt(orderNo)), (p) => p.field.key === 'lxsj');
    expect(plan.fields.map((p) => p.value)).toMatchObject([{ type: 'date', text: '2026年12月3日 09时05分' }]);
    const report = await fill(page, plan, []);
    expect(knownFields(report).fields).toMatchObject([{ key: 'lxsj', status: 'ok' }]);
    expect(await picker(page).inputValue()).toBe('2026年12月3日 09时05分');
  } finally {
    await page.context().close();
  }
});
