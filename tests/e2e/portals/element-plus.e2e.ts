/**
 * The Element Plus (Vue 3) demo portal: import reads the order page exactly,
 * fill writes every reply field (radios, el-selects, date pickers, textareas,
 * three el-upload widgets), every field reads back ✓, and after the clerk's
 * click on 提交 the portal's server holds exactly those values and files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinAdapter } from '../../../shared/portal/builtin.ts';
import { parsePortalDate } from '../../../shared/portal/dates.ts';
import { planReply } from '../../../shared/portal/reply-plan.ts';
import { DISPLAY_FORMATS } from '../../portals/server.ts';
import { failures, fill, inject, makePhoto, newPage, readOrder, recognise, startWorld, type World } from './fixtures.ts';
import { closeInput } from './reply-input.ts';

const ADAPTER = builtinAdapter('demo-element-plus')!;
let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('Element Plus portal', () => {
  it('imports the order page field by field', async () => {
    const page = await newPage(world);
    const order = world.portals.orders('element-plus')[1]!;
    await page.goto(`${world.portals.urls['element-plus']}#/orders/${order.orderNo}`);
    await page.waitForSelector('.order-detail');
    await inject(page);
    expect(await recognise(page)).toEqual({ kind: 'order', adapterId: ADAPTER.id });

    const read = await readOrder(page, ADAPTER.id);
    expect(read.fields.filter((f) => !f.ok)).toEqual([]);
    const seconds = (t: number) => parsePortalDate(new Date(t + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' '), DISPLAY_FORMATS['element-plus']);
    expect(read.record).toEqual({
      orderNo: order.orderNo,
      receivedAt: seconds(order.receivedAt),
      deadline: seconds(order.deadline),
      channel: order.intake.channel,
      type: order.intake.type,
      category: order.category,
      title: order.title,
      content: order.content,
      address: order.address,
      citizen: { name: order.citizenName, phone: order.citizenPhone },
      handlingUnit: order.handlingUnit,
    });
    expect(read.record.receivedAt).toBe(order.intake.receivedAt);
    await page.context().close();
  });

  it('fills the reply form, reads every field back, and the portal receives exactly that', async () => {
    const page = await newPage(world);
    const order = world.portals.orders('element-plus')[0]!;
    await page.goto(`${world.portals.urls['element-plus']}#/orders/${order.orderNo}/handle`);
    await page.waitForSelector('.reply-form');
    await inject(page);
    expect(await recognise(page)).toEqual({ kind: 'reply', adapterId: ADAPTER.id });

    const photos = {
      handling: [await makePhoto(page, '办理 1'), await makePhoto(page, '办理 2')],
      contact: [await makePhoto(page, '联系')],
      document: [await makePhoto(page, '证件')],
    };
    const input = closeInput(order.orderNo, photos);
    const plan = planReply(ADAPTER, input);
    const report = await fill(page, plan, [...photos.handling, ...photos.contact, ...photos.document]);
    expect(failures(report)).toEqual([]);
    expect(report.fields.map((f) => [f.key, f.status])).toEqual(plan.map((p) => [p.field.key, 'ok']));

    // The extension never submits; the clerk does.
    expect(world.portals.received('element-plus')).toEqual([]);
    await page.click('.submit-reply');
    await page.waitForSelector('.submitted');
    const [submission] = world.portals.received('element-plus');
    expect(submission?.orderNo).toBe(order.orderNo);
    expect(submission?.fields).toEqual({
      sfss: '1',
      sfccz: '0',
      sqlx: 'BJ',
      lxqz: '1',
      lxfs: 'tel',
      lxhm: '13812345678',
      lxsj: '2026-11-30 09:15',
      sfjj: '2',
      wjjyy: input.result.unresolvedReason,
      blqk: input.result.actions,
      gkdf: input.result.publicReply,
      bjrq: '2026-12-01',
    });
    const byKind = (kind: string) => submission!.files.filter((f) => f.kind === kind).map((f) => f.sha256).sort();
    expect(byKind('blfj')).toEqual(photos.handling.map((p) => p.sha256).sort());
    expect(byKind('lxzj')).toEqual(photos.contact.map((p) => p.sha256));
    expect(byKind('zjfj')).toEqual(photos.document.map((p) => p.sha256));
    expect(submission!.files.every((f) => f.name.startsWith(order.orderNo) && f.mime === 'image/jpeg')).toBe(true);
    await page.context().close();
  });

  it('fails a field whose label was renamed, with the reason, and fills nothing in its place', async () => {
    const page = await newPage(world);
    const order = world.portals.orders('element-plus')[2]!;
    await page.goto(`${world.portals.urls['element-plus']}#/orders/${order.orderNo}/handle`);
    await page.waitForSelector('.reply-form');
    await page.evaluate(() => {
      const label = [...document.querySelectorAll('.el-form-item__label')].find((l) => l.textContent?.trim() === '诉求属实');
      label!.textContent = '是否属实';
    });
    await inject(page);
    const photos = { handling: [await makePhoto(page, '办理')], contact: [], document: [] };
    const report = await fill(page, planReply(ADAPTER, closeInput(order.orderNo, photos)), photos.handling);
    const founded = report.fields.find((f) => f.key === 'sfss')!;
    expect(founded.status).toBe('failed');
    expect(founded.reason).toContain('诉求属实');
    expect(report.ok).toBe(false);
    // Nothing else was touched in its place: the renamed group stays empty.
    const checked = await page.evaluate(() => [...document.querySelectorAll('.el-radio-group')][0]!.querySelectorAll('input:checked').length);
    expect(checked).toBe(0);
    expect(report.fields.filter((f) => f.key !== 'sfss' && f.status === 'failed')).toEqual([]);
    await page.context().close();
  });
});
