/**
 * The wrong order — the worst failure. A reply page says which order it is
 * for (the adapter's `reply.orderNo`); the engine reads it and fills only the
 * order the plan was made from. Another order's form is refused, naming both
 * numbers, before anything is written or uploaded; a page that moves on to
 * another order while filling stops the fill; and where a portal's reply page
 * shows no number, only the clerk's confirmation of this order on this page
 * lets the fill go ahead.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PortalAdapter } from '#shared/portal/adapter.ts';
import { builtinAdapter } from '#shared/portal/builtin.ts';
import { parseAdapter } from '#shared/portal/parse.ts';
import { planReply } from '#shared/portal/reply-plan.ts';
import { failures, fill, inject, makePhoto, newPage, startWorld, type World, zh } from './fixtures.ts';
import { closeInput } from './reply-input.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const adapter = () => builtinAdapter('demo-element-plus')!;
const orderNo = (i: number) => world.portals.orders('element-plus')[i]!.orderNo;

async function openReply(no: string): Promise<Page> {
  const page = await newPage(world);
  await page.goto(`${world.portals.urls['element-plus']}#/orders/${no}/handle`);
  await page.waitForSelector('.reply-form');
  await inject(page);
  return page;
}

/** Nothing of a reply on the form: no choice made, no text, no date, no upload listed. */
function formIsEmpty(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      document.querySelectorAll('.reply-form input:checked').length === 0 &&
      [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('.reply-form input:not([type=file]):not([type=radio]), .reply-form textarea')].every((el) => el.value === '') &&
      document.querySelectorAll('.reply-form .el-upload-list__item').length === 0,
  );
}

it("refuses to fill one order's result into another order's reply form, naming both numbers, writing and uploading nothing", async () => {
  const [chosen, shown] = [orderNo(0), orderNo(1)];
  const page = await openReply(shown);
  try {
    const photos = { handling: [await makePhoto(page, '错单 1'), await makePhoto(page, '错单 2')], contact: [await makePhoto(page, '错单 3')], document: [await makePhoto(page, '错单 4')] };
    const uploads = world.portals.uploads('element-plus').length;
    const report = await fill(page, planReply(adapter(), closeInput(chosen, photos)), [...photos.handling, ...photos.contact, ...photos.document]);
    expect(report.ok).toBe(false);
    expect(zh(report.refused)).toContain(chosen);
    expect(zh(report.refused)).toContain(shown);
    expect(report.fields.filter((f) => f.status === 'ok')).toEqual([]);
    expect(await formIsEmpty(page)).toBe(true);
    expect(world.portals.uploads('element-plus').length).toBe(uploads);

    // The form's own order fills.
    expect(failures(await fill(page, planReply(adapter(), closeInput(shown, photos)), [...photos.handling, ...photos.contact, ...photos.document]))).toEqual([]);
  } finally {
    await page.context().close();
  }
});

it('stops filling when the page moves on to another order while it fills', async () => {
  const [chosen, next] = [orderNo(2), orderNo(3)];
  const page = await openReply(chosen);
  try {
    // The portal moves to the next order's form as soon as the first attachment is chosen.
    await page.evaluate((no) => {
      document.addEventListener(
        'change',
        (event) => {
          const target = event.target as HTMLInputElement;
          if (target.type === 'file' && !location.hash.includes(no)) location.hash = `#/orders/${no}/handle`;
        },
        { capture: true },
      );
    }, next);
    const photos = { handling: [await makePhoto(page, '换页 1')], contact: [await makePhoto(page, '换页 2')], document: [await makePhoto(page, '换页 3')] };
    const report = await fill(page, planReply(adapter(), closeInput(chosen, photos)), [...photos.handling, ...photos.contact, ...photos.document]);
    expect(report.ok).toBe(false);
    expect(zh(report.refused)).toContain(chosen);
    await page.waitForSelector(`.reply-form .order-no:has-text("${next}")`);
    // Nothing reached the next order's form.
    expect(await formIsEmpty(page)).toBe(true);
  } finally {
    await page.context().close();
  }
});

it('on a reply page that shows no order number, fills only after the clerk confirmed this order on this page', async () => {
  const no = orderNo(4);
  const page = await openReply(no);
  try {
    // An adapter for a portal whose reply page shows no number.
    const { orderNo: _shownAt, ...reply } = adapter().reply!;
    const parsed = parseAdapter({ ...adapter(), reply });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const noNumber: PortalAdapter = parsed.value;
    const none = { handling: [], contact: [], document: [] };
    const plan = planReply(noNumber, closeInput(no, none));
    const url = page.url();

    const unconfirmed = await fill(page, plan, []);
    expect(unconfirmed.ok).toBe(false);
    expect(zh(unconfirmed.refused)).toContain(no);
    expect(await formIsEmpty(page)).toBe(true);

    // A confirmation of another order, or of this order on another page, is not this one.
    expect((await fill(page, plan, [], { confirmedOrder: { orderNo: orderNo(5), url } })).refused).toBeTruthy();
    expect((await fill(page, plan, [], { confirmedOrder: { orderNo: no, url: url.replace(no, orderNo(5)) } })).refused).toBeTruthy();
    expect(await formIsEmpty(page)).toBe(true);

    expect(failures(await fill(page, plan, [], { confirmedOrder: { orderNo: no, url } }))).toEqual([]);
  } finally {
    await page.context().close();
  }
});
