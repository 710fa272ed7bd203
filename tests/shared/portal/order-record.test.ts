import { describe, expect, it } from 'vitest';
import type { PortalAdapter } from '#shared/portal/adapter.ts';
import { listRecord, titleFrom, toOrderRecord } from '#shared/portal/order-record.ts';

const adapter: PortalAdapter = {
  version: 1,
  id: 'test',
  name: 'test',
  order: {
    page: { urls: ['*'], check: { selector: 'body' } },
    fields: [
      { key: 'receivedAt', format: 'yyyy年MM月dd日 HH:mm', locators: [{ by: 'label', text: '来电时间' }] },
      { key: 'type', values: { complaint: ['投诉举报'] }, locators: [{ by: 'label', text: '诉求类型' }] },
    ],
  },
};

describe('toOrderRecord', () => {
  it('turns the portal texts into an intake-shaped record', () => {
    const { record, problems } = toOrderRecord(adapter, {
      orderNo: ' 250912101108115409 ',
      receivedAt: '2025年09月12日 10:11',
      type: '投诉举报',
      channel: '微信',
      category: '噪声污染',
      content: '株洲路两家餐饮店用大喇叭播放录音揽客，影响午休。请处理！',
      address: '株洲路',
      citizenName: '王女士',
      citizenPhone: '138 1234 5678',
    });
    expect(problems).toEqual([]);
    expect(record).toMatchObject({
      orderNo: '250912101108115409',
      receivedAt: Date.UTC(2025, 8, 12, 2, 11),
      deadline: null,
      type: 'complaint',
      channel: 'wechat',
      title: '株洲路两家餐饮店用大喇叭播放录音揽客，影响午休',
      citizen: { name: '王女士', phone: '138 1234 5678' },
    });
  });

  it('lists what it could not understand by field, keeping a fallback', () => {
    const { record, problems } = toOrderRecord(adapter, { orderNo: '12', receivedAt: '2025-09-12', type: '求表扬', content: 'x' });
    expect(problems.map((p) => p.field).sort()).toEqual(['address', 'orderNo', 'receivedAt', 'type']);
    expect(record.type).toBe('other');
    // As codes with their variables, for the panel to word in the clerk's language (tests/extension/reasons.test.ts).
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'receivedAt', reason: { code: 'record_time_format', value: '2025-09-12', format: 'yyyy年MM月dd日 HH:mm' } },
        { field: 'orderNo', reason: { code: 'record_not_order_no', value: '12' } },
        { field: 'type', reason: { code: 'record_word_unknown', field: 'type', value: '求表扬', fallback: 'other' } },
        { field: 'address', reason: { code: 'record_missing' } },
      ]),
    );
  });

  it('shortens long first sentences into a title', () => {
    expect(titleFrom('一'.repeat(40))).toBe(`${'一'.repeat(30)}…`);
  });
});

describe('listRecord', () => {
  const adapter = {
    version: 1 as const,
    id: 'list-test',
    name: '列表',
    order: {
      page: { urls: ['*/main.html?record_number=*'], check: { selector: 'title' } },
      fields: [
        { key: 'orderNo' as const, locators: [{ by: 'label' as const, text: '工单编号' }] },
        { key: 'receivedAt' as const, format: 'yyyy-MM-dd HH:mm', locators: [{ by: 'label' as const, text: '来电时间' }] },
      ],
    },
    list: {
      page: { urls: ['*/main.html'], check: { selector: 'title' } },
      rows: 'table#gdList tr',
      columns: [
        { key: 'orderNo' as const, header: '工单编号' },
        { key: 'receivedAt' as const, header: '来电时间', format: 'yyyy年M月d日 H时mm分' },
        { key: 'district' as const, header: '所属区县' },
      ],
    },
  };

  it('takes the order page where both say something, each in its own format, and keeps the place names', () => {
    const { record, problems } = listRecord(
      adapter,
      { orderNo: '2612', receivedAt: '2026年12月3日 9时05分', district: '东城区' },
      { orderNo: '2612', receivedAt: '2026-12-03 09:05', content: '路灯不亮', address: '人民路1号' },
    );
    expect(problems).toEqual([]);
    expect(record).toMatchObject({ orderNo: '2612', content: '路灯不亮', place: { district: '东城区' } });
    // Only the list: its column's format.
    const listed = listRecord(adapter, { orderNo: '2612', receivedAt: '2026年12月3日 9时05分' }, null);
    expect(listed.record.receivedAt).toBe(record.receivedAt);
    expect(listed.problems.map((p) => p.field).sort()).toEqual(['address', 'content']);
  });

  it('never mixes two orders: another number on the order page is a problem', () => {
    const { problems } = listRecord(adapter, { orderNo: '2612' }, { orderNo: '2613', content: 'x', address: 'y' });
    expect(problems).toContainEqual({ field: 'orderNo', reason: { code: 'record_other_order', listed: '2612', shown: '2613' } });
  });
});
