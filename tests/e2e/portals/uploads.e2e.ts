/**
 * Never twice. Filling a reply form again (the clerk pressed 一键回填 a
 * second time, or came back to the page) must not upload the photos the
 * portal already lists for that field; and the read-back counts exactly the
 * photos the order has, so a field listing a photo twice reads ✗.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { builtinAdapter } from '#shared/portal/builtin.ts';
import { planReply, type PlannedField } from '#shared/portal/reply-plan.ts';
import type { PortalName } from '../../portals/server.ts';
import { check, failures, fill, inject, makePhoto, newPage, startWorld, type TestPhoto, type World, zh } from './fixtures.ts';
import { closeInput } from './reply-input.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const CASES: { portal: PortalName; adapterId: string; path: (no: string) => string; ready: (page: Page) => Promise<unknown>; submit: (page: Page) => Promise<unknown> }[] = [
  {
    portal: 'element-plus',
    adapterId: 'demo-element-plus',
    path: (no) => `#/orders/${no}/handle`,
    ready: (page) => page.waitForSelector('.reply-form'),
    submit: async (page) => {
      await page.click('.submit-reply');
      await page.waitForSelector('.submitted');
    },
  },
  {
    // 现场照片 takes one file at a time.
    portal: 'ueditor',
    adapterId: 'demo-ueditor',
    path: (no) => `workorder/reply.do?gdbh=${encodeURIComponent(no)}`,
    ready: async (page) => {
      await page.waitForSelector('form#replyForm');
      await page.waitForFunction(() => {
        const w = window as unknown as { editor?: { isReady?: number }; actionsEditor?: { isReady?: number } };
        return w.editor?.isReady === 1 && w.actionsEditor?.isReady === 1;
      });
    },
    submit: async (page) => {
      await page.click('#btnSubmit');
      await page.waitForSelector('#submitTip:has-text("提交成功")');
    },
  },
];

async function open(c: (typeof CASES)[number], index: number): Promise<{ page: Page; orderNo: string }> {
  const page = await newPage(world);
  const order = world.portals.orders(c.portal)[index]!;
  await page.goto(world.portals.urls[c.portal] + c.path(order.orderNo));
  await c.ready(page);
  await inject(page);
  return { page, orderNo: order.orderNo };
}

async function photosOf(page: Page, tag: string): Promise<{ handling: TestPhoto[]; contact: TestPhoto[]; document: TestPhoto[] }> {
  return {
    handling: [await makePhoto(page, `${tag} 办理 1`), await makePhoto(page, `${tag} 办理 2`)],
    contact: [await makePhoto(page, `${tag} 联系`)],
    document: [await makePhoto(page, `${tag} 证件`)],
  };
}

const all = (p: { handling: TestPhoto[]; contact: TestPhoto[]; document: TestPhoto[] }) => [...p.handling, ...p.contact, ...p.document];

for (const c of CASES) {
  it(`${c.portal}: filling twice uploads each photo once, both times ✓, and the portal receives exactly the order's photos`, async () => {
    const { page, orderNo } = await open(c, 5);
    try {
      const before = world.portals.uploads(c.portal).length;
      const photos = await photosOf(page, c.portal);
      const plan = planReply(builtinAdapter(c.adapterId)!, closeInput(orderNo, photos));
      expect(failures(await fill(page, plan, all(photos)))).toEqual([]);
      expect(world.portals.uploads(c.portal).length - before).toBe(4);
      // 一键回填 again: every field ✓ again, no photo sent again.
      expect(failures(await fill(page, plan, all(photos)))).toEqual([]);
      expect(world.portals.uploads(c.portal).length - before).toBe(4);

      const received = world.portals.received(c.portal).length;
      await c.submit(page);
      await expect.poll(() => world.portals.received(c.portal).length).toBe(received + 1);
      const submission = world.portals.received(c.portal)[received]!;
      expect(submission.files.map((f) => f.sha256).sort()).toEqual(all(photos).map((p) => p.sha256).sort());
    } finally {
      await page.context().close();
    }
  });
}

it('sends only the photos the portal does not list yet, and reads ✗ a field that lists a photo twice', async () => {
  const c = CASES[0]!;
  const { page, orderNo } = await open(c, 4);
  try {
    const before = world.portals.uploads(c.portal).length;
    const photos = await photosOf(page, 'partial');
    const plan = planReply(builtinAdapter(c.adapterId)!, closeInput(orderNo, photos));
    const handling = plan.fields.find((p) => p.field.key === 'blfj')!.value as Extract<PlannedField['value'], { type: 'files' }>;
    // The names come from the photos' hashes, so they are the same on every fill.
    expect(handling.photos.map((p) => p.name)).toEqual(photos.handling.map((p) => expect.stringContaining(p.sha256.slice(0, 12))));

    // The clerk had already uploaded the first 办理附件 photo under that name.
    const first = handling.photos[0]!;
    const input = page.locator('.upload-blfj input[type=file]');
    await input.setInputFiles({ name: first.name, mimeType: 'image/jpeg', buffer: Buffer.from(photos.handling[0]!.base64, 'base64') });
    await expect.poll(() => page.locator('.upload-blfj .el-upload-list__item.is-success').count()).toBe(1);

    const report = await fill(page, plan, all(photos));
    expect(failures(report)).toEqual([]);
    expect(world.portals.uploads(c.portal).length - before).toBe(4);
    expect(await page.locator('.upload-blfj .el-upload-list__item.is-success').count()).toBe(2);

    // The same photo again by hand: the field lists it twice, which the read-back refuses.
    await input.setInputFiles({ name: first.name, mimeType: 'image/jpeg', buffer: Buffer.from(photos.handling[0]!.base64, 'base64') });
    await expect.poll(() => page.locator('.upload-blfj .el-upload-list__item.is-success').count()).toBe(3);
    const after = await check(page, plan);
    expect(after.fields.find((f) => f.key === 'blfj')).toMatchObject({ status: 'failed' });
    expect(zh(after.fields.find((f) => f.key === 'blfj')?.reason)).toContain(first.name);
    expect(after.fields.filter((f) => f.key !== 'blfj' && f.status === 'failed')).toEqual([]);
  } finally {
    await page.context().close();
  }
});
