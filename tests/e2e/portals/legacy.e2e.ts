/**
 * A portal no built-in rule knows (tests/portals/legacy), taught from nothing
 * by clicking its pages, as an admin does in teach mode: the order page
 * (`main.html?record_number=…`, the same file as the list), the list
 * (`main.html`) and the reply form (`detail.html?record_number=…&sid=…`).
 * The taught rules recognise each page by its URL with the query kept as
 * wildcards, read the portal's own words (求助件) and unpadded times, import
 * several orders from the list at once (a withdrawn order's row fails with
 * its reason, the rest are read), and fill the reply ✓ including 无法联系.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ListColumn, Locator, OrderField, PortalAdapterInput, ReadField, ReplyFieldInput, ReplySource, Widget } from '#shared/portal/adapter.ts';
import { parseAdapter } from '#shared/portal/parse.ts';
import { planReply } from '#shared/portal/reply-plan.ts';
import { listRecord } from '#shared/portal/order-record.ts';
import { formatPortalDate } from '#shared/portal/dates.ts';
import { urlMatches, urlPatternFor } from '#shared/portal/url.ts';
import { WITHDRAWN_ORDER_NO } from '../../portals/legacy/pages.ts';
import { failures, fill, inject, makePhoto, newPage, startWorld, type World, zh } from './fixtures.ts';
import { closeInput } from './reply-input.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const base = () => world.portals.urls.legacy;

/** Clicks `selector` with clicks captured, as teach mode does: the page never sees the click; the element is kept as `window.picked`. */
async function clickToTeach(page: Page, selector: string): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { picked: Element | null };
    w.picked = null;
    const stop = window.lianxin.engine.captureClicks(document, (el) => {
      w.picked = el;
      stop();
    });
  });
  await page.locator(selector).first().click();
}

async function readLocators(page: Page, selector: string): Promise<Locator[]> {
  await clickToTeach(page, selector);
  const taught = await page.evaluate(() => {
    const r = window.lianxin.engine.teachLocators(document, (window as unknown as { picked: Element }).picked, 'read');
    return r.ok ? r.suggested : [];
  });
  expect(taught.length, selector).toBeGreaterThan(0);
  return taught as Locator[];
}

it('teaches the order page, the list and the reply form, imports from the list and fills a reply', async () => {
  const page = await newPage(world);
  const orders = world.portals.orders('legacy');
  const first = orders[0]!;

  // —— The order page: main.html?record_number=…
  await page.goto(`${base()}main.html?record_number=${first.orderNo}`);
  await inject(page);
  const orderUrl = page.url();
  const orderPattern = urlPatternFor(orderUrl);
  expect(orderPattern).toBe('*/legacy/main.html?record_number=*');
  const cell = (label: string) => `th:text-is("${label}") + td`;
  const readFields: [OrderField, string, Partial<ReadField>][] = [
    ['orderNo', '工单编号', {}],
    ['type', '诉求类别', { values: { help: ['求助件'], enquiry: ['咨询件'], complaint: ['投诉件'], suggestion: ['建议件'], praise: ['表扬件'] } }],
    ['citizenName', '来电人', {}],
    ['citizenPhone', '来电号码', {}],
    ['receivedAt', '来电时间', { format: 'yyyy年M月d日 H时mm分' }],
    ['deadline', '处置时限', { format: 'yyyy年M月d日 H时mm分' }],
    ['district', '所属区县', {}],
    ['street', '所属街道', {}],
    ['community', '所属社区', {}],
    ['category', '问题分类', {}],
    ['title', '工单标题', {}],
    ['content', '来电内容', {}],
    ['address', '问题地址', {}],
  ];
  const order: ReadField[] = [];
  for (const [key, label, extra] of readFields) order.push({ key, locators: await readLocators(page, cell(label)), ...extra } as ReadField);
  const check = await page.evaluate(() => {
    const el = document.querySelector('table.tab-info td')!;
    return window.lianxin.engine.proposePageCheck(el);
  });
  expect(check).not.toBeNull();

  // —— The list: main.html, columns by their headers, the row's link to the order page.
  await page.goto(`${base()}main.html`);
  await inject(page);
  const listUrl = page.url();
  expect(urlMatches(orderPattern, listUrl)).toBe(false);
  const columns: ListColumn[] = [];
  let rows = '';
  let link: string | null = null;
  const listed: [OrderField, string, Partial<ListColumn>][] = [
    ['orderNo', '工单编号', {}],
    ['title', '工单标题', {}],
    ['district', '所属区县', {}],
    ['street', '所属街道', {}],
    ['community', '所属社区', {}],
    ['receivedAt', '来电时间', { format: 'yyyy年M月d日 H时mm分' }],
  ];
  for (const [key, header, extra] of listed) {
    const index = ['选择', '工单编号', '工单标题', '所属区县', '所属街道', '所属社区', '来电时间'].indexOf(header) + 1;
    await clickToTeach(page, `#gdList tr:nth-child(2) td:nth-child(${index})`);
    const taught = await page.evaluate(() => window.lianxin.engine.teachListColumn((window as unknown as { picked: Element }).picked));
    expect(taught).toMatchObject({ ok: true, header, rowCount: orders.length + 1 });
    if (!taught.ok) return;
    rows = taught.rows;
    link = taught.link;
    columns.push({ key, header, ...extra } as ListColumn);
  }
  expect(link).toBe('a.lnk-view');
  const listCheck = await page.evaluate(() => window.lianxin.engine.proposePageCheck(document.querySelector('#gdList td')!));

  // —— The reply form: detail.html?record_number=…&sid=…
  await page.goto(`${base()}detail.html?record_number=${first.orderNo}&sid=S7f3a9c01`);
  await inject(page);
  const replyUrl = page.url();
  expect(urlPatternFor(replyUrl)).toBe('*/legacy/detail.html?record_number=*&sid=*');
  const lessons: [string, string, ReplySource, Widget, Partial<ReplyFieldInput>][] = [
    ['result', 'select[name=p_lxjg]', 'contacted', { kind: 'select' }, {}],
    ['time', 'input[name=p_lxsj]', 'contactTime', { kind: 'date', format: 'yyyy年M月d日 H时mm分' }, { required: false }],
    ['done', 'input[name=p_czjg] >> nth=0', 'resolution', { kind: 'radio' }, { values: { resolved: ['已办结'], partly: ['未办结'], unresolved: ['未办结'] } }],
    ['actions', 'textarea[name=p_czqk]', 'actions', { kind: 'textarea' }, {}],
    ['reply', 'textarea[name=p_hfnr]', 'publicReply', { kind: 'textarea' }, {}],
    ['photos', 'input[name=up_xctp]', 'photos.handling', { kind: 'file', uploaded: { within: 'td', item: 'li.up-item.ok' } }, {}],
  ];
  const fields: ReplyFieldInput[] = [];
  for (const [key, selector, source, widget, extra] of lessons) {
    await clickToTeach(page, selector);
    const suggested = await page.evaluate((kind) => {
      const r = window.lianxin.engine.teachLocators(document, (window as unknown as { picked: Element }).picked, kind);
      return r.ok ? r.suggested : [];
    }, widget.kind);
    expect(suggested.length, key).toBeGreaterThan(0);
    fields.push({ key, label: key, source, widget, locators: suggested as Locator[], ...extra });
  }
  const orderNoAt = await readLocators(page, '#lblRecordNo');
  const replyCheck = await page.evaluate(() => window.lianxin.engine.proposePageCheck(document.querySelector('textarea[name=p_czqk]')!));

  const input: PortalAdapterInput = {
    version: 1,
    id: 'taught-legacy',
    name: '市民热线工单处置平台',
    order: { page: { urls: [orderPattern], check: check! }, fields: order },
    list: { page: { urls: [urlPatternFor(listUrl)], check: listCheck! }, rows, columns, link: link! },
    reply: { page: { urls: [urlPatternFor(replyUrl)], check: replyCheck! }, orderNo: { locators: orderNoAt }, fields },
  };
  const parsed = parseAdapter(input);
  expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  if (!parsed.ok) return;
  const adapter = parsed.value;

  // Each page is recognised as what it is, for any order and any session.
  const kindAt = async (url: string) => {
    await page.goto(url);
    await inject(page);
    return page.evaluate((a) => window.lianxin.engine.recognisePage(document, location.href, [a])?.kind ?? null, adapter);
  };
  expect(await kindAt(`${base()}main.html`)).toBe('list');
  expect(await kindAt(`${base()}main.html?record_number=${orders[3]!.orderNo}`)).toBe('order');
  expect(await kindAt(`${base()}detail.html?sid=other&record_number=${orders[3]!.orderNo}`)).toBe('reply');

  // —— Import from the list: every row read, the withdrawn order's row failing with its reason.
  await page.goto(`${base()}main.html`);
  await inject(page);
  const imported = await page.evaluate(async (a) => {
    const list = window.lianxin.engine.readListPage(document, a.list!, location.href);
    if (!list.ok) return { error: list.reason };
    const out = [];
    for (const row of list.rows) {
      const at = row.link ? await window.lianxin.engine.readOrderAt(document, a, row.link, 10_000) : null;
      if (at && !at.ok) {
        out.push({ index: row.index, orderNo: row.texts.orderNo ?? '', failed: at.reason });
        continue;
      }
      const result = window.lianxin.portal.listRecord(a, row.texts, at?.ok ? at.read.texts : null);
      out.push({ index: row.index, orderNo: result.record.orderNo, record: result.record, problems: result.problems });
    }
    return { rows: out };
  }, adapter);
  expect(imported).not.toHaveProperty('error');
  const rowsRead = ('rows' in imported ? imported.rows : undefined) ?? [];
  expect(rowsRead.map((r) => r.orderNo)).toEqual([orders[0]!.orderNo, orders[1]!.orderNo, WITHDRAWN_ORDER_NO, ...orders.slice(2).map((o) => o.orderNo)]);
  expect(rowsRead[2]).toMatchObject({ index: 3, failed: { code: 'order_page_unreadable' } });
  expect(zh(rowsRead[2] && 'failed' in rowsRead[2] ? rowsRead[2].failed : null)).toContain('打不开');
  for (const [i, o] of [orders[0]!, orders[1]!, ...orders.slice(2)].entries()) {
    const row = rowsRead[i < 2 ? i : i + 1]!;
    expect('problems' in row ? row.problems : ['failed'], o.orderNo).toEqual([]);
    expect('record' in row ? row.record : null).toMatchObject({
      orderNo: o.orderNo,
      type: o.intake.type,
      receivedAt: Math.floor(o.receivedAt / 60_000) * 60_000,
      content: o.content,
      address: o.address,
      citizen: { name: o.citizenName, phone: o.citizenPhone },
      place: { district: o.district, street: o.street, community: o.community },
    });
  }
  expect(listRecord(adapter, { orderNo: orders[0]!.orderNo }, { orderNo: orders[1]!.orderNo, content: 'x', address: 'y' }).problems.map((p) => p.field)).toContain('orderNo');

  // —— Fill the reply: 无法联系 written as the portal's word, the unpadded time, the photo; read back ✓.
  await page.goto(`${base()}detail.html?record_number=${first.orderNo}&sid=S7f3a9c01`);
  await inject(page);
  const photos = { handling: [await makePhoto(page, '现场')], contact: [], document: [] };
  const reached = closeInput(first.orderNo, photos, 'resolved');
  const report = await fill(page, planReply(adapter, reached), photos.handling);
  expect(failures(report)).toEqual([]);
  expect(await page.inputValue('input[name=p_lxsj]')).toBe(formatPortalDate(reached.result.contact.at!, 'yyyy年M月d日 H时mm分'));
  expect(await page.inputValue('input[name=p_lxsj]')).toBe('2026年11月30日 9时15分');

  await page.reload();
  await inject(page);
  const unreachable = { ...reached, result: { ...reached.result, contact: { contacted: false, unreachable: true, note: '三次拨打均无人接听' } } };
  const second = await fill(page, planReply(adapter, unreachable), photos.handling);
  expect(failures(second)).toEqual([]);
  expect(second.fields.find((f) => f.key === 'time')?.status).toBe('skipped');
  await page.click('#btnSave');
  await expect.poll(() => world.portals.received('legacy').length).toBe(1);
  expect(world.portals.received('legacy')[0]).toMatchObject({
    orderNo: first.orderNo,
    fields: { p_lxjg: '2', p_lxsj: '', p_czjg: 'Y', p_czqk: reached.result.actions, p_hfnr: reached.result.publicReply },
  });
  expect(world.portals.received('legacy')[0]?.files.map((f) => f.sha256)).toEqual(photos.handling.map((p) => p.sha256));
  await page.context().close();
});
